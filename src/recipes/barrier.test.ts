import { describe, it, expect } from 'vitest';
import { Barrier } from './barrier';
import { RecipeTestCluster } from './test-cluster';

describe('Barrier', () => {
  it('releases everyone when the Nth participant enters, not before', async () => {
    const cluster = new RecipeTestCluster();
    const barriers: Barrier[] = [];
    const released: boolean[] = [];
    for (let i = 1; i <= 3; i++) {
      const s = await cluster.session();
      const b = new Barrier(s.api, { path: '/barrier', size: 3, participant: `p${i}`, emit: cluster.emit });
      barriers.push(b);
      void b.enter().then(() => (released[i - 1] = true));
      await cluster.settle();
      if (i < 3) expect(barriers.map((x) => x.state)).toEqual(barriers.map(() => 'waiting'));
    }
    await cluster.settle();
    expect(released).toEqual([true, true, true]);
    expect(barriers.map((b) => b.state)).toEqual(['released', 'released', 'released']);
  });

  it('a participant whose session closes leaves the count', async () => {
    const cluster = new RecipeTestCluster();
    const s1 = await cluster.session();
    const s2 = await cluster.session();
    const b1 = new Barrier(s1.api, { path: '/b', size: 2, participant: 'p1' });
    const b2 = new Barrier(s2.api, { path: '/b', size: 2, participant: 'p2' });
    void b1.enter().catch(() => undefined);
    await cluster.settle();
    expect(b1.count).toBe(1);
    const s3 = await cluster.session();
    const b3 = new Barrier(s3.api, { path: '/b', size: 2, participant: 'p3' });
    await s1.zk.close();
    b1.stop();
    await cluster.settle();
    void b2.enter();
    await cluster.settle();
    expect(b2.state).toBe('waiting');
    expect(b2.count).toBe(1);
    await b3.enter();
    await cluster.settle();
    expect(b2.state).toBe('released');
    expect(() => new Barrier(s2.api, { path: '/b', size: 0, participant: 'x' })).toThrow(RangeError);
  });
});
