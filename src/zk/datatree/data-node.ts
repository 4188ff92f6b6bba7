// One znode as the tree stores it (DataNode.java): data, an interned ACL list, the persisted stat
// and the children's names.
import type { ACL, EventType, Zxid } from '../types';
import { JavaHashSet } from './java-hash-set';
import type { PersistedStat } from './persisted-stat';

export class DataNode {
  /** null when created or set without data (a Java null byte[]); counts as 0 bytes. */
  data: Uint8Array | null;
  acl: readonly ACL[];
  stat: PersistedStat;
  readonly children = new JavaHashSet(8);

  constructor(data: Uint8Array | null, acl: readonly ACL[], stat: PersistedStat) {
    this.data = data;
    this.acl = acl;
    this.stat = stat;
  }
}

/** Byte length of a node's data; null data has none (DataNode.copyStat, DataTree.getNodeSize). */
export function dataLength(data: Uint8Array | null): number {
  return data === null ? 0 : data.length;
}

/**
 * One WatchManager.triggerWatch call, in the order DataTree makes them. `path` is as clients name
 * it ("/" for the root). NodeDeleted means: data watches, then child watches not already
 * notified (DataTree.deleteNode). `acl` is the node's ACL, which 3.9 servers check before
 * delivering (ServerWatcher.process(event, acl)); `zxid` goes into the notification header.
 */
export interface WatchTrigger {
  path: string;
  type: EventType;
  zxid: Zxid;
  acl: readonly ACL[];
}
