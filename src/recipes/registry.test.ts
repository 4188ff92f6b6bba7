import { describe, it, expect } from 'vitest';
import { registerMember, RegistryWatcher } from './registry';
import { RecipeTestCluster } from './test-cluster';

describe('server registry', () => {
  it('a watcher sees members join and one vanish when its session is closed', async () => {
    const cluster = new RecipeTestCluster();
    const w = await cluster.session();
    const watcher = new RegistryWatcher(w.api, { path: '/servers', participant: 'watcher', emit: cluster.emit });
    await watcher.start();
    const s1 = await cluster.session();
    const s2 = await cluster.session();
    await registerMember(s1.api, { path: '/servers', participant: 'p1', emit: cluster.emit }, 'p1', 'host1:80');
    await registerMember(s2.api, { path: '/servers', participant: 'p2', emit: cluster.emit }, 'p2', 'host2:80');
    await cluster.settle();
    expect(watcher.current).toEqual(['p1', 'p2']);
    await s1.zk.close();
    await cluster.settle();
    expect(watcher.current).toEqual(['p2']);
    const left = cluster.events.filter((e) => e.kind === 'left');
    expect(left.map((e) => e.path)).toEqual(['/servers/p1']);
  });

  it('a member vanishes when its session expires', async () => {
    const cluster = new RecipeTestCluster();
    const w = await cluster.session();
    const watcher = new RegistryWatcher(w.api, { path: '/servers', participant: 'watcher', emit: cluster.emit });
    await watcher.start();
    const s1 = await cluster.session();
    await registerMember(s1.api, { path: '/servers', participant: 'p1' }, 'p1');
    await cluster.settle();
    expect(watcher.current).toEqual(['p1']);
    await cluster.expire(s1);
    expect(watcher.current).toEqual([]);
  });

  it('registering twice in one session is a no-op; another session cannot take the name', async () => {
    const cluster = new RecipeTestCluster();
    const s1 = await cluster.session();
    const s2 = await cluster.session();
    await registerMember(s1.api, { path: '/servers', participant: 'p1' }, 'x');
    await expect(registerMember(s1.api, { path: '/servers', participant: 'p1' }, 'x')).resolves.toBe('/servers/x');
    await expect(registerMember(s2.api, { path: '/servers', participant: 'p2' }, 'x')).rejects.toThrow(/NodeExists/);
  });
});
