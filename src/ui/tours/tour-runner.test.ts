// The runner plays the tours against a toy ensemble that follows ZooKeeper's rules: each step runs
// only on next(), waits for its condition, and the two seed scenarios end as the docs say.
import { describe, expect, it } from 'vitest';
import { zxidCounter } from '../../zk/types';
import { clusterOf } from '../cluster-store';
import { FakeEnsemble } from './fake-ensemble.test-helpers';
import { TourRunner, isolation, type TourRunnerDeps } from './tour-runner';
import type { Tour } from './tour-model';
import { TOUR_1, TOUR_2 } from './tours';

const noSleep = () => Promise.resolve();

function setup(tour: Tour, extra: Partial<TourRunnerDeps> = {}) {
  const ensemble = new FakeEnsemble(tour.size);
  const navigations: number[] = [];
  const runner = new TourRunner(tour, {
    store: ensemble.store,
    cluster: ensemble,
    client: () => ensemble.client(),
    navigate: (step) => navigations.push(step),
    sleep: noSleep,
    stepTimeoutMs: 5_000,
    ...extra,
  });
  const stateOf = (myid: number) => clusterOf(ensemble.store.getState()).servers[myid]?.status?.state;
  return { ensemble, runner, navigations, stateOf };
}

describe('TourRunner', () => {
  it('tour 1: steps run one per next(); 1 and 2 stay LOOKING, 3 leads, 4 and 5 follow', async () => {
    const { ensemble, runner, stateOf } = setup(TOUR_1);
    await runner.begin();
    expect(runner.state.getState()).toMatchObject({ stepIndex: 0, phase: 'done' });
    expect(ensemble.log).toEqual([]);

    expect(await runner.next()).toBe(true);
    expect(ensemble.log).toEqual(['start 1']);
    expect(stateOf(1)).toBe('LOOKING');
    await runner.next();
    expect([stateOf(1), stateOf(2)]).toEqual(['LOOKING', 'LOOKING']);
    await runner.next();
    expect([stateOf(1), stateOf(2), stateOf(3)]).toEqual(['FOLLOWING', 'FOLLOWING', 'LEADING']);
    await runner.next();
    await runner.next();
    expect([1, 2, 3, 4, 5].map(stateOf)).toEqual(['FOLLOWING', 'FOLLOWING', 'LEADING', 'FOLLOWING', 'FOLLOWING']);
    expect(runner.state.getState()).toMatchObject({ stepIndex: 5, phase: 'done' });
    expect(runner.canNext).toBe(false);
    expect(await runner.next()).toBe(false);
    expect(ensemble.log).toEqual(['start 1', 'start 2', 'start 3', 'start 4', 'start 5']);
  });

  it('tour 2: server 4 misses the last write, 3 and 5 fail, 2 leads; the noted tuples keep the order', async () => {
    const { ensemble, runner, stateOf } = setup(TOUR_2);
    await runner.begin();
    for (let i = 0; i < TOUR_2.steps.length - 1; i++) expect(await runner.next()).toBe(true);
    const run = runner.state.getState();
    expect(run).toMatchObject({ stepIndex: 5, phase: 'done', error: null });
    expect([stateOf(1), stateOf(2), stateOf(4)]).toEqual(['FOLLOWING', 'LEADING', 'FOLLOWING']);
    const noted = run.recorded ?? [];
    expect(noted.map((t) => t.myid)).toEqual([1, 2, 4]);
    const [one, two, four] = noted.map((t) => t.zxid);
    expect(one).toBe(two);
    expect(zxidCounter(one as bigint)).toBe(8); // the toy has no session txns: exactly the seed's 8 and 7
    expect(zxidCounter(four as bigint)).toBe(7);
    expect(noted.every((t) => t.epoch === 1)).toBe(true);
    expect(ensemble.log.filter((l) => l.startsWith('create'))).toHaveLength(8);
    expect(ensemble.log.slice(-3)).toEqual(['kill 3', 'kill 5', 'heal']);
  });

  it('is busy while a step waits, and Next does nothing then', async () => {
    const { runner } = setup(TOUR_1);
    await runner.begin();
    const first = runner.next();
    expect(runner.busy).toBe(true);
    expect(runner.canNext).toBe(false);
    expect(await runner.next()).toBe(false);
    await first;
    expect(runner.busy).toBe(false);
  });

  it('begin(step) replays steps 2..step on arrival (Back lands there)', async () => {
    const { ensemble, runner, stateOf } = setup(TOUR_1);
    await runner.begin(4);
    expect(runner.state.getState()).toMatchObject({ stepIndex: 3, phase: 'done', replayingTo: null });
    expect(ensemble.log).toEqual(['start 1', 'start 2', 'start 3']);
    expect(stateOf(3)).toBe('LEADING');
  });

  it('Back and Replay open a fresh run at the previous step / step 1, never while a step runs', async () => {
    const { runner, navigations } = setup(TOUR_1);
    await runner.begin();
    runner.back(); // step 1 has no previous step
    expect(navigations).toEqual([]);
    await runner.next();
    await runner.next();
    runner.back();
    runner.replay();
    expect(navigations).toEqual([2, 1]);
    const running = runner.next();
    runner.replay();
    runner.back();
    expect(navigations).toEqual([2, 1]);
    await running;
  });

  it('runs prepare (the database wipe) before step 1 counts as done', async () => {
    const order: string[] = [];
    const { runner } = setup(TOUR_1, { prepare: async () => void order.push('prepare') });
    const begun = runner.begin();
    expect(runner.state.getState().phase).toBe('running');
    await begun;
    expect(order).toEqual(['prepare']);
    expect(runner.state.getState().phase).toBe('done');
  });

  it('a step whose condition never holds fails with what it waited for, and Next stays off', async () => {
    const stuck: Tour = { ...TOUR_1, steps: [TOUR_1.steps[0]!, { title: 't', explanation: 'e', actions: [], done: { kind: 'state', myid: 2, state: 'LEADING' } }] };
    const { runner } = setup(stuck, { stepTimeoutMs: 30 });
    await runner.begin();
    expect(await runner.next()).toBe(false);
    expect(runner.state.getState()).toMatchObject({ phase: 'failed', error: 'gave up waiting for server 2 LEADING' });
    expect(runner.canNext).toBe(false);
  });

  it('shows the unmet parts of the condition while it waits', async () => {
    const { runner, ensemble } = setup(TOUR_1);
    await runner.begin();
    const seen = new Set<string>();
    runner.state.subscribe((s) => s.waitingFor.forEach((w) => seen.add(w)));
    await runner.next();
    await runner.next();
    await runner.next();
    expect(seen.has('server 3 LEADING')).toBe(true);
    expect(ensemble.leader()).toBe(3);
  });

  it('retries a write through connection loss; a retried create that already succeeded counts once', async () => {
    const { ensemble, runner } = setup(TOUR_2);
    await runner.begin(2);
    ensemble.failNextCreates = 3;
    ensemble.loseNextReplies = 1;
    expect(await runner.next()).toBe(true);
    // 7 zxids, 7 creates: the write whose reply was lost is not written twice.
    expect(ensemble.log.filter((l) => l.startsWith('create'))).toHaveLength(7);
    expect([...ensemble.created].sort()).toEqual(['/tour-w1', '/tour-w2', '/tour-w3', '/tour-w4', '/tour-w5', '/tour-w6', '/tour-w7']);
  });

  it('isolation puts one server on side B, the rest on A', () => {
    expect(isolation(5, 4)).toEqual({ 1: 'A', 2: 'A', 3: 'A', 4: 'B', 5: 'A' });
  });
});
