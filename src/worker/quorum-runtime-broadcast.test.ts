// Three quorum runtimes in Node linked as the workers of one browser are without a PeerServer:
// each opens a real BroadcastChannel (Node has them) and runs the BroadcastChannel transport.
// Election, a write through one server read through another, and a "terminated" worker (its
// channel falls silent without a word): the others' links to it go down and they elect anew.
import { afterEach, describe, expect, it } from 'vitest';
import { ZooKeeper } from '../client/zookeeper';
import { broadcastChannelName } from '../net/broadcast-frames';
import { BroadcastTransport, type BroadcastChannelLike } from '../net/broadcast-transport';
import { MemoryStorage, MemoryStorageSync } from '../storage/memory-storage';
import { Code, KeeperException } from '../zk/errors';
import { CreateMode, KeeperState, OPEN_ACL_UNSAFE, type ServerId } from '../zk/types';
import { portConnector, type PortLike } from './port-stream';
import type { QuorumSpec } from './protocol';
import { QuorumRuntime } from './quorum-runtime';
import type { RuntimeTimers } from './server-runtime';

const TICK_MS = 100;
const SPEC: QuorumSpec = { voters: [1, 2, 3], observers: [], initLimitTicks: 10, syncLimitTicks: 5 };
const timers: RuntimeTimers = {
  setInterval: (fn, periodMs) => setInterval(fn, periodMs),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
  defer: (fn) => void setTimeout(fn, 0),
};

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function waitFor(check: () => boolean, what: string, maxMs = 20_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${maxMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A real BroadcastChannel that can be silenced, as a terminated worker's is. */
class KillableChannel implements BroadcastChannelLike {
  private readonly channel: BroadcastChannel;
  dead = false;
  constructor(name: string) {
    this.channel = new BroadcastChannel(name);
  }
  postMessage(message: unknown): void {
    if (!this.dead) this.channel.postMessage(message);
  }
  addEventListener(type: 'message', listener: (event: { data?: unknown }) => void): void {
    this.channel.addEventListener(type, listener as (event: Event) => void);
  }
  removeEventListener(type: 'message', listener: (event: { data?: unknown }) => void): void {
    this.channel.removeEventListener(type, listener as (event: Event) => void);
  }
  close(): void {
    this.channel.close();
  }
}

let clusterCounter = 0;

class Cluster {
  readonly name = `bc-test-${process.pid}-${++clusterCounter}`;
  readonly runtimes = new Map<ServerId, QuorumRuntime>();
  readonly channels = new Map<ServerId, KillableChannel>();

  async start(id: ServerId): Promise<void> {
    const channel = new KillableChannel(broadcastChannelName(this.name));
    const transport = new BroadcastTransport({ selfId: id, channel, helloIntervalMs: 100, deadAfterMs: 1000 });
    const runtime = await QuorumRuntime.start({
      identity: { cluster: this.name, myid: id },
      tickTimeMs: TICK_MS,
      storage: new MemoryStorage({ core: new MemoryStorageSync() }),
      post: () => undefined,
      now: () => Date.now(),
      seed: id * 7919,
      timers,
      quorum: SPEC,
      peerTransport: transport,
    });
    cleanups.push(() => runtime.stop());
    this.runtimes.set(id, runtime);
    this.channels.set(id, channel);
  }

  /** The worker is terminated: it stops mid-flight and its channel says nothing more, not even bye. */
  async terminate(id: ServerId): Promise<void> {
    const channel = this.channels.get(id) as KillableChannel;
    channel.dead = true;
    const runtime = this.runtimes.get(id);
    this.runtimes.delete(id);
    await runtime?.stop('terminated');
  }

  leader(): ServerId | null {
    const all = [...this.runtimes];
    const leaders = all.filter(([, r]) => r.state === 'LEADING');
    const followers = all.filter(([, r]) => r.state === 'FOLLOWING');
    return leaders.length === 1 && followers.length === all.length - 1 ? (leaders[0]?.[0] ?? null) : null;
  }

  connectTo(id: ServerId): Promise<ZooKeeper> {
    const runtime = this.runtimes.get(id) as QuorumRuntime;
    const connector = portConnector((port, remote) => runtime.attach(port as unknown as PortLike, remote), 'test');
    const zk = new ZooKeeper(`server${id}:2181`, 4000, null, { connector });
    cleanups.push(() => zk.close());
    return new Promise((resolve) => zk.register((event) => event.state === KeeperState.SyncConnected && resolve(zk)));
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

describe('QuorumRuntime over BroadcastChannels (multi-tab mode without a PeerServer)', () => {
  it('elects one leader, replicates a write, and re-elects when the leader\'s worker falls silent', async () => {
    const cluster = new Cluster();
    for (const id of [1, 2, 3]) await cluster.start(id);
    await waitFor(() => cluster.leader() !== null, 'a leader and two followers');
    const leader = cluster.leader() as ServerId;
    const [writer, reader] = [1, 2, 3].filter((id) => id !== leader) as [ServerId, ServerId];

    const a = await cluster.connectTo(writer);
    await retryOnConnectionLoss(() => a.create('/bc', new TextEncoder().encode('over the channel'), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
    const b = await cluster.connectTo(reader);
    await retryOnConnectionLoss(() => b.sync('/bc'));
    const { data } = await retryOnConnectionLoss(() => b.getData('/bc', false));
    expect(new TextDecoder().decode(data ?? new Uint8Array())).toBe('over the channel');

    await cluster.terminate(leader);
    await waitFor(() => cluster.leader() !== null, 'a new leader among the two survivors');
    expect(cluster.leader()).not.toBe(leader);
    // ZooKeeper's own heartbeats may notice first; the silent peer's links go down within deadAfterMs.
    const linkTo = (id: ServerId) => (cluster.runtimes.get(id) as QuorumRuntime)['links'].linkStates().find((l) => l.peer === leader);
    await waitFor(() => linkTo(writer)?.up === false && linkTo(reader)?.up === false, 'the links to the silent worker down');
    expect(linkTo(writer)).toEqual({ peer: leader, up: false });
    await retryOnConnectionLoss(() => a.setData('/bc', new TextEncoder().encode('after the kill'), -1));
    const after = await retryOnConnectionLoss(() => b.getData('/bc', false));
    expect(new TextDecoder().decode(after.data ?? new Uint8Array())).toBe('after the kill');
  }, 60_000);
});
