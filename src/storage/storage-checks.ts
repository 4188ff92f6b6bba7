// Argument checks shared by every Storage implementation, so they all reject the same bad input.
import { hex, type Zxid } from '../zk/types';
import { type LogEntry, META_KEY_PATTERN, META_VALUE_BYTES_MAX, StorageError } from './storage';

export const ZXID_MAX: Zxid = (1n << 64n) - 1n;

/** Zxids strictly increasing, all above `lastLoggedZxid` (null: empty log), each a u64. */
export function checkAppendOrder(entries: readonly LogEntry[], lastLoggedZxid: Zxid | null): void {
  let previous = lastLoggedZxid;
  for (const entry of entries) {
    if (typeof entry.zxid !== 'bigint' || entry.zxid < 0n || entry.zxid > ZXID_MAX) {
      throw new StorageError(`append: zxid ${String(entry.zxid)} is not a u64 bigint`);
    }
    if (!(entry.bytes instanceof Uint8Array)) {
      throw new StorageError(`append: entry ${hex(entry.zxid)} has no Uint8Array bytes`);
    }
    if (previous !== null && entry.zxid <= previous) {
      throw new StorageError(
        `append: zxid ${hex(entry.zxid)} is not after ${hex(previous)}; call truncateAfter first to rewrite history`,
      );
    }
    previous = entry.zxid;
  }
}

export function checkZxid(operation: string, zxid: Zxid): void {
  if (typeof zxid !== 'bigint' || zxid < 0n || zxid > ZXID_MAX) {
    throw new StorageError(`${operation}: zxid ${String(zxid)} is not a u64 bigint`);
  }
}

export function checkRetainCount(retainCount: number): void {
  if (!Number.isSafeInteger(retainCount) || retainCount < 1) {
    throw new StorageError(`purge: retainCount must be an integer >= 1, got ${retainCount}`);
  }
}

export function checkMeta(key: string, value: string): void {
  if (!META_KEY_PATTERN.test(key)) {
    throw new StorageError(`setMeta: key ${JSON.stringify(key)} must match ${META_KEY_PATTERN}`);
  }
  if (typeof value !== 'string') throw new StorageError(`setMeta: value of ${key} must be a string`);
  const bytes = new TextEncoder().encode(value).length;
  if (bytes > META_VALUE_BYTES_MAX) {
    throw new StorageError(`setMeta: value of ${key} is ${bytes} bytes, max ${META_VALUE_BYTES_MAX}`);
  }
}

export function checkSnapshot(snapshot: { zxid: Zxid; bytes: Uint8Array }): void {
  checkZxid('saveSnapshot', snapshot.zxid);
  if (!(snapshot.bytes instanceof Uint8Array)) {
    throw new StorageError(`saveSnapshot: snapshot ${hex(snapshot.zxid)} has no Uint8Array bytes`);
  }
}
