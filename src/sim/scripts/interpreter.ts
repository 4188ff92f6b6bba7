// Golden interaction scripts (etcd raft's `testdata/*.txt` style): one handler per command, each
// driving the deterministic world and returning the lines it printed. The world runs with calm
// weather (1 ms latency, 1 ms disk) so transcripts change only when behaviour changes.
import type { ZooKeeper } from '../../client/zookeeper';
import { Code, KeeperException } from '../../zk/errors';
import { CreateMode, OPEN_ACL_UNSAFE, type ServerId } from '../../zk/types';
import type { TraceEvent } from '../../zk/trace';
import { CheckerSuite } from '../checkers/suite';
import { converged } from '../checkers/replicas';
import { hexZxid } from '../checkers/violation';
import { CALM_PLAN } from '../fault-plan';
import { nodeName, parsePartition } from '../partition';
import { quorumFactory, standaloneFactory, type ServerFactory } from '../server-factory';
import { World } from '../world';

export const OP_TIMEOUT_MS = 10_000;
const ELECT_TIMEOUT_MS = 20_000;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

type Handler = (args: string[]) => Promise<void>;

export class ScriptInterpreter {
  private world: World | null = null;
  private suite: CheckerSuite | null = null;
  private readonly clients = new Map<number, ZooKeeper>();
  private out: string[] = [];
  private readonly handlers: Record<string, Handler>;

  constructor(
    private readonly seed = 1,
    /** The quorum peers' factory (a deliberately broken one in checker tests). */
    private readonly quorumServers: ServerFactory = quorumFactory(),
  ) {
    this.handlers = {
      'add-servers': (a) => this.addServers(a),
      start: (a) => this.start(a),
      elect: () => this.elect(),
      client: (a) => this.client(a),
      create: (a) => this.create(a),
      set: (a) => this.set(a),
      get: (a) => this.get(a, false),
      'sync-get': (a) => this.get(a, true),
      delete: (a) => this.remove(a),
      'close-client': (a) => this.closeClient(a),
      partition: (a) => this.partition(a),
      block: (a) => this.block(a),
      heal: async () => this.w.heal(),
      crash: (a) => this.crash(a),
      restart: async (a) => this.w.restart(serverArg(a[0])),
      freeze: async (a) => this.w.freeze(serverArg(a[0]), intArg(a[1], 'duration ms')),
      tick: async (a) => this.w.runFor(intArg(a[0], 'ms')),
      stabilize: () => this.stabilize(),
      status: async () => this.status(),
      check: async () => this.check(),
    };
  }

  /** Runs one command line; returns what it printed. Errors print as "error: ..." lines. */
  async run(line: string): Promise<string[]> {
    this.out = [];
    const [name, ...args] = line.trim().split(/\s+/);
    const handler = name === undefined ? undefined : this.handlers[name];
    try {
      if (handler === undefined) throw new Error(`unknown command "${name}"`);
      await handler(args);
    } catch (error) {
      this.print(`error: ${error instanceof Error ? error.message : String(error)}`);
    }
    return this.out;
  }

  private get w(): World {
    if (this.world === null) throw new Error('no servers yet: add-servers first');
    return this.world;
  }

  private print(line: string): void {
    this.out.push(line);
  }

  // ---- servers --------------------------------------------------------------------------------

  private async addServers(args: string[]): Promise<void> {
    if (this.world !== null) throw new Error('servers already added');
    const count = intArg(args[0], 'count');
    const world = new World({ seed: this.seed, factory: count === 1 ? standaloneFactory : this.quorumServers, plan: CALM_PLAN });
    this.world = world;
    this.suite = new CheckerSuite(world, { mode: count === 1 ? 'standalone' : 'quorum' });
    world.observers.push(this.suite, {
      onNote: (_atMs, who, text) => {
        if (who !== 'world' || !text.startsWith('reset')) this.print(`${who} ${text}`);
      },
      onTrace: (event) => this.onTrace(event),
    });
    const stopped = args[1] === 'stopped';
    world.addServers(count, stopped ? [] : undefined);
  }

