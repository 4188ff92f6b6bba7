// Group commit for a quorum server (SyncRequestProcessor without its thread): txns handed to the
// log wait here; one batch at a time goes to storage as one `storage.append`; whatever arrives
// meanwhile forms the next batch. Each txn remembers the role generation that logged it, so a
// durable report that arrives after a role change is not taken as an ACK-able write of the new role.
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
  private inFlightBatch: LogBatch | null = null;
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
    if (this.inFlightBatch !== null || this.waiting.length === 0) return null;
    const txns = this.waiting.slice(0, this.maxBatchSize);
    this.waiting = this.waiting.slice(txns.length);
    this.inFlightBatch = { batchId: this.nextBatchId++, txns };
    return { batchId: this.inFlightBatch.batchId, entries: txns.map((t) => ({ zxid: t.zxid, bytes: t.bytes })) };
  }

  /** The in-flight batch is durable; null when the id is not the one in flight. */
  complete(batchId: number): LogBatch | null {
    if (this.inFlightBatch === null || this.inFlightBatch.batchId !== batchId) return null;
    const batch = this.inFlightBatch;
    this.inFlightBatch = null;
    return batch;
  }

  /** TRUNC: waiting txns after `zxid` are never written (an in-flight batch is already on its way). */
  dropWaitingAfter(zxid: Zxid): void {
    this.waiting = this.waiting.filter((t) => t.zxid <= zxid);
  }

  get waitingCount(): number {
    return this.waiting.length;
  }

  get inFlight(): LogBatch | null {
    return this.inFlightBatch;
  }
}
