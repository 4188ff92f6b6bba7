import { describe, it, expect } from 'vitest';
import { DistributedLock, lastName } from './lock';
import { RecipeTestCluster, type TestSession } from './test-cluster';
import { sortBySequence } from './recipe-support';

async function contenders(cluster: RecipeTestCluster, n: number): Promise<Array<{ s: TestSession; lock: DistributedLock; acquired: Promise<void> }>> {
  const result = [];
  for (let i = 1; i <= n; i++) {
    const s = await cluster.session();
    const lock = new DistributedLock(s.api, { lockPath: '/lock', participant: `p${i}`, emit: cluster.emit, protectedId: `id${i}` });
    const acquired = lock.acquire();
    acquired.catch(() => undefined);
    await cluster.settle();
    result.push({ s, lock, acquired });
  }
  return result;
}

const holders = (all: Array<{ lock: DistributedLock }>) => all.filter((c) => c.lock.state === 'held').map((c) => c.lock);

describe('DistributedLock', () => {
  it('passes the lock in creation order as holders release', async () => {
    const cluster = new RecipeTestCluster();
    const [p1, p2, p3] = await contenders(cluster, 3);
    await p1!.acquired;
    expect(holders([p1!, p2!, p3!])).toEqual([p1!.lock]);
    expect([p2!.lock.state, p3!.lock.state]).toEqual(['waiting', 'waiting']);
    await p1!.lock.release();
    await cluster.settle();
    await p2!.acquired;
    expect(holders([p1!, p2!, p3!])).toEqual([p2!.lock]);
    await p2!.lock.release();
    await cluster.settle();
    await p3!.acquired;
    expect(holders([p1!, p2!, p3!])).toEqual([p3!.lock]);
    const order = cluster.events.filter((e) => e.kind === 'acquired').map((e) => e.participant);
    expect(order).toEqual(['p1', 'p2', 'p3']);
  });

  it('names the nodes with a protected prefix and sorts them by counter', async () => {
    const cluster = new RecipeTestCluster();
    const [p1, p2] = await contenders(cluster, 2);
    expect(lastName(p1!.lock.ownNode!)).toBe('_c_id1-lock-0000000000');
    expect(lastName(p2!.lock.ownNode!)).toBe('_c_id2-lock-0000000001');
    expect(sortBySequence(['_c_z-lock-0000000002', '_c_a-lock-0000000010', '_c_m-lock-0000000001'])).toEqual([
      '_c_m-lock-0000000001',
      '_c_z-lock-0000000002',
      '_c_a-lock-0000000010',
    ]);
  });

  it('each waiter watches only its predecessor, and a release wakes only the next one', async () => {
    const cluster = new RecipeTestCluster();
    const all = await contenders(cluster, 4);
    const [p1, p2, p3, p4] = all;
    for (let i = 1; i < all.length; i++) {
      const own = all[i]!;
      expect(own.s.watched).toEqual([{ op: 'exists', path: all[i - 1]!.lock.ownNode }]);
    }
    expect(p1!.s.watched).toEqual([]);
    const watchingBefore = cluster.events.filter((e) => e.kind === 'watching').length;
    await p1!.lock.release();
    await cluster.settle();
    await p2!.acquired;
    // p3 and p4 were not woken: no new reads, no new watches.
    expect(p3!.s.watched).toHaveLength(1);
    expect(p4!.s.watched).toHaveLength(1);
    expect(cluster.events.filter((e) => e.kind === 'watching').length).toBe(watchingBefore);
    expect(p3!.lock.state).toBe('waiting');
  });

  it('a waiter in the middle leaving re-links its successor to the one before', async () => {
    const cluster = new RecipeTestCluster();
    const [p1, p2, p3] = await contenders(cluster, 3);
    await p2!.lock.release();
    await cluster.settle();
    expect(p3!.lock.predecessor).toBe(p1!.lock.ownNode);
    expect(p3!.lock.state).toBe('waiting');
    await p1!.lock.release();
    await cluster.settle();
    await p3!.acquired;
    expect(p3!.lock.state).toBe('held');
  });

  it('passes the lock in order when the holders\' sessions are closed', async () => {
    const cluster = new RecipeTestCluster();
    const [p1, p2, p3] = await contenders(cluster, 3);
    await p1!.acquired;
    await p1!.s.zk.close();
    p1!.lock.sessionEnded();
    await cluster.settle();
    await p2!.acquired;
    expect(p3!.lock.state).toBe('waiting');
    await p2!.s.zk.close();
    await cluster.settle();
    await p3!.acquired;
    expect(cluster.events.filter((e) => e.kind === 'acquired').map((e) => e.participant)).toEqual(['p1', 'p2', 'p3']);
  });

  it('passes the lock when the holder\'s session expires (its ephemeral node is deleted)', async () => {
    const cluster = new RecipeTestCluster();
    const [p1, p2, p3] = await contenders(cluster, 3);
    await p1!.acquired;
    await cluster.expire(p1!.s);
    await p2!.acquired;
    expect(p2!.lock.state).toBe('held');
    expect(p3!.lock.state).toBe('waiting');
    expect(await p2!.s.zk.exists(p1!.lock.ownNode!)).toBeNull();
  });

  it('a waiter whose session expires drops out of the line; its successor re-links', async () => {
    const cluster = new RecipeTestCluster();
    const [p1, p2, p3] = await contenders(cluster, 3);
    await cluster.expire(p2!.s);
    // The cut-off client learns nothing until it reconnects; the others see its node gone.
    expect(p3!.lock.predecessor).toBe(p1!.lock.ownNode);
    await p1!.lock.release();
    await cluster.settle();
    await p3!.acquired;
  });

  it('finds its own node after a create cut off by ConnectionLoss (protected name)', async () => {
    const cluster = new RecipeTestCluster();
    const s = await cluster.session();
    let calls = 0;
    // The first create reaches the server but its reply is lost, as when the connection drops.
    const lossy = new Proxy(s.api, {
      get(target, property, receiver) {
        if (property === 'create') {
          return async (...args: Parameters<typeof target.create>) => {
            const created = await target.create(...args);
            calls++;
            if (calls === 2) {
              const { KeeperException, Code } = await import('../zk/errors');
              throw new KeeperException(Code.ConnectionLoss);
            }
            return created;
          };
        }
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const lock = new DistributedLock(lossy, { lockPath: '/lock', participant: 'p1', emit: cluster.emit, protectedId: 'x' });
    await lock.acquire();
    expect(lock.state).toBe('held');
    expect(await s.zk.getChildren('/lock')).toEqual(['_c_x-lock-0000000000']);
    expect(cluster.kinds('p1')).toContain('recovered');
  });
});
