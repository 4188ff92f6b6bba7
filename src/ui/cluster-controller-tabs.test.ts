// The controller in multi-tab mode, with a fake worker and a fake membership: only this tab's
// server starts, over WebRTC links; channel requests go to the membership, not the store; a kill
// resets the links; Add server opens a tab.
import { describe, expect, it } from 'vitest';
import type { WorkerLike } from './bridge';
import { ClusterController, TABS_SUFFIX } from './cluster-controller';
import { tabQuorumSummary } from './cluster-model';
import { clusterOf } from './cluster-store';
import { FakeWorker } from './fake-worker.test-helpers';
import { createAppStore } from './store';
import type { TabMembership } from './tab-membership';
import { parseTabParams } from './url-params';

class FakeMembership implements TabMembership {
  readonly role = 'participant' as const;
  workers: Array<WorkerLike | null> = [];
  handled: unknown[] = [];
  resets = 0;
  constructor(readonly myid: number) {}
  handleWorkerMessage(message: unknown): boolean {
    const isPeer = (message as { type?: unknown }).type === 'peer-channel-wanted';
    if (isPeer) this.handled.push(message);
    return isPeer;
  }
  setWorker(worker: WorkerLike | null): void {
    this.workers.push(worker);
  }
  resetLinks(): void {
    this.resets++;
  }
  leave(): void {}
}

function setup(myid = 2) {
  const base = parseTabParams('?cluster=t&size=3&mode=tabs&tickTime=200');
  const params = { ...base, identity: { ...base.identity, myid } };
  const store = createAppStore(params);
  const membership = new FakeMembership(myid);
  const workers: FakeWorker[] = [];
  let opened = 0;
  const controller = new ClusterController(store, params, {
    membership,
    createWorker: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
    openTab: () => void opened++,
  });
  return { store, controller, membership, workers, opened: () => opened };
}

describe('ClusterController in multi-tab mode', () => {
  it('starts only this tab\'s server, on WebRTC links, in its own database', () => {
    const { store, controller, membership, workers } = setup(2);
    controller.startAll();
    expect(workers).toHaveLength(1);
    const start = workers[0]?.posted[0];
    expect(start).toMatchObject({ type: 'start', identity: { cluster: 't' + TABS_SUFFIX, myid: 2 }, peerLinks: 'webrtc', quorum: { voters: [1, 2, 3] } });
    expect(workers[0]?.posted.some((m) => m.type === 'peer.port')).toBe(false);
    expect(membership.workers).toEqual([workers[0]]);
    // Every voter is drawn (the others from their tabs' reports), but only server 2 runs here.
    expect(Object.keys(clusterOf(store.getState()).servers)).toEqual(['1', '2', '3']);
    expect(clusterOf(store.getState()).servers[1]?.life).toBe('not-started');
    expect(() => controller.start(1)).toThrow(/another tab/);
  });

  it('routes faults for other tabs\' servers and cluster-wide faults to the attached remote', () => {
    const { store, controller, workers } = setup(2);
    controller.startAll();
    const calls: string[] = [];
    controller.attachRemote({
      kill: (id) => void calls.push(`kill ${id}`),
      restart: (id) => void calls.push(`restart ${id}`),
      setFrozen: (id, frozen) => void calls.push(`frozen ${id} ${frozen}`),
      partition: (groups) => void calls.push(`partition ${JSON.stringify(groups)}`),
      heal: () => void calls.push('heal'),
      setLink: (from, to, setting) => void calls.push(`link ${from}>${to} ${setting?.latencyMs ?? 'none'}`),
    });
    controller.kill(1);
    controller.start(3);
    controller.setFrozen(3, true);
    controller.partition({ 1: 'A', 2: 'A', 3: 'B' });
    controller.setLinkDirection(1, 2, { latencyMs: 300, lossProbability: 0 });
    controller.heal();
    expect(calls).toEqual(['kill 1', 'restart 3', 'frozen 3 true', 'partition {"1":"A","2":"A","3":"B"}', 'link 1>2 300', 'heal']);
    // The tab's own server is still driven here, and the model waits for the broadcast to come back.
    expect(clusterOf(store.getState()).groups).toBeNull();
    controller.kill(2);
    expect(workers[0]?.terminated).toBe(true);
    expect(calls).toHaveLength(6);
  });

  it('routes channel requests to the membership and the rest to the store', () => {
    const { controller, membership, workers } = setup(1);
    controller.startAll();
    const worker = workers[0] as FakeWorker;
    worker.onmessage?.({ data: { type: 'peer-channel-wanted', peer: 2, after: 0 } } as MessageEvent);
    expect(membership.handled).toHaveLength(1);
  });

  it('a kill resets the links and detaches the worker; a restart hands over the new one', () => {
    const { controller, membership, workers } = setup(3);
    controller.startAll();
    controller.kill(3);
    expect(workers[0]?.terminated).toBe(true);
    expect(membership.resets).toBe(1);
    expect(membership.workers.at(-1)).toBeNull();
    controller.start(3);
    expect(membership.workers.at(-1)).toBe(workers[1]);
  });

  it('Add server opens another tab instead of starting a worker here', () => {
    const { controller, workers, opened } = setup(1);
    controller.startAll();
    expect(controller.addServer()).toBeNull();
    expect(opened()).toBe(1);
    expect(workers).toHaveLength(1);
  });

  it('the quorum pill counts this server plus the voters its links reach', () => {
    const { store, controller } = setup(1);
    controller.startAll();
    const cluster = clusterOf(store.getState());
    expect(tabQuorumSummary(cluster, 3)).toMatchObject({ up: 1, hasQuorum: false });
    const server = cluster.servers[1];
    if (server === undefined) throw new Error('no server 1');
    const status = {
      state: 'LEADING',
      quorum: { leaderId: 1, serving: true, links: [{ peer: 2, up: true }, { peer: 3, up: false }, { peer: 4, up: true }] },
    } as unknown as NonNullable<typeof server.status>;
    const summary = tabQuorumSummary({ ...cluster, servers: { 1: { ...server, status } } }, 3);
    expect(summary).toMatchObject({ up: 2, needed: 2, hasQuorum: true, leader: 1 });
    expect(summary.text).toBe('quorum: 2 of 3 reachable from this tab, leader 1');
  });
});
