// TabsControl between three (and a late fourth) simulated tabs: real ControlPlanes over the fake
// BroadcastChannel hub, real ClusterControllers over fake workers and memberships, a manual clock.
import { describe, expect, it } from 'vitest';
import type { Clock } from '../net/clock';
import { ControlPlane } from '../net/control-plane';
import { BroadcastHub } from '../net/control-plane.test-helpers';
import type { ServerStatus } from '../worker/protocol';
import type { ServerStateName } from '../zk/trace';
import { ClusterController } from './cluster-controller';
import { directedLinkKey, leaderOf, quorumSummary, staleForMs, STALE_AFTER_MS, STATUS_REPORT_MS } from './cluster-model';
import { clusterOf } from './cluster-store';
import { FakeWorker } from './fake-worker.test-helpers';
import { createAppStore, type AppStore } from './store';
import type { TabMembership } from './tab-membership';
import { ACK_TIMEOUT_MS, REPORT_MIN_GAP_MS, reportInputsChanged, TabsControl } from './tabs-control';
import { parseTabParams } from './url-params';

class ManualClock implements Clock {
  now = 1_000_000;
  /** Timers armed so far. */
  armed = 0;
  private timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  nowMs(): number {
    return this.now;
  }
  setTimer(delayMs: number, fn: () => void): () => void {
    this.armed++;
    const timer = { at: this.now + Math.max(0, delayMs), fn, live: true };
    this.timers.push(timer);
    return () => void (timer.live = false);
  }
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      due.live = false;
      this.now = Math.max(this.now, due.at);
      due.fn();
    }
    this.timers = this.timers.filter((t) => t.live);
    this.now = end;
  }
}

class FakeMembership implements TabMembership {
  readonly role = 'participant' as const;
  constructor(readonly myid: number) {}
  handleWorkerMessage(): boolean {
    return false;
  }
  setWorker(): void {}
  resetLinks(): void {}
  leave(): void {}
}

/** Lets the fake BroadcastChannels (setTimeout 0) and the planes' own deliveries (microtasks) run. */
const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
};

/** Delivers, lets the changed reports that follow go out (REPORT_MIN_GAP_MS later) and delivers those. */
const exchange = async (clock: ManualClock) => {
  await settle();
  clock.advance(REPORT_MIN_GAP_MS);
  await settle();
};

interface Tab {
  myid: number;
  store: AppStore;
  controller: ClusterController;
  control: TabsControl;
  plane: ControlPlane;
  workers: FakeWorker[];
  worker(): FakeWorker;
  /** The tab's worker reports its server's state. */
  report(state: ServerStateName, fields?: Partial<ServerStatus>): void;
}

function openTab(hub: BroadcastHub, clock: ManualClock, myid: number): Tab {
  const base = parseTabParams('?cluster=t&size=3&mode=tabs&tickTime=200');
  const params = { ...base, identity: { ...base.identity, myid } };
  const store = createAppStore(params);
  const workers: FakeWorker[] = [];
  const controller = new ClusterController(store, params, {
    membership: new FakeMembership(myid),
    createWorker: () => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    },
  });
  controller.startAll();
  const plane = new ControlPlane({ cluster: 't', selfId: myid, broadcast: hub.join(), clock, incarnation: 'i' });
  const control = new TabsControl({ store, controller, plane, myid, clock });
  control.start();
  const worker = () => workers.at(-1) as FakeWorker;
  const report = (state: ServerStateName, fields: Partial<ServerStatus> = {}) => {
    const status: ServerStatus = {
      state,
      epoch: 1,
      lastZxid: 0x100000002n,
      nodeCount: 5,
      sessionCount: 1,
      watchCount: 0,
      connectionCount: 1,
      containerPaths: [],
      ttlPaths: [],
      quorum: { leaderId: 1, serving: state === 'LEADING' || state === 'FOLLOWING', acceptedEpoch: 1, vote: null, connectedSessions: 1, links: [], frozen: false, buffered: 0 },
      ...fields,
    };
    worker().onmessage?.({ data: { type: 'status', status } } as MessageEvent);
    controller.flush();
  };
  return { myid, store, controller, control, plane, workers, worker, report };
}

async function threeTabs() {
  const hub = new BroadcastHub();
  const clock = new ManualClock();
  const tabs = [1, 2, 3].map((id) => openTab(hub, clock, id)) as [Tab, Tab, Tab];
  tabs[0].report('LEADING');
  tabs[1].report('FOLLOWING');
  tabs[2].report('FOLLOWING');
  await exchange(clock);
  return { hub, clock, tabs };
}

const serverIn = (tab: Tab, id: number) => clusterOf(tab.store.getState()).servers[id];
const lastFaults = (tab: Tab) => [...tab.worker().posted].reverse().find((m) => m.type === 'faults');

