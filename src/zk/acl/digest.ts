// The digest scheme's id: "user:" + base64(sha1("user:password")) (DigestAuthenticationProvider).
import { sha1 } from '@noble/hashes/legacy.js';
import { base64Encode } from './base64';

const utf8 = new TextEncoder();

/** generateDigest("user:password") -> "user:base64(sha1(...))". The user is everything before the first ':'. */
export function digestIdFor(idPassword: string): string {
  const colon = idPassword.indexOf(':');
  const user = colon === -1 ? idPassword : idPassword.substring(0, colon);
  return `${user}:${base64Encode(sha1(utf8.encode(idPassword)))}`;
}

/** DigestAuthenticationProvider.isValid: exactly two ':'-separated parts (Java split drops trailing empties). */
export function isValidDigestId(id: string): boolean {
  const parts = id.split(':');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.length === 2;
}

/**
 * What `addauth digest user:password` adds to a session (handleAuthentication): the digest id,
 * preceded by super:"" when it equals the configured superDigest.
 */
export function digestAuthIds(authData: string, superDigest: string | null): { scheme: string; id: string }[] {
  const digest = digestIdFor(authData);
  const ids = [];
  if (superDigest !== null && digest === superDigest) ids.push({ scheme: 'super', id: '' });
  ids.push({ scheme: 'digest', id: digest });
  return ids;
}