  private onTrace(event: TraceEvent): void {
    if (event.type === 'state' && event.from !== event.to) this.print(`s${event.server} ${event.from} -> ${event.to}`);
    if (event.type === 'recovered' && event.zxid > 0n) this.print(`s${event.server} recovered to ${hexZxid(event.zxid)}`);
    if (event.type === 'sync.mode') this.print(`s${event.server} syncs s${event.learner} by ${event.mode} ${hexZxid(event.fromZxid)}..${hexZxid(event.toZxid)}`);
  }

  private async start(args: string[]): Promise<void> {
    for (const arg of args) this.w.server(serverArg(arg)).start();
    await this.w.runFor(1);
  }

  private async crash(args: string[]): Promise<void> {
    this.w.crash(serverArg(args[0]), args[1] === 'lose-unsynced');
  }

  /** Runs until a server serves (standalone) or a leader is established; prints who. */
  private async elect(): Promise<void> {
    const world = this.w;
    const startMs = world.nowMs;
    const ok = await world.runUntil(() => this.servingLeader() !== null, ELECT_TIMEOUT_MS);
    const leader = this.servingLeader();
    if (!ok || leader === null) {
      this.print(`no leader after ${ELECT_TIMEOUT_MS}ms`);
      return;
    }
    const role = world.server(leader).role;
    this.print(role === null ? `s${leader} serving` : `leader s${leader} epoch ${role.epoch} (after ${world.nowMs - startMs}ms)`);
  }

  private servingLeader(): ServerId | null {
    for (const server of this.w.servers.values()) {
      if (server.life !== 'up' || server.frozen) continue;
      if (server.role === null && server.core !== null && server.core.role === undefined) return server.id;
      if (server.role?.state === 'LEADING' && server.role.serving) return server.id;
    }
    return null;
  }

  /** Every up server serves, under exactly one leader (standalone: it is up). */
  private allServing(): boolean {
    const up = [...this.w.servers.values()].filter((s) => s.life === 'up');
    if (up.some((s) => s.frozen || (s.core?.role !== undefined && s.role?.serving !== true))) return false;
    return up.filter((s) => s.role?.state === 'LEADING').length <= 1 && this.servingLeader() !== null;
  }

  private async partition(args: string[]): Promise<void> {
    this.w.partition(parsePartition(args.join('')));
  }

  private async block(args: string[]): Promise<void> {
    const [from, to] = (args[0] ?? '').split('>');
    if (from === undefined || to === undefined) throw new Error('usage: block 1>2');
    this.w.block(nodeName(from), nodeName(to));
  }

  /** Runs until every up server serves and holds the same data and sessions (bounded). */
  private async stabilize(): Promise<void> {
    const suite = this.suite!;
    const ok = await this.w.runUntil(() => {
      const replicas = suite.replicas();
      return replicas.length > 0 && converged(replicas) && this.allServing();
    }, ELECT_TIMEOUT_MS);
    await this.w.runFor(100);
    if (!ok) this.print(`not stable after ${ELECT_TIMEOUT_MS}ms`);
  }

  private status(): void {
    const world = this.w;
    for (const server of world.servers.values()) {
      const core = server.core;
      if (server.life !== 'up' || core === null) {
        this.print(`s${server.id} down`);
        continue;
      }
      const role = server.role === null ? 'STANDALONE' : `${server.role.state}${server.role.serving ? '' : ' (not serving)'} epoch ${server.role.epoch}`;
      const nodes = core.tree === undefined ? '?' : String(core.tree.nodeCount());
      const sessions = core.sessions === undefined ? '?' : String(core.sessions.size());
      this.print(`s${server.id} ${role}${server.frozen ? ' frozen' : ''} zxid=${hexZxid(core.lastProcessedZxid)} nodes=${nodes} sessions=${sessions}`);
    }
    this.print(`network ${world.reachability.describe()}`);
  }

