// fast-check arbitraries for jute records (test-only helper; imported by *.test.ts).
import fc from 'fast-check';
import type { ACL, Stat } from '../zk/types';

export const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
export const int64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
export const bytes = fc.uint8Array({ maxLength: 64 });
/** znode data: null (a Java null byte[], length -1) as well as empty and non-empty bytes. */
export const nullableBytes = fc.option(bytes, { nil: null, freq: 4 });
/** Full Unicode strings, including astral characters (4-byte UTF-8). No lone surrogates. */
export const text = fc.string({ unit: 'grapheme', maxLength: 20 });
export const path = fc.array(fc.stringMatching(/^[a-z0-9_-]{1,8}$/), { minLength: 1, maxLength: 4 }).map((parts) => '/' + parts.join('/'));
export const strings = fc.array(text, { maxLength: 6 });

export const acl: fc.Arbitrary<ACL> = fc.record({
  perms: fc.integer({ min: 0, max: 31 }),
  id: fc.record({ scheme: text, id: text }),
});
export const acls = fc.array(acl, { maxLength: 4 });

export const stat: fc.Arbitrary<Stat> = fc.record({
  czxid: int64,
  mzxid: int64,
  ctime: int64,
  mtime: int64,
  version: int32,
  cversion: int32,
  aversion: int32,
  ephemeralOwner: int64,
  dataLength: int32,
  numChildren: int32,
  pzxid: int64,
});

export function zeroStat(): Stat {
  return {
    czxid: 0n, mzxid: 0n, ctime: 0n, mtime: 0n, version: 0, cversion: 0, aversion: 0,
    ephemeralOwner: 0n, dataLength: 0, numChildren: 0, pzxid: 0n,
  };
}

export function hexOf(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export function fromHex(h: string): Uint8Array {
  const clean = h.replace(/\s+/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}
