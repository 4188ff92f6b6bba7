// IPAuthenticationProvider: ids and ACL expressions are IPv4/IPv6 addresses, optionally "/bits".
// An address is IPv6 if it contains ':' else IPv4 if it contains '.', as Apache decides.

export function parseIpAddress(text: string): Uint8Array | null {
  if (text.includes(':')) return parseV6(text);
  if (text.includes('.')) return parseV4(text);
  return null;
}

function parseV4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const value = parseJavaInt(parts[i] as string, 10);
    if (value === null || value < 0 || value > 255) return null;
    out[i] = value;
  }
  return out;
}

function parseV6(text: string): Uint8Array | null {
  const halves = text.split('::');
  let head: string[] = [];
  let tail: string[] = [];
  if (halves.length === 1) {
    head = text.split(':');
    if (head.length !== 8) return null;
  } else if (halves.length === 2) {
    if (halves[0] !== '') head = (halves[0] as string).split(':');
    if (halves[1] !== '') tail = (halves[1] as string).split(':');
    if (head.length + tail.length >= 8) return null;
  } else {
    return null;
  }
  const out = new Uint8Array(16);
  return fillSegments(out, 0, head) && fillSegments(out, 16 - tail.length * 2, tail) ? out : null;
}

function fillSegments(out: Uint8Array, start: number, segments: string[]): boolean {
  let i = start;
  for (const segment of segments) {
    if (segment.length === 0 || segment.length > 4) return false;
    const value = parseJavaInt(segment, 16);
    if (value === null) return false;
    out[i++] = (value >> 8) & 0xff;
    out[i++] = value & 0xff;
  }
  return true;
}

/** Integer.parseInt: optional sign, digits of the radix only. */
function parseJavaInt(text: string, radix: 10 | 16): number | null {
  const pattern = radix === 10 ? /^[+-]?[0-9]+$/ : /^[+-]?[0-9a-fA-F]+$/;
  if (!pattern.test(text)) return null;
  const value = parseInt(text, radix);
  return Number.isSafeInteger(value) ? value : null;
}

/** "addr" or "addr/bits" -> address bytes and prefix length, or null if invalid (isValid). */
export function parseIpAclExpression(expression: string): { address: Uint8Array; bits: number } | null {
  const slash = expression.indexOf('/');
  const address = parseIpAddress(slash === -1 ? expression : expression.substring(0, slash));
  if (address === null) return null;
  if (slash === -1) return { address, bits: address.length * 8 };
  const bits = parseJavaInt(expression.substring(slash + 1), 10);
  if (bits === null || bits < 0 || bits > address.length * 8) return null;
  return { address, bits };
}

export function isValidIpAcl(expression: string): boolean {
  return parseIpAclExpression(expression) !== null;
}

/** IPAuthenticationProvider.matches: same family and equal under the mask. */
export function ipMatches(clientAddress: string, aclExpression: string): boolean {
  const acl = parseIpAclExpression(aclExpression);
  if (acl === null) return false;
  const client = parseIpAddress(clientAddress);
  if (client === null || client.length !== acl.address.length) return false;
  for (let i = 0; i < client.length; i++) {
    const mask = byteMask(acl.bits, i);
    if (((client[i] as number) & mask) !== ((acl.address[i] as number) & mask)) return false;
  }
  return true;
}

function byteMask(bits: number, byteIndex: number): number {
  const remaining = bits - byteIndex * 8;
  if (remaining >= 8) return 0xff;
  if (remaining <= 0) return 0;
  return (0xff << (8 - remaining)) & 0xff;
}
