// A learner older than the leader's in-memory committed log but still inside its transaction log
// gets a DIFF from the log (Apache's getProposalsFromTxnLog path), not a SNAP.
import { describe, it, expect } from 'vitest';
import { OpCode } from '../../jute/opcodes';
import { dataDigest } from '../../sim/checkers/replicas';
import { CreateMode, OPEN_ACL_UNSAFE, type ServerId } from '../types';
import { Ensemble } from './test-ensemble';

const enc = new TextEncoder();

function session(e: Ensemble, server: ServerId, conn: number): void {
  e.connect(server, conn);
  e.runUntil(() => e.received(server, conn).length > 0, 5000, 'session');
}

function write(e: Ensemble, server: ServerId, conn: number, path: string, data = ''): void {
  const xid = e.send(server, conn, { op: OpCode.create, path, data: enc.encode(data), acl: [...OPEN_ACL_UNSAFE], flags: CreateMode.PERSISTENT });
  e.runUntil(() => e.reply(server, conn, xid) !== undefined, 5000, `reply to create ${path}`);
  expect(e.reply(server, conn, xid)?.header.err).toBe(0);
}

function lastSync(e: Ensemble, learner: ServerId) {
  return e.tracesOf('sync.mode').filter((t) => t.learner === learner).at(-1);
}

function sameState(e: Ensemble, ids: ServerId[]): void {
  const digests = ids.map((id) => dataDigest(e.peer(id).tree));
  expect(new Set(digests).size).toBe(1);
  const zxids = ids.map((id) => e.peer(id).lastProcessedZxid);
  expect(new Set(zxids).size).toBe(1);
}

/** Server 3 leads; server 1 is down while the leader commits 12 writes past the committed-log window. */
function followerMissesTwelveWrites(e: Ensemble): void {
  e.start(1, 2, 3);
  expect(e.stable()).toBe(3);
  session(e, 3, 1);
  write(e, 3, 1, '/before');
  e.crash(1);
  for (let i = 0; i < 12; i++) write(e, 3, 1, `/n${i}`, `v${i}`);
}

describe('sync from the txn log', () => {
  it('a follower that missed more than the committed-log window gets a DIFF from disk', () => {
    const e = new Ensemble({ voters: [1, 2, 3], quorum: { committedLogCount: 3 } });
    followerMissesTwelveWrites(e);
    e.restart(1);
    e.stable();
    const sync = lastSync(e, 1);
    expect(sync?.mode).toBe('DIFF');
    expect(sync?.source).toBe('disk');
    // No snapshot went over the wire, and server 1 replayed the txns into its own log.
    expect(e.tracesOf('msg.sent', 3).some((t) => t.kind === 'snap' && t.to === 1)).toBe(false);
    expect(e.disk(1).snapshot).toBeNull();
    sameState(e, [1, 2, 3]);
    session(e, 1, 2); // a new session on the synced follower
    write(e, 1, 2, '/after');
    e.advance(100);
    sameState(e, [1, 2, 3]);
  });

  it('after the leader took a snapshot, the log it kept beyond it still serves the DIFF', () => {
    const e = new Ensemble({ voters: [1, 2, 3], quorum: { committedLogCount: 3, snapshotSizeFactor: 100 }, server: { snapCount: 8 } });
    followerMissesTwelveWrites(e);
    const leaderSnapshot = e.disk(3).snapshot;
    expect(leaderSnapshot).not.toBeNull();
    // Server 1's last zxid is older than the leader's newest snapshot.
    expect(e.disk(1).lastZxid()).toBeLessThan(leaderSnapshot?.zxid ?? 0n);
    e.restart(1);
    e.stable();
    expect(lastSync(e, 1)?.mode).toBe('DIFF');
    expect(lastSync(e, 1)?.source).toBe('disk');
    sameState(e, [1, 2, 3]);
  });

  it('when the log after the learner is bigger than snapshotSizeFactor x the snapshot, a SNAP', () => {
    const e = new Ensemble({ voters: [1, 2, 3], quorum: { committedLogCount: 3, snapshotSizeFactor: 0.0001 }, server: { snapCount: 8 } });
    followerMissesTwelveWrites(e);
    e.restart(1);
    e.stable();
    expect(lastSync(e, 1)?.mode).toBe('SNAP');
    expect(lastSync(e, 1)?.source).toBeUndefined();
    sameState(e, [1, 2, 3]);
  });

  it('a learner inside the committed log reports the memory source', () => {
    const e = new Ensemble({ voters: [1, 2, 3] });
    e.start(1, 2, 3);
    e.stable();
    session(e, 3, 1);
    e.crash(1);
    for (let i = 0; i < 3; i++) write(e, 3, 1, `/m${i}`);
    e.restart(1);
    e.stable();
    expect(lastSync(e, 1)?.mode).toBe('DIFF');
    expect(lastSync(e, 1)?.source).toBe('memory');
    sameState(e, [1, 2, 3]);
  });
});
