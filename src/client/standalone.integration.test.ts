// The client against the real server core, in-process over memoryPipe, with one fake clock.
import { describe, it, expect } from 'vitest';
import { Code, KeeperException } from '../zk/errors';
import { AddWatchMode, CreateMode, EventType, KeeperState, OPEN_ACL_UNSAFE, WatcherType } from '../zk/types';
import { ZooKeeper } from './zookeeper';
import { flush } from './fake-zk-server';
import { InProcessHost } from './in-process-host';
import { MultiKeeperException } from './multi-exception';
import type { WatchedEvent } from './api';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

async function connectedClient(host: InProcessHost, connectString?: string, events: WatchedEvent[] = []): Promise<ZooKeeper> {
  const zk = host.client(connectString, (e) => events.push(e));
  await flush();
  expect(zk.getState()).toBe('CONNECTED');
  return zk;
}

describe('client + StandaloneServer in-process', () => {
  it('runs the basic operations end to end', async () => {
    const host = new InProcessHost();
    const zk = await connectedClient(host);
    expect(zk.getSessionTimeout()).toBe(10_000);
    expect(await zk.create('/a', enc('hello'), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)).toBe('/a');
    const { data, stat } = await zk.getData('/a');
    expect(dec(data)).toBe('hello');
    expect((await zk.setData('/a', enc('x'), stat.version)).version).toBe(1);
    const seq = await zk.create('/a/q-', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL);
    expect(seq).toBe('/a/q-0000000000');
    expect(await zk.getChildren('/a')).toEqual(['q-0000000000']);
    expect(await zk.getAllChildrenNumber('/a')).toBe(1);
    expect(await zk.exists('/nope')).toBeNull();
    const err = (await zk.delete('/a').catch((e: unknown) => e)) as KeeperException;
    expect(err.code).toBe(Code.NotEmpty);
    expect((await zk.whoAmI())[0]?.authScheme).toBe('ip');
    await zk.sync('/a');
    const results = await zk.multiRead([{ type: 'getData', path: '/a' }, { type: 'getChildren', path: '/missing' }]);
    expect(results[1]).toEqual({ type: 'error', err: Code.NoNode });
    expect(zk.getLastZxid()).toBeGreaterThan(0n);
    await zk.close();
    expect(zk.getState()).toBe('CLOSED');
  });

  it('delivers watch events before the reply of the change, and under a chroot', async () => {
    const host = new InProcessHost();
    const root = await connectedClient(host);
    await root.create('/app', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    const zk = await connectedClient(host, 'local:2181/app');
    await zk.create('/cfg', enc('1'), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    const order: string[] = [];
    await zk.getData('/cfg', (e) => order.push(`${EventType[e.type]} ${e.path}`));
    await zk.exists('/later', (e) => order.push(`${EventType[e.type]} ${e.path}`));
    await zk.setData('/cfg', enc('2')).then(() => order.push('setData done'));
    await zk.create('/later', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT).then(() => order.push('create done'));
    expect(order).toEqual(['NodeDataChanged /cfg', 'setData done', 'NodeCreated /later', 'create done']);
    expect(dec((await root.getData('/app/cfg')).data)).toBe('2');
  });

  it('multi rejects with the failing code and per-op results from the server', async () => {
    const host = new InProcessHost();
    const zk = await connectedClient(host);
    const err = (await zk
      .multi([
        { type: 'create', path: '/m', data: null, acl: OPEN_ACL_UNSAFE, mode: CreateMode.PERSISTENT },
        { type: 'delete', path: '/absent', version: -1 },
      ])
      .catch((e: unknown) => e)) as MultiKeeperException;
    expect(err).toBeInstanceOf(MultiKeeperException);
    expect(err.code).toBe(Code.NoNode);
    expect(err.results).toEqual([
      { type: 'error', err: Code.OK },
      { type: 'error', err: Code.NoNode },
    ]);
    expect(await zk.exists('/m')).toBeNull();
  });

  it('keeps the session and its watches across a dropped connection', async () => {
    const host = new InProcessHost();
    const events: WatchedEvent[] = [];
    const zk = await connectedClient(host, 'local:2181', events);
    const other = await connectedClient(host);
    await zk.create('/e', null, OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    const seen: string[] = [];
    await zk.addWatch('/', (e) => e.type !== EventType.None && seen.push(`${EventType[e.type]} ${e.path}`), AddWatchMode.PERSISTENT_RECURSIVE);
    const sessionId = zk.getSessionId();
    host.dropConnections();
    await flush();
    expect(zk.getState()).toBe('CONNECTING');
    // One server: coming back to the last good server waits the 1 s spin delay.
    host.advance(1_000);
    await flush();
    expect(zk.getSessionId()).toBe(sessionId);
    expect(zk.getState()).toBe('CONNECTED');
    expect(events.map((e) => e.state)).toEqual([KeeperState.SyncConnected, KeeperState.Disconnected, KeeperState.SyncConnected]);
    expect(await other.exists('/e')).not.toBeNull();
    await other.create('/x', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    await zk.sync('/');
    expect(seen).toEqual(['NodeCreated /x']);
    await zk.removeAllWatches('/', WatcherType.PersistentRecursive, false);
    await other.create('/y', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    await zk.sync('/');
    expect(seen).toEqual(['NodeCreated /x', 'PersistentWatchRemoved /']);
    const none = (await zk.removeAllWatches('/', WatcherType.Any, false).catch((e: unknown) => e)) as KeeperException;
    expect(none.code).toBe(Code.NoWatcher);
  });

  it('reports Expired when the session timed out while the client was cut off', async () => {
    const host = new InProcessHost();
    const events: WatchedEvent[] = [];
    const zk = await connectedClient(host, 'local:2181', events);
    await zk.create('/eph', null, OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    host.reachable = false;
    host.dropConnections();
    await flush();
    expect(zk.getState()).toBe('CONNECTING');
    for (let i = 0; i < 15; i++) {
      host.advance(1_000);
      await flush();
    }
    host.reachable = true;
    host.advance(1_000);
    await flush();
    expect(events.map((e) => e.state)).toEqual([KeeperState.SyncConnected, KeeperState.Disconnected, KeeperState.Expired]);
    expect(zk.getState()).toBe('CLOSED');
    const late = (await zk.exists('/eph').catch((e: unknown) => e)) as KeeperException;
    expect(late.code).toBe(Code.SessionExpired);
    const fresh = await connectedClient(host);
    expect(await fresh.exists('/eph')).toBeNull();
  });
});
