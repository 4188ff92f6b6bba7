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
      mode: 'DIFF', markerZxid: z(1, 5), txns: [], currentZxid: z(1, 5), source: 'memory',
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
      mode: 'TRUNC', markerZxid: z(1, 5), txns: [], currentZxid: z(1, 5), source: 'memory',
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

describe('planSync from the txn log (getProposalsFromTxnLog)', () => {
  // The leader's log holds 1..10; its committed log only the last three.
  const disk = log(...Array.from({ length: 10 }, (_, i) => z(1, i + 1)));
  const committed = log(z(1, 8), z(1, 9), z(1, 10));
  const unlimited = { entries: disk, sizeLimitBytes: 0 };
  const plan = (peer: bigint, txnLog = unlimited as { entries: typeof disk; sizeLimitBytes: number }) =>
    planSync({ peerLastZxid: peer, log: committed, lastProcessedZxid: z(1, 10), txnLog });
  const zxids = (p: { txns: Array<{ zxid: bigint }> }) => p.txns.map((t) => t.zxid);

  it('a learner older than the committed log but inside the txn log gets a DIFF from disk', () => {
    const p = plan(z(1, 3));
    expect(p.mode).toBe('DIFF');
    expect(p.source).toBe('disk');
    expect(p.markerZxid).toBe(z(1, 10));
    expect(zxids(p)).toEqual([4, 5, 6, 7, 8, 9, 10].map((i) => z(1, i)));
    expect(p.currentZxid).toBe(z(1, 10));
  });

  it('a learner just before the committed log: the txn log supplies one txn, the committed log the rest', () => {
    const p = plan(z(1, 7));
    expect([p.mode, p.source]).toEqual(['DIFF', 'disk']);
    expect(zxids(p)).toEqual([z(1, 8), z(1, 9), z(1, 10)]);
  });

  it('inside the committed log the memory path is used even with a txn log', () => {
    expect(plan(z(1, 8)).source).toBe('memory');
  });

  it('a learner older than the txn log, or without a txn log at all, gets a SNAP', () => {
    expect(plan(z(0, 9)).mode).toBe('SNAP');
    expect(plan(0n).mode).toBe('SNAP');
    expect(planSync({ peerLastZxid: z(1, 3), log: committed, lastProcessedZxid: z(1, 10) }).mode).toBe('SNAP');
    const trimmed = { entries: disk.slice(4), sizeLimitBytes: 0 }; // the log starts at 1/5
    expect(plan(z(1, 3), trimmed).mode).toBe('SNAP');
    expect(plan(z(1, 5), trimmed).mode).toBe('DIFF');
  });

  it('the learner\'s zxid must itself be in the log: a divergent or new-epoch learner gets a SNAP', () => {
    const gappy = { entries: log(z(1, 1), z(1, 2), z(1, 4), z(1, 5), z(1, 6), z(1, 7), z(1, 8), z(1, 9), z(1, 10)), sizeLimitBytes: 0 };
    expect(plan(z(1, 3), gappy).mode).toBe('SNAP');
    const epochs = log(z(1, 1), z(1, 2), z(2, 1), z(2, 2), z(2, 3), z(2, 4));
    const p = planSync({ peerLastZxid: z(2, 0), log: log(z(2, 3), z(2, 4)), lastProcessedZxid: z(2, 4), txnLog: { entries: epochs, sizeLimitBytes: 0 } });
    expect(p.mode).toBe('SNAP');
  });

  it('the size limit: more log bytes after the learner than the limit means SNAP; negative disables', () => {
    // Each test entry is 1 byte: 7 bytes after 1/3, 3 after 1/7.
    expect(plan(z(1, 3), { entries: disk, sizeLimitBytes: 7 }).mode).toBe('DIFF');
    expect(plan(z(1, 3), { entries: disk, sizeLimitBytes: 6 }).mode).toBe('SNAP');
    expect(plan(z(1, 7), { entries: disk, sizeLimitBytes: 3 }).mode).toBe('DIFF');
    expect(plan(z(1, 7), { entries: disk, sizeLimitBytes: -1 }).mode).toBe('SNAP');
  });

  it('a gap between the end of the txn log and the committed log means SNAP', () => {
    const short = { entries: disk.slice(0, 6), sizeLimitBytes: 0 }; // 1..6, committed log starts at 8
    expect(plan(z(1, 3), short).mode).toBe('SNAP');
  });

  it('txns past the last commit (an uncommitted tail in the log) are never sent', () => {
    const withTail = { entries: [...disk, ...log(z(1, 11), z(1, 12))], sizeLimitBytes: 0 };
    const p = plan(z(1, 5), withTail);
    expect(p.mode).toBe('DIFF');
    expect(zxids(p).at(-1)).toBe(z(1, 10));
    expect(p.currentZxid).toBe(z(1, 10));
  });

  it('with an empty committed log the txn log alone serves, up to lastProcessedZxid', () => {
    const p = planSync({ peerLastZxid: z(1, 6), log: [], lastProcessedZxid: z(1, 10), txnLog: unlimited });
    expect([p.mode, p.source]).toEqual(['DIFF', 'disk']);
    expect(zxids(p)).toEqual([7, 8, 9, 10].map((i) => z(1, i)));
    // lastProcessedZxid is a new epoch's zxid no log holds: a gap, SNAP (as Apache).
    expect(planSync({ peerLastZxid: z(1, 6), log: [], lastProcessedZxid: z(2, 0), txnLog: unlimited }).mode).toBe('SNAP');
  });
});
