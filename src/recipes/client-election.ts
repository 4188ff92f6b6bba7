// Active/standby election among clients (seed scenario 6, e.g. two NameNodes): each candidate tries
// to create the ephemeral active node; the winner is active, a loser watches the node (exists) and
// tries again when it is deleted. After a ConnectionLoss on create, the node's ephemeralOwner says
// whether the create happened for this session. Resigning deletes the node; a session that ends
// deletes it for us, and a standby takes over.
import type { ZooKeeperApi } from '../client/api';
import { Code } from '../zk/errors';
import { CreateMode, OPEN_ACL_UNSAFE } from '../zk/types';
import { decodeText, encodeText, ensurePath, hasCode, retryOnConnectionLoss, WatchWaits, type EmitRecipeEvent } from './recipe-support';

export type ElectionState = 'idle' | 'contending' | 'active' | 'standby' | 'resigned' | 'lost';

export interface ClientElectionOptions {
  /** The ephemeral node whose owner is active, e.g. "/active". */
  path: string;
  participant: string;
  emit?: EmitRecipeEvent;
}

export class ClientElection {
  private stateValue: ElectionState = 'idle';
  private activeName: string | null = null;
  private waits = new WatchWaits('election');
  private readonly emitEvent: EmitRecipeEvent;

  constructor(
    private readonly zk: ZooKeeperApi,
    private readonly options: ClientElectionOptions,
  ) {
    this.emitEvent = options.emit ?? (() => undefined);
  }

  get state(): ElectionState {
    return this.stateValue;
  }
  /** Who the candidate last saw active (its own name when it is). */
  get active(): string | null {
    return this.activeName;
  }

  /** Resolves when this candidate becomes active; rejects on stop, resign or a lost session. */
  async run(): Promise<void> {
    this.waits = new WatchWaits('election');
    this.stateValue = 'contending';
    try {
      const parent = this.options.path.slice(0, this.options.path.lastIndexOf('/'));
      if (parent !== '') await ensurePath(this.zk, parent);
      for (;;) {
        this.waits.check();
        if (await this.tryCreate()) {
          this.stateValue = 'active';
          this.activeName = this.options.participant;
          this.emit('active', `${this.options.participant} is active (created ${this.options.path})`);
          return;
        }
        await this.watchActive();
      }
    } catch (error) {
      if ((this.stateValue as ElectionState) !== 'resigned') this.stateValue = 'lost'; // resign() may run meanwhile
      throw error;
    }
  }

  /** Steps down: deletes the node if this candidate is active, and stops contending. */
  async resign(): Promise<void> {
    const wasActive = this.stateValue === 'active';
    this.waits.stop();
    this.stateValue = 'resigned';
    if (!wasActive) return;
    try {
      await retryOnConnectionLoss(() => this.zk.delete(this.options.path));
    } catch (error) {
      if (!hasCode(error, Code.NoNode)) throw error;
    }
    this.activeName = null;
    this.emit('resigned', `${this.options.participant} resigned (deleted ${this.options.path})`);
  }

  /** The session is gone: the server deletes the ephemeral node, a standby takes over. */
  sessionEnded(): void {
    const wasActive = this.stateValue === 'active';
    this.waits.stop();
    this.stateValue = 'lost';
    if (wasActive) this.emit('lost', `${this.options.participant}'s session ended: the server deletes ${this.options.path}`);
  }

  private async tryCreate(): Promise<boolean> {
    try {
      await this.zk.create(this.options.path, encodeText(this.options.participant), OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
      return true;
    } catch (error) {
      if (hasCode(error, Code.NodeExists)) return false;
      if (!hasCode(error, Code.ConnectionLoss)) throw error;
      // The create may have happened: the node's owner tells.
      const stat = await retryOnConnectionLoss(() => this.zk.exists(this.options.path));
      return stat !== null && stat.ephemeralOwner === this.zk.getSessionId();
    }
  }

  /** Standby: waits until the active node is deleted (or returns at once if it already is). */
  private async watchActive(): Promise<void> {
    const { watcher, fired } = this.waits.watcher();
    let active: string | null;
    try {
      const { data } = await retryOnConnectionLoss(() => this.zk.getData(this.options.path, watcher));
      active = decodeText(data);
    } catch (error) {
      if (hasCode(error, Code.NoNode)) return;
      throw error;
    }
    this.stateValue = 'standby';
    if (this.activeName !== active) {
      this.activeName = active;
      this.emit('standby', `${this.options.participant} is standby; ${active ?? '?'} is active; watching ${this.options.path}`);
    }
    await fired;
  }

  private emit(kind: string, text: string): void {
    this.emitEvent({ recipe: 'election', participant: this.options.participant, kind, path: this.options.path, text });
  }
}
