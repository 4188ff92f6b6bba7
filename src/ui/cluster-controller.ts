// Single-tab mode: runs every server of the ensemble as a Web Worker of this tab and wires them
// together as a network would: one MessageChannel per pair of workers, an end transferred to each.
// The fault controls act where they belong: kill terminates the worker (its channels die, its
// IndexedDB stays: a crash), restart starts a new worker for the same myid (it recovers from
// IndexedDB), freeze pauses the worker's core, and partitions, latency and loss are link faults
// each worker applies to its own links. Client sessions reach a server through `connector`.
//
// Multi-tab mode (`membership` given, `?mode=tabs`): the same controller drives just this tab's
// own server, whose peer links are WebRTC data channels to the other tabs (src/ui/tab-membership.ts)
// instead of MessagePorts; Add server opens another tab of the cluster. Faults for another tab's
// server, and partitions and link settings (which every tab applies to its own server), go to the
// control plane through the RemoteFaults attached by src/ui/tabs-control.ts.
import type { ByteStream, Connector } from '../net/byte-stream';
import { portByteStream } from '../worker/port-stream';
import type { PageToWorker, ServerIdentity, WorkerToPage } from '../worker/protocol';
import type { TraceEvent } from '../zk/trace';
import type { ServerId } from '../zk/types';
import { createServerWorker, type WorkerLike } from './bridge';
import { leaderOf, linkFaultsFor, nextObserver, quorumSpec, serverIdOfAddress, type LinkSetting, type PartitionGroup } from './cluster-model';
import { appendClusterTraces, applyClusterMessage, clearLinkSettings, clusterOf, setLinkSetting, setPartition, updateServer } from './cluster-store';
import { reportError, type AppStore } from './store';
import type { TabMembership } from './tab-membership';
import { tabsConnector } from './tabs-connector';
import type { TabParams } from './url-params';

/** Suffix of the simulated servers' cluster name: their databases stay apart from the tab's standalone server. */
export const SIMULATION_SUFFIX = '-sim';
/** Suffix of a multi-tab server's cluster name: database `zootabs-<cluster>-tab-<myid>`. */
export const TABS_SUFFIX = '-tab';
/**
 * Worker messages are applied to the store in batches at most this often: N workers streaming
 * traces would otherwise re-render the page for every message and starve the page's own clients.
 */
export const MESSAGE_FLUSH_MS = 50;
/** Messages waiting for a flush; beyond this the page is hopelessly behind and flushes at once. */
const PENDING_MESSAGES_MAX = 2000;

/** Multi-tab mode: how faults reach the other tabs (src/ui/tabs-control.ts). */
export interface RemoteFaults {
  kill(myid: ServerId): void;
  restart(myid: ServerId): void;
  setFrozen(myid: ServerId, frozen: boolean): void;
  partition(groups: Record<number, PartitionGroup>): void;
  heal(): void;
  setLink(from: ServerId, to: ServerId, setting: LinkSetting | null): void;
}

export interface ClusterControllerOptions {
  createWorker?: (myid: ServerId) => WorkerLike;
  createChannel?: () => { port1: MessagePort; port2: MessagePort };
  /** Multi-tab mode: this tab's claim on a myid and its WebRTC links to the other tabs. */
  membership?: TabMembership;
  /** Multi-tab mode: opens another tab of the cluster (Add server). */
  openTab?: () => void;
}

export class ClusterController {
  private readonly workers = new Map<ServerId, WorkerLike>();
  /** Client connections per server, closed when that server is killed (its sockets reset). */
  private readonly streams = new Map<ServerId, Set<ByteStream>>();
  private readonly createWorker: (myid: ServerId) => WorkerLike;
  private readonly createChannel: () => { port1: MessagePort; port2: MessagePort };
  private pending: Array<{ myid: ServerId; worker: WorkerLike; message: WorkerToPage }> = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly membership: TabMembership | null;
  private readonly openTab: () => void;
  private remote: RemoteFaults | null = null;

  constructor(
    private readonly store: AppStore,
    private readonly params: TabParams,
    options: ClusterControllerOptions = {},
  ) {
    this.createWorker = options.createWorker ?? ((myid) => createServerWorker(`zootabs-server-${myid}`));
    this.createChannel = options.createChannel ?? (() => new MessageChannel());
    this.membership = options.membership ?? null;
    this.openTab = options.openTab ?? (() => void window.open(window.location.href, '_blank'));
  }

  /** Multi-tab mode: this tab runs one server of an ensemble of tabs. */
  get tabs(): boolean {
    return this.membership !== null;
  }

  /** Multi-tab mode: this tab's own myid (null in single-tab mode). */
  get ownId(): ServerId | null {
    return this.membership?.myid ?? null;
  }

