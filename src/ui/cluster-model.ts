// The single-tab ensemble as the page sees it: which servers exist, what each worker last reported,
// which fault controls are in force, and what follows from that (link health, quorum, the leader,
// each worker's link faults). Pure: the store holds it, the controller and the view read it.
import type { LinkPolicy } from '../net/link-policy';
import type { ServerId } from '../zk/types';
import type { LinkFaults, QuorumSpec, ServerStatus, WorkerPhase } from '../worker/protocol';

/** Observer slots after the voters ("ids beyond size are observers"), started by "Add server". */
export const OBSERVER_SLOTS = 3;
export const INIT_LIMIT_TICKS = 10;
export const SYNC_LIMIT_TICKS = 5;

export type ServerLife = 'running' | 'killed' | 'not-started';
export type PartitionGroup = 'A' | 'B' | 'C';

export interface ClusterServer {
  myid: ServerId;
  role: 'participant' | 'observer';
  life: ServerLife;
  phase: WorkerPhase | 'starting';
  phaseDetail: string;
  /** Last status the worker reported (kept after a kill, shown as stale). */
  status: ServerStatus | null;
  frozen: boolean;
  recovery: { snapshotZxid: bigint | null; logEntries: number } | null;
  /** Times this myid's worker was started in this page. */
  starts: number;
  /**
   * Multi-tab mode, a server of another tab: when its last status report arrived (this page's
   * wall clock, ms) and when that tab made it (its wall clock). Absent for this tab's own servers.
   */
  report?: { receivedAtMs: number; madeAtMs: number };
}

/** Settings of one direction of a link (from -> to): latency and loss of the frames `from` sends. */
export interface LinkSetting {
  latencyMs: number;
  /** 0..1; a lost frame resets the connection (link-policy.ts). */
  lossProbability: number;
}

export interface ClusterState {
  servers: Record<number, ClusterServer>;
  /** The partition in force (group per myid), or null when healed. */
  groups: Record<number, PartitionGroup> | null;
  /** Keyed by directedLinkKey(from, to). */
  links: Record<string, LinkSetting>;
}

export function quorumSpec(size: number): QuorumSpec {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`ensemble size must be an integer >= 1, got ${size}`);
  const voters = Array.from({ length: size }, (_, i) => i + 1);
  const observers = Array.from({ length: OBSERVER_SLOTS }, (_, i) => size + i + 1);
  return { voters, observers, initLimitTicks: INIT_LIMIT_TICKS, syncLimitTicks: SYNC_LIMIT_TICKS };
}

/** A server the page knows of but has seen nothing from yet. */
export function notStartedServer(myid: ServerId, role: ClusterServer['role'], phaseDetail = 'not started'): ClusterServer {
  return { myid, role, life: 'not-started', phase: 'starting', phaseDetail, status: null, frozen: false, recovery: null, starts: 0 };
}

export function initialCluster(size: number): ClusterState {
  const spec = quorumSpec(size);
  const servers: Record<number, ClusterServer> = {};
  for (const myid of [...spec.voters, ...spec.observers]) {
    servers[myid] = notStartedServer(myid, spec.observers.includes(myid) ? 'observer' : 'participant');
  }
  return { servers, groups: null, links: {} };
}

/**
 * Multi-tab mode: this tab's own server plus every voter (the other tabs' servers, filled in by
 * their status reports over the control plane); observers of other tabs appear when they report.
 */
export function initialTabCluster(size: number, myid: ServerId): ClusterState {
  const all = initialCluster(size);
  const own = all.servers[myid];
  if (own === undefined) throw new RangeError(`server ${myid} is not a slot of a cluster of size ${size}`);
  const servers: Record<number, ClusterServer> = {};
  for (const server of Object.values(all.servers)) if (server.role === 'participant' || server.myid === myid) servers[server.myid] = server;
  return { ...all, servers };
}

/**
 * Multi-tab mode: the quorum as this tab's server sees it: itself plus the voters its links reach,
 * and the leader it follows.
 */
export function tabQuorumSummary(state: ClusterState, size: number, myid?: ServerId): QuorumSummary {
  const own = myid === undefined ? Object.values(state.servers)[0] : state.servers[myid];
  const needed = Math.floor(size / 2) + 1;
  if (own === undefined || !isUp(own)) return { voters: size, up: 0, needed, hasQuorum: false, leader: null, text: `quorum: this tab's server is down` };
  const reached = own.status?.quorum?.links.filter((l) => l.up && l.peer <= size).length ?? 0;
  const up = reached + (own.role === 'participant' ? 1 : 0);
  const serving = own.status?.quorum?.serving === true;
  const leader = serving ? (own.status?.quorum?.leaderId ?? null) : null;
  const hasQuorum = up >= needed;
  const tail = leader !== null ? `leader ${leader}` : hasQuorum ? 'electing' : 'no quorum';
  return { voters: size, up, needed, hasQuorum, leader, text: `quorum: ${up} of ${size} reachable from this tab, ${tail}` };
}

export function linkKey(a: ServerId, b: ServerId): string {
  return a < b ? `${a}-${b}` : `${b}-${a}`;
}

/** Key of one direction of a link in ClusterState.links: "1>2" is what 1 sends to 2. */
export function directedLinkKey(from: ServerId, to: ServerId): string {
  return `${from}>${to}`;
}

/** The settings of both directions of the link a-b (either may be absent). */
export function linkSettings(state: ClusterState, a: ServerId, b: ServerId): { forward?: LinkSetting; backward?: LinkSetting } {
  const forward = state.links[directedLinkKey(a, b)];
  const backward = state.links[directedLinkKey(b, a)];
  return { ...(forward ? { forward } : {}), ...(backward ? { backward } : {}) };
}

