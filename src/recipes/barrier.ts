// Barrier (seed scenario 7): each participant enters by creating an ephemeral child named after
// itself; it is released when the expected number of children exists. Waiting uses a child watch,
// re-listed on every change. A participant whose session ends leaves (its child vanishes).
import type { ZooKeeperApi } from '../client/api';
import { Code } from '../zk/errors';
import { CreateMode, OPEN_ACL_UNSAFE } from '../zk/types';
import { ensurePath, hasCode, retryOnConnectionLoss, WatchWaits, type EmitRecipeEvent } from './recipe-support';

export type BarrierState = 'outside' | 'waiting' | 'released' | 'left';

export interface BarrierOptions {
  /** The barrier node, e.g. "/barrier". */
  path: string;
  /** How many participants release it. */
  size: number;
  participant: string;
  emit?: EmitRecipeEvent;
}

export class Barrier {
  private stateValue: BarrierState = 'outside';
  private present = 0;
  private waits = new WatchWaits('barrier');
  private readonly emitEvent: EmitRecipeEvent;

  constructor(
    private readonly zk: ZooKeeperApi,
    private readonly options: BarrierOptions,
  ) {
    if (!Number.isInteger(options.size) || options.size < 1) throw new RangeError(`barrier size must be a positive integer, got ${options.size}`);
    this.emitEvent = options.emit ?? (() => undefined);
  }

  get state(): BarrierState {
    return this.stateValue;
  }
  /** Children counted at the last listing. */
  get count(): number {
    return this.present;
  }

  /** Enters and resolves when `size` participants are in. */
  async enter(): Promise<void> {
    this.waits = new WatchWaits('barrier');
    await ensurePath(this.zk, this.options.path);
    const own = `${this.options.path}/${this.options.participant}`;
    try {
      await retryOnConnectionLoss(() => this.zk.create(own, null, OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL));
    } catch (error) {
      const owner = hasCode(error, Code.NodeExists) ? (await this.zk.exists(own))?.ephemeralOwner : undefined;
      if (owner !== this.zk.getSessionId()) throw error;
    }
    this.stateValue = 'waiting';
    this.emit('entered', `${this.options.participant} entered ${this.options.path}`);
    for (;;) {
      this.waits.check();
      const { watcher, fired } = this.waits.watcher();
      const children = await retryOnConnectionLoss(() => this.zk.getChildren(this.options.path, watcher));
      this.present = children.length;
      if (children.length >= this.options.size) {
        this.stateValue = 'released';
        this.emit('released', `${this.options.participant} released: ${children.length}/${this.options.size} in`);
        return;
      }
      this.emit('waiting', `${this.options.participant} waits: ${children.length}/${this.options.size} in`);
      await fired;
    }
  }

  /** Leaves: deletes the own child. */
  async leave(): Promise<void> {
    this.waits.stop();
    this.stateValue = 'left';
    try {
      await retryOnConnectionLoss(() => this.zk.delete(`${this.options.path}/${this.options.participant}`));
    } catch (error) {
      if (!hasCode(error, Code.NoNode)) throw error;
    }
    this.emit('left', `${this.options.participant} left ${this.options.path}`);
  }

  stop(): void {
    this.waits.stop();
  }

  private emit(kind: string, text: string): void {
    this.emitEvent({ recipe: 'barrier', participant: this.options.participant, kind, path: this.options.path, text });
  }
}
