// Session passwords as Apache derives them: 16 bytes of java.util.Random seeded with
// (sessionId ^ superSecret). Derived, not random, so they survive a restart from the txn log
// (CreateSessionTxn holds only the timeout) and any server of an ensemble can check them.
import type { SessionId } from '../types';

/** ZooKeeperServer.superSecret. */
export const APACHE_SUPER_SECRET = 0xb3415c00n;
export const SESSION_PASSWORD_BYTES = 16;

const MULTIPLIER = 0x5deece66dn;
const ADDEND = 0xbn;
const MASK_48 = (1n << 48n) - 1n;

export function sessionPassword(sessionId: SessionId, secret: bigint = APACHE_SUPER_SECRET): Uint8Array {
  let seed = (BigInt.asUintN(64, sessionId ^ secret) ^ MULTIPLIER) & MASK_48;
  const nextInt = (): number => {
    seed = (seed * MULTIPLIER + ADDEND) & MASK_48;
    return Number(BigInt.asIntN(32, seed >> 16n));
  };
  const out = new Uint8Array(SESSION_PASSWORD_BYTES);
  // Random.nextBytes: each int gives up to four bytes, low byte first.
  for (let i = 0; i < out.length; ) {
    let rnd = nextInt();
    for (let n = Math.min(out.length - i, 4); n > 0; n--) {
      out[i++] = rnd & 0xff;
      rnd >>= 8;
    }
  }
  return out;
}

export function passwordsEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}
