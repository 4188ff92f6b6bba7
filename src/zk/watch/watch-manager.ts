// A server's watches, as Apache's DataTree keeps them: a data table (getData/exists watches,
// persistent and persistent-recursive watches) and a child table (getChildren watches and
// persistent watches). Triggers follow DataTree.createNode/deleteNode/setData.
import type { SessionId, Zxid } from '../types';
import { AddWatchMode, EventType, WatcherType } from '../types';
import type { WatchKind } from '../trace';
import { PathWatchTable, type TableHit } from './path-watch-table';
import { WatcherMode, hasMode, type WatchFlags } from './watcher-mode';

/** WatchedEvent.NO_ZXID: events the server makes up (SetWatches) carry no zxid. */
export const NO_ZXID: Zxid = -1n;

export interface WatchEvent {
  type: EventType;
  path: string;
  zxid: Zxid;
}

export interface WatchDelivery {
  sessionId: SessionId;
  event: WatchEvent;
  /** Which kind of watch fired, for traces. */
  kind: WatchKind;
}

/** What SetWatches/SetWatches2 re-registers after a reconnect. */
export interface SetWatchesLists {
  dataWatches: readonly string[];
  existWatches: readonly string[];
  childWatches: readonly string[];
  persistentWatches?: readonly string[];
  persistentRecursiveWatches?: readonly string[];
}

/** The zxids of a node that SetWatches compares with the client's last seen zxid. */
export interface NodeZxids {
  mzxid: Zxid;
  pzxid: Zxid;
}

export interface RemovedWatch {
  sessionId: SessionId;
  path: string;
  kind: WatchKind;
}

export function parentPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

export class WatchManager {
  readonly data = new PathWatchTable();
  readonly child = new PathWatchTable();

  /** getData or exists with watch=true (exists may watch a missing node: it fires NodeCreated). */
  addDataWatch(path: string, sessionId: SessionId): boolean {
    return this.data.add(path, sessionId, WatcherMode.STANDARD);
  }

  addChildWatch(path: string, sessionId: SessionId): boolean {
    return this.child.add(path, sessionId, WatcherMode.STANDARD);
  }

  /** addWatch: PERSISTENT lives in both tables, PERSISTENT_RECURSIVE only in the data table. */
  addPersistentWatch(path: string, sessionId: SessionId, mode: AddWatchMode): void {
    if (mode === AddWatchMode.PERSISTENT_RECURSIVE) {
      this.data.add(path, sessionId, WatcherMode.PERSISTENT_RECURSIVE);
      return;
    }
    if (mode !== AddWatchMode.PERSISTENT) throw new RangeError(`unsupported AddWatchMode ${mode}`);
    this.data.add(path, sessionId, WatcherMode.PERSISTENT);
    this.child.add(path, sessionId, WatcherMode.PERSISTENT);
  }

  /** A node was created: NodeCreated on it, then NodeChildrenChanged on its parent. */
  nodeCreated(path: string, zxid: Zxid): WatchDelivery[] {
    return [
      ...this.trigger(path, EventType.NodeCreated, zxid),
      ...this.trigger(parentPath(path), EventType.NodeChildrenChanged, zxid),
    ];
  }

  /** A node was deleted: NodeDeleted to data then child watchers (once each), then the parent's child watchers. */
  nodeDeleted(path: string, zxid: Zxid): WatchDelivery[] {
    return [
      ...this.trigger(path, EventType.NodeDeleted, zxid),
      ...this.trigger(parentPath(path), EventType.NodeChildrenChanged, zxid),
    ];
  }

  nodeDataChanged(path: string, zxid: Zxid): WatchDelivery[] {
    return this.fire(this.data, 'data', path, EventType.NodeDataChanged, zxid);
  }

  /**
   * One trigger as the tree reports it (create gives NodeCreated + the parent's
   * NodeChildrenChanged, delete gives NodeDeleted + the parent's NodeChildrenChanged).
   */
  trigger(path: string, type: EventType, zxid: Zxid): WatchDelivery[] {
    switch (type) {
      case EventType.NodeCreated:
        return this.fire(this.data, 'data', path, type, zxid);
      case EventType.NodeDataChanged:
        return this.fire(this.data, 'data', path, type, zxid);
      case EventType.NodeChildrenChanged:
        return this.fire(this.child, 'child', path, type, zxid);
      case EventType.NodeDeleted: {
        const fromData = this.fire(this.data, 'data', path, type, zxid);
        const already = new Set(fromData.map((d) => d.sessionId));
        const fromChild = this.fire(this.child, 'child', path, type, zxid).filter((d) => !already.has(d.sessionId));
        return [...fromData, ...fromChild];
      }
      default:
        return [];
    }
  }

