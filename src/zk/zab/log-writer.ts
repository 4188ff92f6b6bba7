// Group commit for a quorum server (SyncRequestProcessor without its thread): txns handed to the
// log wait here; normally one batch at a time goes to storage as one `storage.append`, and whatever
// arrives meanwhile forms the next batch. `forceUpTo` issues waiting txns at once (a batch more in
// flight) where storage order demands it: before a currentEpoch write, a TRUNC or a snapshot. A
// committed txn is not forced before it is applied: it is already durable on a quorum. Each txn
// remembers the role generation that logged it, so a durable report that arrives after a role
// change is not taken as an ACK-able write of the new role.
import type { LogEntry } from '../../storage/storage';
import type { Zxid } from '../types';

export interface LoggedTxn {
  zxid: Zxid;
  bytes: Uint8Array;
  generation: number;
}

export interface LogBatch {
  batchId: number;
  txns: LoggedTxn[];
}

/** Txns allowed to wait for the disk; beyond this the log is stuck and that is a bug to surface. */
const MAX_WAITING_TXNS = 1_000_000;

export class LogWriter {
  private waiting: LoggedTxn[] = [];
  /** Batches handed to storage, oldest first; storage completes them in this order. */
  private readonly inFlightBatches: LogBatch[] = [];
  private nextBatchId = 1;

  constructor(readonly maxBatchSize = 1000) {
    if (!(maxBatchSize >= 1)) throw new RangeError(`maxBatchSize must be >= 1, got ${maxBatchSize}`);
  }

  enqueue(txn: LoggedTxn): void {
    if (this.waiting.length >= MAX_WAITING_TXNS) throw new Error('log writer overflow');
    const last = this.waiting[this.waiting.length - 1];
    if (last !== undefined && txn.zxid <= last.zxid) throw new Error(`log: zxid ${txn.zxid} not after ${last.zxid}`);
    this.waiting.push(txn);
  }

  /** The next batch to write, or null while one is in flight or nothing waits. */
  takeBatch(): { batchId: number; entries: LogEntry[] } | null {
    if (this.inFlightBatches.length > 0 || this.waiting.length === 0) return null;
    return this.issue(this.waiting.length);
  }

  /** Issues the waiting txns up to `zxid` now, even with a batch in flight; null if none waits. */
  forceUpTo(zxid: Zxid): { batchId: number; entries: LogEntry[] } | null {
    let count = 0;
    while (count < this.waiting.length && (this.waiting[count] as LoggedTxn).zxid <= zxid) count++;
    return count === 0 ? null : this.issue(count);
  }

  private issue(count: number): { batchId: number; entries: LogEntry[] } {
    const txns = this.waiting.slice(0, Math.min(count, this.maxBatchSize));
    this.waiting = this.waiting.slice(txns.length);
    const batch: LogBatch = { batchId: this.nextBatchId++, txns };
    this.inFlightBatches.push(batch);
    return { batchId: batch.batchId, entries: txns.map((t) => ({ zxid: t.zxid, bytes: t.bytes })) };
  }

  /** The oldest in-flight batch is durable; null when the id is not that batch's. */
  complete(batchId: number): LogBatch | null {
    if (this.inFlightBatches[0]?.batchId !== batchId) return null;
    return this.inFlightBatches.shift() as LogBatch;
  }

  /** TRUNC: waiting txns after `zxid` are never written (an in-flight batch is already on its way). */
  dropWaitingAfter(zxid: Zxid): void {
    this.waiting = this.waiting.filter((t) => t.zxid <= zxid);
  }

  get waitingCount(): number {
    return this.waiting.length;
  }

  get inFlightCount(): number {
    return this.inFlightBatches.length;
  }
}
