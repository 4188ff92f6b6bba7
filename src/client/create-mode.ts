// CreateMode properties and the Java client's TTL validation (EphemeralType.validateTTL).
import { OpCode } from '../jute/opcodes';
import { CreateMode } from '../zk/types';
import { IllegalArgumentException } from './path-utils';

/** Largest TTL the ephemeralOwner encoding can hold (EphemeralType.TTL.maxValue()). */
export const MAX_TTL_MS = 0xff_ffff_ffff;

export function isSequential(mode: CreateMode): boolean {
  return (
    mode === CreateMode.PERSISTENT_SEQUENTIAL ||
    mode === CreateMode.EPHEMERAL_SEQUENTIAL ||
    mode === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL
  );
}

export function isContainer(mode: CreateMode): boolean {
  return mode === CreateMode.CONTAINER;
}

export function isTTL(mode: CreateMode): boolean {
  return mode === CreateMode.PERSISTENT_WITH_TTL || mode === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL;
}

export function validateCreateMode(mode: CreateMode): void {
  if (CreateMode[mode] === undefined) throw new IllegalArgumentException(`Received an invalid flag value: ${mode} to convert to a CreateMode`);
}

/** `ttl` -1 means none. TTL modes need 0 < ttl <= MAX_TTL_MS; other modes must not have one. */
export function validateTTL(mode: CreateMode, ttl: number): void {
  if (isTTL(mode)) {
    if (!Number.isInteger(ttl) || ttl > MAX_TTL_MS || ttl <= 0) {
      throw new IllegalArgumentException(`ttl must be positive and cannot be larger than: ${MAX_TTL_MS}`);
    }
  } else if (ttl >= 0) {
    throw new IllegalArgumentException(`ttl not valid for mode: ${CreateMode[mode]}`);
  }
}

/** The opcode Java's create(..., Stat) picks: createTTL, createContainer, else create2. */
export function createWithStatOpCode(mode: CreateMode): OpCode.create2 | OpCode.createContainer | OpCode.createTTL {
  if (isTTL(mode)) return OpCode.createTTL;
  return isContainer(mode) ? OpCode.createContainer : OpCode.create2;
}

/** The opcode of a plain create / multi create op: createTTL, createContainer, else create. */
export function createOpCode(mode: CreateMode): OpCode.create | OpCode.createContainer | OpCode.createTTL {
  if (isTTL(mode)) return OpCode.createTTL;
  return isContainer(mode) ? OpCode.createContainer : OpCode.create;
}
