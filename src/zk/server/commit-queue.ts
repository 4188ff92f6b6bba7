// Group commit (SyncRequestProcessor without its thread): prepped txns wait here; one batch at a
// time goes to storage as one `storage.append`; whatever arrives meanwhile forms the next batch.
import type { Txn } from '../txn';
import type { ConnectionId, Zxid } from '../types';
import type { QueuedRequest } from './connection';

/** What a logged txn answers once applied. */
export type TxnOrigin =
  | { kind: 'request'; connection: ConnectionId; entry: QueuedRequest }
  | { kind: 'createSession'; connection: ConnectionId; receivedAtMs: number }
  /** Expiry closes and container/TTL deletes; `cleanupPath` names the node a sweep asked to delete. */
  | { kind: 'internal'; cleanupPath?: string };

export interface PendingTxn {
  txn: Txn;
  bytes: Uint8Array;
  origin: TxnOrigin;
}

export interface Batch {
  batchId: number;
  txns: PendingTxn[];
}

/** SyncRequestProcessor's default zookeeper.maxBatchSize. */
export const DEFAULT_MAX_BATCH_SIZE = 1000;
/** Txns allowed to wait; beyond this the server is overloaded and that is a bug to surface. */
const MAX_WAITING_TXNS = 1_000_000;

export class CommitQueue {
  private waiting: PendingTxn[] = [];
  private inFlightBatch: Batch | null = null;
  private nextBatchId = 1;

  constructor(readonly maxBatchSize: number = DEFAULT_MAX_BATCH_SIZE) {
    if (!(maxBatchSize >= 1)) throw new RangeError(`maxBatchSize must be >= 1, got ${maxBatchSize}`);
  }

  enqueue(pending: PendingTxn): void {
    if (this.waiting.length >= MAX_WAITING_TXNS) throw new Error('commit queue overflow');
    const last = this.waiting[this.waiting.length - 1] ?? this.inFlightBatch?.txns[this.inFlightBatch.txns.length - 1];
    if (last !== undefined && pending.txn.header.zxid <= last.txn.header.zxid) {
      throw new Error(`txns must be queued in zxid order: ${pending.txn.header.zxid} after ${last.txn.header.zxid}`);
    }
    this.waiting.push(pending);
  }

  /** The next batch to write, or null while one is in flight or nothing waits. */
  takeBatch(): Batch | null {
    if (this.inFlightBatch !== null || this.waiting.length === 0) return null;
    const txns = this.waiting.slice(0, this.maxBatchSize);
    this.waiting = this.waiting.slice(txns.length);
    this.inFlightBatch = { batchId: this.nextBatchId++, txns };
    return this.inFlightBatch;
  }

  /** The in-flight batch became durable; null if the id is not the one in flight. */
  completeBatch(batchId: number): Batch | null {
    if (this.inFlightBatch === null || this.inFlightBatch.batchId !== batchId) return null;
    const batch = this.inFlightBatch;
    this.inFlightBatch = null;
    return batch;
  }

  get inFlight(): Batch | null {
    return this.inFlightBatch;
  }

  /** Txns prepped but not yet durable (waiting + in flight). */
  get outstanding(): number {
    return this.waiting.length + (this.inFlightBatch?.txns.length ?? 0);
  }

  lastQueuedZxid(): Zxid | null {
    const last = this.waiting[this.waiting.length - 1] ?? this.inFlightBatch?.txns[this.inFlightBatch.txns.length - 1];
    return last === undefined ? null : last.txn.header.zxid;
  }
}
