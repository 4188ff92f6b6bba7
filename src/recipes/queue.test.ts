import { describe, it, expect } from 'vitest';
import { DistributedQueue } from './queue';
import { RecipeTestCluster } from './test-cluster';

describe('DistributedQueue', () => {
  it('consumers take items in FIFO order across sessions', async () => {
    const cluster = new RecipeTestCluster();
    const producer = new DistributedQueue((await cluster.session()).api, { path: '/queue', participant: 'producer', emit: cluster.emit });
    const c1 = new DistributedQueue((await cluster.session()).api, { path: '/queue', participant: 'c1', emit: cluster.emit });
    const c2 = new DistributedQueue((await cluster.session()).api, { path: '/queue', participant: 'c2', emit: cluster.emit });
    for (const v of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k']) await producer.offer(v);
    expect((await c1.peekAll()).map((i) => i.value)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k']);
    const taken: Array<string | null> = [];
    for (let i = 0; i < 5; i++) {
      taken.push((await c1.poll())?.value ?? null);
      taken.push((await c2.poll())?.value ?? null);
    }
    // Racing consumers: both take concurrently; each item is taken once.
    const [x, y] = await Promise.all([c1.poll(), c2.poll()]);
    expect(taken).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
    expect([x?.value ?? null, y?.value ?? null].sort()).toEqual(['k', null].sort());
    expect(await c1.poll()).toBeNull();
  });

  it('take waits for an item while the queue is empty', async () => {
    const cluster = new RecipeTestCluster();
    const producer = new DistributedQueue((await cluster.session()).api, { path: '/q', participant: 'producer', emit: cluster.emit });
    const consumer = new DistributedQueue((await cluster.session()).api, { path: '/q', participant: 'consumer', emit: cluster.emit });
    let got: string | null | undefined;
    void consumer.take().then((item) => (got = item.value));
    await cluster.settle();
    expect(got).toBeUndefined();
    expect(cluster.kinds('consumer')).toEqual(['waiting']);
    await producer.offer('first');
    await producer.offer('second');
    await cluster.settle();
    expect(got).toBe('first');
    expect((await consumer.poll())?.value).toBe('second');
  });
});
