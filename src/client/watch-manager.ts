// The client-side watch registry (Java's ZKWatchManager). Keys are server paths (chroot included),
// so SetWatches after a reconnect can send them as they are; event paths are stripped on delivery.
import type { Watcher } from './api';
import { EventType, KeeperState, WatcherType } from '../zk/types';
import { Code, KeeperException } from '../zk/errors';

type WatchTable = Map<string, Set<Watcher>>;

export type WatchKind = 'data' | 'exist' | 'child' | 'persistent' | 'persistentRecursive';

/** Which watchers a removeWatches call took out, grouped by the event they must receive. */
export interface RemovedWatchers {
  [EventType.ChildWatchRemoved]: Set<Watcher>;
  [EventType.DataWatchRemoved]: Set<Watcher>;
  [EventType.PersistentWatchRemoved]: Set<Watcher>;
}

export class WatchManager {
  private readonly tables: Record<WatchKind, WatchTable> = {
    data: new Map(),
    exist: new Map(),
    child: new Map(),
    persistent: new Map(),
    persistentRecursive: new Map(),
  };
  /** Bound on registered (path, watcher) pairs so a runaway loop cannot grow memory forever. */
  private readonly maxWatches: number;
  private count = 0;

  constructor(
    public defaultWatcher: Watcher | null,
    maxWatches = 1_000_000,
  ) {
    this.maxWatches = maxWatches;
  }

  add(kind: WatchKind, serverPath: string, watcher: Watcher): void {
    const table = this.tables[kind];
    let set = table.get(serverPath);
    if (set === undefined) {
      set = new Set();
      table.set(serverPath, set);
    }
    if (set.has(watcher)) return;
    if (this.count >= this.maxWatches) throw new Error(`too many client watches (max ${this.maxWatches})`);
    set.add(watcher);
    this.count++;
  }

  /** Paths per kind, in registration order (what SetWatches re-registers). */
  paths(kind: WatchKind): string[] {
    return [...this.tables[kind].keys()];
  }

  isEmpty(): boolean {
    return this.count === 0;
  }

  /**
   * The watchers an event triggers, removing the one-shot ones (Java's materialize). Session events
   * (type None) go to the default watcher and every registered watcher, and remove nothing.
   */
  materialize(type: EventType, serverPath: string | null): Set<Watcher> {
    const result = new Set<Watcher>();
    if (type === EventType.None) {
      if (this.defaultWatcher !== null) result.add(this.defaultWatcher);
      for (const table of Object.values(this.tables)) {
        for (const set of table.values()) for (const w of set) result.add(w);
      }
      return result;
    }
    if (serverPath === null) return result;
    switch (type) {
      case EventType.NodeDataChanged:
      case EventType.NodeCreated:
        this.take('data', serverPath, result);
        this.take('exist', serverPath, result);
        break;
      case EventType.NodeChildrenChanged:
        this.take('child', serverPath, result);
        break;
      case EventType.NodeDeleted:
        this.take('data', serverPath, result);
        this.take('exist', serverPath, result);
        this.take('child', serverPath, result);
        break;
      default:
        // Removal event types never come from the server; ignore anything unknown.
        return result;
    }
    this.addPersistent(type, serverPath, result);
    return result;
  }

  private take(kind: WatchKind, serverPath: string, into: Set<Watcher>): void {
    const set = this.tables[kind].get(serverPath);
    if (set === undefined) return;
    this.tables[kind].delete(serverPath);
    this.count -= set.size;
    for (const w of set) into.add(w);
  }

  private addPersistent(type: EventType, serverPath: string, into: Set<Watcher>): void {
    for (const w of this.tables.persistent.get(serverPath) ?? []) into.add(w);
    // Recursive watches promise no child events, even if the server sends one for a
    // plain child watch on a descendant.
    if (type === EventType.NodeChildrenChanged) return;
    for (const ancestor of selfAndAncestors(serverPath)) {
      for (const w of this.tables.persistentRecursive.get(ancestor) ?? []) into.add(w);
    }
  }

  /** Throws NoWatcher unless a watcher of `type` (or any, when watcher is null) is on the path. */
  checkContains(serverPath: string, watcher: Watcher | null, type: WatcherType, clientPath: string): void {
    const found = kindsFor(type).some((kind) => {
      const set = this.tables[kind].get(serverPath);
      if (set === undefined) return false;
      return watcher === null ? set.size > 0 : set.has(watcher);
    });
    if (!found) throw new KeeperException(Code.NoWatcher, clientPath);
  }

  /**
   * Applies a removeWatches/removeAllWatches reply (Java's removeWatcher): with `local`, removes
   * even when the server failed; otherwise a server error is thrown and nothing is removed.
   */
  remove(
    serverPath: string,
    watcher: Watcher | null,
    type: WatcherType,
    local: boolean,
    rc: number,
    clientPath: string,
  ): RemovedWatchers {
    this.checkContains(serverPath, watcher, type, clientPath);
    if (!local && rc !== Code.OK) throw new KeeperException(rc, clientPath);
    const removed: RemovedWatchers = {
      [EventType.ChildWatchRemoved]: new Set(),
      [EventType.DataWatchRemoved]: new Set(),
      [EventType.PersistentWatchRemoved]: new Set(),
    };
    let any = false;
    for (const kind of kindsFor(type)) {
      any = this.removeFrom(kind, serverPath, watcher, removed[removalEventFor(kind)]) || any;
    }
    if (!any) throw new KeeperException(Code.NoWatcher, clientPath);
    return removed;
  }

  private removeFrom(kind: WatchKind, serverPath: string, watcher: Watcher | null, into: Set<Watcher>): boolean {
    const table = this.tables[kind];
    const set = table.get(serverPath);
    if (set === undefined) return false;
    if (watcher === null) {
      table.delete(serverPath);
      this.count -= set.size;
      for (const w of set) into.add(w);
      return true;
    }
    if (!set.delete(watcher)) return false;
    this.count--;
    into.add(watcher);
    if (set.size === 0) table.delete(serverPath);
    return true;
  }
}

function kindsFor(type: WatcherType): WatchKind[] {
  switch (type) {
    case WatcherType.Children:
      return ['child'];
    case WatcherType.Data:
      return ['data', 'exist'];
    case WatcherType.Persistent:
      return ['persistent'];
    case WatcherType.PersistentRecursive:
      return ['persistentRecursive'];
    case WatcherType.Any:
      return ['child', 'data', 'exist', 'persistent', 'persistentRecursive'];
    default:
      throw new Error(`unknown WatcherType ${String(type)}`);
  }
}

function removalEventFor(kind: WatchKind): keyof RemovedWatchers {
  if (kind === 'child') return EventType.ChildWatchRemoved;
  if (kind === 'data' || kind === 'exist') return EventType.DataWatchRemoved;
  return EventType.PersistentWatchRemoved;
}

/** "/a/b" -> ["/a/b", "/a", "/"] (PathParentIterator.forAll). */
export function selfAndAncestors(path: string): string[] {
  const out = [path];
  let p = path;
  while (p !== '/' && p.length > 0) {
    const i = p.lastIndexOf('/');
    p = i <= 0 ? '/' : p.substring(0, i);
    out.push(p);
  }
  return out;
}

/** Session state to report for removal events whose server reply failed (Java's queueEvent). */
export function removalEventState(rc: number): KeeperState {
  return rc === Code.SessionExpired || rc === Code.ConnectionLoss ? KeeperState.Disconnected : KeeperState.SyncConnected;
}
