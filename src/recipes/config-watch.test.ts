import { describe, it, expect } from 'vitest';
import { ConfigWatch } from './config-watch';
import { RecipeTestCluster } from './test-cluster';

describe('ConfigWatch', () => {
  it('every watcher re-reads the new value after one participant sets it', async () => {
    const cluster = new RecipeTestCluster();
    const watches: ConfigWatch[] = [];
    for (let i = 1; i <= 3; i++) {
      const s = await cluster.session();
      const w = new ConfigWatch(s.api, { path: '/config', participant: `p${i}`, emit: cluster.emit });
      await w.start();
      watches.push(w);
    }
    expect(watches.map((w) => w.value)).toEqual([null, null, null]);
    await watches[0]!.set('v1');
    await cluster.settle();
    expect(watches.map((w) => w.value)).toEqual(['v1', 'v1', 'v1']);
    await watches[2]!.set('v2');
    await cluster.settle();
    expect(watches.map((w) => w.value)).toEqual(['v2', 'v2', 'v2']);
    expect(watches.map((w) => w.version)).toEqual([1, 1, 1]);
    for (const p of ['p1', 'p2', 'p3']) {
      expect(cluster.kinds(p).filter((k) => k === 'notified')).toHaveLength(2);
    }
  });

  it('keeps following across a dropped connection and stops when asked', async () => {
    const cluster = new RecipeTestCluster();
    const a = await cluster.session();
    const b = await cluster.session();
    const wa = new ConfigWatch(a.api, { path: '/app/config', participant: 'a', emit: cluster.emit });
    const wb = new ConfigWatch(b.api, { path: '/app/config', participant: 'b', emit: cluster.emit });
    await wb.set('x');
    await wa.start();
    expect(wa.value).toBe('x');
    cluster.host.dropConnections();
    await cluster.settle();
    cluster.host.advance(1_000);
    await cluster.settle();
    expect(a.zk.getState()).toBe('CONNECTED');
    await wb.set('y');
    await cluster.settle();
    expect(wa.value).toBe('y');
    wa.stop();
    await wb.set('z');
    await cluster.settle();
    expect(wa.value).toBe('y');
  });
});
