// Three quorum runtimes in Node, wired as the page wires its workers: one MessageChannel per pair,
// MemoryStorage as IndexedDB, real timers with a short tickTime. Election, a replicated write,
// a freeze of the leader (a new one is elected), and a restart recovering from storage.
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { ZooKeeper } from '../client/zookeeper';
import type { MessagePortLike } from '../net/message-port-transport';
import { MemoryStorage, MemoryStorageSync } from '../storage/memory-storage';
import { Code, KeeperException } from '../zk/errors';
import { CreateMode, KeeperState, OPEN_ACL_UNSAFE, type ServerId } from '../zk/types';
import { portConnector, type PortLike } from './port-stream';
import type { QuorumSpec, WorkerToPage } from './protocol';
import { QuorumRuntime } from './quorum-runtime';
import type { RuntimeTimers } from './server-runtime';

const TICK_MS = 100; // 50 ms flapped under heavy machine load (syncLimit would be 250 ms of wall time)
const SPEC: QuorumSpec = { voters: [1, 2, 3], observers: [4], initLimitTicks: 10, syncLimitTicks: 5 };
const timers: RuntimeTimers = {
  setInterval: (fn, periodMs) => setInterval(fn, periodMs),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
  defer: (fn) => void setTimeout(fn, 0),
};

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function waitFor(check: () => boolean, what: string, maxMs = 8000): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${maxMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

class Cluster {
  readonly disks = new Map<ServerId, MemoryStorageSync>();
  readonly runtimes = new Map<ServerId, QuorumRuntime>();
  readonly posted = new Map<ServerId, WorkerToPage[]>();

  async start(id: ServerId): Promise<QuorumRuntime> {
    const disk = this.disks.get(id) ?? new MemoryStorageSync();
    this.disks.set(id, disk);
    const messages: WorkerToPage[] = [];
    this.posted.set(id, messages);
    const runtime = await QuorumRuntime.start({
      identity: { cluster: 'test', myid: id },
      tickTimeMs: TICK_MS,
      storage: new MemoryStorage({ core: disk }),
      post: (m) => messages.push(m),
      now: () => Date.now(),
      seed: id * 7919,
      timers,
      quorum: SPEC,
    });
    cleanups.push(() => runtime.stop());
    // One channel per pair with every server already up, as the page does.
    for (const [other, peer] of this.runtimes) {
      const channel = new MessageChannel();
      cleanups.push(() => (channel.port1.close(), channel.port2.close()));
      runtime.attachPeer(other, channel.port1 as unknown as MessagePortLike);
      peer.attachPeer(id, channel.port2 as unknown as MessagePortLike);
    }
    this.runtimes.set(id, runtime);
    return runtime;
  }

  /** The worker is terminated: its peers see their channel to it die. */
  async kill(id: ServerId): Promise<void> {
    const runtime = this.runtimes.get(id);
    this.runtimes.delete(id);
    for (const peer of this.runtimes.values()) peer.peerGone(id);
    await runtime?.stop('killed');
  }

  states(): string {
    return [...this.runtimes].map(([id, r]) => `${id}:${r.state}`).join(' ');
  }

  leader(): ServerId | null {
    const leaders = [...this.runtimes].filter(([, r]) => r.state === 'LEADING' && !r.frozen);
    const followers = [...this.runtimes].filter(([, r]) => r.state === 'FOLLOWING' && !r.frozen);
    return leaders.length === 1 && followers.length >= 1 ? (leaders[0]?.[0] ?? null) : null;
  }
}

async function retryOnConnectionLoss<T>(op: () => Promise<T>, attempts = 50): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await op();
    } catch (error) {
      if (!(error instanceof KeeperException && error.code === Code.ConnectionLoss) || i >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function connectTo(cluster: Cluster, id: ServerId): Promise<ZooKeeper> {
  const runtime = cluster.runtimes.get(id);
  if (runtime === undefined) throw new Error(`server ${id} is down`);
  const connector = portConnector((port, remote) => runtime.attach(port as unknown as PortLike, remote), 'test');
  const zk = new ZooKeeper(`server${id}:2181`, 4000, null, { connector });
  cleanups.push(() => zk.close());
  return new Promise((resolve) => zk.register((event) => event.state === KeeperState.SyncConnected && resolve(zk)));
}

function connect(cluster: Cluster): Promise<ZooKeeper> {
  const connector = async (address: string) => {
    const id = Number(/^server(\d+):/.exec(address)?.[1]);
    const runtime = cluster.runtimes.get(id);
    if (runtime === undefined) throw new Error(`server ${id} is down`);
    return portConnector((port, remote) => runtime.attach(port as unknown as PortLike, remote), 'test')(address);
  };
  const zk = new ZooKeeper('server1:2181,server2:2181,server3:2181', 4000, null, { connector });
  cleanups.push(() => zk.close());
  return new Promise((resolve) => zk.register((event) => event.state === KeeperState.SyncConnected && resolve(zk)));
}

describe('QuorumRuntime', () => {
  it('keeps an idle session alive on a follower and on the leader (pings alone touch it)', async () => {
    const cluster = new Cluster();
    for (const id of [1, 2, 3]) await cluster.start(id);
    await waitFor(() => cluster.leader() !== null && cluster.states().split('FOLLOWING').length === 3, 'a stable ensemble');
    const leader = cluster.leader() as ServerId;
    const follower = ([1, 2, 3] as ServerId[]).find((id) => id !== leader) as ServerId;
    const clients = await Promise.all([connectTo(cluster, follower), connectTo(cluster, leader)]);
    // The session timeout is 20 ticks at most (2 s here): idle more than twice that long.
    await new Promise((resolve) => setTimeout(resolve, 4500));
    for (const zk of clients) {
      expect(zk.getState()).toBe('CONNECTED');
      await expect(zk.exists('/', false)).resolves.not.toBeNull();
    }
  }, 30_000);

  it('elects a leader over MessagePorts, replicates a write, and survives a frozen leader', async () => {
    const cluster = new Cluster();
    for (const id of [1, 2, 3]) await cluster.start(id);
    await waitFor(() => cluster.leader() !== null && cluster.states().split('FOLLOWING').length === 3, 'a leader and two followers');
    const first = cluster.leader() as ServerId;

    const zk = await connect(cluster);
    await zk.create('/x', new TextEncoder().encode('1'), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    await waitFor(() => [...cluster.runtimes.values()].every((r) => r.lastZxid === cluster.runtimes.get(first)?.lastZxid), 'every server applied /x');

    cluster.runtimes.get(first)?.setFrozen(true);
    await waitFor(() => cluster.leader() !== null && cluster.leader() !== first, 'a new leader after the freeze');
    cluster.runtimes.get(first)?.setFrozen(false);
    await waitFor(() => cluster.runtimes.get(first)?.state === 'FOLLOWING', 'the thawed leader following');

    const status = cluster.posted.get(first)?.filter((m) => m.type === 'status').at(-1);
    expect(status).toMatchObject({ type: 'status', status: { state: 'FOLLOWING', quorum: { frozen: false } } });
    const data = await zk.getData('/x', false);
    expect(new TextDecoder().decode(data.data ?? new Uint8Array())).toBe('1');
  }, 30_000);

  it('a killed follower restarts from its storage and rejoins with the latest zxid', async () => {
    const cluster = new Cluster();
    for (const id of [1, 2, 3]) await cluster.start(id);
    await waitFor(() => cluster.leader() !== null && cluster.states().split('FOLLOWING').length === 3, 'a stable ensemble');
    const leader = cluster.leader() as ServerId;
    const follower = ([1, 2, 3] as ServerId[]).find((id) => id !== leader) as ServerId;
    const zk = await connect(cluster);
    await zk.create('/before', new Uint8Array(), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    await waitFor(() => cluster.runtimes.get(follower)?.lastZxid === cluster.runtimes.get(leader)?.lastZxid, 'the follower caught up');
    await cluster.kill(follower);
    // The client may have been on the killed server: an op then fails with ConnectionLoss until
    // it has moved to another one (same session), as with Apache's client.
    await retryOnConnectionLoss(() => zk.create('/while-down', new Uint8Array(), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
    const restarted = await cluster.start(follower);
    const recovered = cluster.posted.get(follower)?.find((m) => m.type === 'recovered');
    expect(recovered).toMatchObject({ type: 'recovered' });
    expect((recovered as { logEntries: number }).logEntries).toBeGreaterThan(0);
    await waitFor(() => restarted.state === 'FOLLOWING' && restarted.lastZxid === cluster.runtimes.get(leader)?.lastZxid, 'the restarted follower in sync');
  }, 30_000);
});
