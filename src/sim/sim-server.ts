// One simulated server process: its core (made by the factory), its disk (MemoryStorageSync, whose
// writes become durable after a drawn delay), its open client links, and its life: up, frozen
// (inputs wait), crashed (volatile state gone, the disk kept, optionally minus un-synced writes).
import type { ServerConfig, ServerEffect, ServerInput } from '../zk/server-api';
import type { ConnectionId, ServerId } from '../zk/types';
import { Prng } from '../zk/prng';
import { MemoryStorageSync } from '../storage/memory-storage';
import type { TraceEvent } from '../zk/trace';
import type { ClientLink, ServerSide } from './client-link';
import type { Scheduler } from './scheduler';
import type { ServerFactory, SimCore, SimRole } from './server-factory';

/** What the world offers a server host. */
export interface ServerHostEnv {
  scheduler: Scheduler;
  /** Draws how long the next durable write takes. */
  storageDelayMs(): number;
  /** Every effect, before it is carried out (checkers see appends with their bytes). */
  observeEffect(serverId: ServerId, effect: ServerEffect): void;
  onTrace(event: TraceEvent): void;
  /** Host-level notes for the readable trace (crash, restart, freeze). */
  note(serverId: ServerId, text: string): void;
  sendToPeer(from: ServerId, to: ServerId, bytes: Uint8Array): void;
  /** The process started (volatile state fresh) or died. */
  lifecycle(serverId: ServerId, event: 'start' | 'crash'): void;
  /** A quorum peer's role changed (polled after each step). */
  onRole(serverId: ServerId, role: SimRole): void;
  /** The disk refused a write (e.g. a zxid reused without truncating): the process must stop. */
  fatal(serverId: ServerId, message: string): void;
}

export type ServerLife = 'up' | 'down';

/** Inputs that wait while a server is frozen; beyond this the process is considered wedged. */
const FROZEN_INBOX_MAX = 100_000;
/** How often the host hands its clock to the core. */
export const CLOCK_INTERVAL_MS = 50;

export class SimServer implements ServerSide {
  readonly disk = new MemoryStorageSync();
  core: SimCore | null = null;
  life: ServerLife = 'down';
  frozenUntilMs = 0;
  incarnation = 0;
  readonly links = new Map<ConnectionId, ClientLink>();
  private inbox: ServerInput[] = [];
  private lastDurableAtMs = 0;
  private lastClockMs = -1;
  private lastRoleKey = '';
  role: SimRole | null = null;

  constructor(
    readonly id: ServerId,
    private readonly ensemble: readonly ServerId[],
    private readonly config: ServerConfig,
    private readonly factory: ServerFactory,
    private readonly env: ServerHostEnv,
    private readonly seedFor: () => number,
  ) {}

  get frozen(): boolean {
    return this.life === 'up' && this.env.scheduler.nowMs < this.frozenUntilMs;
  }

  start(): void {
    if (this.life === 'up') throw new Error(`server ${this.id} is already up`);
    const loaded = this.disk.loadSync();
    const empty = loaded.snapshot === null && loaded.log.length === 0 && Object.keys(loaded.meta).length === 0;
    this.incarnation++;
    this.life = 'up';
    this.frozenUntilMs = 0;
    this.lastClockMs = -1;
    this.core = this.factory({
      serverId: this.id,
      ensemble: this.ensemble,
      config: this.config,
      prng: new Prng(this.seedFor()),
      nowMs: this.env.scheduler.nowMs,
      loaded: empty ? null : loaded,
    });
    this.env.note(this.id, this.incarnation === 1 ? 'start' : `restart (incarnation ${this.incarnation})`);
    this.env.lifecycle(this.id, 'start');
    this.scheduleClock(this.incarnation);
    this.input({ kind: 'clock', nowMs: this.env.scheduler.nowMs });
  }

  /** The process dies: volatile state and connections go; the disk keeps what it kept. */
  crash(loseUnsynced: boolean): void {
    if (this.life === 'down') return;
    this.env.note(this.id, `crash${loseUnsynced ? ' (un-synced writes lost)' : ''}, ${this.disk.pendingWriteCount} writes pending`);
    this.life = 'down';
    this.core = null;
    this.role = null;
    this.lastRoleKey = '';
    this.env.lifecycle(this.id, 'crash');
    this.inbox = [];
    this.disk.crash(loseUnsynced);
    for (const link of this.links.values()) link.closeFromServer('connection reset: server died');
    this.links.clear();
  }

  freeze(durationMs: number): void {
    if (this.life !== 'up') return;
    const untilMs = this.env.scheduler.nowMs + durationMs;
    if (untilMs <= this.frozenUntilMs) return;
    this.frozenUntilMs = untilMs;
    this.env.note(this.id, `frozen for ${durationMs}ms`);
    const incarnation = this.incarnation;
    this.env.scheduler.at(untilMs, `s${this.id} thaw`, () => this.thaw(incarnation));
  }

  unfreeze(): void {
    if (this.life !== 'up' || this.frozenUntilMs === 0) return;
    this.frozenUntilMs = 0;
    this.thaw(this.incarnation);
  }

  attach(link: ClientLink, remoteAddress: string): void {
    if (this.life !== 'up') throw new Error(`server ${this.id} is down`);
    this.links.set(link.connection, link);
    this.input({ kind: 'connection.open', connection: link.connection, remoteAddress });
  }