describe('TabsControl: status over the control plane', () => {
  it('every tab draws every server of the cluster from the others\' reports', async () => {
    const { tabs, clock } = await threeTabs();
    for (const tab of tabs) {
      for (const id of [1, 2, 3]) expect(serverIn(tab, id)?.status?.state, `tab ${tab.myid}, server ${id}`).toBe(id === 1 ? 'LEADING' : 'FOLLOWING');
      expect(leaderOf(clusterOf(tab.store.getState()))).toBe(1);
      expect(quorumSummary(clusterOf(tab.store.getState()), clock.now)).toMatchObject({ up: 3, hasQuorum: true, leader: 1 });
    }
    expect(serverIn(tabs[1], 1)?.report).toBeDefined();
    expect(serverIn(tabs[1], 2)?.report).toBeUndefined(); // its own server
    expect(serverIn(tabs[1], 1)?.status?.lastZxid).toBe(0x100000002n);
  });

  it('reports at once on a change (at most every REPORT_MIN_GAP_MS) and every STATUS_REPORT_MS otherwise', async () => {
    const { tabs, clock } = await threeTabs();
    const sent = () => tabs[0].plane.stats.sent;
    clock.advance(STATUS_REPORT_MS);
    const before = sent();
    clock.advance(STATUS_REPORT_MS * 4 + REPORT_MIN_GAP_MS + 50);
    expect(sent() - before).toBe(4);
    tabs[0].report('LOOKING');
    expect(sent() - before).toBe(5); // at once
    await settle();
    expect(serverIn(tabs[2], 1)?.status?.state).toBe('LOOKING');
    tabs[0].report('LEADING', { epoch: 2 });
    expect(sent() - before).toBe(5); // too soon after the last one: waits for the gap
    clock.advance(REPORT_MIN_GAP_MS);
    expect(sent() - before).toBe(6);
  });

  it('a burst of changes within the gap arms one timer and sends the newest state once', async () => {
    const { tabs, clock } = await threeTabs();
    clock.advance(STATUS_REPORT_MS); // a periodic report just went out
    const sentBefore = tabs[0].plane.stats.sent;
    const armedBefore = clock.armed;
    for (let i = 0; i < 20; i++) tabs[0].report('LEADING', { lastZxid: 0x100000011n + BigInt(i) });
    expect(clock.armed - armedBefore).toBe(1);
    expect(tabs[0].plane.stats.sent - sentBefore).toBe(0);
    clock.advance(REPORT_MIN_GAP_MS);
    expect(tabs[0].plane.stats.sent - sentBefore).toBe(1);
    await settle();
    expect(serverIn(tabs[1], 1)?.status?.lastZxid).toBe(0x100000011n + 19n);
  });

  it('a server whose tab stops reporting is stale after three periods, and stops counting for the quorum', async () => {
    const { tabs, clock } = await threeTabs();
    tabs[2].control.stop();
    clock.advance(STATUS_REPORT_MS);
    await settle();
    const s3 = () => serverIn(tabs[0], 3);
    expect(staleForMs(s3()!, clock.now)).toBeNull();
    clock.advance(STALE_AFTER_MS);
    await settle();
    expect(staleForMs(s3()!, clock.now)).toBeGreaterThan(STALE_AFTER_MS);
    expect(staleForMs(serverIn(tabs[0], 2)!, clock.now)).toBeNull();
    expect(quorumSummary(clusterOf(tabs[0].store.getState()), clock.now)).toMatchObject({ up: 2, hasQuorum: true });
  });
});

