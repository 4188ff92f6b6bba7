// What this server's storage holds, mirrored in memory: the newest snapshot and every log entry
// after it (including entries whose append is still on its way to the disk). A TRUNC rebuilds the
// data tree from it (snapshot + log up to the cut), the same state Apache reloads from disk, and a
// return to LOOKING replays its uncommitted tail as Apache's reload does. Bounded by the snapshot
// cadence: a snapshot drops the entries it covers from the image...
//
// ...but keeps the newest of them as the txn log a leader can still sync a learner from (Apache
// keeps old log files on disk and reads them in getProposalsFromTxnLog). Memory cap: those kept
// entries total at most snapshotSizeFactor x the newest snapshot's size (Apache's
// calculateTxnLogSizeLimit; more would never be sent, a snapshot being cheaper), and never more
// than MAX_RETAINED_LOG_BYTES.
import type { LogEntry } from '../../storage/storage';
import type { Zxid } from '../types';

export interface ImageSnapshot {
  zxid: Zxid;
  bytes: Uint8Array;
}

/** Apache's zookeeper.snapshotSizeFactor default. */
export const DEFAULT_SNAPSHOT_SIZE_FACTOR = 0.33;
/** Hard cap on log bytes kept beyond the snapshot for syncing learners. */
export const MAX_RETAINED_LOG_BYTES = 64 * 1024 * 1024;

export class DurableImage {
  private snapshotRecord: ImageSnapshot | null;
  private log: LogEntry[];
  /** Entries the snapshot covers, kept for txn-log sync (oldest first, within the cap). */
  private retained: LogEntry[] = [];
  private retainedBytes = 0;

  constructor(
    snapshot: ImageSnapshot | null,
    log: readonly LogEntry[],
    /** zookeeper.snapshotSizeFactor; negative disables txn-log sync. */
    readonly snapshotSizeFactor: number = DEFAULT_SNAPSHOT_SIZE_FACTOR,
  ) {
    if (!Number.isFinite(snapshotSizeFactor)) throw new RangeError(`snapshotSizeFactor must be a number, got ${snapshotSizeFactor}`);
    this.snapshotRecord = snapshot;
    const from = snapshot?.zxid ?? -1n;
    this.log = log.filter((e) => e.zxid > from);
  }

  /**
   * ZKDatabase.calculateTxnLogSizeLimit: snapshotSizeFactor x the newest snapshot's size, 0
   * (unlimited) without a snapshot, negative when txn-log sync is disabled.
   */
  txnLogSizeLimitBytes(): number {
    if (this.snapshotSizeFactor < 0) return -1;
    if (this.snapshotRecord === null) return 0;
    return Math.floor(this.snapshotRecord.bytes.length * this.snapshotSizeFactor);
  }

  /** The txn log a leader may sync from: the kept entries, then the image's log. */
  txnLog(): LogEntry[] {
    return this.retained.length === 0 ? [...this.log] : [...this.retained, ...this.log];
  }

  get retainedLogBytes(): number {
    return this.retainedBytes;
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
    const covered = this.log.filter((e) => e.zxid <= snapshot.zxid);
    this.log = this.log.filter((e) => e.zxid > snapshot.zxid);
    this.retain(covered);
  }

  /** Keeps covered entries, dropping the oldest kept ones past the cap. */
  private retain(covered: readonly LogEntry[]): void {
    const limit = this.txnLogSizeLimitBytes();
    const capBytes = limit < 0 ? 0 : Math.min(limit, MAX_RETAINED_LOG_BYTES);
    for (const entry of covered) {
      this.retained.push(entry);
      this.retainedBytes += entry.bytes.length;
    }
    let drop = 0;
    while (drop < this.retained.length && this.retainedBytes > capBytes) {
      this.retainedBytes -= (this.retained[drop] as LogEntry).bytes.length;
      drop++;
    }
    if (drop > 0) this.retained = this.retained.slice(drop);
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
    this.retained = [];
    this.retainedBytes = 0;
  }

  get logLength(): number {
    return this.log.length;
  }
}
