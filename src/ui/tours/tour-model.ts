// Guided tours: a tour is an ordered list of steps; each step explains what happens in ZooKeeper
// terms, does something to the real simulated ensemble (actions) and names what must be true
// before it counts as done (a condition on the cluster state the workers report). Pure data and
// pure checks: the runner (tour-runner.ts) interprets them, the panel shows them.
import { hex, zxidCounter, type ServerId, type Zxid } from '../../zk/types';
import { leaderOf, type ClusterServer, type ClusterState } from '../cluster-model';

export type TourId = 1 | 2;
export type QuorumStateWord = 'LOOKING' | 'LEADING' | 'FOLLOWING';

export type TourCondition =
  /** No server's worker runs. */
  | { kind: 'none-running' }
  /** Server `myid` runs, is not frozen, and reports `state`. */
  | { kind: 'state'; myid: ServerId; state: QuorumStateWord }
  /** Server `myid` is killed (its worker terminated). */
  | { kind: 'killed'; myid: ServerId }
  /** Every listed server reports the same last zxid, whose counter is at least `minCounter`. */
  | { kind: 'same-zxid'; myids: ServerId[]; minCounter: number }
  /** Every server of `ahead` reports a higher last zxid than server `behind`. */
  | { kind: 'zxid-ahead'; ahead: ServerId[]; behind: ServerId }
  | { kind: 'all'; of: TourCondition[] };

export type TourAction =
  | { kind: 'start'; myid: ServerId }
  | { kind: 'kill'; myid: ServerId }
  /** Waits inside a step (e.g. for a leader before starting the next server). */
  | { kind: 'wait'; until: TourCondition }
  /** Writes through the page's client session until the leader's zxid counter reaches `counter` (at least one write). */
  | { kind: 'write-until'; counter: number }
  /** Exactly `count` writes through the page's client session. */
  | { kind: 'write'; count: number }
  /** Partitions `myid` away from every other server: frames between the sides are dropped. */
  | { kind: 'isolate'; myid: ServerId }
  | { kind: 'heal' }
  /** Records the (epoch, zxid, sid) the listed servers report now, for the panel to show. */
  | { kind: 'record-tuples'; myids: ServerId[] };

export interface TourStep {
  title: string;
  /** What happens and why, in ZooKeeper's terms: what to look at. */
  explanation: string;
  actions: TourAction[];
  done: TourCondition;
}

export interface Tour {
  id: TourId;
  name: string;
  summary: string;
  /** Ensemble size the tour needs. */
  size: number;
  steps: TourStep[];
}

/** What a server stands on in Fast Leader Election: (current epoch, last zxid, sid). */
export interface VoteTuple {
  myid: ServerId;
  epoch: number;
  zxid: Zxid;
}

function running(server: ClusterServer | undefined): server is ClusterServer {
  return server !== undefined && server.life === 'running';
}

function zxidOf(cluster: ClusterState, myid: ServerId): Zxid | null {
  const server = cluster.servers[myid];
  return running(server) && server.status !== null ? server.status.lastZxid : null;
}

/** The atomic conditions of `condition` that do not hold yet (empty when it holds). */
export function unmetParts(condition: TourCondition, cluster: ClusterState): TourCondition[] {
  if (condition.kind === 'all') return condition.of.flatMap((c) => unmetParts(c, cluster));
  return holdsAtomic(condition, cluster) ? [] : [condition];
}

export function conditionHolds(condition: TourCondition, cluster: ClusterState): boolean {
  return unmetParts(condition, cluster).length === 0;
}

function holdsAtomic(condition: Exclude<TourCondition, { kind: 'all' }>, cluster: ClusterState): boolean {
  switch (condition.kind) {
    case 'none-running':
      return Object.values(cluster.servers).every((s) => s.life !== 'running');
    case 'state': {
      const server = cluster.servers[condition.myid];
      return running(server) && !server.frozen && server.status?.state === condition.state;
    }
    case 'killed':
      return cluster.servers[condition.myid]?.life === 'killed';
    case 'same-zxid': {
      const zxids = condition.myids.map((id) => zxidOf(cluster, id));
      const first = zxids[0];
      if (first === undefined || first === null) return false;
      return zxids.every((z) => z === first) && zxidCounter(first) >= condition.minCounter;
    }
    case 'zxid-ahead': {
      const behind = zxidOf(cluster, condition.behind);
      if (behind === null) return false;
      return condition.ahead.every((id) => {
        const zxid = zxidOf(cluster, id);
        return zxid !== null && zxid > behind;
      });
    }
  }
}

