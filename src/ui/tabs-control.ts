// Multi-tab mode: the whole cluster from any tab, over the control plane (src/net/control-plane.ts).
// - Status: this tab reports its own server every STATUS_REPORT_MS and at once when something
//   visible changes; reports from the other tabs draw their servers in this tab's cluster view.
// - Faults: kill / restart / freeze / unfreeze of another tab's server go to that tab as a
//   FaultCommand; it applies it to its own worker and acks. A failed or missing ack is reported in
//   plain words. Partition, link settings and heal go to every tab ('all', this one included); each
//   applies them to its model and its own worker's links.
// - A tab opened later learns the partition and link settings from the reports, which carry the
//   fault model with a version (the newest wins).
import { realClock, type Clock } from '../net/clock';
import { ControlPlane, newerFaults, type ControlBody, type ControlMessage, type FaultCommand, type FaultModelReport, type StatusReport } from '../net/control-plane';
import type { ServerId } from '../zk/types';
import { STATUS_REPORT_MS, type ClusterState, type LinkSetting, type PartitionGroup } from './cluster-model';
import type { RemoteFaults } from './cluster-controller';
import { clusterOf, setFaultModel, setLinkSetting, setPartition } from './cluster-store';
import { reportError, type AppStore } from './store';
import { TraceRelay } from './trace-relay';
import type { TabMembership } from './tab-membership';
import { applyRemoteReport, faultModelOf, faultStateOf, groupsOf, reportKey, reportOf, sidesOf } from './tabs-status';

/** How long a sender waits for the target tab's ack before it says the command may be lost. */
export const ACK_TIMEOUT_MS = 5000;
/**
 * A changed report goes out at once, but not more often than this: under writes lastZxid changes
 * all the time, and every report costs each tab of the cluster a decode, a store update and a
 * redraw of the card (twice over for a tab of this browser: broadcast and data channel).
 */
export const REPORT_MIN_GAP_MS = 250;
/** Commands awaiting an ack; beyond this the oldest is given up (and reported). */
const PENDING_ACKS_MAX = 64;

/** The part of ControlPlane used (tests pass the real one over fakes). */
export interface ControlPlaneLike {
  send(to: ServerId | 'all', body: ControlBody): string;
  onMessage(handler: (message: ControlMessage, via: 'broadcast' | 'peer') => void): () => void;
}

/** What this needs from ClusterController: its own server's controls. */
export interface OwnServerControls {
  kill(myid: ServerId): void;
  start(myid: ServerId): void;
  setFrozen(myid: ServerId, frozen: boolean): void;
  isRunning(myid: ServerId): boolean;
  refreshFaults(): void;
  attachRemote(remote: RemoteFaults | null): void;
}

export interface TabsControlOptions {
  store: AppStore;
  controller: OwnServerControls;
  plane: ControlPlaneLike;
  myid: ServerId;
  /** Wall clock and timers (the reports carry wall-clock times; tests pass a manual clock). */
  clock: Clock;
  reportEveryMs?: number;
  ackTimeoutMs?: number;
}

interface PendingAck {
  what: string;
  target: ServerId;
  cancel: () => void;
}

export class TabsControl implements RemoteFaults {
  private readonly pending = new Map<string, PendingAck>();
  private readonly unfreezeTimers = new Set<() => void>();
  private faultsVersion: FaultModelReport['version'] = { atMs: 0, id: '' };
  private lastKey = '';
  private lastSentMs = -Infinity;
  private cancelReportTimer: (() => void) | null = null;
  /** When the armed report timer fires (clock ms); meaningful while cancelReportTimer is set. */
  private reportDueMs = Infinity;
  private readonly offs: Array<() => void> = [];
  private stopped = false;

  constructor(private readonly options: TabsControlOptions) {}

  start(): void {
    const { plane, store, controller } = this.options;
    controller.attachRemote(this);
    this.offs.push(plane.onMessage((message) => this.receive(message)));
    this.offs.push(store.subscribe((state, previous) => {
      if (reportInputsChanged(state.cluster, previous.cluster, this.options.myid)) this.reportIfChanged();
    }));
    this.publish();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.options.controller.attachRemote(null);
    for (const off of this.offs.splice(0)) off();
    this.cancelReportTimer?.();
    for (const p of this.pending.values()) p.cancel();
    this.pending.clear();
    for (const cancel of this.unfreezeTimers) cancel();
  }

  /** The fault model version in force (tests). */
  get faultVersion(): FaultModelReport['version'] {
    return this.faultsVersion;
  }

  // ---------- RemoteFaults: what this tab's buttons ask of other tabs ----------

  kill(myid: ServerId): void {
    this.command({ kind: 'kill', target: myid }, `kill server ${myid}`);
  }

  restart(myid: ServerId): void {
    this.command({ kind: 'restart', target: myid }, `restart server ${myid}`);
  }

