// Storage: what a server keeps across crashes. The core never calls it; hosts do, driven by effects.
import type { Zxid } from '../zk/types';

/** One serialized txn (jute TxnHeader + txn record) keyed by its zxid. Storage never parses `bytes`. */
export interface LogEntry {
  zxid: Zxid;
  bytes: Uint8Array;
}

export interface SnapshotRecord {
  /** Last zxid applied in this snapshot. */
  zxid: Zxid;
  bytes: Uint8Array;
}

export interface LoadedState {
  /** Latest snapshot that reads back whole, or null. */
  snapshot: SnapshotRecord | null;
  /** Log entries with zxid greater than the snapshot's, in zxid order, a corrupt or torn tail cut off. */
  log: LogEntry[];
  /** Small durable values: acceptedEpoch, currentEpoch, myid... */
  meta: Record<string, string>;
  /** Human-readable warnings (e.g. "cut 37 bytes of torn log tail after 0x100000005"). */
  warnings: string[];
}

/**
 * Every implementation runs calls in the order they were made, even when the caller does not await
 * one before making the next (the host may have several append batches in flight).
 * Startup (`load`) never throws because of torn or corrupt data: it cuts it off and warns.
 * Failures to write reject with `StorageError`; a write is never silently dropped.
 */
export interface Storage {
  load(): Promise<LoadedState>;
  /**
   * Resolves only when every entry is durable. One call is one durable write (group commit).
   * Zxids must strictly increase within the batch and be greater than the last entry in the log,
   * else StorageError and nothing is written (to rewrite history, call `truncateAfter` first).
   * An empty batch resolves at once.
   */
  append(entries: readonly LogEntry[]): Promise<void>;
  /**
   * Drops every log entry with zxid > `zxid` (ZAB TRUNC), and every snapshot newer than `zxid`
   * (such a snapshot would contain the dropped txns).
   */
  truncateAfter(zxid: Zxid): Promise<void>;
  /** Durable when resolved. The next append starts a new log file where files are used (log roll). */
  saveSnapshot(snapshot: SnapshotRecord): Promise<void>;
  /**
   * Keeps the newest `retainCount` (>= 1) snapshots that read back whole and the log they need
   * (entries after the oldest one kept); deletes older ones (autopurge.snapRetainCount).
   */
  purge(retainCount: number): Promise<void>;
  /** Durable when resolved. `key` matches META_KEY_PATTERN; value at most META_VALUE_BYTES_MAX bytes. */
  setMeta(key: string, value: string): Promise<void>;
  close(): Promise<void>;
}

/** What a storage holds, for tests, the `dirs` four-letter word and the visualizer. */
export interface StorageInventory {
  /** Zxids of the snapshots present (including ones that may not read back whole), ascending. */
  snapshotZxids: Zxid[];
  /** Zxid of the oldest log entry kept (for file storage: the first zxid of the oldest log file). */
  logFirstZxid: Zxid | null;
  /** Zxid of the newest log entry, or null when the log is empty. */
  logLastZxid: Zxid | null;
}

export interface InspectableStorage extends Storage {
  inspect(): Promise<StorageInventory>;
}

/** Meta keys double as file names in file storage, so they are plain identifiers. */
export const META_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
export const META_VALUE_BYTES_MAX = 4096;

export class StorageError extends Error {
  constructor(message: string, readonly causeError?: unknown) {
    super(message);
    this.name = 'StorageError';
  }
}
