// A tiny deterministic pump for quorum tests: N QuorumPeers, one FIFO queue of inputs, per-server
// simulated storage (what is durable survives a crash, pending writes do not), links that can be
// cut, and wire-level test clients. Time moves only when a test says so.
import type { KnownClientRequest } from '../../jute';
import type { LogEntry } from '../../storage/storage';
import { Prng } from '../prng';
import { QuorumPeer, type PeerRecoveredState } from '../quorum-peer';
import { defaultServerConfig, type ServerConfig, type ServerEffect, type ServerInput } from '../server-api';
import { TestClient, type ConnectOptions, type Received } from '../server/test-client';
import type { TraceEvent } from '../trace';
import type { ServerId, Zxid } from '../types';
import { defaultQuorumPeerConfig, localEnsemble, type QuorumPeerConfig } from './peer-config';

export type StorageOp = Extract<ServerEffect, { kind: 'storage.append' | 'storage.snapshot' | 'storage.setMeta' | 'storage.truncate' }>;

/** What survives a crash. */
export class SimDisk {
  snapshot: { zxid: Zxid; bytes: Uint8Array } | null = null;
  log: LogEntry[] = [];
  meta: Record<string, string> = {};

  carryOut(op: StorageOp): void {
    switch (op.kind) {
      case 'storage.append':
        for (const entry of op.entries) {
          const last = this.log[this.log.length - 1];
          if (last !== undefined && entry.zxid <= last.zxid) throw new Error(`disk: append ${entry.zxid} after ${last.zxid}`);
          this.log.push(entry);
        }
        return;
      case 'storage.truncate':
        this.log = this.log.filter((e) => e.zxid <= op.zxid);
        if (this.snapshot !== null && this.snapshot.zxid > op.zxid) this.snapshot = null;
        return;
      case 'storage.snapshot':
        this.snapshot = { zxid: op.zxid, bytes: op.bytes };
        return;
      case 'storage.setMeta':
        this.meta[op.key] = op.value;
        return;
    }
  }

  recovered(): PeerRecoveredState {
    const from = this.snapshot?.zxid ?? -1n;
    return { snapshot: this.snapshot?.bytes ?? null, log: this.log.filter((e) => e.zxid > from), meta: { ...this.meta } };
  }

  lastZxid(): Zxid {
    return this.log[this.log.length - 1]?.zxid ?? this.snapshot?.zxid ?? 0n;
  }
}

interface Node {
  id: ServerId;
  peer: QuorumPeer | null;
  disk: SimDisk;
  /** Storage effects not yet durable, oldest first. */
  pendingStorage: StorageOp[];
  /** Tests can hold the disk: nothing becomes durable until released. */
  holdDisk: boolean;
}

export interface EnsembleOptions {
  voters: ServerId[];
  observers?: ServerId[];
  tickTimeMs?: number;
  quorum?: Partial<QuorumPeerConfig>;
  server?: Partial<ServerConfig>;
  /** Per server overrides of the quorum config (e.g. faults on one server). */
  perServer?: Record<number, Partial<QuorumPeerConfig>>;
}

export class Ensemble {
  nowMs = 1_000_000;
  readonly nodes = new Map<ServerId, Node>();
  readonly traces: TraceEvent[] = [];
  private readonly queue: Array<{ to: ServerId; input: ServerInput }> = [];
  private readonly cut = new Set<string>();
  private readonly clients = new Map<string, TestClient>();
  private readonly closed = new Set<string>();
  private readonly ids: ServerId[];

  constructor(readonly options: EnsembleOptions) {
    this.ids = [...options.voters, ...(options.observers ?? [])];
    for (const id of this.ids) this.nodes.set(id, { id, peer: null, disk: new SimDisk(), pendingStorage: [], holdDisk: false });
  }

  // ---- lifecycle ----

  start(...ids: ServerId[]): void {
    for (const id of ids) {
      const node = this.node(id);
      if (node.peer !== null) throw new Error(`server ${id} already up`);
      const tickTimeMs = this.options.tickTimeMs ?? 100;
      const config = defaultServerConfig({ serverId: id, tickTimeMs, fourLetterWords: '*', ...this.options.server });
      const quorum = defaultQuorumPeerConfig(localEnsemble(this.options.voters, this.options.observers ?? []), {
        ...this.options.quorum,
        ...this.options.perServer?.[id],
      });
      node.peer = new QuorumPeer(config, quorum, new Prng(id), this.nowMs, node.disk.recovered());
      for (const other of this.ids) if (other !== id && this.up(other)) this.linkChanged(id, other, true);
      this.feed(id, { kind: 'clock', nowMs: this.nowMs });
    }
    this.drain();
  }

