// A toy ensemble for the tour tests: it answers the runner's actions the way ZooKeeper's rules
// say (a quorum of 3 of 5 elects the highest (epoch, zxid, sid); a server joining an established
// leader follows it; a write reaches the leader and every connected follower; an isolated server
// goes LOOKING) and reports through the real AppStore, as the workers do.
import type { ZooKeeperApi } from '../../client/api';
import { Code, KeeperException } from '../../zk/errors';
import { makeZxid, type ServerId, type Zxid } from '../../zk/types';
import type { ServerStatus } from '../../worker/protocol';
import type { ServerStateName } from '../../zk/trace';
import type { PartitionGroup } from '../cluster-model';
import { updateServer } from '../cluster-store';
import { createAppStore, type AppStore } from '../store';
import { parseTabParams } from '../url-params';
import type { TourCluster } from './tour-runner';

interface Toy {
  state: ServerStateName;
  epoch: number;
  zxid: Zxid;
}

export class FakeEnsemble implements TourCluster {
  readonly store: AppStore;
  readonly toys = new Map<ServerId, Toy>();
  readonly isolated = new Set<ServerId>();
  readonly log: string[] = [];
  readonly created = new Set<string>();
  /** Create calls that fail with ConnectionLoss before one succeeds. */
  failNextCreates = 0;
  /** Create calls that succeed but whose reply is lost (ConnectionLoss after the write). */
  loseNextReplies = 0;

  constructor(readonly size = 5) {
    this.store = createAppStore(parseTabParams(`?cluster=tour1-test&size=${size}&mode=simulate&tour=1`));
  }

  start(myid: ServerId): void {
    this.log.push(`start ${myid}`);
    this.toys.set(myid, { state: 'LOOKING', epoch: 0, zxid: 0n });
    updateServer(this.store, myid, { life: 'running', phase: 'serving' });
    this.settle();
  }

  kill(myid: ServerId): void {
    this.log.push(`kill ${myid}`);
    this.toys.delete(myid);
    updateServer(this.store, myid, { life: 'killed', phase: 'stopped' });
    this.settle();
  }

  partition(groups: Record<number, PartitionGroup>): void {
    this.log.push(`partition ${JSON.stringify(groups)}`);
    const sides = Object.values(groups);
    const majority = sides.filter((g) => g === 'A').length >= sides.filter((g) => g === 'B').length ? 'A' : 'B';
    for (const [id, group] of Object.entries(groups)) if (group !== majority) this.isolated.add(Number(id));
    this.settle();
  }

  heal(): void {
    this.log.push('heal');
    this.isolated.clear();
    this.settle();
  }

  /** A client whose creates are writes through the current leader. */
  client(): ZooKeeperApi {
    const create = async (path: string): Promise<string> => {
      if (this.failNextCreates > 0) {
        this.failNextCreates--;
        throw new KeeperException(Code.ConnectionLoss);
      }
      if (this.created.has(path)) throw new KeeperException(Code.NodeExists, path);
      const leader = this.leader();
      if (leader === null) throw new KeeperException(Code.ConnectionLoss);
      const toy = this.toys.get(leader) as Toy;
      const zxid = toy.zxid + 1n;
      for (const [id, other] of this.toys) if (id === leader || (other.state === 'FOLLOWING' && !this.isolated.has(id))) other.zxid = zxid;
      this.created.add(path);
      this.log.push(`create ${path}`);
      this.report();
      if (this.loseNextReplies > 0) {
        this.loseNextReplies--;
        throw new KeeperException(Code.ConnectionLoss);
      }
      return path;
    };
    return { create } as unknown as ZooKeeperApi;
  }

  leader(): ServerId | null {
    for (const [id, toy] of this.toys) if (toy.state === 'LEADING') return id;
    return null;
  }

  private settling = false;

  /** Like the real servers, the ensemble reacts a moment later: actions done together act together. */
  private settle(): void {
    if (this.settling) return;
    this.settling = true;
    setTimeout(() => {
      this.settling = false;
      this.settleNow();
    }, 0);
  }

  /** Elections and joins, then every server's status is reported. */
  private settleNow(): void {
    const reachable = [...this.toys.keys()].filter((id) => !this.isolated.has(id));
    for (const id of this.isolated) {
      const toy = this.toys.get(id);
      if (toy !== undefined) toy.state = 'LOOKING';
    }
    let leader = this.leader();
    if (leader !== null && !reachable.includes(leader)) leader = null;
    if (leader === null) {
      for (const id of reachable) (this.toys.get(id) as Toy).state = 'LOOKING';
      if (reachable.length > this.size / 2) {
        const best = reachable.reduce((a, b) => (beats(this.toys.get(b) as Toy, b, this.toys.get(a) as Toy, a) ? b : a));
        const top = this.toys.get(best) as Toy;
        const epoch = Math.max(...reachable.map((id) => (this.toys.get(id) as Toy).epoch)) + 1;
        top.state = 'LEADING';
        top.epoch = epoch;
        if (top.zxid === 0n) top.zxid = makeZxid(epoch, 0);
        leader = best;
      }
    }
    if (leader !== null) {
      const top = this.toys.get(leader) as Toy;
      for (const id of reachable) {
        if (id === leader) continue;
        const toy = this.toys.get(id) as Toy;
        toy.state = 'FOLLOWING';
        toy.epoch = top.epoch;
        toy.zxid = top.zxid; // synced from the leader
      }
    }
    this.report();
  }

  private report(): void {
    for (const [id, toy] of this.toys) updateServer(this.store, id, { status: status(toy) });
  }
}

function beats(a: Toy, aId: ServerId, b: Toy, bId: ServerId): boolean {
  if (a.epoch !== b.epoch) return a.epoch > b.epoch;
  if (a.zxid !== b.zxid) return a.zxid > b.zxid;
  return aId > bId;
}

function status(toy: Toy): ServerStatus {
  return {
    state: toy.state,
    epoch: toy.epoch,
    lastZxid: toy.zxid,
    nodeCount: 1,
    sessionCount: 0,
    watchCount: 0,
    connectionCount: 0,
    containerPaths: [],
    ttlPaths: [],
  };
}
