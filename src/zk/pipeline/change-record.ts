// ZooKeeperServer.ChangeRecord: the state of one path after the txns prepped but not yet applied.
import type { PersistedStat } from '../datatree/persisted-stat';
import type { ACL, Zxid } from '../types';

export interface ChangeRecord {
  /** zxid of the txn that made this record; -1 for a record read straight from the tree. */
  readonly zxid: Zxid;
  readonly path: string;
  /** null: the node is (being) deleted. */
  readonly stat: PersistedStat | null;
  readonly childCount: number;
  readonly acl: readonly ACL[];
  /** The node's data; null both for null data and for a deleted node (stat tells them apart). */
  readonly data: Uint8Array | null;
}

/** ChangeRecord.duplicate with edits: a fresh record stamped with the new zxid. */
export function deriveRecord(
  base: ChangeRecord,
  zxid: Zxid,
  edit: { stat?: Partial<PersistedStat>; childCountDelta?: number; acl?: readonly ACL[]; data?: Uint8Array | null },
): ChangeRecord {
  const stat = base.stat === null ? null : { ...base.stat, ...edit.stat };
  return {
    zxid,
    path: base.path,
    stat,
    childCount: base.childCount + (edit.childCountDelta ?? 0),
    acl: edit.acl ?? base.acl,
    // Not ??: setData with null data must replace the old data with null.
    data: edit.data === undefined ? base.data : edit.data,
  };
}

export function deletedRecord(zxid: Zxid, path: string, childCount: number): ChangeRecord {
  return { zxid, path, stat: null, childCount, acl: [], data: null };
}