  /**
   * The process dies: storage writes not yet durable are lost, except the oldest
   * `survivingWrites` of them (a FIFO disk that got that far before the power went); links go down.
   */
  crash(id: ServerId, survivingWrites = 0): void {
    const node = this.node(id);
    node.peer = null;
    for (const op of node.pendingStorage.slice(0, survivingWrites)) node.disk.carryOut(op);
    node.pendingStorage = [];
    for (let i = this.queue.length - 1; i >= 0; i--) if ((this.queue[i] as { to: ServerId }).to === id) this.queue.splice(i, 1);
    for (const other of this.ids) if (other !== id && this.up(other)) this.feed(other, { kind: 'peer.link', peer: id, up: false });
    this.drain();
  }

  restart(id: ServerId): void {
    this.start(id);
  }

  /** Cuts (or heals) the link between two servers in both directions. */
  partition(a: ServerId, b: ServerId, cut = true): void {
    const key = linkKey(a, b);
    if (cut) this.cut.add(key);
    else this.cut.delete(key);
    this.linkChanged(a, b, !cut);
    this.drain();
  }

  /** Isolates one server from all others. */
  isolate(id: ServerId, cut = true): void {
    for (const other of this.ids) if (other !== id) this.partition(id, other, cut);
  }

  holdDisk(id: ServerId, hold = true): void {
    const node = this.node(id);
    node.holdDisk = hold;
    if (!hold) this.flushDisk(node);
    this.drain();
  }

  // ---- time ----

  /** Moves the clock forward in small steps, delivering everything in between. */
  advance(ms: number, stepMs = 10): void {
    for (let t = 0; t < ms; t += stepMs) {
      this.nowMs += Math.min(stepMs, ms - t);
      for (const id of this.ids) if (this.up(id)) this.feed(id, { kind: 'clock', nowMs: this.nowMs });
      this.drain();
    }
  }

  /** Advances until `done` holds; throws after `maxMs`. */
  runUntil(done: () => boolean, maxMs = 30_000, what = 'condition'): void {
    for (let waited = 0; !done(); waited += 10) {
      if (waited >= maxMs) throw new Error(`${what} not reached within ${maxMs} ms`);
      this.advance(10);
    }
  }

  // ---- views ----

  peer(id: ServerId): QuorumPeer {
    const peer = this.node(id).peer;
    if (peer === null) throw new Error(`server ${id} is down`);
    return peer;
  }

  up(id: ServerId): boolean {
    return this.node(id).peer !== null;
  }

  /** Storage effects issued by a server and not yet durable (its disk held), oldest first. */
  pendingStorage(id: ServerId): readonly StorageOp[] {
    return this.node(id).pendingStorage;
  }

  disk(id: ServerId): SimDisk {
    return this.node(id).disk;
  }

  leaders(): ServerId[] {
    return this.ids.filter((id) => this.up(id) && this.peer(id).state === 'LEADING' && this.peer(id).isServing);
  }

  states(): Record<number, string> {
    const out: Record<number, string> = {};
    for (const id of this.ids) out[id] = this.up(id) ? this.peer(id).state : 'DOWN';
    return out;
  }

  /** Waits until exactly one leader serves and every other live server serves under it. */
  stable(maxMs = 30_000): ServerId {
    this.runUntil(() => {
      const leaders = this.leaders();
      if (leaders.length !== 1) return false;
      return this.ids.every((id) => !this.up(id) || (this.peer(id).isServing && this.peer(id).leaderId === leaders[0]));
    }, maxMs, 'a stable ensemble');
    return this.leaders()[0] as ServerId;
  }

  tracesOf<T extends TraceEvent['type']>(type: T, server?: ServerId): Array<Extract<TraceEvent, { type: T }>> {
    return this.traces.filter((t): t is Extract<TraceEvent, { type: T }> => t.type === type && (server === undefined || t.server === server));
  }

  // ---- clients ----

  connect(server: ServerId, connection: number, options: ConnectOptions = {}): TestClient {
    const client = this.queueConnect(server, connection, options);
    this.drain();
    return client;
  }

  send(server: ServerId, connection: number, request: KnownClientRequest): number {
    const xid = this.queueSend(server, connection, request);
    this.drain();
    return xid;
  }

