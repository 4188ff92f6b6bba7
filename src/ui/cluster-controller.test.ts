// The controller's wiring, with fake workers and channels: one channel per pair, the fault
// controls turned into the right worker messages, kills that reset client connections.
import { describe, expect, it } from 'vitest';
import { ClusterController, SIMULATION_SUFFIX } from './cluster-controller';
import { FakeWorker } from './fake-worker.test-helpers';
import { createAppStore } from './store';
import { parseTabParams } from './url-params';

class FakePort {
  static count = 0;
  readonly id = ++FakePort.count;
  onmessage: ((event: MessageEvent) => void) | null = null;
  sent: unknown[] = [];
  closed = false;
  postMessage(message: unknown): void {
    this.sent.push(message);
  }
  start(): void {}
  close(): void {
    this.closed = true;
  }
}

function setup(search = '?cluster=t&size=3&mode=simulate&tickTime=200') {
  const params = parseTabParams(search);
  const store = createAppStore(params);
  const workers: Record<number, FakeWorker[]> = {};
  const controller = new ClusterController(store, params, {
    createWorker: (myid) => {
      const worker = new FakeWorker();
      (workers[myid] ??= []).push(worker);
      return worker;
    },
    createChannel: () => ({ port1: new FakePort() as unknown as MessagePort, port2: new FakePort() as unknown as MessagePort }),
  });
  const latest = (myid: number): FakeWorker => {
    const list = workers[myid];
    if (list === undefined || list.length === 0) throw new Error(`no worker for ${myid}`);
    return list[list.length - 1] as FakeWorker;
  };
  return { store, controller, workers, latest };
}

describe('ClusterController', () => {
  it('starts every voter as a quorum worker and gives each pair one channel', () => {
    const { controller, latest } = setup();
    controller.startAll();
    const start = latest(1).posted[0];
    expect(start).toEqual({
      type: 'start',
      identity: { cluster: 't' + SIMULATION_SUFFIX, myid: 1 },
      tickTimeMs: 200,
      quorum: { voters: [1, 2, 3], observers: [4, 5, 6], initLimitTicks: 10, syncLimitTicks: 5 },
    });
    const peerPorts = (myid: number) => latest(myid).posted.filter((m) => m.type === 'peer.port').map((m) => (m as { peer: number }).peer);
    expect(peerPorts(1).sort()).toEqual([2, 3]);
    expect(peerPorts(2).sort()).toEqual([1, 3]);
    expect(peerPorts(3).sort()).toEqual([1, 2]);
    // The two ends of each pair's channel are different ports.
    const portOf = (from: number, to: number) => (latest(from).posted.find((m) => m.type === 'peer.port' && m.peer === to) as unknown as { port: FakePort }).port;
    expect(portOf(1, 2)).not.toBe(portOf(2, 1));
  });

  it('kill terminates the worker, tells the others, and closes client connections to it', async () => {
    const { controller, store, latest } = setup();
    controller.startAll();
    const stream = await controller.connector('page')('server2:2181');
    let closedWith: string | null = null;
    stream.onClose((reason) => (closedWith = reason));
    const worker2 = latest(2);
    controller.kill(2);
    expect(worker2.terminated).toBe(true);
    expect(latest(1).posted.at(-1)).toEqual({ type: 'peer.gone', peer: 2 });
    expect(latest(3).posted.at(-1)).toEqual({ type: 'peer.gone', peer: 2 });
    expect(closedWith).not.toBeNull();
    expect(store.getState().cluster?.servers[2]?.life).toBe('killed');
    await expect(controller.connector('page')('server2:2181')).rejects.toThrow(/server2 is down/);

    controller.start(2);
    expect(latest(2)).not.toBe(worker2);
    expect(latest(1).posted.at(-1)).toMatchObject({ type: 'peer.port', peer: 2 });
    expect(store.getState().cluster?.servers[2]).toMatchObject({ life: 'running', starts: 2 });
  });

  it('turns partition, links and heal into each worker\'s link faults', () => {
    const { controller, latest } = setup();
    controller.startAll();
    controller.partition({ 1: 'A', 2: 'A', 3: 'B', 4: 'A', 5: 'A', 6: 'A' });
    expect(latest(3).posted.at(-1)).toEqual({
      type: 'faults',
      links: [1, 2, 4, 5, 6].map((peer) => ({ peer, faults: { partitioned: true, outbound: {} } })),
    });
    expect(latest(1).posted.at(-1)).toEqual({ type: 'faults', links: [{ peer: 3, faults: { partitioned: true, outbound: {} } }] });
    controller.setLink(1, 2, { latencyMs: 300, lossProbability: 0 });
    expect(latest(2).posted.at(-1)).toEqual({
      type: 'faults',
      links: [
        { peer: 1, faults: { partitioned: false, outbound: { latencyMs: 300 } } },
        { peer: 3, faults: { partitioned: true, outbound: {} } },
      ],
    });
    controller.heal();
    for (const id of [1, 2, 3]) expect(latest(id).posted.at(-1)).toEqual({ type: 'faults', links: [] });
  });

  it('applies worker messages in batches, dropping those of a worker killed meanwhile', () => {
    const { controller, store, latest } = setup();
    controller.startAll();
    const trace = (server: number) => ({ type: 'trace', events: [{ type: 'msg.sent', to: 1, kind: 'proposal', bytes: 9, server, atMs: 0 }] });
    latest(2).onmessage?.({ data: trace(2) } as MessageEvent);
    latest(3).onmessage?.({ data: trace(3) } as MessageEvent);
    latest(3).onmessage?.({ data: { type: 'phase', phase: 'serving', detail: 'serving' } } as MessageEvent);
    controller.kill(3);
    expect(store.getState().flights).toHaveLength(0);
    controller.flush();
    expect(store.getState().flights.map((f) => f.from)).toEqual([2]);
    expect(store.getState().cluster?.servers[3]).toMatchObject({ life: 'killed', phase: 'stopped' });
  });

  it('freezes a worker, kills the leader, and adds observers until the slots run out', () => {
    const { controller, store, latest } = setup();
    controller.startAll();
    controller.setFrozen(2, true);
    expect(latest(2).posted.at(-1)).toEqual({ type: 'freeze', frozen: true });
    expect(store.getState().cluster?.servers[2]?.frozen).toBe(true);

    expect(controller.killLeader()).toBeNull();
    const status = { state: 'LEADING' as const, epoch: 1, lastZxid: 0n, nodeCount: 1, sessionCount: 0, watchCount: 0, connectionCount: 0, containerPaths: [], ttlPaths: [] };
    latest(3).onmessage?.({ data: { type: 'status', status } } as MessageEvent);
    expect(controller.killLeader()).toBeNull(); // not applied before the batch is flushed
    controller.flush();
    expect(controller.killLeader()).toBe(3);
    expect(latest(3).terminated).toBe(true);

    expect([controller.addServer(), controller.addServer(), controller.addServer(), controller.addServer()]).toEqual([4, 5, 6, null]);
    expect(latest(4).posted[0]).toMatchObject({ type: 'start', identity: { myid: 4 } });
  });
});