  onLinkData(connection: ConnectionId, bytes: Uint8Array): void {
    if (this.links.has(connection)) this.input({ kind: 'connection.data', connection, bytes });
  }

  onLinkClosed(connection: ConnectionId): void {
    if (!this.links.delete(connection)) return;
    this.input({ kind: 'connection.close', connection });
  }

  /** Feeds one input now, or queues it while frozen. */
  input(input: ServerInput): void {
    if (this.life !== 'up') return;
    if (this.frozen) {
      if (input.kind === 'clock') return;
      if (this.inbox.length >= FROZEN_INBOX_MAX) throw new Error(`server ${this.id}: frozen inbox overflow`);
      this.inbox.push(input);
      return;
    }
    this.feed(input);
  }

  private feed(input: ServerInput): void {
    const core = this.core;
    if (core === null) return;
    const nowMs = this.env.scheduler.nowMs;
    if (input.kind !== 'clock' && nowMs !== this.lastClockMs) this.feed({ kind: 'clock', nowMs });
    if (input.kind === 'clock') this.lastClockMs = input.nowMs;
    const incarnation = this.incarnation;
    for (const effect of core.step(input)) {
      // An effect may crash this server (a checker wrapper, a fatal storage error): stop then.
      if (this.incarnation !== incarnation || this.life !== 'up') return;
      this.env.observeEffect(this.id, effect);
      this.carryOut(effect);
    }
    if (this.incarnation === incarnation) this.pollRole(core);
  }

  private pollRole(core: SimCore): void {
    if (core.role === undefined) return;
    const role = core.role();
    const key = `${role.state}/${role.serving}/${role.epoch}`;
    if (key === this.lastRoleKey) return;
    this.lastRoleKey = key;
    this.role = role;
    this.env.onRole(this.id, role);
  }

  private thaw(incarnation: number): void {
    if (incarnation !== this.incarnation || this.frozen || this.life !== 'up') return;
    this.env.note(this.id, `thawed, ${this.inbox.length} inputs waited`);
    const waiting = this.inbox;
    this.inbox = [];
    this.feed({ kind: 'clock', nowMs: this.env.scheduler.nowMs });
    for (const input of waiting) {
      if (this.incarnation !== incarnation || this.frozen) {
        this.inbox.push(input);
        continue;
      }
      this.feed(input);
    }
  }

  private scheduleClock(incarnation: number): void {
    this.env.scheduler.after(CLOCK_INTERVAL_MS, `s${this.id} clock`, () => {
      if (incarnation !== this.incarnation || this.life !== 'up') return;
      this.input({ kind: 'clock', nowMs: this.env.scheduler.nowMs });
      this.scheduleClock(incarnation);
    });
  }

  private carryOut(effect: ServerEffect): void {
    switch (effect.kind) {
      case 'connection.send':
        this.links.get(effect.connection)?.sendToClient(effect.bytes);
        return;
      case 'connection.close': {
        const link = this.links.get(effect.connection);
        this.links.delete(effect.connection);
        link?.closeFromServer('closed by server');
        return;
      }
      case 'storage.append': {
        const batchId = effect.batchId;
        this.write((done) => this.disk.appendSync(effect.entries, done), () => this.input({ kind: 'storage.durable', batchId }));
        return;
      }
      case 'storage.snapshot': {
        const zxid = effect.zxid;
        this.write(
          (done) => this.disk.saveSnapshotSync({ zxid, bytes: effect.bytes }, done),
          () => this.input({ kind: 'storage.snapshotSaved', zxid }),
        );
        return;
      }
      case 'trace':
        this.env.onTrace(effect.event);
        return;
      default:
        this.carryOutExtension(effect);
    }
  }

  /** Effects of quorum peers: peer messages, epoch meta, log truncation. */
  private carryOutExtension(effect: ServerEffect): void {
    switch (effect.kind) {
      case 'peer.send':
        this.env.sendToPeer(this.id, effect.to, effect.bytes);
        return;
      case 'storage.setMeta': {
        const { key, value } = effect;
        this.write((done) => this.disk.setMetaSync(key, value, done), () => this.input({ kind: 'storage.metaSaved', key, value }));
        return;
      }
      case 'storage.truncate': {
        const zxid = effect.zxid;
        // No completion input: later writes queue behind it on the same FIFO disk.
        this.write((done) => this.disk.truncateAfterSync(zxid, done), () => undefined);
        return;
      }
      default:
        throw new Error(`server ${this.id}: the simulator does not know effect ${(effect as { kind: string }).kind}`);
    }
  }

  /** Issues a disk write now; it becomes durable after a drawn delay, in issue order (FIFO disk). */
  private write(issue: (done: () => void) => void, onDurable: () => void): void {
    const incarnation = this.incarnation;
    const generation = this.disk.generation;
    try {
      issue(() => {
        if (incarnation === this.incarnation) onDurable();
      });
    } catch (error) {
      // As a real host: a failed durable write stops the server rather than acknowledge lost data.
      this.env.fatal(this.id, error instanceof Error ? error.message : String(error));
      this.crash(false);
      return;
    }
    const scheduler = this.env.scheduler;
    const atMs = Math.max(this.lastDurableAtMs, scheduler.nowMs + this.env.storageDelayMs());
    this.lastDurableAtMs = atMs;
    scheduler.at(atMs, `s${this.id} disk sync`, () => {
      if (this.disk.generation === generation) this.disk.flushSync(1);
    });
  }
}
