// What every recipe shares: the event it reports, parent creation, retrying reads across a lost
// connection (the session survives a server change, so the request is simply sent again), one-shot
// watch waits that a stop can cut short, a loop that re-reads each time a watch fires, and ordering
// of sequential children by their counter.
import type { WatchedEvent, Watcher, ZooKeeperApi } from '../client/api';
import { Code, KeeperException } from '../zk/errors';
import { CreateMode, EventType, KeeperState, OPEN_ACL_UNSAFE } from '../zk/types';

export type RecipeName = 'lock' | 'config' | 'registry' | 'election' | 'queue' | 'barrier';

/** One thing a recipe participant did or saw, for the UI's log and for tests. */
export interface RecipeEvent {
  recipe: RecipeName;
  participant: string;
  /** A short machine word: 'acquired', 'watching', 'released', 'value', 'left', ... */
  kind: string;
  /** The znode it concerns, when there is one. */
  path?: string;
  /** A person's sentence. */
  text: string;
}
export type EmitRecipeEvent = (event: RecipeEvent) => void;

/** How often one operation is retried after ConnectionLoss before the recipe gives up. */
export const CONNECTION_LOSS_RETRIES = 20;
const SEQUENCE_DIGITS = 10;

/** The recipe was stopped (its participant closed or stopped it) while it waited. */
export class RecipeStoppedError extends Error {
  constructor(what: string) {
    super(`${what}: stopped`);
    this.name = 'RecipeStoppedError';
  }
}

export function hasCode(error: unknown, code: Code): boolean {
  return error instanceof KeeperException && error.code === code;
}

/** Runs `op` again while it fails with ConnectionLoss: requests queue until the client reconnects. */
export async function retryOnConnectionLoss<T>(op: () => Promise<T>, retries = CONNECTION_LOSS_RETRIES): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (error) {
      if (!hasCode(error, Code.ConnectionLoss) || attempt >= retries) throw error;
    }
  }
}

/** Creates `path` and its missing ancestors as empty persistent nodes (mkdirs). */
export async function ensurePath(zk: ZooKeeperApi, path: string): Promise<void> {
  if (path === '/' || path === '') return;
  if ((await retryOnConnectionLoss(() => zk.exists(path))) !== null) return;
  const parent = path.slice(0, path.lastIndexOf('/'));
  if (parent !== '') await ensurePath(zk, parent);
  try {
    await retryOnConnectionLoss(() => zk.create(path, null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
  } catch (error) {
    if (!hasCode(error, Code.NodeExists)) throw error;
  }
}

/** The counter a sequential node's name ends with; NaN for a name without one. */
export function sequenceOf(name: string): number {
  if (name.length < SEQUENCE_DIGITS) return Number.NaN;
  const digits = name.slice(name.length - SEQUENCE_DIGITS);
  return /^\d+$/.test(digits) ? Number(digits) : Number.NaN;
}

/** Sequential children in creation order (by counter, not by name: protected prefixes differ). */
export function sortBySequence(names: readonly string[]): string[] {
  return names.filter((n) => !Number.isNaN(sequenceOf(n))).sort((a, b) => sequenceOf(a) - sequenceOf(b));
}

export const encodeText = (text: string): Uint8Array => new TextEncoder().encode(text);
export const decodeText = (bytes: Uint8Array | null): string | null => (bytes === null ? null : new TextDecoder().decode(bytes));

/**
 * One-shot watch waits. `watcher()` gives a Watcher to pass to exists/getData/getChildren and a
 * promise that settles on its first node event; session expiry or `stop()` reject it. A
 * Disconnected event is ignored: the client re-registers the watch when it reconnects.
 */
export class WatchWaits {
  private readonly rejecters = new Set<(error: Error) => void>();
  private stopped = false;

  constructor(private readonly what: string) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  watcher(): { watcher: Watcher; fired: Promise<WatchedEvent> } {
    let watcher: Watcher = () => undefined;
    const fired = new Promise<WatchedEvent>((resolve, reject) => {
      if (this.stopped) return reject(new RecipeStoppedError(this.what));
      const rejecter = (error: Error) => reject(error);
      this.rejecters.add(rejecter);
      watcher = (event) => {
        if (event.type === EventType.None) {
          if (event.state !== KeeperState.Expired && event.state !== KeeperState.Closed) return;
          this.rejecters.delete(rejecter);
          reject(new KeeperException(Code.SessionExpired));
          return;
        }
        this.rejecters.delete(rejecter);
        resolve(event);
      };
    });
    // A wait nobody awaits any more (the node was already gone) must not be an unhandled rejection.
    fired.catch(() => undefined);
    return { watcher, fired };
  }

  /** Throws when stopped: loops call it between steps. */
  check(): void {
    if (this.stopped) throw new RecipeStoppedError(this.what);
  }

  stop(): void {
    this.stopped = true;
    for (const reject of [...this.rejecters]) reject(new RecipeStoppedError(this.what));
    this.rejecters.clear();
  }
}

/**
 * Keeps a watch alive: each time `first` (then the watch `reread` returns) fires, calls `reread`
 * with the event, which reads again with a new watch. Ends quietly on stop(); any other error
 * goes to `onError` and ends the loop.
 */
export async function followWatch(
  first: Promise<WatchedEvent>,
  reread: (event: WatchedEvent) => Promise<{ fired: Promise<WatchedEvent> }>,
  onError: (error: unknown) => void,
): Promise<void> {
  let fired = first;
  for (;;) {
    try {
      fired = (await reread(await fired)).fired;
    } catch (error) {
      if (!(error instanceof RecipeStoppedError)) onError(error);
      return;
    }
  }
}
