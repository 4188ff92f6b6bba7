// Null vs empty znode data, client to server and back, as zkCli shows it against Apache:
// `create /e` then `get /e` prints "null"; `create /e ""` prints an empty line.
import { describe, it, expect } from 'vitest';
import { CreateMode, OPEN_ACL_UNSAFE } from '../zk/types';
import type { ZooKeeper } from './zookeeper';
import { flush } from './fake-zk-server';
import { InProcessHost } from './in-process-host';

const EMPTY = new Uint8Array(0);
const acl = OPEN_ACL_UNSAFE;

async function connected(): Promise<{ host: InProcessHost; zk: ZooKeeper }> {
  const host = new InProcessHost();
  const zk = host.client();
  await flush();
  expect(zk.getState()).toBe('CONNECTED');
  return { host, zk };
}

describe('client + server: null data', () => {
  it('getData returns null for a node created with null data and an empty array for empty data', async () => {
    const { zk } = await connected();
    await zk.create('/nul', null, acl, CreateMode.PERSISTENT);
    await zk.create('/empty', EMPTY, acl, CreateMode.PERSISTENT);
    const nul = await zk.getData('/nul');
    expect(nul.data).toBeNull();
    expect(nul.stat.dataLength).toBe(0);
    const empty = await zk.getData('/empty');
    expect(empty.data).toBeInstanceOf(Uint8Array);
    expect(empty.data).toEqual(EMPTY);
    expect(empty.stat.dataLength).toBe(0);
    await zk.close();
  });

  it('setData switches between null and empty', async () => {
    const { zk } = await connected();
    await zk.create('/a', new Uint8Array([1, 2, 3]), acl, CreateMode.PERSISTENT);
    expect((await zk.setData('/a', null)).dataLength).toBe(0);
    expect((await zk.getData('/a')).data).toBeNull();
    await zk.setData('/a', EMPTY);
    expect((await zk.getData('/a')).data).toEqual(EMPTY);
    await zk.setData('/a', null);
    expect((await zk.getData('/a')).data).toBeNull();
    await zk.close();
  });

  it('multi writes and multiRead keep null apart from empty', async () => {
    const { zk } = await connected();
    await zk.multi([
      { type: 'create', path: '/m', data: null, acl, mode: CreateMode.PERSISTENT },
      { type: 'create', path: '/m/e', data: EMPTY, acl, mode: CreateMode.PERSISTENT },
      { type: 'create', path: '/m/s', data: new Uint8Array([9]), acl, mode: CreateMode.PERSISTENT },
      { type: 'setData', path: '/m/s', data: null, version: -1 },
    ]);
    const results = await zk.multiRead([
      { type: 'getData', path: '/m' },
      { type: 'getData', path: '/m/e' },
      { type: 'getData', path: '/m/s' },
    ]);
    expect(results.map((r) => (r.type === 'getData' ? r.data : 'not getData'))).toEqual([null, EMPTY, null]);
    await zk.close();
  });

  it('container, TTL and createWithStat creates keep null data', async () => {
    const { zk } = await connected();
    const created = await zk.createWithStat('/c', null, acl, CreateMode.CONTAINER);
    expect(created.stat.dataLength).toBe(0);
    await zk.create('/t', null, acl, CreateMode.PERSISTENT_WITH_TTL, 60_000);
    expect((await zk.getData('/c')).data).toBeNull();
    expect((await zk.getData('/t')).data).toBeNull();
    await zk.close();
  });
});
