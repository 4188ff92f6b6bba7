// How Apache packs a node's kind into StatPersisted.ephemeralOwner (EphemeralType.java):
// 0 = persistent, a session id = ephemeral, Long.MIN_VALUE = container, and with extended
// types enabled 0xFF.. | ttl = TTL node.

export enum EphemeralType {
  VOID = 'VOID',
  NORMAL = 'NORMAL',
  CONTAINER = 'CONTAINER',
  TTL = 'TTL',
}

/** Long.MIN_VALUE as an unsigned-agnostic signed 64-bit bigint. */
export const CONTAINER_EPHEMERAL_OWNER = -(1n << 63n);
/** Server ids above this would collide with the extended ephemeralOwner encoding. */
export const MAX_EXTENDED_SERVER_ID = 0xfe;

const EXTENDED_MASK = BigInt.asIntN(64, 0xff00000000000000n);
const EXTENDED_BIT_TTL = 0n;
const RESERVED_BITS_MASK = 0x00ffff0000000000n;
const RESERVED_BITS_SHIFT = 40n;
/** Largest TTL in ms (about 34 years). */
export const TTL_MAX_MS = BigInt.asIntN(64, ~(EXTENDED_MASK | RESERVED_BITS_MASK));

/** Signed 64-bit view, so owners compare the same however the caller built them. */
function asLong(value: bigint): bigint {
  return BigInt.asIntN(64, value);
}

export function ephemeralTypeOf(ephemeralOwner: bigint, extendedTypesEnabled: boolean): EphemeralType {
  const owner = asLong(ephemeralOwner);
  if (extendedTypesEnabled && (owner & EXTENDED_MASK) === EXTENDED_MASK) {
    const featureBit = (owner & RESERVED_BITS_MASK) >> RESERVED_BITS_SHIFT;
    // Apache throws "Invalid ephemeralOwner" for unknown feature bits; such owners only arise
    // from server ids > 254, which configuration rejects, so treat them as sessions.
    if (featureBit === EXTENDED_BIT_TTL) return EphemeralType.TTL;
  }
  if (owner === CONTAINER_EPHEMERAL_OWNER) return EphemeralType.CONTAINER;
  return owner === 0n ? EphemeralType.VOID : EphemeralType.NORMAL;
}

export function isValidTtl(ttlMs: bigint): boolean {
  return ttlMs > 0n && ttlMs <= TTL_MAX_MS;
}

/** EphemeralType.TTL.toEphemeralOwner; the caller validates ttl first. */
export function ttlToEphemeralOwner(ttlMs: bigint): bigint {
  if (!isValidTtl(ttlMs)) throw new RangeError(`ttl must be positive and cannot be larger than: ${TTL_MAX_MS}`);
  return asLong(EXTENDED_MASK | EXTENDED_BIT_TTL | ttlMs);
}

/** The TTL in ms of a TTL node's ephemeralOwner. */
export function ttlOfEphemeralOwner(ephemeralOwner: bigint): bigint {
  return asLong(ephemeralOwner) & TTL_MAX_MS;
}

/** What clients see in Stat.ephemeralOwner: only real sessions, 0 for containers and TTL nodes. */
export function clientEphemeralOwner(ephemeralOwner: bigint, extendedTypesEnabled: boolean): bigint {
  return ephemeralTypeOf(ephemeralOwner, extendedTypesEnabled) === EphemeralType.NORMAL ? asLong(ephemeralOwner) : 0n;
}