  /** Multi-tab mode: routes faults for other tabs' servers, and cluster-wide faults, through `remote`. */
  attachRemote(remote: RemoteFaults | null): void {
    this.remote = remote;
  }

  /** The remote route for server `myid`, when it runs in another tab. */
  private remoteFor(myid: ServerId): RemoteFaults | null {
    return this.membership !== null && myid !== this.membership.myid ? this.remote : null;
  }

  /** The remote route for faults every tab applies (partition, links, heal). */
  private get clusterWide(): RemoteFaults | null {
    return this.membership !== null ? this.remote : null;
  }

  identity(myid: ServerId): ServerIdentity {
    const suffix = this.membership === null ? SIMULATION_SUFFIX : TABS_SUFFIX;
    return { cluster: this.params.identity.cluster + suffix, myid };
  }

  /** Starts every voter (multi-tab mode: this tab's own server). */
  startAll(): void {
    if (this.membership !== null) return this.start(this.membership.myid);
    for (const myid of quorumSpec(this.params.size).voters) this.start(myid);
  }

  isRunning(myid: ServerId): boolean {
    return this.workers.has(myid);
  }

  /** Starts (or restarts) server `myid` and connects it to every running server. */
  start(myid: ServerId): void {
    const remote = this.remoteFor(myid);
    if (remote !== null) return remote.restart(myid);
    if (this.membership !== null && myid !== this.membership.myid) throw new RangeError(`server ${myid} runs in another tab`);
    const server = clusterOf(this.store.getState()).servers[myid];
    if (server === undefined) throw new RangeError(`no server ${myid} in this ensemble`);
    if (this.workers.has(myid)) return;
    const worker = this.createWorker(myid);
    const membership = this.membership;
    worker.onmessage = (event: MessageEvent) => {
      if (membership?.handleWorkerMessage(event.data) === true) return;
      this.receive(myid, worker, event.data as WorkerToPage);
    };
    worker.onerror = (event: ErrorEvent) => {
      reportError(this.store, `server ${myid}'s worker crashed: ${event.message || 'unknown error'}`);
      updateServer(this.store, myid, { phase: 'failed', phaseDetail: 'the worker crashed' });
    };
    updateServer(this.store, myid, { life: 'running', phase: 'starting', phaseDetail: 'starting the worker', frozen: false, starts: server.starts + 1 });
    const start: PageToWorker = { type: 'start', identity: this.identity(myid), tickTimeMs: this.params.tickTimeMs, quorum: quorumSpec(this.params.size) };
    if (membership !== null) {
      // The start goes first: the worker builds its WebRTC transport on it, before any channel.
      worker.postMessage({ ...start, peerLinks: membership.peerLinks ?? 'webrtc' });
      this.workers.set(myid, worker);
      membership.setWorker(worker);
      this.pushFaults(myid);
      return;
    }
    worker.postMessage(start);
    for (const [other, otherWorker] of this.workers) {
      const channel = this.createChannel();
      post(worker, { type: 'peer.port', peer: other, port: channel.port1 }, [channel.port1]);
      post(otherWorker, { type: 'peer.port', peer: myid, port: channel.port2 }, [channel.port2]);
    }
    this.workers.set(myid, worker);
    this.pushFaults(myid);
  }

  /** A crash: the worker is terminated mid-flight; peers and clients see their channels to it die. */
  kill(myid: ServerId): void {
    const remote = this.remoteFor(myid);
    if (remote !== null) return remote.kill(myid);
    const worker = this.workers.get(myid);
    if (worker === undefined) return;
    worker.onmessage = null;
    worker.onerror = null;
    worker.terminate();
    this.workers.delete(myid);
    if (this.membership !== null) {
      // A terminated worker leaves its transferred data channels open: reset the connections so
      // the other tabs see this server's links die, as a crashed process's sockets would.
      this.membership.setWorker(null);
      this.membership.resetLinks();
    }
    for (const other of this.workers.values()) post(other, { type: 'peer.gone', peer: myid });
    for (const stream of [...(this.streams.get(myid) ?? [])]) stream.close();
    this.streams.delete(myid);
    updateServer(this.store, myid, { life: 'killed', phase: 'stopped', phaseDetail: 'killed', frozen: false });
  }

  killLeader(): ServerId | null {
    const leader = leaderOf(clusterOf(this.store.getState()));
    if (leader !== null) this.kill(leader);
    return leader;
  }

  restart(myid: ServerId): void {
    const remote = this.remoteFor(myid);
    if (remote !== null) return remote.restart(myid);
    this.kill(myid);
    this.start(myid);
  }

  setFrozen(myid: ServerId, frozen: boolean): void {
    const remote = this.remoteFor(myid);
    if (remote !== null) return remote.setFrozen(myid, frozen);
    const worker = this.workers.get(myid);
    if (worker === undefined) return;
    post(worker, { type: 'freeze', frozen });
    updateServer(this.store, myid, { frozen });
  }

