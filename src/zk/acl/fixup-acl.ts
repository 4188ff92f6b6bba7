// PrepRequestProcessor.fixupACL: validate an ACL list from create/setACL and expand "auth".
import { Code } from '../errors';
import type { ACL, Id } from '../types';
import { isValidDigestId } from './digest';
import { isValidIpAcl } from './ip-address';

/** Schemes whose providers report isAuthenticated() (so "auth" expands to them): digest only here. */
const AUTHENTICATED_SCHEMES = new Set(['digest']);

/** The checked list, or Code.InvalidACL. Duplicates are dropped first; perms are not checked (as Apache). */
export function fixupAcl(acl: readonly ACL[] | null, authIds: readonly Id[]): ACL[] | Code.InvalidACL {
  const unique = removeDuplicates(acl ?? []);
  if (unique.length === 0) return Code.InvalidACL;
  const out: ACL[] = [];
  for (const entry of unique) {
    const { scheme, id } = entry.id;
    if (scheme === 'world' && id === 'anyone') {
      out.push(entry);
    } else if (scheme === 'auth') {
      const expanded = authIds.filter((a) => AUTHENTICATED_SCHEMES.has(a.scheme));
      if (expanded.length === 0) return Code.InvalidACL;
      for (const authId of expanded) out.push({ perms: entry.perms, id: { scheme: authId.scheme, id: authId.id } });
    } else if (isValidSchemeId(scheme, id)) {
      out.push(entry);
    } else {
      return Code.InvalidACL;
    }
  }
  return out;
}

function isValidSchemeId(scheme: string, id: string): boolean {
  if (scheme === 'digest') return isValidDigestId(id);
  if (scheme === 'ip') return isValidIpAcl(id);
  return false;
}

function removeDuplicates(acl: readonly ACL[]): ACL[] {
  const out: ACL[] = [];
  for (const entry of acl) {
    if (!out.some((o) => o.perms === entry.perms && o.id.scheme === entry.id.scheme && o.id.id === entry.id.id)) {
      out.push(entry);
    }
  }
  return out;
}
