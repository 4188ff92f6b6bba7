// Session ids as Apache's SessionTrackerImpl.initializeNextSessionId makes them: the start time in
// ms shifted into bits 16..55 and the server id in the top byte, so servers never collide.
import type { Millis, ServerId, SessionId } from '../types';

const MASK_64 = (1n << 64n) - 1n;
/** EphemeralType.CONTAINER_EPHEMERAL_OWNER (Long.MIN_VALUE) marks containers; no session may have it. */
export const CONTAINER_EPHEMERAL_OWNER = -(1n << 63n);

export function initialSessionId(startMs: Millis, serverId: ServerId): SessionId {
  if (!Number.isInteger(startMs) || startMs < 0) throw new RangeError(`bad start time ${startMs}`);
  if (!Number.isInteger(serverId) || serverId < 0 || serverId > 254) throw new RangeError(`bad server id ${serverId}`);
  // (now << 24) >>> 8 on a 64-bit long keeps the low 40 bits of now, placed at bit 16.
  const shifted = ((BigInt(startMs) << 24n) & MASK_64) >> 8n;
  let id = BigInt.asIntN(64, shifted | (BigInt(serverId) << 56n));
  if (id === CONTAINER_EPHEMERAL_OWNER) id += 1n;
  return id;
}
