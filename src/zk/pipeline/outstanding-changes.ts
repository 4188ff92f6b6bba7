// ZooKeeperServer.outstandingChanges + outstandingChangesForPath: the overlay prep reads through,
// so a request sees the effect of earlier requests that are prepped but not yet applied.
import type { DataTree } from '../datatree/data-tree';
import { copyPersistedStat } from '../datatree/persisted-stat';
import type { Zxid } from '../types';
import type { ChangeRecord } from './change-record';

/** A bound far above any sane in-flight window; hitting it means applied() is never called. */
const MAX_OUTSTANDING = 1_000_000;

export class OutstandingChanges {
  private queue: ChangeRecord[] = [];
  private head = 0;
  private readonly byPath = new Map<string, ChangeRecord>();

  get size(): number {
    return this.queue.length - this.head;
  }

  /** The newest record for a path, if any is outstanding. */
  get(path: string): ChangeRecord | undefined {
    return this.byPath.get(path);
  }

  add(record: ChangeRecord): void {
    if (this.size >= MAX_OUTSTANDING) throw new Error(`outstanding changes exceed ${MAX_OUTSTANDING}`);
    this.queue.push(record);
    this.byPath.set(record.path, record);
  }

  /** All records, oldest first. */
  *records(): Generator<ChangeRecord> {
    for (let i = this.head; i < this.queue.length; i++) yield this.queue[i] as ChangeRecord;
  }

  /**
   * getRecordForPath without the throw: the overlay's record, else one built from the tree
   * (zxid -1), else null. A record with stat null means deleted.
   */
  recordFor(tree: DataTree, path: string): ChangeRecord | null {
    const pending = this.byPath.get(path);
    if (pending !== undefined) return pending;
    const node = tree.getNode(path);
    if (node === undefined) return null;
    return { zxid: -1n, path, stat: copyPersistedStat(node.stat), childCount: node.children.size, acl: node.acl, data: node.data };
  }

  /** After the txn with this zxid is applied: drop every record up to it (processTxn). */
  applied(zxid: Zxid): void {
    while (this.head < this.queue.length && (this.queue[this.head] as ChangeRecord).zxid <= zxid) {
      const record = this.queue[this.head] as ChangeRecord;
      this.head++;
      if (this.byPath.get(record.path) === record) this.byPath.delete(record.path);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** getPendingChanges: the current records for these paths, to restore if a multi fails. */
  pendingFor(paths: Iterable<string>): Map<string, ChangeRecord> {
    const pending = new Map<string, ChangeRecord>();
    for (const path of paths) {
      const record = this.byPath.get(path);
      if (record !== undefined) pending.set(path, record);
    }
    return pending;
  }

  /** rollbackPendingChanges: drop this zxid's records from the tail and restore older ones still queued. */
  rollback(zxid: Zxid, pending: ReadonlyMap<string, ChangeRecord>): void {
    while (this.size > 0 && (this.queue[this.queue.length - 1] as ChangeRecord).zxid === zxid) {
      const record = this.queue.pop() as ChangeRecord;
      this.byPath.delete(record.path);
    }
    if (this.size === 0) return;
    const firstZxid = (this.queue[this.head] as ChangeRecord).zxid;
    for (const record of pending.values()) {
      if (record.zxid >= firstZxid) this.byPath.set(record.path, record);
    }
  }

  /** Forget everything (leader change / resync: Apache rebuilds the pipeline). */
  clear(): void {
    this.queue = [];
    this.head = 0;
    this.byPath.clear();
  }
}
