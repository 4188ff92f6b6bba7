// Configuration watch (seed scenario 3): every participant reads the config node with a data watch
// and, each time the watch fires, reads it again (re-arming the watch in the same read). A set by
// anyone notifies every watcher, which re-reads the new value. A missing node is watched with exists.
import type { WatchedEvent, ZooKeeperApi } from '../client/api';
import { Code } from '../zk/errors';
import { CreateMode, EventType, OPEN_ACL_UNSAFE } from '../zk/types';
import { decodeText, encodeText, ensurePath, followWatch, hasCode, retryOnConnectionLoss, WatchWaits, type EmitRecipeEvent } from './recipe-support';

export interface ConfigWatchOptions {
  path: string;
  participant: string;
  emit?: EmitRecipeEvent;
}

export class ConfigWatch {
  private current: string | null = null;
  private versionValue = -1;
  private readonly waits = new WatchWaits('config watch');
  private readonly emitEvent: EmitRecipeEvent;

  constructor(
    private readonly zk: ZooKeeperApi,
    private readonly options: ConfigWatchOptions,
  ) {
    this.emitEvent = options.emit ?? (() => undefined);
  }

  /** The last value read; null while the node does not exist. */
  get value(): string | null {
    return this.current;
  }
  get version(): number {
    return this.versionValue;
  }

  /** Reads the value once and keeps following it in the background until stop(). */
  async start(): Promise<void> {
    const { fired } = await this.read();
    void this.follow(fired);
  }

  /** Writes a new value (creating the node if needed); every watcher is notified. */
  async set(value: string): Promise<void> {
    const data = encodeText(value);
    try {
      await retryOnConnectionLoss(() => this.zk.setData(this.options.path, data));
    } catch (error) {
      if (!hasCode(error, Code.NoNode)) throw error;
      const parent = this.options.path.slice(0, this.options.path.lastIndexOf('/'));
      if (parent !== '') await ensurePath(this.zk, parent);
      try {
        await retryOnConnectionLoss(() => this.zk.create(this.options.path, data, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
      } catch (createError) {
        if (!hasCode(createError, Code.NodeExists)) throw createError;
        await retryOnConnectionLoss(() => this.zk.setData(this.options.path, data));
      }
    }
    this.emit('set', `${this.options.participant} set ${this.options.path} to "${value}"`);
  }

  stop(): void {
    this.waits.stop();
  }

  private follow(first: Promise<WatchedEvent>): Promise<void> {
    return followWatch(
      first,
      (event) => {
        this.emit('notified', `${this.options.participant} notified: ${EventType[event.type]} ${event.path ?? ''}`);
        return this.read();
      },
      (error) => this.emit('error', `${this.options.participant} stopped following: ${String(error)}`),
    );
  }

  /** Reads with a watch; returns the watch's promise (wrapped: an async function would adopt it). */
  private async read(): Promise<{ fired: Promise<WatchedEvent> }> {
    for (;;) {
      this.waits.check();
      const { watcher, fired } = this.waits.watcher();
      try {
        const { data, stat } = await retryOnConnectionLoss(() => this.zk.getData(this.options.path, watcher));
        this.current = decodeText(data);
        this.versionValue = stat.version;
        this.emit('value', `${this.options.participant} read "${this.current ?? ''}" (version ${stat.version})`);
        return { fired };
      } catch (error) {
        if (!hasCode(error, Code.NoNode)) throw error;
      }
      // Missing: watch for its creation. If it appeared in between, read again.
      const stat = await retryOnConnectionLoss(() => this.zk.exists(this.options.path, watcher));
      if (stat === null) {
        this.current = null;
        this.versionValue = -1;
        this.emit('missing', `${this.options.participant}: ${this.options.path} does not exist yet; watching for it`);
        return { fired };
      }
    }
  }

  private emit(kind: string, text: string): void {
    this.emitEvent({ recipe: 'config', participant: this.options.participant, kind, path: this.options.path, text });
  }
}