  private check(): void {
    const suite = this.suite!;
    suite.checkServers();
    suite.checkReplicas();
    const items = suite.violations.items;
    if (items.length === 0) this.print('no violations');
    for (const v of items) this.print(`VIOLATION [${v.checker}] ${v.message}`);
  }

  // ---- clients --------------------------------------------------------------------------------

  /** `client 1` (all servers) or `client 1 2 3` (these servers, in this order). */
  private async client(args: string[]): Promise<void> {
    const id = intArg(args[0], 'client id');
    if (this.clients.has(id)) throw new Error(`client ${id} exists`);
    const servers = args.slice(1).map(serverArg);
    const { zk } = this.w.createClient({ id, sessionTimeoutMs: 4000, ...(servers.length > 0 ? { servers } : {}) });
    this.clients.set(id, zk);
    const ok = await this.w.runUntil(() => zk.getState() === 'CONNECTED', OP_TIMEOUT_MS);
    this.print(ok ? `c${id} connected to ${zk.getCurrentServer()?.split(':')[0]} session ${hexZxid(zk.getSessionId())}` : `c${id} not connected (${zk.getState()})`);
  }

  private zk(arg: string | undefined): ZooKeeper {
    const zk = this.clients.get(intArg(arg, 'client id'));
    if (zk === undefined) throw new Error(`no client ${arg}`);
    return zk;
  }

  private async create(args: string[]): Promise<void> {
    const [client, path, data = '', flag] = args;
    const mode = flag === 'ephemeral' ? CreateMode.EPHEMERAL : CreateMode.PERSISTENT;
    await this.op(this.zk(client), (zk) => zk.createWithStat(path ?? '', encoder.encode(data), OPEN_ACL_UNSAFE, mode), (r) => `created ${r.path} czxid=${hexZxid(r.stat.czxid)}`);
  }

  private async set(args: string[]): Promise<void> {
    const [client, path, data = '', version] = args;
    await this.op(this.zk(client), (zk) => zk.setData(path ?? '', encoder.encode(data), version === undefined ? -1 : intArg(version, 'version')), (s) => `set version=${s.version} mzxid=${hexZxid(s.mzxid)}`);
  }

  private async get(args: string[], sync: boolean): Promise<void> {
    const [client, path = ''] = args;
    await this.op(
      this.zk(client),
      async (zk) => {
        if (sync) await zk.sync(path);
        return zk.getData(path);
      },
      (r) => `data=${JSON.stringify(decoder.decode(r.data ?? new Uint8Array()))} version=${r.stat.version} mzxid=${hexZxid(r.stat.mzxid)}`,
    );
  }

  private async remove(args: string[]): Promise<void> {
    const [client, path = '', version] = args;
    await this.op(this.zk(client), (zk) => zk.delete(path, version === undefined ? -1 : intArg(version, 'version')), () => 'deleted');
  }

  private async closeClient(args: string[]): Promise<void> {
    await this.op(this.zk(args[0]), (zk) => zk.close(), () => 'closed');
  }

  /** Issues an operation and runs the world until it settles (or OP_TIMEOUT_MS pass). */
  private async op<T>(zk: ZooKeeper, call: (zk: ZooKeeper) => Promise<T>, show: (result: T) => string): Promise<void> {
    let line: string | null = null;
    call(zk).then(
      (result) => (line = show(result)),
      (error: unknown) => (line = error instanceof KeeperException ? Code[error.code] ?? String(error.code) : `error: ${String(error)}`),
    );
    const settled = await this.w.runUntil(() => line !== null, OP_TIMEOUT_MS);
    this.print(settled && line !== null ? line : `no reply within ${OP_TIMEOUT_MS}ms`);
  }
}

function intArg(value: string | undefined, what: string): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n)) throw new Error(`${what}: want an integer, got ${value ?? 'nothing'}`);
  return n;
}

function serverArg(value: string | undefined): ServerId {
  return intArg(value?.replace(/^s/, ''), 'server id');
}
