// Naming service / server registry (seed scenario 4): members register an ephemeral child of the
// registry node; a watcher lists the children with a child watch and reports who joined and who
// left, re-listing each time the watch fires. A member whose session ends vanishes with it.
import type { WatchedEvent, ZooKeeperApi } from '../client/api';
import { Code } from '../zk/errors';
import { CreateMode, OPEN_ACL_UNSAFE } from '../zk/types';
import { encodeText, ensurePath, followWatch, hasCode, retryOnConnectionLoss, WatchWaits, type EmitRecipeEvent } from './recipe-support';

export interface RegistryOptions {
  /** The registry node, e.g. "/servers". */
  path: string;
  participant: string;
  emit?: EmitRecipeEvent;
}

/** Registers `name` as an ephemeral member; returns its path. Registering again is a no-op. */
export async function registerMember(zk: ZooKeeperApi, options: RegistryOptions, name: string, data = ''): Promise<string> {
  await ensurePath(zk, options.path);
  const path = `${options.path}/${name}`;
  try {
    await retryOnConnectionLoss(() => zk.create(path, encodeText(data), OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL));
  } catch (error) {
    // NodeExists after a ConnectionLoss retry is our own create having happened.
    const owner = hasCode(error, Code.NodeExists) ? (await zk.exists(path))?.ephemeralOwner : undefined;
    if (owner !== zk.getSessionId()) throw error;
  }
  options.emit?.({ recipe: 'registry', participant: options.participant, kind: 'registered', path, text: `${options.participant} registered ${path} (ephemeral)` });
  return path;
}

/** Follows the registry's members with a child watch. */
export class RegistryWatcher {
  private members: string[] = [];
  private readonly waits = new WatchWaits('registry watch');
  private readonly emitEvent: EmitRecipeEvent;

  constructor(
    private readonly zk: ZooKeeperApi,
    private readonly options: RegistryOptions,
  ) {
    this.emitEvent = options.emit ?? (() => undefined);
  }

  /** The members last listed, sorted. */
  get current(): readonly string[] {
    return this.members;
  }

  async start(): Promise<void> {
    await ensurePath(this.zk, this.options.path);
    const { fired } = await this.list();
    void this.follow(fired);
  }

  stop(): void {
    this.waits.stop();
  }

  private follow(first: Promise<WatchedEvent>): Promise<void> {
    return followWatch(
      first,
      () => this.list(),
      (error) => this.emit('error', `${this.options.participant} stopped watching: ${String(error)}`),
    );
  }

  private async list(): Promise<{ fired: Promise<WatchedEvent> }> {
    this.waits.check();
    const { watcher, fired } = this.waits.watcher();
    const children = [...(await retryOnConnectionLoss(() => this.zk.getChildren(this.options.path, watcher)))].sort();
    const before = new Set(this.members);
    const after = new Set(children);
    for (const name of children) if (!before.has(name)) this.emit('joined', `${this.options.participant} sees ${name} in ${this.options.path}`, name);
    for (const name of this.members) if (!after.has(name)) this.emit('left', `${this.options.participant} sees ${name} disappear from ${this.options.path}`, name);
    this.members = children;
    return { fired };
  }

  private emit(kind: string, text: string, member?: string): void {
    const path = member === undefined ? this.options.path : `${this.options.path}/${member}`;
    this.emitEvent({ recipe: 'registry', participant: this.options.participant, kind, path, text });
  }
}
