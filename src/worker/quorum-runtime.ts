// One quorum server (QuorumPeer) running in a worker: recovers from storage, runs behind CoreHost
// with a FreezeGate in front of the core, talks to its peers over MessagePorts (QuorumLinks),
// accepts client connections as MessagePorts, drives its clock from the worker's timers, and
// streams traces and status to the page. Free of worker globals: Node tests run it with
// MemoryStorage, node:worker_threads MessageChannels and their own timers.
import { CoreHost } from '../host/core-host';
import { realClock, type Clock } from '../net/clock';
import type { MessagePortLike } from '../net/message-port-transport';
import type { Transport } from '../net/transport';
import { Prng } from '../zk/prng';
import { QuorumPeer } from '../zk/quorum-peer';
import type { TraceEvent } from '../zk/trace';
import type { ServerId, Zxid } from '../zk/types';
import { defaultQuorumPeerConfig, type QuorumPeerConfig, type QuorumServerSpec } from '../zk/zab/peer-config';
import { ConnectionPorts } from './connection-ports';
import { FreezeGate } from './freeze-gate';
import type { PortLike } from './port-stream';
import { databaseName, type LinkFaults, type QuorumSpec, type QuorumStatus, type ServerStatus } from './protocol';
import { QuorumLinks } from './quorum-links';
import { readQuorumStatus, sameQuorumStatus } from './quorum-status';
import { messageOf, serverConfig, STATUS_PERIOD_MS, type RuntimeOptions } from './server-runtime';
import { TraceBatcher } from './trace-batcher';

export const CLIENT_PORT = 2181;

export interface QuorumRuntimeOptions extends RuntimeOptions {
  quorum: QuorumSpec;
  /** Timers of the peer links (reconnects, latency); the real clock by default. */
  linkClock?: Clock;
  /** The peer links when they are not MessagePorts from the page (multi-tab mode: WebRTC). */
  peerTransport?: Transport;
}

/** The clock input period: a fraction of tickTime, so ZAB and FLE deadlines are on time. */
export function clockPeriodMs(tickTimeMs: number): number {
  return Math.max(10, Math.min(100, Math.floor(tickTimeMs / 4)));
}

/** zoo.cfg server.N lines of the simulated ensemble: servers are named serverN, as clients address them. */
export function quorumPeerConfig(spec: QuorumSpec): QuorumPeerConfig {
  const role = (id: ServerId): QuorumServerSpec['role'] => (spec.observers.includes(id) ? 'observer' : 'participant');
  const servers = [...spec.voters, ...spec.observers].map((id) => ({
    id,
    host: `server${id}`,
    quorumPort: 2888,
    electionPort: 3888,
    role: role(id),
    clientPort: CLIENT_PORT,
  }));
  return defaultQuorumPeerConfig(servers, { initLimitTicks: spec.initLimitTicks, syncLimitTicks: spec.syncLimitTicks });
}

export class QuorumRuntime {
  private readonly timerHandles: unknown[] = [];
  private lastStatus: ServerStatus | null = null;
  private lastVote: QuorumStatus['vote'] = null;
  private stopped = false;

  private constructor(
    private readonly options: QuorumRuntimeOptions,
    private readonly peer: QuorumPeer,
    private readonly gate: FreezeGate,
    private readonly host: CoreHost,
    private readonly ports: ConnectionPorts,
    private readonly links: QuorumLinks,
  ) {}

  /** Loads storage, rebuilds the peer from snapshot + log + epochs, and joins the ensemble (LOOKING). */
  static async start(options: QuorumRuntimeOptions): Promise<QuorumRuntime> {
    const { storage, post, identity, quorum } = options;
    const loaded = await storage.load();
    post({ type: 'recovered', snapshotZxid: loaded.snapshot?.zxid ?? null, logEntries: loaded.log.length, warnings: loaded.warnings });
    let peer: QuorumPeer;
    try {
      peer = new QuorumPeer(serverConfig(identity, options.tickTimeMs), quorumPeerConfig(quorum), new Prng(options.seed), options.now(), {
        snapshot: loaded.snapshot?.bytes ?? null,
        log: loaded.log,
        meta: loaded.meta,
      });
    } catch (error) {
      throw new Error(`recovery of ${databaseName(identity)} failed: ${messageOf(error)}`);
    }
    const gate = new FreezeGate(peer);
    const links = new QuorumLinks({
      selfId: identity.myid,
      peers: [...quorum.voters, ...quorum.observers],
      clock: options.linkClock ?? realClock,
      prng: new Prng(options.seed ^ 0x5bd1e995),
      ...(options.peerTransport === undefined ? {} : { base: options.peerTransport }),
    });
    // The host, the ports and the runtime refer to each other: inputs flow in, effects flow out.
    let host: CoreHost | null = null;
    let runtime: QuorumRuntime | null = null;
    const ports = new ConnectionPorts((input) => host?.feed(input));
    const batcher = new TraceBatcher({
      post: (events) => {
        post({ type: 'trace', events });
        runtime?.reportStatus();
      },
      schedule: options.timers.defer,
    });
    host = new CoreHost(gate, storage, ports, {
      now: options.now,
      onTrace: (event: TraceEvent) => {
        runtime?.noteTrace(event);
        batcher.push(event);
      },
      sendPeer: (to, bytes) => links.send(to, bytes),
      onFatal: (error) => runtime?.fail(`durable write failed, server stopped: ${messageOf(error)}`),
    });
    runtime = new QuorumRuntime(options, peer, gate, host, ports, links);
    links.onMessage((from, bytes) => host?.feed({ kind: 'peer.message', from, bytes }));
    links.onLinkChange((other, state) => host?.feed({ kind: 'peer.link', peer: other, up: state === 'up' }));
    runtime.begin();
    return runtime;
  }

