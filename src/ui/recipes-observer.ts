// What the Recipes view shows as "the recipe's state" is read from ZooKeeper itself, by one
// observer session with watches: the lock's line of contenders, the active candidate, the config
// value, the registry's members, the queue's items, the barrier's participants. So a tab sees
// participants of other tabs too (tabs mode), and the view never trusts a participant's own belief.
import type { Watcher, ZooKeeperApi } from '../client/api';
import { Code } from '../zk/errors';
import { decodeText, hasCode, sortBySequence, WatchWaits, type RecipeName } from '../recipes/recipe-support';

export interface ObservedItem {
  /** Child name (or the node's own name for a single-node recipe). */
  name: string;
  /** Its data as text (the owner's participant name for lock and election nodes). */
  value: string | null;
}

export interface ObservedState {
  path: string;
  /** False until the first read. */
  ready: boolean;
  /** Children in order (sequence order for sequential children) or the single node. */
  items: ObservedItem[];
  error: string | null;
}

export const RECIPE_PATHS: Record<RecipeName, string> = {
  lock: '/lock',
  config: '/config',
  registry: '/servers',
  election: '/active',
  queue: '/queue',
  barrier: '/barrier',
};

const SINGLE_NODE: ReadonlySet<RecipeName> = new Set(['config', 'election']);
const SEQUENTIAL: ReadonlySet<RecipeName> = new Set(['lock', 'queue']);
/** Pause before reading again after a failed read (e.g. while the client fails over). */
export const OBSERVER_RETRY_MS = 500;

export class RecipeObserver {
  private readonly waits = new WatchWaits('observer');
  private readonly path: string;

  constructor(
    private readonly zk: ZooKeeperApi,
    private readonly recipe: RecipeName,
    private readonly onChange: (state: ObservedState) => void,
  ) {
    this.path = RECIPE_PATHS[recipe];
  }

  start(): void {
    void this.loop();
  }

  stop(): void {
    this.waits.stop();
  }

  private async loop(): Promise<void> {
    while (!this.waits.isStopped) {
      const { watcher, fired } = this.waits.watcher();
      try {
        const items = await this.read(watcher);
        if (this.waits.isStopped) return;
        this.onChange({ path: this.path, ready: true, items, error: null });
        await fired;
      } catch (error) {
        if (this.waits.isStopped) return;
        if (hasCode(error, Code.SessionExpired)) {
          this.onChange({ path: this.path, ready: false, items: [], error: 'observer session expired' });
          return;
        }
        await pause(OBSERVER_RETRY_MS);
      }
    }
  }

  private async read(watcher: Watcher): Promise<ObservedItem[]> {
    if (SINGLE_NODE.has(this.recipe)) {
      const value = await this.dataOrNull(this.path, watcher);
      return value === undefined ? [] : [{ name: this.path.slice(1), value }];
    }
    let children: string[];
    try {
      children = await this.zk.getChildren(this.path, watcher);
    } catch (error) {
      if (!hasCode(error, Code.NoNode)) throw error;
      if ((await this.zk.exists(this.path, watcher)) !== null) return this.read(watcher);
      return [];
    }
    const ordered = SEQUENTIAL.has(this.recipe) ? sortBySequence(children) : [...children].sort();
    const items: ObservedItem[] = [];
    for (const name of ordered) {
      const value = await this.dataOrNull(`${this.path}/${name}`, undefined);
      if (value !== undefined) items.push({ name, value });
    }
    return items;
  }

  /** The node's data as text; undefined when the node does not exist (then watched with exists). */
  private async dataOrNull(path: string, watcher: Watcher | undefined): Promise<string | null | undefined> {
    try {
      return decodeText((await this.zk.getData(path, watcher)).data);
    } catch (error) {
      if (!hasCode(error, Code.NoNode)) throw error;
      if (watcher === undefined) return undefined;
      if ((await this.zk.exists(path, watcher)) !== null) return this.dataOrNull(path, watcher);
      return undefined;
    }
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
