// Loads what the inspector shows for the selected znode (data, Stat, ACL) through the page session,
// with a data watch so an edit made anywhere refreshes it.
import type { WatchedEvent, ZooKeeperApi } from '../client/api';
import { Code, KeeperException } from '../zk/errors';
import { EventType } from '../zk/types';
import type { AppStore, SelectionDetail } from './store';

export class SelectionLoader {
  private zk: ZooKeeperApi | null = null;
  /** Bumped on every load so an older, slower reply never overwrites a newer one. */
  private generation = 0;
  private readonly unsubscribe: () => void;
  /** One watcher object, so re-reading a path does not stack up registrations for it. */
  private readonly watcher = (event: WatchedEvent): void => {
    if (event.type === EventType.None || event.path !== this.store.getState().selectedPath) return;
    void this.load();
  };

  constructor(private readonly store: AppStore) {
    this.unsubscribe = store.subscribe((state, previous) => {
      if (state.selectedPath !== previous.selectedPath) void this.load();
    });
  }

  useClient(zk: ZooKeeperApi): void {
    this.zk = zk;
    void this.load();
  }

  dispose(): void {
    this.unsubscribe();
  }

  private async load(): Promise<void> {
    const path = this.store.getState().selectedPath;
    const generation = ++this.generation;
    if (path === null) {
      this.store.setState({ selection: null });
      return;
    }
    const zk = this.zk;
    const current = this.store.getState().selection;
    if (current?.path !== path) this.publish(generation, { path, state: 'loading', data: null, stat: null, acl: null, error: null });
    if (zk === null) return;
    const watcher = this.watcher;
    try {
      const { data, stat } = await zk.getData(path, watcher);
      const { acl } = await zk.getACL(path);
      this.publish(generation, { path, state: 'ready', data, stat, acl, error: null });
    } catch (error) {
      if (error instanceof KeeperException && error.code === Code.NoNode) {
        // exists() leaves a watch that fires NodeCreated if the path comes back.
        void zk.exists(path, watcher).catch(() => undefined);
        this.publish(generation, { path, state: 'deleted', data: null, stat: null, acl: null, error: null });
      } else {
        const message = error instanceof Error ? error.message : String(error);
        this.publish(generation, { path, state: 'error', data: null, stat: null, acl: null, error: message });
      }
    }
  }

  private publish(generation: number, selection: SelectionDetail): void {
    if (generation !== this.generation) return;
    this.store.setState({ selection });
  }
}
