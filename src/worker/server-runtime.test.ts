// The worker's server runtime in Node: a real client session over MessagePorts, a write, a restart
// on the same storage, and the write still there (what the browser does with IndexedDB).
import { afterEach, describe, expect, it } from 'vitest';
import { ZooKeeper } from '../client/zookeeper';
import { MemoryStorage, MemoryStorageSync } from '../storage/memory-storage';
import { CreateMode, KeeperState, OPEN_ACL_UNSAFE } from '../zk/types';
import type { PortLike } from './port-stream';
import { portConnector } from './port-stream';
import type { WorkerToPage } from './protocol';
import { ServerRuntime, type RuntimeTimers } from './server-runtime';

const timers: RuntimeTimers = {
  setInterval: (fn, periodMs) => setInterval(fn, periodMs),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
  defer: (fn) => void setTimeout(fn, 0),
};

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startOn(disk: MemoryStorageSync, messages: WorkerToPage[]): Promise<ServerRuntime> {
  const runtime = await ServerRuntime.start({
    identity: { cluster: 'test', myid: 1 },
    tickTimeMs: 2000,
    storage: new MemoryStorage({ core: disk }),
    post: (m) => messages.push(m),
    now: () => Date.now(),
    seed: 7,
    timers,
  });
  cleanups.push(() => runtime.stop());
  return runtime;
}

function connect(runtime: ServerRuntime): Promise<ZooKeeper> {
  const connector = portConnector((port, address) => runtime.attach(port as unknown as PortLike, address), 'page');
  const zk = new ZooKeeper('tab1:2181', 10_000, null, { connector });
  cleanups.push(() => zk.close());
  return new Promise((resolve, reject) => {
    zk.register((event) => {
      if (event.state === KeeperState.SyncConnected) resolve(zk);
      else if (event.state === KeeperState.Expired) reject(new Error('session expired'));
    });
  });
}

describe('ServerRuntime', () => {
  it('serves a client over ports and recovers its writes after a restart', async () => {
    const disk = new MemoryStorageSync();
    const first: WorkerToPage[] = [];
    const runtime = await startOn(disk, first);
    const zk = await connect(runtime);
    await zk.create('/hello', new TextEncoder().encode('world'), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    runtime.reportStatus();
    const status = first.filter((m) => m.type === 'status').at(-1);
    expect(status).toMatchObject({ type: 'status', status: { state: 'STANDALONE', sessionCount: 1 } });
    expect(first.some((m) => m.type === 'phase' && m.phase === 'serving')).toBe(true);
    await zk.close();
    await runtime.stop();

    const second: WorkerToPage[] = [];
    const restarted = await startOn(disk, second);
    expect(second[0]).toMatchObject({ type: 'recovered', snapshotZxid: null });
    expect(restarted.lastZxid).toBeGreaterThan(0n);
    const zk2 = await connect(restarted);
    const { data } = await zk2.getData('/hello');
    expect(new TextDecoder().decode(data ?? new Uint8Array())).toBe('world');
  });

  it('reports trace events in batches', async () => {
    const messages: WorkerToPage[] = [];
    const runtime = await startOn(new MemoryStorageSync(), messages);
    const zk = await connect(runtime);
    await zk.create('/t', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const events = messages.flatMap((m) => (m.type === 'trace' ? m.events : []));
    expect(events.some((e) => e.type === 'recovered')).toBe(true);
    expect(events.some((e) => e.type === 'txn' && e.path === '/t')).toBe(true);
  });
});
