// Drives a StandaloneServer in tests: routes its sends to per-connection TestClients, keeps the
// log it asked for, and (unless told otherwise) reports every append durable at once.
import { StandaloneServer, type RecoveredState, type ServerOptions } from '../standalone-server';
import { defaultServerConfig, type ServerConfig, type ServerEffect, type ServerInput } from '../server-api';
import { Prng } from '../prng';
import type { KnownClientRequest } from '../../jute';
import type { LogEntry } from '../../storage/storage';
import type { TraceEvent } from '../trace';
import type { Zxid } from '../types';
import { TestClient, type ConnectOptions, type Received } from './test-client';

export class Harness {
  readonly server: StandaloneServer;
  nowMs: number;
  autoDurable = true;
  readonly clients = new Map<number, TestClient>();
  readonly closed = new Set<number>();
  readonly rawSent = new Map<number, Uint8Array[]>();
  readonly log: LogEntry[] = [];
  readonly appends: Array<{ batchId: number; entries: LogEntry[] }> = [];
  readonly pendingBatches: number[] = [];
  readonly snapshots: Array<{ zxid: Zxid; bytes: Uint8Array }> = [];
  readonly traces: TraceEvent[] = [];
  readonly effects: ServerEffect[] = [];

  constructor(
    overrides: Partial<ServerConfig> = {},
    options: { startMs?: number; recovered?: RecoveredState; serverOptions?: ServerOptions; seed?: number } = {},
  ) {
    this.nowMs = options.startMs ?? 1_000_000;
    const config = defaultServerConfig({ fourLetterWords: '*', ...overrides });
    this.server = new StandaloneServer(config, new Prng(options.seed ?? 1), this.nowMs, options.recovered, options.serverOptions);
  }

  step(input: ServerInput): ServerEffect[] {
    const effects = this.server.step(input);
    this.effects.push(...effects);
    for (const e of effects) this.carryOut(e);
    return effects;
  }

  private carryOut(e: ServerEffect): void {
    switch (e.kind) {
      case 'connection.send': {
        const raw = this.rawSent.get(e.connection) ?? [];
        raw.push(e.bytes);
        this.rawSent.set(e.connection, raw);
        this.clients.get(e.connection)?.receive(e.bytes);
        break;
      }
      case 'connection.close':
        this.closed.add(e.connection);
        break;
      case 'storage.append':
        this.appends.push({ batchId: e.batchId, entries: e.entries });
        this.log.push(...e.entries);
        if (this.autoDurable) this.step({ kind: 'storage.durable', batchId: e.batchId });
        else this.pendingBatches.push(e.batchId);
        break;
      case 'storage.snapshot':
        this.snapshots.push({ zxid: e.zxid, bytes: e.bytes });
        break;
      case 'trace':
        this.traces.push(e.event);
        break;
    }
  }

  /** Makes the oldest pending batch durable (with autoDurable off). */
  durable(): void {
    const batchId = this.pendingBatches.shift();
    if (batchId === undefined) throw new Error('no pending batch');
    this.step({ kind: 'storage.durable', batchId });
  }

  open(connection: number, remoteAddress = `10.0.0.${connection}:5${connection}`): TestClient {
    const client = new TestClient();
    this.clients.set(connection, client);
    this.step({ kind: 'connection.open', connection, remoteAddress });
    return client;
  }

  connect(connection: number, options: ConnectOptions = {}, remoteAddress?: string): TestClient {
    const client = this.open(connection, remoteAddress);
    this.step({ kind: 'connection.data', connection, bytes: client.connectFrame(options) });
    return client;
  }

  send(connection: number, request: KnownClientRequest, xid?: number): number {
    const client = this.clients.get(connection);
    if (client === undefined) throw new Error(`no client ${connection}`);
    const framed = client.frame(request, xid);
    this.step({ kind: 'connection.data', connection, bytes: framed.bytes });
    return framed.xid;
  }

  clock(advanceMs: number): void {
    this.nowMs += advanceMs;
    this.step({ kind: 'clock', nowMs: this.nowMs });
  }

  received(connection: number): Received[] {
    return this.clients.get(connection)?.received ?? [];
  }

  reply(connection: number, xid: number): Extract<Received, { kind: 'reply' }> {
    const found = this.received(connection).find((r) => r.kind === 'reply' && r.header.xid === xid);
    if (found === undefined || found.kind !== 'reply') throw new Error(`no reply to xid ${xid} on ${connection}`);
    return found;
  }

  session(connection: number): { sessionId: bigint; passwd: Uint8Array; timeoutMs: number } {
    const first = this.received(connection)[0];
    if (first === undefined || first.kind !== 'connect') throw new Error(`connection ${connection} has no session`);
    return first.response;
  }

  tracesOf<T extends TraceEvent['type']>(type: T): Array<Extract<TraceEvent, { type: T }>> {
    return this.traces.filter((t): t is Extract<TraceEvent, { type: T }> => t.type === type);
  }
}