  /**
   * Like connect and send, but only queued: nothing is delivered until the next drain, so a test
   * can interleave what several servers do (a stale request racing a session move).
   */
  queueConnect(server: ServerId, connection: number, options: ConnectOptions = {}): TestClient {
    const client = new TestClient();
    const key = `${server}/${connection}`;
    this.clients.set(key, client);
    this.closed.delete(key);
    this.feed(server, { kind: 'connection.open', connection, remoteAddress: `10.0.0.${connection}:5000` });
    this.feed(server, { kind: 'connection.data', connection, bytes: client.connectFrame(options) });
    return client;
  }

  queueSend(server: ServerId, connection: number, request: KnownClientRequest): number {
    const client = this.clients.get(`${server}/${connection}`);
    if (client === undefined) throw new Error(`no client ${server}/${connection}`);
    const framed = client.frame(request);
    this.feed(server, { kind: 'connection.data', connection, bytes: framed.bytes });
    return framed.xid;
  }

  /** Sends raw bytes (a four-letter word) on a fresh connection and returns the text answered. */
  fourLetterWord(server: ServerId, word: string, connection = 9999): string {
    const key = `${server}/${connection}`;
    const chunks: Uint8Array[] = [];
    this.clients.set(key, { receive: (b: Uint8Array) => (chunks.push(b), []) } as unknown as TestClient);
    this.feed(server, { kind: 'connection.open', connection, remoteAddress: '127.0.0.1:6000' });
    this.feed(server, { kind: 'connection.data', connection, bytes: new TextEncoder().encode(word) });
    this.drain();
    this.clients.delete(key);
    return chunks.map((c) => new TextDecoder().decode(c)).join('');
  }

  received(server: ServerId, connection: number): Received[] {
    return this.clients.get(`${server}/${connection}`)?.received ?? [];
  }

  reply(server: ServerId, connection: number, xid: number): Extract<Received, { kind: 'reply' }> | undefined {
    const found = this.received(server, connection).find((r) => r.kind === 'reply' && r.header.xid === xid);
    return found?.kind === 'reply' ? found : undefined;
  }

  isClosed(server: ServerId, connection: number): boolean {
    return this.closed.has(`${server}/${connection}`);
  }

  // ---- the pump ----

  feed(to: ServerId, input: ServerInput): void {
    this.queue.push({ to, input });
  }

  drain(maxSteps = 1_000_000): void {
    for (let i = 0; this.queue.length > 0; i++) {
      if (i >= maxSteps) throw new Error('ensemble: inputs do not settle');
      const { to, input } = this.queue.shift() as { to: ServerId; input: ServerInput };
      const node = this.node(to);
      if (node.peer === null) continue;
      for (const effect of node.peer.step(input)) this.carryOut(node, effect);
      this.flushDisk(node);
    }
  }

  private carryOut(node: Node, effect: ServerEffect): void {
    switch (effect.kind) {
      case 'peer.send':
        if (this.up(effect.to) && !this.cut.has(linkKey(node.id, effect.to))) {
          this.feed(effect.to, { kind: 'peer.message', from: node.id, bytes: effect.bytes });
        }
        return;
      case 'connection.send':
        this.clients.get(`${node.id}/${effect.connection}`)?.receive(effect.bytes);
        return;
      case 'connection.close':
        this.closed.add(`${node.id}/${effect.connection}`);
        return;
      case 'trace':
        this.traces.push(effect.event);
        return;
      case 'storage.append':
      case 'storage.snapshot':
      case 'storage.setMeta':
      case 'storage.truncate':
        node.pendingStorage.push(effect);
        return;
    }
  }

  /** Completes pending storage in order (unless held), feeding the completion inputs. */
  private flushDisk(node: Node): void {
    if (node.holdDisk || node.peer === null) return;
    for (const op of node.pendingStorage.splice(0)) {
      node.disk.carryOut(op);
      if (op.kind === 'storage.append') this.feed(node.id, { kind: 'storage.durable', batchId: op.batchId });
      else if (op.kind === 'storage.setMeta') this.feed(node.id, { kind: 'storage.metaSaved', key: op.key, value: op.value });
      else if (op.kind === 'storage.snapshot') this.feed(node.id, { kind: 'storage.snapshotSaved', zxid: op.zxid });
    }
  }

  private linkChanged(a: ServerId, b: ServerId, up: boolean): void {
    if (this.up(a)) this.feed(a, { kind: 'peer.link', peer: b, up });
    if (this.up(b)) this.feed(b, { kind: 'peer.link', peer: a, up });
  }

  private node(id: ServerId): Node {
    const node = this.nodes.get(id);
    if (node === undefined) throw new Error(`no server ${id}`);
    return node;
  }
}

function linkKey(a: ServerId, b: ServerId): string {
  return a < b ? `${a}-${b}` : `${b}-${a}`;
}
