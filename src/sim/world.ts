// The deterministic world: one virtual clock, one event queue, one Prng from the seed that draws
// every delay and fault; N simulated servers (any core a ServerFactory makes), M real ZooKeeper
// clients over simulated TCP links, and the fault operations (partitions, breaks, crashes,
// restarts, freezes, slow disks). Observers (checkers, trace printers) see every trace and effect.
import type { ByteStream, Connector } from '../net/byte-stream';
import { defaultServerConfig, type ServerConfig, type ServerEffect } from '../zk/server-api';
import { Prng } from '../zk/prng';
import type { TraceEvent } from '../zk/trace';
import type { ConnectionId, ServerId } from '../zk/types';
import { ZooKeeper } from '../client/zookeeper';
import type { Watcher } from '../client/api';
import { ClientLink, type LinkEnv } from './client-link';
import { CALM_PLAN, type FaultPlan } from './fault-plan';
import { clientNode, Reachability, serverNode, type NodeName } from './partition';
import { PeerRouter } from './peer-router';
import { Scheduler } from './scheduler';
import { standaloneFactory, type ServerFactory, type SimRole } from './server-factory';
import { SimServer, type ServerHostEnv } from './sim-server';

export interface WorldObserver {
  onTrace?(event: TraceEvent): void;
  onEffect?(serverId: ServerId, effect: ServerEffect, atMs: number): void;
  /** Host-level happenings: faults, starts, client connects. `who` is "s1", "c2" or "world". */
  onNote?(atMs: number, who: string, text: string): void;
  onLifecycle?(serverId: ServerId, event: 'start' | 'crash', atMs: number): void;
  /** A quorum peer's role changed (state, established or not, epoch). */
  onRole?(serverId: ServerId, role: SimRole, atMs: number): void;
  /** A server's disk refused a write; the server was stopped. */
  onFatal?(serverId: ServerId, message: string, atMs: number): void;
}

export interface WorldOptions {
  seed: number;
  factory?: ServerFactory;
  plan?: FaultPlan;
  /** Overrides of the simulated servers' config (tickTime 200 ms by default, so sessions are short). */
  serverConfig?: Partial<ServerConfig>;
  maxEvents?: number;
}

export const CLIENT_PORT = 2181;
/** Rounds of microtask draining after each event: the client's promise chains settle in a few. */
const MICROTASK_ROUNDS = 12;

export class World {
  readonly prng: Prng;
  readonly scheduler: Scheduler;
  readonly reachability = new Reachability();
  /** Settable: the liveness phase calms the weather. */
  plan: FaultPlan;
  readonly servers = new Map<ServerId, SimServer>();
  readonly clients = new Map<number, ZooKeeper>();
  readonly observers: WorldObserver[] = [];
  readonly peers: PeerRouter;
  private readonly factory: ServerFactory;
  private readonly serverConfig: Partial<ServerConfig>;
  private readonly links: ClientLink[] = [];
  private nextConnectionId: ConnectionId = 1;
  private nextClientId = 1;
  private readonly linkEnv: LinkEnv;
  private readonly hostEnv: ServerHostEnv;

