import { describe, it, expect } from 'vitest';
import { ClientElection } from './client-election';
import { RecipeTestCluster } from './test-cluster';

async function candidates(cluster: RecipeTestCluster, n: number) {
  const result = [];
  for (let i = 1; i <= n; i++) {
    const s = await cluster.session();
    const election = new ClientElection(s.api, { path: '/active', participant: `p${i}`, emit: cluster.emit });
    const won = election.run();
    won.catch(() => undefined);
    await cluster.settle();
    result.push({ s, election, won });
  }
  return result;
}

describe('ClientElection (active/standby)', () => {
  it('the first candidate is active, the others stand by, and a standby takes over when the active session closes', async () => {
    const cluster = new RecipeTestCluster();
    const [p1, p2, p3] = await candidates(cluster, 3);
    await p1!.won;
    expect([p1!.election.state, p2!.election.state, p3!.election.state]).toEqual(['active', 'standby', 'standby']);
    expect(p2!.election.active).toBe('p1');
    await p1!.s.zk.close();
    p1!.election.sessionEnded();
    await cluster.settle();
    const states = [p2!.election.state, p3!.election.state];
    expect(states.filter((s) => s === 'active')).toHaveLength(1);
    expect(states.filter((s) => s === 'standby')).toHaveLength(1);
    const actives = cluster.events.filter((e) => e.kind === 'active').map((e) => e.participant);
    expect(actives).toHaveLength(2);
    expect(actives[0]).toBe('p1');
  });

  it('a standby takes over when the active resigns, and when the active session expires', async () => {
    const cluster = new RecipeTestCluster();
    const [p1, p2] = await candidates(cluster, 2);
    await p1!.election.resign();
    await cluster.settle();
    await p2!.won;
    expect(p2!.election.state).toBe('active');
    const p3s = await cluster.session();
    const p3 = new ClientElection(p3s.api, { path: '/active', participant: 'p3', emit: cluster.emit });
    const p3won = p3.run();
    await cluster.settle();
    expect(p3.state).toBe('standby');
    await cluster.expire(p2!.s);
    await p3won;
    expect(p3.state).toBe('active');
    expect((await p3s.zk.exists('/active'))?.ephemeralOwner).toBe(p3s.zk.getSessionId());
  });
});