  setFrozen(myid: ServerId, frozen: boolean): void {
    if (frozen) this.command({ kind: 'freeze', target: myid, durationMs: null }, `freeze server ${myid}`);
    else this.command({ kind: 'unfreeze', target: myid }, `unfreeze server ${myid}`);
  }

  partition(groups: Record<number, PartitionGroup>): void {
    this.broadcast({ kind: 'partition', groups: groupsOf(groups) });
  }

  heal(): void {
    this.broadcast({ kind: 'heal' });
  }

  setLink(from: ServerId, to: ServerId, setting: LinkSetting | null): void {
    const policy = setting === null || (setting.latencyMs <= 0 && setting.lossProbability <= 0) ? null : { latencyMs: setting.latencyMs, lossProbability: setting.lossProbability };
    this.broadcast({ kind: 'link', from, to, policy });
  }

  // ---------- sending ----------

  private command(command: FaultCommand & { target: ServerId }, what: string): void {
    const { plane, clock, store } = this.options;
    let id: string;
    try {
      id = plane.send(command.target, { type: 'fault', command });
    } catch (error) {
      return reportError(store, `could not send "${what}" to server ${command.target}'s tab: ${String(error)}`);
    }
    const timeoutMs = this.options.ackTimeoutMs ?? ACK_TIMEOUT_MS;
    const cancel = clock.setTimer(timeoutMs, () => {
      if (!this.pending.delete(id)) return;
      reportError(store, `no answer from server ${command.target}'s tab within ${timeoutMs / 1000} s: "${what}" may not have happened (is that tab open?)`);
    });
    this.pending.set(id, { what, target: command.target, cancel });
    if (this.pending.size > PENDING_ACKS_MAX) {
      const [oldestId, oldest] = this.pending.entries().next().value as [string, PendingAck];
      oldest.cancel();
      this.pending.delete(oldestId);
      reportError(store, `gave up waiting for server ${oldest.target}'s tab to answer "${oldest.what}"`);
    }
  }

  private broadcast(command: FaultCommand): void {
    try {
      this.options.plane.send('all', { type: 'fault', command });
    } catch (error) {
      reportError(this.options.store, `could not send the ${command.kind} to the other tabs: ${String(error)}`);
    }
  }

  /** Sends this tab's report now if it changed (at most every REPORT_MIN_GAP_MS). */
  private reportIfChanged(): void {
    if (this.stopped) return;
    const report = this.ownReport();
    if (report === null || reportKey(report) === this.lastKey) return;
    const nowMs = this.options.clock.nowMs();
    const waitMs = this.lastSentMs + REPORT_MIN_GAP_MS - nowMs;
    if (waitMs <= 0) return this.publish();
    // A timer due by then sends the newest report anyway: re-arming it per change (every status
    // under writes) was a setTimeout and a clearTimeout each.
    if (this.cancelReportTimer !== null && this.reportDueMs <= nowMs + waitMs) return;
    this.schedule(waitMs);
  }

  private publish(): void {
    if (this.stopped) return;
    const report = this.ownReport();
    if (report !== null) {
      try {
        this.options.plane.send('all', { type: 'status', report });
        this.lastKey = reportKey(report);
        this.lastSentMs = this.options.clock.nowMs();
      } catch (error) {
        reportError(this.options.store, `could not send this server's status to the other tabs: ${String(error)}`);
      }
    }
    this.schedule(this.options.reportEveryMs ?? STATUS_REPORT_MS);
  }

  private schedule(delayMs: number): void {
    this.cancelReportTimer?.();
    this.reportDueMs = this.options.clock.nowMs() + delayMs;
    this.cancelReportTimer = this.options.clock.setTimer(delayMs, () => {
      this.cancelReportTimer = null;
      this.publish();
    });
  }

  private ownReport(): StatusReport | null {
    const own = this.options.store.getState().cluster?.servers[this.options.myid];
    if (own === undefined) return null;
    const cluster = clusterOf(this.options.store.getState());
    return reportOf(own, this.options.clock.nowMs(), faultModelOf(cluster, this.faultsVersion));
  }

  // ---------- receiving ----------

  private receive(message: ControlMessage): void {
    if (this.stopped) return;
    const body = message.body;
    switch (body.type) {
      case 'status':
        if (body.report.myid === this.options.myid || message.from !== body.report.myid) return;
        applyRemoteReport(this.options.store, body.report, this.options.clock.nowMs());
        if (body.report.faults !== undefined && newerFaults(body.report.faults.version, this.faultsVersion)) this.adoptFaults(body.report.faults);
        return;
      case 'ack':
        return this.acked(message.from, body.of, body.ok, body.detail);
      case 'fault':
        return this.applyFault(message, body.command);
    }
  }

  private acked(from: ServerId, of: string, ok: boolean, detail: string): void {
    const pending = this.pending.get(of);
    if (pending === undefined) return;
    pending.cancel();
    this.pending.delete(of);
    if (!ok) reportError(this.options.store, `server ${from}'s tab could not ${pending.what}: ${detail}`);
  }

