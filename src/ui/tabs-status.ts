// Multi-tab mode: what a tab says about its own server over the control plane (a StatusReport),
// how a tab draws another tab's server from such a report, and the fault model (partition + link
// settings) in the wire form the reports and fault commands carry.
import type { FaultModelReport, StatusReport } from '../net/control-plane';
import type { ServerStatus } from '../worker/protocol';
import type { ServerStateName } from '../zk/trace';
import type { ServerId } from '../zk/types';
import { directedLinkKey, notStartedServer, type ClusterServer, type ClusterState, type LinkSetting, type PartitionGroup } from './cluster-model';
import { clusterOf, updateServer } from './cluster-store';
import type { AppStore } from './store';

const GROUP_NAMES: readonly PartitionGroup[] = ['A', 'B', 'C'];

/** The report of this tab's own server `own`, made at `nowMs`. */
export function reportOf(own: ClusterServer, nowMs: number, faults?: FaultModelReport): StatusReport {
  const status = own.status;
  const state: StatusReport['state'] = own.life !== 'running' || own.phase === 'failed' ? 'DOWN' : own.frozen ? 'FROZEN' : (status?.state ?? 'LOOKING');
  const quorum = status?.quorum;
  return {
    myid: own.myid,
    role: own.role,
    state,
    epoch: status?.epoch ?? 0,
    lastZxid: status?.lastZxid ?? 0n,
    leader: quorum?.serving === true ? (quorum.leaderId ?? null) : null,
    linksUp: (quorum?.links ?? []).filter((l) => l.up).map((l) => l.peer),
    sessionCount: status?.sessionCount ?? 0,
    nodeCount: status?.nodeCount ?? 0,
    atMs: nowMs,
    ...(faults !== undefined ? { faults } : {}),
  };
}

/** What changes a report's meaning (everything but the time it was made): a new key is sent at once. */
export function reportKey(report: StatusReport): string {
  const { atMs: _atMs, faults, ...rest } = report;
  return JSON.stringify({ ...rest, lastZxid: rest.lastZxid.toString(), faults: faults?.version ?? null });
}

/** Draws another tab's server from its report, received at `receivedAtMs` (this page's clock). */
export function applyRemoteReport(store: AppStore, report: StatusReport, receivedAtMs: number): void {
  const cluster = clusterOf(store.getState());
  if (cluster.servers[report.myid] === undefined) {
    const blank = notStartedServer(report.myid, report.role, 'no report yet');
    store.setState((s) => ({ cluster: { ...clusterOf(s), servers: { ...clusterOf(s).servers, [report.myid]: blank } } }));
  }
  const previous = clusterOf(store.getState()).servers[report.myid];
  const peers = Object.keys(cluster.servers)
    .map(Number)
    .filter((id) => id !== report.myid);
  const down = report.state === 'DOWN';
  const frozen = report.state === 'FROZEN';
  // DOWN and FROZEN say nothing of the protocol state: keep the last one known (drawn as stale).
  const state: ServerStateName = report.state === 'DOWN' || report.state === 'FROZEN' ? (previous?.status?.state ?? 'LOOKING') : report.state;
  const status: ServerStatus = {
    state,
    epoch: report.epoch,
    lastZxid: report.lastZxid,
    nodeCount: report.nodeCount,
    sessionCount: report.sessionCount,
    watchCount: 0,
    connectionCount: 0,
    containerPaths: [],
    ttlPaths: [],
    quorum: {
      leaderId: report.leader,
      serving: report.leader !== null,
      acceptedEpoch: report.epoch,
      vote: null,
      connectedSessions: report.sessionCount,
      links: peers.map((peer) => ({ peer, up: report.linksUp.includes(peer) })),
      frozen,
      buffered: 0,
    },
  };
  updateServer(store, report.myid, {
    role: report.role,
    life: down ? 'killed' : 'running',
    phase: down ? 'stopped' : 'serving',
    phaseDetail: down ? `killed (reported by server ${report.myid}'s tab)` : `reported by server ${report.myid}'s tab`,
    status,
    frozen,
    report: { receivedAtMs, madeAtMs: report.atMs },
  });
}

// ---------- the fault model on the wire ----------

/** The page's partition (a side per server) as the groups of a partition command. */
export function groupsOf(groups: Record<number, PartitionGroup>): ServerId[][] {
  const out: ServerId[][] = [];
  for (const name of GROUP_NAMES) {
    const members = Object.entries(groups)
      .filter(([, g]) => g === name)
      .map(([id]) => Number(id))
      .sort((a, b) => a - b);
    if (members.length > 0) out.push(members);
  }
  return out;
}

/**
 * The groups of a partition command as a side per server of `cluster`; servers in no group
 * together take the next side. Throws when that needs more sides than the page can draw.
 */
export function sidesOf(groups: ServerId[][], servers: readonly ServerId[]): Record<number, PartitionGroup> {
  const unlisted = servers.filter((id) => !groups.some((g) => g.includes(id)));
  const all = unlisted.length > 0 ? [...groups, unlisted] : groups;
  if (all.length > GROUP_NAMES.length) throw new RangeError(`a partition into ${all.length} groups; the page draws at most ${GROUP_NAMES.length}`);
  const sides: Record<number, PartitionGroup> = {};
  all.forEach((group, i) => {
    for (const id of group) sides[id] = GROUP_NAMES[i] as PartitionGroup;
  });
  return sides;
}

export function faultModelOf(cluster: ClusterState, version: FaultModelReport['version']): FaultModelReport {
  const links: FaultModelReport['links'] = [];
  for (const [key, setting] of Object.entries(cluster.links)) {
    const [from, to] = key.split('>').map(Number);
    if (from === undefined || to === undefined || !(from >= 1) || !(to >= 1)) continue;
    links.push({ from, to, latencyMs: setting.latencyMs, lossProbability: setting.lossProbability });
  }
  return { version, groups: cluster.groups === null ? null : groupsOf(cluster.groups), links };
}

/** The store's form of a reported fault model. */
export function faultStateOf(model: FaultModelReport, servers: readonly ServerId[]): { groups: Record<number, PartitionGroup> | null; links: Record<string, LinkSetting> } {
  const links: Record<string, LinkSetting> = {};
  for (const l of model.links) links[directedLinkKey(l.from, l.to)] = { latencyMs: l.latencyMs, lossProbability: l.lossProbability };
  return { groups: model.groups === null ? null : sidesOf(model.groups, servers), links };
}