function idList(myids: readonly ServerId[]): string {
  if (myids.length <= 1) return myids.join('');
  return `${myids.slice(0, -1).join(', ')} and ${myids[myids.length - 1]}`;
}

/** How the panel names a condition: "server 3 LEADING". */
export function conditionText(condition: TourCondition): string {
  switch (condition.kind) {
    case 'none-running':
      return 'no server running';
    case 'state':
      return `server ${condition.myid} ${condition.state}`;
    case 'killed':
      return `server ${condition.myid} killed`;
    case 'same-zxid':
      return `servers ${idList(condition.myids)} at the same last zxid (counter >= ${condition.minCounter})`;
    case 'zxid-ahead':
      return `servers ${idList(condition.ahead)} ahead of server ${condition.behind}`;
    case 'all':
      return condition.of.map(conditionText).join(', ');
  }
}

export function actionText(action: TourAction): string {
  switch (action.kind) {
    case 'start':
      return `start server ${action.myid}`;
    case 'kill':
      return `kill server ${action.myid}`;
    case 'wait':
      return `wait for ${conditionText(action.until)}`;
    case 'write-until':
      return `write through the client until the leader's zxid counter reaches ${action.counter}`;
    case 'write':
      return `${action.count} write${action.count === 1 ? '' : 's'} through the client`;
    case 'isolate':
      return `partition server ${action.myid} away from the others`;
    case 'heal':
      return 'heal the partition';
    case 'record-tuples':
      return `note the (epoch, zxid, sid) of servers ${idList(action.myids)}`;
  }
}

/** What the running voters stand on now, in myid order (servers without a status are left out). */
export function voteTuples(cluster: ClusterState, myids: readonly ServerId[]): VoteTuple[] {
  const out: VoteTuple[] = [];
  for (const myid of myids) {
    const server = cluster.servers[myid];
    if (!running(server) || server.status === null) continue;
    out.push({ myid, epoch: server.status.epoch, zxid: server.status.lastZxid });
  }
  return out;
}

export function tupleText(tuple: VoteTuple): string {
  return `(${tuple.epoch}, ${hex(tuple.zxid)}, ${tuple.myid})`;
}

/** FLE's order: higher epoch, then higher zxid, then higher sid. Negative when a < b. */
export function compareTuples(a: VoteTuple, b: VoteTuple): number {
  if (a.epoch !== b.epoch) return a.epoch - b.epoch;
  if (a.zxid !== b.zxid) return a.zxid > b.zxid ? 1 : -1;
  return a.myid - b.myid;
}

/** The server FLE would elect among `tuples` (null when empty). */
export function expectedWinner(tuples: readonly VoteTuple[]): ServerId | null {
  let best: VoteTuple | null = null;
  for (const t of tuples) if (best === null || compareTuples(t, best) > 0) best = t;
  return best?.myid ?? null;
}

/** The leader's last zxid counter, or null without a serving leader that reports one. */
export function leaderCounter(cluster: ClusterState): number | null {
  const leader = leaderOf(cluster);
  if (leader === null) return null;
  const zxid = zxidOf(cluster, leader);
  return zxid === null ? null : zxidCounter(zxid);
}

export function validateTour(tour: Tour): void {
  if (tour.steps.length === 0) throw new Error(`tour ${tour.id} has no steps`);
  const ids = new Set(Array.from({ length: tour.size }, (_, i) => i + 1));
  const check = (myid: ServerId) => {
    if (!ids.has(myid)) throw new Error(`tour ${tour.id} names server ${myid}, not in a ${tour.size}-server ensemble`);
  };
  const checkCondition = (c: TourCondition): void => {
    if (c.kind === 'all') return c.of.forEach(checkCondition);
    if (c.kind === 'state' || c.kind === 'killed') check(c.myid);
    if (c.kind === 'same-zxid') c.myids.forEach(check);
    if (c.kind === 'zxid-ahead') [...c.ahead, c.behind].forEach(check);
  };
  for (const step of tour.steps) {
    checkCondition(step.done);
    for (const action of step.actions) {
      if (action.kind === 'start' || action.kind === 'kill' || action.kind === 'isolate') check(action.myid);
      if (action.kind === 'wait') checkCondition(action.until);
      if (action.kind === 'record-tuples') action.myids.forEach(check);
    }
  }
}
