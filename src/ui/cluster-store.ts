// Store updates of cluster mode: what each server's worker reports goes into its ClusterServer;
// trace events go to the event log (all servers, pings left out: they are drawn, not listed) and
// become flights; the page's tree reads container/TTL paths from the leader's status.
import type { ServerId } from '../zk/types';
import type { TraceEvent } from '../zk/trace';
import type { WorkerToPage } from '../worker/protocol';
import { directedLinkKey, leaderOf, type ClusterServer, type ClusterState, type LinkSetting, type PartitionGroup } from './cluster-model';
import { addFlights, flightsFromEvents } from './flights';
import { appendEvents, reportError, type AppState, type AppStore } from './store';

export type PageClock = () => number;
const pageNow: PageClock = () => performance.now();

export function clusterOf(state: AppState): ClusterState {
  if (state.cluster === null) throw new Error('the tab is not in cluster mode');
  return state.cluster;
}

export function updateServer(store: AppStore, myid: ServerId, patch: Partial<ClusterServer>): void {
  store.setState((s) => {
    const cluster = clusterOf(s);
    const server = cluster.servers[myid];
    if (server === undefined) throw new Error(`no server ${myid} in this ensemble`);
    const servers = { ...cluster.servers, [myid]: { ...server, ...patch } };
    const next = { ...cluster, servers };
    const leader = leaderOf(next);
    // A server of another tab reports no container/TTL paths: the page keeps what it had.
    const leaderServer = leader === null ? undefined : servers[leader];
    const leaderStatus = leaderServer === undefined || leaderServer.report !== undefined ? s.status : (leaderServer.status ?? s.status);
    return { cluster: next, status: leaderStatus };
  });
}

export function setPartition(store: AppStore, groups: Record<number, PartitionGroup> | null): void {
  store.setState((s) => ({ cluster: { ...clusterOf(s), groups } }));
}

/** Sets one direction of a link: what `from` sends to `to`. */
export function setLinkSetting(store: AppStore, from: ServerId, to: ServerId, setting: LinkSetting | null): void {
  store.setState((s) => {
    const cluster = clusterOf(s);
    const links = { ...cluster.links };
    if (setting === null || (setting.latencyMs <= 0 && setting.lossProbability <= 0)) delete links[directedLinkKey(from, to)];
    else links[directedLinkKey(from, to)] = setting;
    return { cluster: { ...cluster, links } };
  });
}

export function clearLinkSettings(store: AppStore): void {
  store.setState((s) => ({ cluster: { ...clusterOf(s), links: {} } }));
}

/** Applies one message of server `myid`'s worker. */
export function applyClusterMessage(store: AppStore, myid: ServerId, message: WorkerToPage, now: PageClock = pageNow): void {
  switch (message.type) {
    case 'phase':
      updateServer(store, myid, { phase: message.phase, phaseDetail: message.detail });
      return;
    case 'recovered':
      updateServer(store, myid, { recovery: { snapshotZxid: message.snapshotZxid, logEntries: message.logEntries } });
      for (const warning of message.warnings) reportError(store, `server ${myid} storage: ${warning}`);
      return;
    case 'status':
      updateServer(store, myid, { status: message.status });
      return;
    case 'trace':
      appendClusterTraces(store, message.events, now());
      return;
    case 'error':
      reportError(store, message.fatal ? message.message : `server ${myid}: ${message.message}`);
      return;
    default:
      reportError(store, `unknown message from server ${myid}'s worker: ${JSON.stringify((message as { type?: unknown }).type)}`);
  }
}

export function appendClusterTraces(store: AppStore, events: readonly TraceEvent[], nowMs: number): void {
  const cluster = store.getState().cluster;
  const latencyOf = (from: ServerId, to: ServerId) => cluster?.links[directedLinkKey(from, to)]?.latencyMs ?? 0;
  const added = flightsFromEvents(events, nowMs, latencyOf);
  if (added.length > 0) store.setState((s) => ({ flights: addFlights(s.flights, added, nowMs) }));
  appendEvents(store, events.filter((e) => !isPing(e)));
}

function isPing(event: TraceEvent): boolean {
  return (event.type === 'msg.sent' || event.type === 'msg.received') && event.kind === 'ping';
}

/** Replaces the partition and every link setting at once (a fault model adopted from another tab). */
export function setFaultModel(store: AppStore, groups: Record<number, PartitionGroup> | null, links: Record<string, LinkSetting>): void {
  store.setState((s) => ({ cluster: { ...clusterOf(s), groups, links } }));
}