  private applyFault(message: ControlMessage, command: FaultCommand): void {
    if (command.kind === 'partition' || command.kind === 'heal' || command.kind === 'link') {
      return this.applyClusterFault(command, { atMs: message.sentAtMs, id: message.id });
    }
    if (message.to !== this.options.myid) return; // aimed at a server of another tab
    let ok = true;
    let detail: string;
    try {
      detail = this.applyOwnFault(command);
    } catch (error) {
      ok = false;
      detail = error instanceof Error ? error.message : String(error);
    }
    try {
      this.options.plane.send(message.from, { type: 'ack', of: message.id, ok, detail });
    } catch {
      // the sender reports the missing ack
    }
  }

  /** Applies kill/restart/freeze/unfreeze to this tab's own server; returns what happened. */
  private applyOwnFault(command: FaultCommand): string {
    const { controller } = this.options;
    const myid = this.options.myid;
    const running = controller.isRunning(myid);
    switch (command.kind) {
      case 'kill':
        if (!running) return `server ${myid} was not running`;
        controller.kill(myid);
        return `server ${myid} killed`;
      case 'restart':
        if (running) return `server ${myid} is already running`;
        controller.start(myid);
        return `server ${myid} restarted`;
      case 'freeze': {
        if (!running) throw new Error(`server ${myid} is not running`);
        controller.setFrozen(myid, true);
        if (command.durationMs !== null) {
          const cancel = this.options.clock.setTimer(command.durationMs, () => {
            this.unfreezeTimers.delete(cancel);
            controller.setFrozen(myid, false);
          });
          this.unfreezeTimers.add(cancel);
        }
        return `server ${myid} frozen`;
      }
      case 'unfreeze':
        if (!running) throw new Error(`server ${myid} is not running`);
        controller.setFrozen(myid, false);
        return `server ${myid} unfrozen`;
      default:
        throw new Error(`${command.kind} is not a command for one server`);
    }
  }

  private applyClusterFault(command: FaultCommand, version: FaultModelReport['version']): void {
    const { store, controller } = this.options;
    // An older command than the model in force (it crossed a newer one) would undo it.
    if (!newerFaults(version, this.faultsVersion)) return;
    try {
      if (command.kind === 'partition') {
        const servers = Object.keys(clusterOf(store.getState()).servers).map(Number);
        setPartition(store, sidesOf(command.groups, servers));
      } else if (command.kind === 'heal') {
        setFaultModel(store, null, {});
      } else if (command.kind === 'link') {
        const p = command.policy;
        const latencyMs = p === null || p.latencyMs === undefined ? 0 : typeof p.latencyMs === 'number' ? p.latencyMs : p.latencyMs.maxMs;
        setLinkSetting(store, command.from, command.to, p === null ? null : { latencyMs, lossProbability: p.lossProbability ?? 0 });
      }
    } catch (error) {
      return reportError(store, `could not apply the ${command.kind} from another tab: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.faultsVersion = version;
    controller.refreshFaults();
    this.reportIfChanged();
  }

  private adoptFaults(model: FaultModelReport): void {
    const { store, controller } = this.options;
    try {
      const servers = Object.keys(clusterOf(store.getState()).servers).map(Number);
      const { groups, links } = faultStateOf(model, servers);
      setFaultModel(store, groups, links);
    } catch (error) {
      return reportError(store, `could not adopt another tab's faults: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.faultsVersion = model.version;
    controller.refreshFaults();
  }
}

/**
 * The app's assembly: a ControlPlane for `cluster` (BroadcastChannel + every link's 'control'
 * channel) and a TabsControl over it. Returns a function that stops both.
 */
export function startTabsControl(store: AppStore, controller: OwnServerControls, membership: TabMembership, cluster: string, options: { peerChannels?: boolean } = {}): () => void {
  const plane = new ControlPlane({ cluster, selfId: membership.myid });
  // `peerChannels: false` keeps the control plane on the BroadcastChannel (tabs of this browser).
  const stopChannels =
    options.peerChannels === false ? () => undefined : (membership.onControlChannel?.((peer, channel) => plane.attachPeerChannel(peer, channel)) ?? (() => undefined));
  const control = new TabsControl({ store, controller, plane, myid: membership.myid, clock: realClock });
  control.start();
  const relay = new TraceRelay({ store, plane, myid: membership.myid });
  relay.start();
  return () => {
    relay.stop();
    control.stop();
    stopChannels();
    plane.close();
  };
}

/**
 * Whether a store change can change this tab's report: its own server or the fault model. Other
 * tabs' reports change the cluster too (several a second under writes) but not what this tab says.
 */
export function reportInputsChanged(next: ClusterState | null, previous: ClusterState | null, myid: ServerId): boolean {
  if (next === previous) return false;
  if (next === null || previous === null) return true;
  return next.servers[myid] !== previous.servers[myid] || next.groups !== previous.groups || next.links !== previous.links;
}
