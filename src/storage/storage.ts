// Storage: what a server keeps across crashes. The core never calls it; hosts do, driven by effects.
import type { Zxid } from '../zk/types';

/** One serialized txn (jute TxnHeader + txn record) keyed by its zxid. */
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

export interface Storage {
  load(): Promise<LoadedState>;
  /** Resolves only when every entry is durable. One call is one durable write (group commit). */
  append(entries: readonly LogEntry[]): Promise<void>;
  /** Drops every log entry with zxid > `zxid` (ZAB TRUNC). */
  truncateAfter(zxid: Zxid): Promise<void>;
  saveSnapshot(snapshot: SnapshotRecord): Promise<void>;
  /** Keeps the newest `retainCount` snapshots and the log they need (autopurge.snapRetainCount). */
  purge(retainCount: number): Promise<void>;
  setMeta(key: string, value: string): Promise<void>;
  close(): Promise<void>;
}

export class StorageError extends Error {
  constructor(message: string, readonly causeError?: unknown) {
    super(message);
    this.name = 'StorageError';
  }
}
