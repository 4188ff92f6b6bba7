// Distributed FIFO queue (seed scenario 7): producers add PERSISTENT_SEQUENTIAL children; a consumer
// takes the child with the lowest counter by deleting it (the delete decides which of two racing
// consumers got it: the loser sees NoNode and tries the next). take() waits with a child watch
// while the queue is empty.
import type { ZooKeeperApi } from '../client/api';
import { Code } from '../zk/errors';
import { CreateMode, OPEN_ACL_UNSAFE } from '../zk/types';
import { decodeText, encodeText, ensurePath, hasCode, retryOnConnectionLoss, sortBySequence, WatchWaits, type EmitRecipeEvent } from './recipe-support';

export interface QueueOptions {
  /** The queue node, e.g. "/queue". */
  path: string;
  participant: string;
  emit?: EmitRecipeEvent;
}

export interface QueueItem {
  name: string;
  value: string | null;
}

const ITEM_PREFIX = 'item-';

export class DistributedQueue {
  private readonly waits = new WatchWaits('queue');
  private readonly emitEvent: EmitRecipeEvent;

  constructor(
    private readonly zk: ZooKeeperApi,
    private readonly options: QueueOptions,
  ) {
    this.emitEvent = options.emit ?? (() => undefined);
  }

  /** Appends an item; returns its node name. */
  async offer(value: string): Promise<string> {
    await ensurePath(this.zk, this.options.path);
    // No retry: a create cut off by ConnectionLoss may have happened, and a queue must not
    // silently duplicate an item. The caller sees the error.
    const path = await this.zk.create(`${this.options.path}/${ITEM_PREFIX}`, encodeText(value), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL);
    const name = path.slice(path.lastIndexOf('/') + 1);
    this.emit('offered', `${this.options.participant} put "${value}" as ${name}`, path);
    return name;
  }

  /** The items in FIFO order, without taking any. */
  async peekAll(): Promise<QueueItem[]> {
    await ensurePath(this.zk, this.options.path);
    const names = sortBySequence(await retryOnConnectionLoss(() => this.zk.getChildren(this.options.path)));
    const items: QueueItem[] = [];
    for (const name of names) {
      try {
        const { data } = await retryOnConnectionLoss(() => this.zk.getData(`${this.options.path}/${name}`));
        items.push({ name, value: decodeText(data) });
      } catch (error) {
        if (!hasCode(error, Code.NoNode)) throw error; // taken meanwhile
      }
    }
    return items;
  }

  /** Takes the head item; null when the queue is empty. */
  async poll(): Promise<QueueItem | null> {
    await ensurePath(this.zk, this.options.path);
    const names = sortBySequence(await retryOnConnectionLoss(() => this.zk.getChildren(this.options.path)));
    return this.takeFirst(names);
  }

  /** Takes the head item, waiting for one while the queue is empty. */
  async take(): Promise<QueueItem> {
    await ensurePath(this.zk, this.options.path);
    for (;;) {
      this.waits.check();
      const { watcher, fired } = this.waits.watcher();
      const names = sortBySequence(await retryOnConnectionLoss(() => this.zk.getChildren(this.options.path, watcher)));
      const item = await this.takeFirst(names);
      if (item !== null) return item;
      this.emit('waiting', `${this.options.participant} waits for an item`, this.options.path);
      await fired;
    }
  }

  stop(): void {
    this.waits.stop();
  }

  private async takeFirst(names: readonly string[]): Promise<QueueItem | null> {
    for (const name of names) {
      const path = `${this.options.path}/${name}`;
      try {
        const { data } = await retryOnConnectionLoss(() => this.zk.getData(path));
        await this.zk.delete(path);
        const value = decodeText(data);
        this.emit('taken', `${this.options.participant} took "${value ?? ''}" (${name})`, path);
        return { name, value };
      } catch (error) {
        // Another consumer took it first: try the next one.
        if (!hasCode(error, Code.NoNode)) throw error;
      }
    }
    return null;
  }

  private emit(kind: string, text: string, path: string): void {
    this.emitEvent({ recipe: 'queue', participant: this.options.participant, kind, path, text });
  }
}