  /** Splits the servers into groups; frames between groups are dropped, channels stay open. */
  partition(groups: Record<number, PartitionGroup>): void {
    if (this.clusterWide !== null) return this.clusterWide.partition(groups);
    setPartition(this.store, groups);
    this.pushFaultsToAll();
  }

  /** Ends the partition and clears every latency and loss setting. */
  heal(): void {
    if (this.clusterWide !== null) return this.clusterWide.heal();
    setPartition(this.store, null);
    clearLinkSettings(this.store);
    this.pushFaultsToAll();
  }

  /** Sets both directions of the link a-b. */
  setLink(a: ServerId, b: ServerId, setting: LinkSetting | null): void {
    this.setLinkDirection(a, b, setting);
    this.setLinkDirection(b, a, setting);
  }

  /** Sets one direction of a link: latency and loss of what `from` sends to `to`. */
  setLinkDirection(from: ServerId, to: ServerId, setting: LinkSetting | null): void {
    if (this.clusterWide !== null) return this.clusterWide.setLink(from, to, setting);
    setLinkSetting(this.store, from, to, setting);
    this.pushFaults(from);
    this.pushFaults(to);
  }

  /** Sends every running server's link faults again (after the store's fault model changed). */
  refreshFaults(): void {
    this.pushFaultsToAll();
  }

  /** Starts the next observer slot; null when every slot runs. */
  addServer(): ServerId | null {
    if (this.membership !== null) {
      this.openTab();
      return null;
    }
    const myid = nextObserver(clusterOf(this.store.getState()));
    if (myid !== null) this.start(myid);
    return myid;
  }

  /**
   * Connections to "serverN:port" go to server N's worker; a dead server refuses, so the client moves on.
   * Multi-tab mode: only this tab's server is a worker here; the others are reached through client
   * tunnels to their tabs (src/ui/tabs-connector.ts).
   */
  connector(remoteAddress: string): Connector {
    const local: Connector = async (address) => {
      const myid = serverIdOfAddress(address);
      if (myid === null) throw new Error(`${address} is not a server of this tab`);
      const worker = this.workers.get(myid);
      if (worker === undefined) throw new Error(`server${myid} is down`);
      const channel = this.createChannel();
      post(worker, { type: 'connect', port: channel.port2, remoteAddress }, [channel.port2]);
      const stream = portByteStream(channel.port1);
      const open = this.streams.get(myid) ?? new Set<ByteStream>();
      this.streams.set(myid, open);
      open.add(stream);
      stream.onClose(() => open.delete(stream));
      return stream;
    };
    const membership = this.membership;
    if (membership === null) return local;
    const openClient = membership.openClient?.bind(membership);
    const remote = openClient === undefined ? {} : { remote: openClient };
    return tabsConnector({ selfId: membership.myid, local, ...remote }, remoteAddress);
  }


  /** Stops every worker cleanly (page unload). */
  stopAll(): void {
    for (const worker of this.workers.values()) post(worker, { type: 'stop' });
  }

  private receive(myid: ServerId, worker: WorkerLike, message: WorkerToPage): void {
    this.pending.push({ myid, worker, message });
    if (this.pending.length >= PENDING_MESSAGES_MAX) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), MESSAGE_FLUSH_MS);
  }

  /**
   * Applies what the workers said since the last flush; all traces as one batch, and of each
   * server's statuses only the newest (each replaces the one before), so a flush costs a few store
   * updates however many messages arrived.
   */
  flush(): void {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const batch = this.pending.splice(0);
    const lastStatus = new Map<ServerId, number>();
    batch.forEach(({ myid, message }, i) => {
      if (message.type === 'status') lastStatus.set(myid, i);
    });
    const traces: TraceEvent[] = [];
    batch.forEach(({ myid, worker, message }, i) => {
      // A killed worker's last words (queued before the kill) must not bring it back to life.
      if (this.workers.get(myid) !== worker) return;
      if (message.type === 'trace') traces.push(...message.events);
      else if (message.type !== 'status' || lastStatus.get(myid) === i) applyClusterMessage(this.store, myid, message);
    });
    if (traces.length > 0) appendClusterTraces(this.store, traces, performance.now());
  }

  private pushFaultsToAll(): void {
    for (const myid of this.workers.keys()) this.pushFaults(myid);
  }

  private pushFaults(myid: ServerId): void {
    const worker = this.workers.get(myid);
    if (worker === undefined) return;
    post(worker, { type: 'faults', links: linkFaultsFor(clusterOf(this.store.getState()), myid) });
  }
}

function post(worker: WorkerLike, message: PageToWorker, transfer: Transferable[] = []): void {
  worker.postMessage(message, transfer);
}
