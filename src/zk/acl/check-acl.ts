// ZooKeeperServer.checkACL: may these authenticated ids do `perm` on a node with this ACL?
import type { ACL, Id } from '../types';
import { ipMatches } from './ip-address';

/** True when allowed. An empty ACL allows all; a 'super' id bypasses every check. */
export function checkAcl(acl: readonly ACL[], perm: number, authIds: readonly Id[]): boolean {
  if (acl.length === 0) return true;
  if (authIds.some((id) => id.scheme === 'super')) return true;
  for (const entry of acl) {
    if ((entry.perms & perm) === 0) continue;
    if (entry.id.scheme === 'world' && entry.id.id === 'anyone') return true;
    for (const authId of authIds) {
      if (authId.scheme === entry.id.scheme && schemeMatches(entry.id.scheme, authId.id, entry.id.id)) return true;
    }
  }
  return false;
}

/** Only the providers a default Apache server registers (ip, digest) can match. */
function schemeMatches(scheme: string, id: string, aclExpression: string): boolean {
  if (scheme === 'digest') return id === aclExpression;
  if (scheme === 'ip') return ipMatches(id, aclExpression);
  return false;
}