  /**
   * SetWatches after a reconnect: what changed since `relativeZxid` fires at once (without a zxid),
   * the rest is registered again. `lookup` gives a node's zxids or undefined when it is missing.
   */
  setWatches(
    relativeZxid: Zxid,
    lists: SetWatchesLists,
    sessionId: SessionId,
    lookup: (path: string) => NodeZxids | undefined,
  ): WatchDelivery[] {
    const out: WatchDelivery[] = [];
    const now = (type: EventType, path: string, kind: WatchKind): void => {
      out.push({ sessionId, event: { type, path, zxid: NO_ZXID }, kind });
    };
    for (const path of lists.dataWatches) {
      const node = lookup(path);
      if (node === undefined) now(EventType.NodeDeleted, path, 'data');
      else if (node.mzxid > relativeZxid) now(EventType.NodeDataChanged, path, 'data');
      else this.addDataWatch(path, sessionId);
    }
    for (const path of lists.existWatches) {
      if (lookup(path) !== undefined) now(EventType.NodeCreated, path, 'exists');
      else this.addDataWatch(path, sessionId);
    }
    for (const path of lists.childWatches) {
      const node = lookup(path);
      if (node === undefined) now(EventType.NodeDeleted, path, 'child');
      else if (node.pzxid > relativeZxid) now(EventType.NodeChildrenChanged, path, 'child');
      else this.addChildWatch(path, sessionId);
    }
    for (const path of lists.persistentWatches ?? []) this.addPersistentWatch(path, sessionId, AddWatchMode.PERSISTENT);
    for (const path of lists.persistentRecursiveWatches ?? []) {
      this.addPersistentWatch(path, sessionId, AddWatchMode.PERSISTENT_RECURSIVE);
    }
    return out;
  }

  /** checkWatches: does the session hold a watch of this type on the path? */
  contains(path: string, type: WatcherType, sessionId: SessionId): boolean {
    switch (type) {
      case WatcherType.Children:
        return this.child.contains(path, sessionId, WatcherMode.STANDARD);
      case WatcherType.Data:
        return this.data.contains(path, sessionId, WatcherMode.STANDARD);
      case WatcherType.Persistent:
        return this.data.contains(path, sessionId, WatcherMode.PERSISTENT);
      case WatcherType.PersistentRecursive:
        return this.data.contains(path, sessionId, WatcherMode.PERSISTENT_RECURSIVE);
      case WatcherType.Any:
        return this.child.contains(path, sessionId, null) || this.data.contains(path, sessionId, null);
      default:
        return false;
    }
  }

  /**
   * removeWatches: drops watches of this type; the list is empty when there was none (the server
   * then answers NoWatcher). The server sends no event: the client raises *WatchRemoved itself.
   */
  remove(path: string, type: WatcherType, sessionId: SessionId): RemovedWatch[] {
    const removed: RemovedWatch[] = [];
    const drop = (table: PathWatchTable, mode: WatcherMode | null, kind: WatchKind): void => {
      const flags = table.flagsOf(path, sessionId);
      if (table.remove(path, sessionId, mode)) {
        for (const k of mode === null ? kindsOf(flags, kind) : [kind]) removed.push({ sessionId, path, kind: k });
      }
    };
    switch (type) {
      case WatcherType.Children:
        drop(this.child, WatcherMode.STANDARD, 'child');
        break;
      case WatcherType.Data:
        drop(this.data, WatcherMode.STANDARD, 'data');
        break;
      case WatcherType.Persistent:
        drop(this.child, WatcherMode.PERSISTENT, 'persistent');
        drop(this.data, WatcherMode.PERSISTENT, 'persistent');
        break;
      case WatcherType.PersistentRecursive:
        drop(this.data, WatcherMode.PERSISTENT_RECURSIVE, 'persistentRecursive');
        break;
      case WatcherType.Any:
        drop(this.child, null, 'child');
        drop(this.data, null, 'data');
        break;
      default:
        break;
    }
    return dedupe(removed);
  }

  /** The session's connection closed or the session ended: every watch it held goes. */
  removeSession(sessionId: SessionId): RemovedWatch[] {
    const removed: RemovedWatch[] = [];
    for (const { path, flags } of this.child.removeSession(sessionId)) {
      for (const kind of kindsOf(flags, 'child')) removed.push({ sessionId, path, kind });
    }
    for (const { path, flags } of this.data.removeSession(sessionId)) {
      for (const kind of kindsOf(flags, 'data')) removed.push({ sessionId, path, kind });
    }
    return dedupe(removed);
  }

  /** DataTree.getWatchCount: both tables, counted as (session, path) pairs. */
  count(): number {
    return this.data.size() + this.child.size();
  }

  private fire(table: PathWatchTable, standardKind: WatchKind, path: string, type: EventType, zxid: Zxid): WatchDelivery[] {
    return table.trigger(path).map((hit) => ({
      sessionId: hit.sessionId,
      event: { type, path, zxid },
      kind: kindOfHit(hit, standardKind),
    }));
  }
}

function kindOfHit(hit: TableHit, standardKind: WatchKind): WatchKind {
  if (hasMode(hit.flags, WatcherMode.STANDARD)) return standardKind;
  if (hasMode(hit.flags, WatcherMode.PERSISTENT)) return 'persistent';
  return 'persistentRecursive';
}

function kindsOf(flags: WatchFlags, standardKind: WatchKind): WatchKind[] {
  const kinds: WatchKind[] = [];
  if (hasMode(flags, WatcherMode.STANDARD)) kinds.push(standardKind);
  if (hasMode(flags, WatcherMode.PERSISTENT)) kinds.push('persistent');
  if (hasMode(flags, WatcherMode.PERSISTENT_RECURSIVE)) kinds.push('persistentRecursive');
  return kinds;
}

/** A persistent watch sits in both tables but is one watch to the client. */
function dedupe(removed: RemovedWatch[]): RemovedWatch[] {
  const seen = new Set<string>();
  return removed.filter((r) => {
    const key = `${r.sessionId}|${r.path}|${r.kind}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