  get state(): QuorumPeer['state'] {
    return this.peer.state;
  }

  get lastZxid(): Zxid {
    return this.peer.lastProcessedZxid;
  }

  get frozen(): boolean {
    return this.gate.frozen;
  }

  attach(port: PortLike, remoteAddress: string): void {
    if (this.stopped) {
      port.postMessage({ type: 'close', reason: 'server is stopped' }, []);
      port.close();
      return;
    }
    this.ports.attach(port, remoteAddress);
  }

  attachPeer(peer: ServerId, port: MessagePortLike): void {
    if (this.stopped || this.options.peerTransport !== undefined) return void port.close();
    this.links.attachPort(peer, port);
  }

  peerGone(peer: ServerId): void {
    if (!this.stopped && this.options.peerTransport === undefined) this.links.peerGone(peer);
  }

  setFaults(links: ReadonlyArray<{ peer: ServerId; faults: LinkFaults }>): void {
    if (!this.stopped) this.links.setFaults(links);
  }

  /** A long pause (frozen) or its end: what waited is processed in arrival order. */
  setFrozen(frozen: boolean): void {
    if (this.stopped || frozen === this.gate.frozen) return;
    if (frozen) this.gate.freeze();
    else {
      for (const input of this.gate.thaw()) this.host.feed(input);
      const dropped = this.gate.takeDropped();
      if (dropped > 0) this.options.post({ type: 'error', message: `server ${this.options.identity.myid}: ${dropped} inputs dropped while frozen`, fatal: false });
    }
    this.reportStatus();
  }

  /** Stops serving; pending durable writes finish first, then storage closes. */
  async stop(reason = 'server stopped'): Promise<void> {
    if (this.stopped) return;
    this.halt(reason);
    await this.host.drainStorage();
    await this.options.storage.close();
  }

  reportStatus(): void {
    if (this.stopped) return;
    const status = readQuorumStatus(this.peer, {
      connectionCount: this.ports.size,
      vote: this.lastVote,
      links: this.links.linkStates(),
      frozen: this.gate.frozen,
      buffered: this.gate.buffered,
    });
    if (sameQuorumStatus(this.lastStatus, status)) return;
    this.lastStatus = status;
    this.options.post({ type: 'status', status });
  }

  private noteTrace(event: TraceEvent): void {
    if (event.type === 'vote.sent') this.lastVote = { leader: event.leader, zxid: event.zxid, electionEpoch: event.electionEpoch };
  }

  private begin(): void {
    const { timers } = this.options;
    this.host.advanceClock();
    this.timerHandles.push(timers.setInterval(() => this.host.advanceClock(), clockPeriodMs(this.options.tickTimeMs)));
    this.timerHandles.push(timers.setInterval(() => this.reportStatus(), Math.min(STATUS_PERIOD_MS, this.options.tickTimeMs)));
    this.reportStatus();
    this.options.post({ type: 'phase', phase: 'serving', detail: `running ${databaseName(this.options.identity)}` });
  }

  private fail(message: string): void {
    this.options.post({ type: 'error', message, fatal: true });
    this.options.post({ type: 'phase', phase: 'failed', detail: message });
    this.halt(message);
  }

  private halt(reason: string): void {
    this.stopped = true;
    for (const handle of this.timerHandles) this.options.timers.clearInterval(handle);
    this.timerHandles.length = 0;
    this.host.stop();
    this.ports.closeAll(reason);
    this.links.close();
  }
}
