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
}

/** Settings of one undirected link, applied to both directions. */
export interface LinkSetting {
  latencyMs: number;
  /** 0..1; a lost frame resets the connection (link-policy.ts). */
  lossProbability: number;
}

export interface ClusterState {
  servers: Record<number, ClusterServer>;
  /** The partition in force (group per myid), or null when healed. */
  groups: Record<number, PartitionGroup> | null;
  links: Record<string, LinkSetting>;
}

export function quorumSpec(size: number): QuorumSpec {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`ensemble size must be an integer >= 1, got ${size}`);
  const voters = Array.from({ length: size }, (_, i) => i + 1);
  const observers = Array.from({ length: OBSERVER_SLOTS }, (_, i) => size + i + 1);
  return { voters, observers, initLimitTicks: INIT_LIMIT_TICKS, syncLimitTicks: SYNC_LIMIT_TICKS };
}

export function initialCluster(size: number): ClusterState {
  const spec = quorumSpec(size);
  const servers: Record<number, ClusterServer> = {};
  for (const myid of [...spec.voters, ...spec.observers]) {
    servers[myid] = {
      myid,
      role: spec.observers.includes(myid) ? 'observer' : 'participant',
      life: 'not-started',
      phase: 'starting',
      phaseDetail: 'not started',
      status: null,
      frozen: false,
      recovery: null,
      starts: 0,
    };
  }
  return { servers, groups: null, links: {} };
}

/** Multi-tab mode: only this tab's own server is shown (the others' status stays in their tabs). */
export function initialTabCluster(size: number, myid: ServerId): ClusterState {
  const all = initialCluster(size);
  const own = all.servers[myid];
  if (own === undefined) throw new RangeError(`server ${myid} is not a slot of a cluster of size ${size}`);
  return { ...all, servers: { [myid]: own } };
}

/**
 * Multi-tab mode: the quorum as this tab's server sees it: itself plus the voters its links reach,
 * and the leader it follows.
 */
export function tabQuorumSummary(state: ClusterState, size: number): QuorumSummary {
  const own = Object.values(state.servers)[0];
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
  const setting = state.links[linkKey(a, b)];
  if (setting !== undefined && (setting.latencyMs > 0 || setting.lossProbability > 0)) return 'slow';
  return 'up';
}

function reportsDown(server: ClusterServer, peer: ServerId): boolean {
  return server.status?.quorum?.links.find((l) => l.peer === peer)?.up === false;
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

export function quorumSummary(state: ClusterState): QuorumSummary {
  const voters = Object.values(state.servers).filter((s) => s.role === 'participant');
  const up = voters.filter(isUp).length;
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
    const outbound = policyOf(state.links[linkKey(myid, peer)]);
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
