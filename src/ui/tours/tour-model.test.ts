import { describe, expect, it } from 'vitest';
import { makeZxid } from '../../zk/types';
import { initialCluster, type ClusterState } from '../cluster-model';
import type { ServerStatus } from '../../worker/protocol';
import type { ServerStateName } from '../../zk/trace';
import {
  compareTuples,
  conditionHolds,
  conditionText,
  expectedWinner,
  leaderCounter,
  tupleText,
  unmetParts,
  validateTour,
  voteTuples,
  type TourCondition,
} from './tour-model';
import { TOUR_1 } from './tours';

function status(state: ServerStateName, epoch: number, counter: number): ServerStatus {
  return { state, epoch, lastZxid: makeZxid(epoch, counter), nodeCount: 1, sessionCount: 0, watchCount: 0, connectionCount: 0, containerPaths: [], ttlPaths: [] };
}

/** A 5-server cluster where `running` servers report the given state, epoch and zxid counter. */
function cluster(running: Record<number, [ServerStateName, number, number]>, patch: (c: ClusterState) => void = () => {}): ClusterState {
  const c = initialCluster(5);
  for (const [id, [state, epoch, counter]] of Object.entries(running)) {
    const server = c.servers[Number(id)]!;
    c.servers[Number(id)] = { ...server, life: 'running', status: status(state, epoch, counter) };
  }
  patch(c);
  return c;
}

const leading3: TourCondition = { kind: 'state', myid: 3, state: 'LEADING' };

describe('tour conditions', () => {
  it('none-running holds only while no worker runs', () => {
    expect(conditionHolds({ kind: 'none-running' }, initialCluster(5))).toBe(true);
    expect(conditionHolds({ kind: 'none-running' }, cluster({ 1: ['LOOKING', 0, 0] }))).toBe(false);
  });

  it('a state holds for a running, unfrozen server reporting it; a killed server keeps a stale status that does not count', () => {
    expect(conditionHolds(leading3, cluster({ 3: ['LEADING', 1, 0] }))).toBe(true);
    expect(conditionHolds(leading3, cluster({ 3: ['FOLLOWING', 1, 0] }))).toBe(false);
    expect(conditionHolds(leading3, cluster({ 3: ['LEADING', 1, 0] }, (c) => (c.servers[3]!.life = 'killed')))).toBe(false);
    expect(conditionHolds(leading3, cluster({ 3: ['LEADING', 1, 0] }, (c) => (c.servers[3]!.frozen = true)))).toBe(false);
  });

  it('all: lists the parts not yet true, in order', () => {
    const all: TourCondition = { kind: 'all', of: [leading3, { kind: 'state', myid: 4, state: 'FOLLOWING' }, { kind: 'state', myid: 5, state: 'FOLLOWING' }] };
    const c = cluster({ 3: ['LEADING', 1, 0], 4: ['LOOKING', 0, 0] });
    expect(unmetParts(all, c).map(conditionText)).toEqual(['server 4 FOLLOWING', 'server 5 FOLLOWING']);
    expect(conditionText(all)).toBe('server 3 LEADING, server 4 FOLLOWING, server 5 FOLLOWING');
  });

  it('same-zxid needs every listed server at one zxid with a counter high enough', () => {
    const same: TourCondition = { kind: 'same-zxid', myids: [1, 2, 3], minCounter: 7 };
    expect(conditionHolds(same, cluster({ 1: ['FOLLOWING', 1, 7], 2: ['FOLLOWING', 1, 7], 3: ['LEADING', 1, 7] }))).toBe(true);
    expect(conditionHolds(same, cluster({ 1: ['FOLLOWING', 1, 6], 2: ['FOLLOWING', 1, 7], 3: ['LEADING', 1, 7] }))).toBe(false);
    expect(conditionHolds(same, cluster({ 1: ['FOLLOWING', 1, 6], 2: ['FOLLOWING', 1, 6], 3: ['LEADING', 1, 6] }))).toBe(false);
    expect(conditionHolds(same, cluster({ 1: ['FOLLOWING', 1, 7], 2: ['FOLLOWING', 1, 7] }))).toBe(false);
    expect(conditionText(same)).toBe('servers 1, 2 and 3 at the same last zxid (counter >= 7)');
  });

  it('zxid-ahead compares whole zxids (epoch first)', () => {
    const ahead: TourCondition = { kind: 'zxid-ahead', ahead: [1, 2], behind: 4 };
    expect(conditionHolds(ahead, cluster({ 1: ['LEADING', 1, 8], 2: ['FOLLOWING', 1, 8], 4: ['LOOKING', 1, 7] }))).toBe(true);
    expect(conditionHolds(ahead, cluster({ 1: ['LEADING', 1, 8], 2: ['FOLLOWING', 1, 7], 4: ['LOOKING', 1, 7] }))).toBe(false);
    expect(conditionHolds(ahead, cluster({ 1: ['LEADING', 1, 1], 2: ['FOLLOWING', 1, 1], 4: ['LOOKING', 0, 9] }))).toBe(true);
  });
});

describe('vote tuples', () => {
  it('are read from the running servers\' status, in myid order', () => {
    const c = cluster({ 4: ['LOOKING', 1, 7], 1: ['FOLLOWING', 1, 8], 2: ['LEADING', 1, 8] });
    const tuples = voteTuples(c, [1, 2, 3, 4]);
    expect(tuples.map(tupleText)).toEqual(['(1, 0x100000008, 1)', '(1, 0x100000008, 2)', '(1, 0x100000007, 4)']);
  });

  it('order as FLE does: epoch, then zxid, then sid; seed scenario 2 elects 2, scenario 1 elects the highest sid', () => {
    const s2 = [
      { myid: 1, epoch: 1, zxid: makeZxid(1, 8) },
      { myid: 2, epoch: 1, zxid: makeZxid(1, 8) },
      { myid: 4, epoch: 1, zxid: makeZxid(1, 7) },
    ];
    expect(expectedWinner(s2)).toBe(2);
    expect(expectedWinner([1, 2, 3].map((myid) => ({ myid, epoch: 0, zxid: 0n })))).toBe(3);
    expect(compareTuples({ myid: 1, epoch: 2, zxid: 0n }, { myid: 5, epoch: 1, zxid: makeZxid(1, 9) })).toBeGreaterThan(0);
    expect(expectedWinner([])).toBeNull();
  });

  it('leaderCounter is the serving leader\'s zxid counter', () => {
    expect(leaderCounter(cluster({ 3: ['LEADING', 1, 5], 1: ['FOLLOWING', 1, 4] }))).toBe(5);
    expect(leaderCounter(cluster({ 1: ['LOOKING', 0, 0] }))).toBeNull();
  });
});

describe('validateTour', () => {
  it('rejects a tour naming a server outside its ensemble, or without steps', () => {
    expect(() => validateTour({ ...TOUR_1, steps: [] })).toThrow(/no steps/);
    const bad = { ...TOUR_1, steps: [{ title: 't', explanation: 'e', actions: [{ kind: 'start' as const, myid: 6 }], done: { kind: 'none-running' as const } }] };
    expect(() => validateTour(bad)).toThrow(/server 6/);
  });
});