  constructor(options: WorldOptions) {
    this.prng = new Prng(options.seed);
    this.scheduler = new Scheduler(options.maxEvents);
    this.plan = options.plan ?? CALM_PLAN;
    this.factory = options.factory ?? standaloneFactory;
    this.serverConfig = options.serverConfig ?? {};
    this.linkEnv = {
      scheduler: this.scheduler,
      latencyMs: () => this.latencyMs(),
      canSend: (from, to) => this.reachability.canSend(from, to),
    };
    this.hostEnv = {
      scheduler: this.scheduler,
      storageDelayMs: () => this.storageDelayMs(),
      observeEffect: (id, effect) => {
        for (const o of this.observers) o.onEffect?.(id, effect, this.scheduler.nowMs);
      },
      onTrace: (event) => {
        for (const o of this.observers) o.onTrace?.(event);
      },
      note: (id, text) => this.note(serverNode(id), text),
      sendToPeer: (from, to, bytes) => this.peers.send(from, to, bytes),
      fatal: (id, message) => {
        this.note(serverNode(id), `FATAL ${message}`);
        for (const o of this.observers) o.onFatal?.(id, message, this.scheduler.nowMs);
      },
      lifecycle: (id, event) => {
        for (const o of this.observers) o.onLifecycle?.(id, event, this.scheduler.nowMs);
        this.peers.refresh();
      },
      onRole: (id, role) => {
        for (const o of this.observers) o.onRole?.(id, role, this.scheduler.nowMs);
      },
    };
    this.peers = new PeerRouter({
      scheduler: this.scheduler,
      latencyMs: () => this.latencyMs(),
      lost: () => this.plan.peerLossProbability > 0 && this.prng.chance(this.plan.peerLossProbability),
      canSend: (from, to) => this.reachability.canSend(from, to),
      isUp: (id) => this.servers.get(id)?.life === 'up',
      resetDownMs: () => this.prng.int(1, 200),
      deliver: (to, input) => this.servers.get(to)?.input(input),
      note: (text) => this.note('world', text),
    });
  }

  get nowMs(): number {
    return this.scheduler.nowMs;
  }

  note(who: string, text: string): void {
    for (const o of this.observers) o.onNote?.(this.scheduler.nowMs, who, text);
  }

  // ---- servers --------------------------------------------------------------------------------

  /** Creates servers 1..count as one ensemble and starts them in id order (or only `startIds`). */
  addServers(count: number, startIds?: readonly ServerId[]): void {
    if (this.servers.size > 0) throw new Error('servers were already added');
    if (!Number.isInteger(count) || count < 1 || count > 9) throw new RangeError(`server count must be 1..9, got ${count}`);
    const ensemble = Array.from({ length: count }, (_, i) => i + 1);
    for (const id of ensemble) {
      const config = defaultServerConfig({ tickTimeMs: 200, serverId: id, fourLetterWords: '*', ...this.serverConfig });
      const server = new SimServer(id, ensemble, config, this.factory, this.hostEnv, () => this.prng.nextU32());
      this.servers.set(id, server);
    }
    this.peers.setServers(ensemble);
    for (const id of startIds ?? ensemble) this.server(id).start();
  }

  server(id: ServerId): SimServer {
    const server = this.servers.get(id);
    if (server === undefined) throw new Error(`no server ${id}`);
    return server;
  }

  crash(id: ServerId, loseUnsynced: boolean): void {
    this.server(id).crash(loseUnsynced);
  }

  restart(id: ServerId): void {
    const server = this.server(id);
    if (server.life === 'up') server.crash(false);
    server.start();
  }

  freeze(id: ServerId, durationMs: number): void {
    this.server(id).freeze(durationMs);
  }

  // ---- network --------------------------------------------------------------------------------

  partition(groups: readonly (readonly NodeName[])[]): void {
    this.reachability.partition(groups);
    this.note('world', `partition ${this.reachability.describe()}`);
    this.releaseLinks();
  }

  block(from: NodeName, to: NodeName): void {
    this.reachability.block(from, to);
    this.note('world', `block ${from}>${to}`);
    this.peers.refresh();
  }

  heal(): void {
    this.reachability.heal();
    this.note('world', 'heal');
    this.releaseLinks();
  }

  /** Resets open client connections (all, or those of one server or one client). */
  breakConnections(filter: { server?: ServerId; client?: number } = {}): number {
    let broken = 0;
    for (const link of this.links) {
      if (!link.open) continue;
      if (filter.server !== undefined && link.serverNode !== serverNode(filter.server)) continue;
      if (filter.client !== undefined && link.clientNode !== clientNode(filter.client)) continue;
      link.break('connection reset by fault');
      broken++;
    }
    if (broken > 0) this.note('world', `broke ${broken} connection(s)`);
    return broken;
  }

  openLinks(): ClientLink[] {
    return this.links.filter((l) => l.open);
  }

