// ZKDatabase.committedLog: the last N committed txns kept in memory, so the leader can bring a
// learner up to date with a DIFF instead of a whole snapshot. Every server keeps one (any server
// may become leader); it is filled when txns commit and when the log is replayed at startup.
import type { Zxid } from '../types';

export interface CommittedEntry {
  zxid: Zxid;
  /** encodeTxn(txn): what a PROPOSAL packet carries. */
  bytes: Uint8Array;
}

/** Apache's zookeeper.commitLogCount default. */
export const DEFAULT_COMMITTED_LOG_COUNT = 500;

export class CommittedLog {
  private entries: CommittedEntry[] = [];

  constructor(readonly capacity: number = DEFAULT_COMMITTED_LOG_COUNT) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`committed log capacity must be >= 1, got ${capacity}`);
  }

  /** Appends a committed txn; zxids must strictly increase. The oldest falls out past capacity. */
  add(entry: CommittedEntry): void {
    const last = this.entries[this.entries.length - 1];
    if (last !== undefined && entry.zxid <= last.zxid) {
      throw new Error(`committed log: zxid ${entry.zxid} not after ${last.zxid}`);
    }
    this.entries.push(entry);
    // Trim in chunks so a long run stays O(1) amortized per add.
    if (this.entries.length > this.capacity * 2) this.entries = this.entries.slice(this.entries.length - this.capacity);
  }

  get size(): number {
    return Math.min(this.entries.length, this.capacity);
  }

  isEmpty(): boolean {
    return this.entries.length === 0;
  }

  /** Oldest kept zxid (minCommittedLog), or null when empty. */
  get minZxid(): Zxid | null {
    return this.view()[0]?.zxid ?? null;
  }

  /** Newest zxid (maxCommittedLog), or null when empty. */
  get maxZxid(): Zxid | null {
    return this.entries[this.entries.length - 1]?.zxid ?? null;
  }

  /** The kept entries, oldest first. */
  view(): readonly CommittedEntry[] {
    const start = Math.max(0, this.entries.length - this.capacity);
    return start === 0 ? this.entries : this.entries.slice(start);
  }

  /** Entries with zxid > `zxid`, oldest first. */
  after(zxid: Zxid): CommittedEntry[] {
    return this.view().filter((e) => e.zxid > zxid);
  }

  /** Drops entries with zxid > `zxid` (after a TRUNC the history beyond it is gone). */
  truncateAfter(zxid: Zxid): void {
    this.entries = this.entries.filter((e) => e.zxid <= zxid);
  }

  clear(): void {
    this.entries = [];
  }
}