describe('TabsControl: faults from any tab', () => {
  it('Kill leader in a follower\'s tab kills the leader in its own tab, which acks; every tab sees it DOWN', async () => {
    const { tabs, clock } = await threeTabs();
    expect(tabs[1].controller.killLeader()).toBe(1);
    await exchange(clock);
    expect(tabs[0].worker().terminated).toBe(true);
    expect(tabs[1].workers[0]?.terminated).toBe(false);
    for (const tab of tabs) expect(serverIn(tab, 1)?.life).toBe('killed');
    clock.advance(ACK_TIMEOUT_MS * 2);
    expect(tabs[1].store.getState().errors).toEqual([]);
    // Restart from the third tab: server 1's tab starts a new worker.
    tabs[2].controller.start(1);
    await exchange(clock);
    expect(tabs[0].workers).toHaveLength(2);
    expect(serverIn(tabs[0], 1)?.life).toBe('running');
    expect(serverIn(tabs[2], 1)?.life).toBe('running');
  });

  it('freeze and unfreeze another tab\'s server', async () => {
    const { tabs, clock } = await threeTabs();
    tabs[2].controller.setFrozen(1, true);
    await exchange(clock);
    expect(tabs[0].worker().posted.at(-1)).toEqual({ type: 'freeze', frozen: true });
    expect(serverIn(tabs[2], 1)).toMatchObject({ frozen: true, status: { state: 'LEADING' } });
    tabs[2].controller.setFrozen(1, false);
    await exchange(clock);
    expect(tabs[0].worker().posted.at(-1)).toEqual({ type: 'freeze', frozen: false });
    expect(serverIn(tabs[2], 1)?.frozen).toBe(false);
  });

  it('reports a refused command and a missing ack in plain words', async () => {
    const { tabs, clock } = await threeTabs();
    tabs[0].controller.kill(3);
    await exchange(clock);
    tabs[0].controller.setFrozen(3, false); // server 3 is down now: its tab refuses
    await exchange(clock);
    expect(tabs[0].store.getState().errors).toEqual(["server 3's tab could not unfreeze server 3: server 3 is not running"]);
    tabs[1].control.stop(); // the tab is gone: nobody answers
    tabs[0].controller.kill(2);
    await exchange(clock);
    expect(tabs[1].worker().terminated).toBe(false);
    clock.advance(ACK_TIMEOUT_MS - 1 - REPORT_MIN_GAP_MS);
    expect(tabs[0].store.getState().errors).toEqual(["server 3's tab could not unfreeze server 3: server 3 is not running"]);
    clock.advance(1);
    expect(tabs[0].store.getState().errors.at(-1)).toMatch(/^no answer from server 2's tab within 5 s: "kill server 2" may not have happened/);
  });

  it('a partition from any tab is held by every tab, each pushing its own worker\'s link faults; Heal clears it', async () => {
    const { tabs, clock } = await threeTabs();
    tabs[1].controller.partition({ 1: 'B', 2: 'A', 3: 'A' });
    await exchange(clock);
    for (const tab of tabs) expect(clusterOf(tab.store.getState()).groups).toEqual({ 1: 'B', 2: 'A', 3: 'A' });
    expect(lastFaults(tabs[0])).toEqual({
      type: 'faults',
      links: [2, 3].map((peer) => ({ peer, faults: { partitioned: true, outbound: {} } })),
    });
    expect(lastFaults(tabs[2])).toEqual({ type: 'faults', links: [{ peer: 1, faults: { partitioned: true, outbound: {} } }] });
    tabs[2].controller.setLinkDirection(2, 3, { latencyMs: 300, lossProbability: 0.1 });
    await exchange(clock);
    for (const tab of tabs) expect(clusterOf(tab.store.getState()).links).toEqual({ [directedLinkKey(2, 3)]: { latencyMs: 300, lossProbability: 0.1 } });
    expect(lastFaults(tabs[1])).toEqual({
      type: 'faults',
      links: [
        { peer: 1, faults: { partitioned: true, outbound: {} } },
        { peer: 3, faults: { partitioned: false, outbound: { latencyMs: 300, lossProbability: 0.1 } } },
      ],
    });
    tabs[0].controller.heal();
    await exchange(clock);
    for (const tab of tabs) {
      expect(clusterOf(tab.store.getState())).toMatchObject({ groups: null, links: {} });
      expect(lastFaults(tab)).toEqual({ type: 'faults', links: [] });
    }
  });

  it('a tab opened later learns the partition and link settings from the reports', async () => {
    const { hub, clock, tabs } = await threeTabs();
    tabs[0].controller.partition({ 1: 'A', 2: 'A', 3: 'B' });
    tabs[0].controller.setLinkDirection(1, 2, { latencyMs: 200, lossProbability: 0 });
    await exchange(clock);
    const late = openTab(hub, clock, 4);
    clock.advance(STATUS_REPORT_MS);
    await exchange(clock);
    const cluster = clusterOf(late.store.getState());
    expect(cluster.groups).toMatchObject({ 1: 'A', 2: 'A', 3: 'B' });
    expect(cluster.groups?.[4]).not.toBe(cluster.groups?.[1]); // in no group: a side of its own
    expect(cluster.links).toEqual({ [directedLinkKey(1, 2)]: { latencyMs: 200, lossProbability: 0 } });
    expect(late.control.faultVersion).toEqual(tabs[0].control.faultVersion);
    // A newer heal wins over the older model still in the other tabs' next reports.
    late.controller.heal();
    await exchange(clock);
    clock.advance(STATUS_REPORT_MS);
    await exchange(clock);
    for (const tab of [...tabs, late]) expect(clusterOf(tab.store.getState()).groups).toBeNull();
  });
});

describe('reportInputsChanged', () => {
  const cluster = () => {
    const base = parseTabParams('?cluster=t&size=3&mode=tabs');
    return clusterOf(createAppStore({ ...base, identity: { ...base.identity, myid: 2 } }).getState());
  };

  it('is false for a change of another tab\'s server: this tab\'s report stays the same', () => {
    const before = cluster();
    const after = { ...before, servers: { ...before.servers, 1: { ...before.servers[1]!, frozen: true } } };
    expect(reportInputsChanged(after, before, 2)).toBe(false);
    expect(reportInputsChanged(before, before, 2)).toBe(false);
  });

  it('is true for a change of its own server or of the fault model', () => {
    const before = cluster();
    expect(reportInputsChanged({ ...before, servers: { ...before.servers, 2: { ...before.servers[2]!, frozen: true } } }, before, 2)).toBe(true);
    expect(reportInputsChanged({ ...before, groups: { 1: 'A', 2: 'B', 3: 'B' } }, before, 2)).toBe(true);
    expect(reportInputsChanged({ ...before, links: {} }, before, 2)).toBe(true);
    expect(reportInputsChanged(null, before, 2)).toBe(true);
  });
});
