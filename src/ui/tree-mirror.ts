// Mirrors the znode tree into the store through the page's client session: getChildren2 with a
// watch on every node, re-read when a watch fires, so the drawing follows every change live.
// Reads land in the store in batches (one update per MIRROR_FLUSH_MS): copying the node map once
// per node would make mirroring a 10,000-znode tree quadratic.
// Bounded: past MIRROR_NODES_MAX nodes, deeper reads stop and the tree says it is truncated.
import type { WatchedEvent, Watcher, ZooKeeperApi } from '../client/api';
import { Code, KeeperException } from '../zk/errors';
import { EventType, type Stat } from '../zk/types';
import { removeMirrorSubtree, reportError, setMirrorNodes, type AppStore, type MirrorNode } from './store';

export const MIRROR_NODES_MAX = 25_000;
/** How long read results wait to be applied together. */
export const MIRROR_FLUSH_MS = 40;

/** Runs `flush` later; returns a cancel function. Tests pass a manual scheduler. */
export type FlushScheduler = (flush: () => void) => () => void;

const timerScheduler: FlushScheduler = (flush) => {
  const timer = setTimeout(flush, MIRROR_FLUSH_MS);
  return () => clearTimeout(timer);
};

export class TreeMirror {
  private readonly known = new Set<string>();
  private readonly watcher: Watcher = (event) => this.onEvent(event);
  private readonly pending = new Map<string, MirrorNode>();
  private cancelFlush: (() => void) | null = null;

  constructor(
    private readonly store: AppStore,
    private readonly zk: ZooKeeperApi,
    private readonly schedule: FlushScheduler = timerScheduler,
    private readonly nodesMax = MIRROR_NODES_MAX,
  ) {}

  start(): void {
    this.store.setState({ nodes: {}, treeTruncated: false });
    void this.load('/');
  }

  /** After a reconnect: reads that failed with ConnectionLoss set no watch, so read everything again. */
  resync(): void {
    void this.load('/');
    for (const path of this.known) if (path !== '/') void this.load(path);
  }

  /** Applies every read result still waiting (also used by tests). */
  flush(): void {
    this.cancelFlush?.();
    this.cancelFlush = null;
    const batch = [...this.pending.values()];
    this.pending.clear();
    setMirrorNodes(this.store, batch);
  }

  /** Reads one node and its child list (setting a child watch), then any child not yet known. */
  private async load(path: string): Promise<void> {
    let reply: { children: string[]; stat: Stat };
    try {
      reply = await this.zk.getChildren2(path, this.watcher);
    } catch (error) {
      this.onReadError(path, error);
      return;
    }
    const children = [...reply.children].sort();
    this.known.add(path);
    this.enqueue({ path, children, stat: reply.stat });
    for (const child of children) {
      const childPath = path === '/' ? `/${child}` : `${path}/${child}`;
      if (this.known.has(childPath)) continue;
      if (this.known.size >= this.nodesMax) {
        this.store.setState({ treeTruncated: true });
        return;
      }
      this.known.add(childPath);
      void this.load(childPath);
    }
  }

  private enqueue(node: MirrorNode): void {
    this.pending.set(node.path, node);
    this.cancelFlush ??= this.schedule(() => {
      this.cancelFlush = null;
      this.flush();
    });
  }

  private onEvent(event: WatchedEvent): void {
    if (event.path === null || event.type === EventType.None) return;
    // NodeDeleted re-reads too: the node may already be back, and NoNode removes it otherwise.
    if (event.type === EventType.NodeChildrenChanged || event.type === EventType.NodeDeleted) void this.load(event.path);
  }

  private onReadError(path: string, error: unknown): void {
    if (error instanceof KeeperException && error.code === Code.NoNode) {
      this.forget(path);
      return;
    }
    if (error instanceof KeeperException && (error.code === Code.SessionExpired || error.code === Code.ConnectionLoss)) return;
    reportError(this.store, `reading ${path} for the tree failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  private forget(path: string): void {
    const prefix = path === '/' ? '/' : path + '/';
    for (const p of [...this.known]) if (p === path || p.startsWith(prefix)) this.known.delete(p);
    for (const p of [...this.pending.keys()]) if (p === path || p.startsWith(prefix)) this.pending.delete(p);
    removeMirrorSubtree(this.store, path);
  }
}