function isFaulty(setting: LinkSetting | undefined): boolean {
  return setting !== undefined && (setting.latencyMs > 0 || setting.lossProbability > 0);
}

/** Servers shown: every voter, and observers once started. */
export function shownServers(state: ClusterState): ClusterServer[] {
  return Object.values(state.servers)
    .filter((s) => s.role === 'participant' || s.life !== 'not-started')
    .sort((a, b) => a.myid - b.myid);
}

export function isUp(server: ClusterServer | undefined): boolean {
  return server !== undefined && server.life === 'running' && !server.frozen && server.phase !== 'failed';
}

export type LinkHealth = 'up' | 'partitioned' | 'slow' | 'broken';

/**
 * Health of the link between two servers: broken when either end is down (killed, failed) or its
 * worker reports the transport link down; partitioned when they are in different groups; slow with
 * latency or loss set; up otherwise.
 */
export function linkHealth(state: ClusterState, a: ServerId, b: ServerId): LinkHealth {
  const sa = state.servers[a];
  const sb = state.servers[b];
  if (sa?.life !== 'running' || sb?.life !== 'running') return 'broken';
  if (state.groups !== null && state.groups[a] !== state.groups[b]) return 'partitioned';
  if (reportsDown(sa, b) || reportsDown(sb, a)) return 'broken';
  const { forward, backward } = linkSettings(state, a, b);
  if (isFaulty(forward) || isFaulty(backward)) return 'slow';
  return 'up';
}

function reportsDown(server: ClusterServer, peer: ServerId): boolean {
  return server.status?.quorum?.links.find((l) => l.peer === peer)?.up === false;
}

/**
 * Multi-tab mode: a server of another tab whose last report is older than this is drawn as stale
 * (reports come every STATUS_REPORT_MS; three missed ones mean the tab is gone, hidden or stuck).
 */
export const STATUS_REPORT_MS = 500;
export const STALE_AFTER_MS = 3 * STATUS_REPORT_MS;

/** Ms since the last report of a remote server that is stale at `nowMs`; null if fresh or local. */
export function staleForMs(server: ClusterServer, nowMs: number): number | null {
  if (server.report === undefined) return null;
  const age = nowMs - server.report.receivedAtMs;
  return age > STALE_AFTER_MS ? age : null;
}

/** The serving leader among running servers (the newest epoch wins if two still claim it). */
export function leaderOf(state: ClusterState): ServerId | null {
  let best: ClusterServer | null = null;
  for (const server of Object.values(state.servers)) {
    if (server.life !== 'running' || server.status?.state !== 'LEADING') continue;
    if (best === null || (server.status.epoch ?? 0) > (best.status?.epoch ?? 0)) best = server;
  }
  return best?.myid ?? null;
}

export interface QuorumSummary {
  voters: number;
  up: number;
  needed: number;
  hasQuorum: boolean;
  leader: ServerId | null;
  text: string;
}

/** `nowMs` given (multi-tab mode): a server of another tab whose report is stale counts as down. */
export function quorumSummary(state: ClusterState, nowMs?: number): QuorumSummary {
  const voters = Object.values(state.servers).filter((s) => s.role === 'participant');
  const up = voters.filter((s) => isUp(s) && (nowMs === undefined || staleForMs(s, nowMs) === null)).length;
  const needed = Math.floor(voters.length / 2) + 1;
  const leader = leaderOf(state);
  const hasQuorum = up >= needed;
  const tail = leader !== null ? `leader ${leader}` : hasQuorum ? 'electing' : 'no quorum';
  return { voters: voters.length, up, needed, hasQuorum, leader, text: `quorum: ${up} of ${voters.length} up, ${tail}` };
}

/** What a worker must apply to its links, from the page's partition and link settings. */
export function linkFaultsFor(state: ClusterState, myid: ServerId): Array<{ peer: ServerId; faults: LinkFaults }> {
  const out: Array<{ peer: ServerId; faults: LinkFaults }> = [];
  for (const peer of Object.keys(state.servers).map(Number)) {
    if (peer === myid) continue;
    const partitioned = state.groups !== null && state.groups[myid] !== state.groups[peer];
    const outbound = policyOf(state.links[directedLinkKey(myid, peer)]);
    if (partitioned || Object.keys(outbound).length > 0) out.push({ peer, faults: { partitioned, outbound } });
  }
  return out;
}

function policyOf(setting: LinkSetting | undefined): LinkPolicy {
  if (setting === undefined) return {};
  const policy: LinkPolicy = {};
  if (setting.latencyMs > 0) policy.latencyMs = setting.latencyMs;
  if (setting.lossProbability > 0) policy.lossProbability = setting.lossProbability;
  return policy;
}

/** The next observer slot to start ("Add server"), or null when all run. */
export function nextObserver(state: ClusterState): ServerId | null {
  const free = Object.values(state.servers).find((s) => s.role === 'observer' && s.life === 'not-started');
  return free?.myid ?? null;
}

/** "server3:2181" -> 3; null for anything else. */
export function serverIdOfAddress(address: string): ServerId | null {
  const match = /^server(\d{1,3}):\d{1,5}$/.exec(address);
  return match === null ? null : Number(match[1]);
}

export function connectString(size: number, clientPort = 2181): string {
  return quorumSpec(size)
    .voters.map((id) => `server${id}:${clientPort}`)
    .join(',');
}
