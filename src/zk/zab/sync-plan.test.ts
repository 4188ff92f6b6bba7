import { describe, it, expect } from 'vitest';
import { makeZxid } from '../types';
import { planSync } from './sync-plan';

const z = makeZxid;
function log(...zxids: bigint[]): Array<{ zxid: bigint; bytes: Uint8Array }> {
  return zxids.map((zxid) => ({ zxid, bytes: new Uint8Array([Number(zxid & 0xffn)]) }));
}
const window5 = log(z(1, 1), z(1, 2), z(1, 3), z(1, 4), z(1, 5));

describe('planSync (LearnerHandler.syncFollower)', () => {
  it('an up-to-date learner gets an empty DIFF', () => {
    expect(planSync({ peerLastZxid: z(1, 5), log: window5, lastProcessedZxid: z(1, 5) })).toEqual({
      mode: 'DIFF', markerZxid: z(1, 5), txns: [], currentZxid: z(1, 5),
    });
  });

  it('a learner inside the committed-log window gets a DIFF of what it misses', () => {
    const plan = planSync({ peerLastZxid: z(1, 2), log: window5, lastProcessedZxid: z(1, 5) });
    expect(plan.mode).toBe('DIFF');
    expect(plan.markerZxid).toBe(z(1, 5));
    expect(plan.txns.map((t) => t.zxid)).toEqual([z(1, 3), z(1, 4), z(1, 5)]);
    expect(plan.currentZxid).toBe(z(1, 5));
  });

  it('a learner ahead of the leader is truncated to the last committed zxid', () => {
    expect(planSync({ peerLastZxid: z(1, 7), log: window5, lastProcessedZxid: z(1, 5) })).toEqual({
      mode: 'TRUNC', markerZxid: z(1, 5), txns: [], currentZxid: z(1, 5),
    });
  });

  it('a learner that diverged inside the window gets TRUNC then DIFF', () => {
    // The leader's history skipped the learner's 0x100000003 (never committed).
    const history = log(z(1, 1), z(1, 2), z(1, 4), z(1, 5));
    const plan = planSync({ peerLastZxid: z(1, 3), log: history, lastProcessedZxid: z(1, 5) });
    expect(plan.mode).toBe('TRUNC+DIFF');
    expect(plan.markerZxid).toBe(z(1, 2));
    expect(plan.txns.map((t) => t.zxid)).toEqual([z(1, 4), z(1, 5)]);
    expect(plan.currentZxid).toBe(z(1, 5));
  });

  it('a divergence across an epoch boundary needs a SNAP', () => {
    const history = log(z(1, 1), z(1, 2), z(2, 1));
    const plan = planSync({ peerLastZxid: z(1, 3), log: history, lastProcessedZxid: z(2, 1) });
    expect(plan.mode).toBe('SNAP');
    expect(plan.currentZxid).toBe(z(2, 1));
  });

  it('a learner older than the committed log gets a SNAP', () => {
    expect(planSync({ peerLastZxid: z(0, 9), log: window5, lastProcessedZxid: z(1, 5) }).mode).toBe('SNAP');
    expect(planSync({ peerLastZxid: 0n, log: window5, lastProcessedZxid: z(1, 5) }).mode).toBe('SNAP');
  });

  it('a learner at a new-epoch zxid is never truncated, it gets a DIFF', () => {
    const history = log(z(1, 1), z(1, 2), z(2, 1), z(2, 2));
    const plan = planSync({ peerLastZxid: z(2, 0), log: history, lastProcessedZxid: z(2, 2) });
    expect(plan.mode).toBe('DIFF');
    expect(plan.txns.map((t) => t.zxid)).toEqual([z(2, 1), z(2, 2)]);
    // Past the leader's history a new-epoch zxid cannot be truncated either: SNAP.
    expect(planSync({ peerLastZxid: z(3, 0), log: history, lastProcessedZxid: z(2, 2) }).mode).toBe('SNAP');
  });

  it('with an empty committed log the leader compares against lastProcessedZxid', () => {
    expect(planSync({ peerLastZxid: z(1, 5), log: [], lastProcessedZxid: z(1, 5) }).mode).toBe('DIFF');
    expect(planSync({ peerLastZxid: z(1, 6), log: [], lastProcessedZxid: z(1, 5) }).mode).toBe('TRUNC');
    expect(planSync({ peerLastZxid: z(1, 4), log: [], lastProcessedZxid: z(1, 5) }).mode).toBe('SNAP');
  });

  it('forceSnap always sends a snapshot', () => {
    expect(planSync({ peerLastZxid: z(1, 5), log: window5, lastProcessedZxid: z(1, 5), forceSnap: true }).mode).toBe('SNAP');
  });
});
