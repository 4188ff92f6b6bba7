// What this server's storage holds, mirrored in memory: the newest snapshot and every log entry
// after it (including entries whose append is still on its way to the disk). A TRUNC rebuilds the
// data tree from it (snapshot + log up to the cut), the same state Apache reloads from disk, and a
// return to LOOKING replays its uncommitted tail as Apache's reload does. Bounded by the snapshot
// cadence: a snapshot drops the entries it covers.
import type { LogEntry } from '../../storage/storage';
import type { Zxid } from '../types';

export interface ImageSnapshot {
  zxid: Zxid;
  bytes: Uint8Array;
}

export class DurableImage {
  private snapshotRecord: ImageSnapshot | null;
  private log: LogEntry[];

  constructor(snapshot: ImageSnapshot | null, log: readonly LogEntry[]) {
    this.snapshotRecord = snapshot;
    const from = snapshot?.zxid ?? -1n;
    this.log = log.filter((e) => e.zxid > from);
  }

  get snapshot(): ImageSnapshot | null {
    return this.snapshotRecord;
  }

  /** Last zxid storage will hold: the last log entry, else the snapshot's, else 0. */
  lastZxid(): Zxid {
    return this.log[this.log.length - 1]?.zxid ?? this.snapshotRecord?.zxid ?? 0n;
  }

  append(entry: LogEntry): void {
    if (entry.zxid <= this.lastZxid()) throw new Error(`image: log entry ${entry.zxid} not after ${this.lastZxid()}`);
    this.log.push(entry);
  }

  /** Entries after `zxid`, oldest first. */
  entriesAfter(zxid: Zxid): LogEntry[] {
    return this.log.filter((e) => e.zxid > zxid);
  }

  /** A snapshot of the applied state was written: it covers the log up to its zxid. */
  snapshotTaken(snapshot: ImageSnapshot): void {
    this.snapshotRecord = snapshot;
    this.log = this.log.filter((e) => e.zxid > snapshot.zxid);
  }

  /** TRUNC: false when the cut falls before the snapshot (the txns needed are gone). */
  truncateAfter(zxid: Zxid): boolean {
    if (this.snapshotRecord !== null && zxid < this.snapshotRecord.zxid) return false;
    this.log = this.log.filter((e) => e.zxid <= zxid);
    return true;
  }

  /** SNAP: the leader's snapshot replaces everything. */
  replace(snapshot: ImageSnapshot): void {
    this.snapshotRecord = snapshot;
    this.log = [];
  }

  get logLength(): number {
    return this.log.length;
  }
}
