// Distributed lock (seed scenario 5), as Curator's InterProcessMutex: each contender creates an
// EPHEMERAL_SEQUENTIAL child of the lock node; the lowest counter holds the lock; every other
// contender watches only its predecessor (exists), so a release wakes exactly one waiter (no herd).
// A create that fails with ConnectionLoss may still have happened: the name carries a protected
// prefix `_c_<id>-` so the contender finds its own node again instead of leaving an orphan.
// Release deletes the own node; a session that ends (close, expiry) deletes it for us.
import type { ZooKeeperApi } from '../client/api';
import { Code, KeeperException } from '../zk/errors';
import { CreateMode, OPEN_ACL_UNSAFE } from '../zk/types';
import {
  CONNECTION_LOSS_RETRIES,
  encodeText,
  ensurePath,
  hasCode,
  retryOnConnectionLoss,
  sortBySequence,
  WatchWaits,
  type EmitRecipeEvent,
} from './recipe-support';

export type LockState = 'idle' | 'acquiring' | 'waiting' | 'held' | 'released' | 'lost';

export interface LockOptions {
  /** The lock node, e.g. "/lock"; created (with parents) when missing. */
  lockPath: string;
  participant: string;
  emit?: EmitRecipeEvent;
  /** The protected prefix's unique part; a random UUID by default. */
  protectedId?: string;
}

const LOCK_NAME = 'lock-';

export class DistributedLock {
  private stateValue: LockState = 'idle';
  private node: string | null = null;
  private predecessorName: string | null = null;
  private waits = new WatchWaits('lock');
  private readonly emitEvent: EmitRecipeEvent;
  private readonly protectedPrefix: string;

  constructor(
    private readonly zk: ZooKeeperApi,
    private readonly options: LockOptions,
  ) {
    this.emitEvent = options.emit ?? (() => undefined);
    this.protectedPrefix = `_c_${options.protectedId ?? globalThis.crypto.randomUUID()}-`;
  }

  get state(): LockState {
    return this.stateValue;
  }
  /** The own lock node's full path while acquiring, waiting or holding. */
  get ownNode(): string | null {
    return this.node;
  }
  /** The node this contender watches while waiting. */
  get predecessor(): string | null {
    return this.predecessorName;
  }

  /** Resolves once the lock is held; rejects if the node or the session is lost, or on stop(). */
  async acquire(): Promise<void> {
    if (this.stateValue === 'acquiring' || this.stateValue === 'waiting' || this.stateValue === 'held') {
      throw new Error(`${this.options.participant} already ${this.stateValue}`);
    }
    this.waits = new WatchWaits('lock');
    this.stateValue = 'acquiring';
    try {
      await ensurePath(this.zk, this.options.lockPath);
      this.node = await this.createOwnNode();
      this.emit('created', `${this.options.participant} queued as ${lastName(this.node)}`, this.node);
      await this.waitForTurn(this.node);
    } catch (error) {
      if ((this.stateValue as LockState) !== 'released') this.stateValue = 'lost'; // release() may run meanwhile
      this.predecessorName = null;
      throw error;
    }
  }

  /** Gives the lock up (or the place in line): deletes the own node. */
  async release(): Promise<void> {
    const node = this.node;
    this.waits.stop();
    this.node = null;
    this.predecessorName = null;
    const wasHeld = this.stateValue === 'held';
    this.stateValue = 'released';
    if (node === null) return;
    try {
      await retryOnConnectionLoss(() => this.zk.delete(node));
    } catch (error) {
      if (!hasCode(error, Code.NoNode)) throw error;
    }
    this.emit('released', `${this.options.participant} ${wasHeld ? 'released the lock' : 'left the line'} (deleted ${lastName(node)})`, node);
  }

  /** The session is gone (closed or expired): its node went with it; stop waiting. */
  sessionEnded(): void {
    if (this.node === null) return;
    const node = this.node;
    this.waits.stop();
    this.node = null;
    this.predecessorName = null;
    this.stateValue = 'lost';
    this.emit('lost', `${this.options.participant}'s session ended: the server deletes ${lastName(node)}`, node);
  }

  private async createOwnNode(): Promise<string> {
    const prefix = `${this.options.lockPath}/${this.protectedPrefix}${LOCK_NAME}`;
    const data = encodeText(this.options.participant);
    for (let attempt = 0; ; attempt++) {
      this.waits.check();
      try {
        return await this.zk.create(prefix, data, OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
      } catch (error) {
        if (!hasCode(error, Code.ConnectionLoss) || attempt >= CONNECTION_LOSS_RETRIES) throw error;
        // The create may have been applied before the connection dropped: look for our prefix.
        const found = await this.findOwnNode();
        if (found !== null) {
          this.emit('recovered', `${this.options.participant}'s create was cut off but happened: found ${found}`, found);
          return found;
        }
      }
    }
  }

  private async findOwnNode(): Promise<string | null> {
    const children = await retryOnConnectionLoss(() => this.zk.getChildren(this.options.lockPath));
    const own = children.find((name) => name.startsWith(this.protectedPrefix));
    return own === undefined ? null : `${this.options.lockPath}/${own}`;
  }

  private async waitForTurn(node: string): Promise<void> {
    const ownName = lastName(node);
    for (;;) {
      this.waits.check();
      const children = sortBySequence(await retryOnConnectionLoss(() => this.zk.getChildren(this.options.lockPath)));
      this.waits.check();
      const index = children.indexOf(ownName);
      if (index < 0) {
        this.emit('lost', `${this.options.participant}'s node ${ownName} is gone (session expired?)`, node);
        throw new KeeperException(Code.NoNode, node);
      }
      if (index === 0) {
        this.predecessorName = null;
        this.stateValue = 'held';
        this.emit('acquired', `${this.options.participant} holds the lock (${ownName} is lowest)`, node);
        return;
      }
      const predecessor = `${this.options.lockPath}/${children[index - 1] as string}`;
      const { watcher, fired } = this.waits.watcher();
      const stat = await retryOnConnectionLoss(() => this.zk.exists(predecessor, watcher));
      if (stat === null) continue; // gone between the listing and the watch: look again
      // State first: listeners read it when the event arrives.
      this.stateValue = 'waiting';
      if (this.predecessorName !== predecessor) {
        this.predecessorName = predecessor;
        this.emit('watching', `${this.options.participant} waits; watches only its predecessor ${lastName(predecessor)}`, predecessor);
      }
      await fired;
    }
  }

  private emit(kind: string, text: string, path: string): void {
    this.emitEvent({ recipe: 'lock', participant: this.options.participant, kind, path, text });
  }
}

export function lastName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