  private releaseLinks(): void {
    this.peers.refresh();
    for (let i = this.links.length - 1; i >= 0; i--) {
      const link = this.links[i]!;
      link.release();
    }
    // Bounded memory: forget links that are closed both ways.
    if (this.links.length > 2000) this.links.splice(0, this.links.length, ...this.links.filter((l) => l.open));
  }

  // ---- clients --------------------------------------------------------------------------------

  /** A real ZooKeeper client whose connect string names the given servers (all by default). */
  createClient(options: { sessionTimeoutMs?: number; servers?: readonly ServerId[]; watcher?: Watcher; id?: number } = {}): { id: number; zk: ZooKeeper } {
    const id = options.id ?? this.nextClientId++;
    this.nextClientId = Math.max(this.nextClientId, id + 1);
    const servers = options.servers ?? [...this.servers.keys()];
    const connectString = servers.map((s) => `${serverNode(s)}:${CLIENT_PORT}`).join(',');
    const zk = new ZooKeeper(connectString, options.sessionTimeoutMs ?? 3000, options.watcher ?? null, {
      connector: this.connector(id),
      timers: this.scheduler.timers(`c${id} timer`),
      random: () => this.prng.next(),
      onWatcherError: (error) => this.note(clientNode(id), `watcher threw: ${String(error)}`),
    });
    this.clients.set(id, zk);
    return { id, zk };
  }

  private connector(clientId: number): Connector {
    const from = clientNode(clientId);
    return (address: string) =>
      new Promise<ByteStream>((resolve, reject) => {
        const host = address.split(':')[0] ?? '';
        const serverId = Number(host.replace(/^s/, ''));
        const server = this.servers.get(serverId);
        if (server === undefined) {
          this.scheduler.after(0, `${from} connect`, () => reject(new Error(`unknown host ${host}`)));
          return;
        }
        // SYN: lost across a partition (the client's connect timeout handles it).
        this.scheduler.after(this.latencyMs(), `${from} syn ${host}`, () => {
          if (!this.reachability.canSend(from, host)) return;
          if (server.life !== 'up') {
            this.scheduler.after(this.latencyMs(), `${from} refused`, () => reject(new Error(`connection refused by ${host}`)));
            return;
          }
          const link = new ClientLink(this.linkEnv, this.nextConnectionId++, from, host, server);
          this.links.push(link);
          server.attach(link, `${from}:${40000 + link.connection}`);
          this.scheduler.after(this.latencyMs(), `${from} connected`, () => resolve(link.clientEnd));
        });
      });
  }

  // ---- time -----------------------------------------------------------------------------------

  /** Runs every event due within the next `durationMs`, settling client promises after each. */
  async runFor(durationMs: number): Promise<void> {
    await this.runUntilTime(this.scheduler.nowMs + durationMs);
  }

  async runUntilTime(untilMs: number): Promise<void> {
    await drainMicrotasks();
    while (this.scheduler.runNext(untilMs)) await drainMicrotasks();
    this.scheduler.advanceTo(untilMs);
  }

  /** Runs until `done()` holds (checked after each event) or `maxMs` pass; true if it held. */
  async runUntil(done: () => boolean, maxMs: number): Promise<boolean> {
    const untilMs = this.scheduler.nowMs + maxMs;
    await drainMicrotasks();
    if (done()) return true;
    while (this.scheduler.runNext(untilMs)) {
      await drainMicrotasks();
      if (done()) return true;
    }
    this.scheduler.advanceTo(untilMs);
    return done();
  }

  // ---- draws ----------------------------------------------------------------------------------

  latencyMs(): number {
    return this.prng.int(this.plan.latencyMsMin, this.plan.latencyMsMax);
  }

  storageDelayMs(): number {
    const plan = this.plan;
    if (plan.slowStorageProbability > 0 && this.prng.chance(plan.slowStorageProbability)) {
      return this.prng.int(plan.storageDelayMsMax, plan.slowStorageMsMax);
    }
    return this.prng.int(plan.storageDelayMsMin, plan.storageDelayMsMax);
  }
}

async function drainMicrotasks(): Promise<void> {
  for (let i = 0; i < MICROTASK_ROUNDS; i++) await undefined;
}
