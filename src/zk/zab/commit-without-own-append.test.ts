// A txn committed by a quorum is applied without forcing this server's own append first (Apache
// applies it the same way): it waits in the group-commit queue like any other. Before, each such
// txn went out as its own tiny append (its own fsync), which halved ensemble write throughput.
import { describe, it, expect } from 'vitest';
import { OpCode } from '../../jute/opcodes';
import { CreateMode, OPEN_ACL_UNSAFE, type ServerId } from '../types';
import { Ensemble } from './test-ensemble';

const enc = new TextEncoder();
const PATHS = ['/a', '/b', '/c', '/d', '/e'];

function session(e: Ensemble, server: ServerId, conn: number): void {
  e.connect(server, conn);
  e.runUntil(() => e.received(server, conn).length > 0, 5000, 'session');
}

function createAll(e: Ensemble, server: ServerId, conn: number): number[] {
  return PATHS.map((path) => e.send(server, conn, { op: OpCode.create, path, data: enc.encode(path), acl: [...OPEN_ACL_UNSAFE], flags: CreateMode.PERSISTENT }));
}

/** A leader whose disk is stuck after its first append, with five writes committed by the followers. */
function leaderWithSlowDisk(): { e: Ensemble; leader: ServerId; xids: number[]; appendsBefore: number } {
  const e = new Ensemble({ voters: [1, 2, 3] });
  e.start(1, 2, 3);
  const leader = e.stable();
  session(e, leader, 1);
  e.advance(100);
  const appendsBefore = e.tracesOf('log.append', leader).length;
  e.holdDisk(leader);
  const xids = createAll(e, leader, 1);
  e.advance(300);
  return { e, leader, xids, appendsBefore };
}

describe('applying a committed txn', () => {
  it('does not force a separate log write per txn: the leader answers with its own disk stuck, one batch in flight', () => {
    const { e, leader, xids, appendsBefore } = leaderWithSlowDisk();
    // Committed by the two followers' ACKs, applied and answered by the leader.
    for (const xid of xids) expect(e.reply(leader, 1, xid)?.header.err).toBe(0);
    for (const path of PATHS) expect(e.peer(leader).serverCore.tree.getData(path)).not.toBeNull();
    // Only the first txn's batch went to the (stuck) disk; the other four wait for it, as a group.
    expect(e.tracesOf('log.append', leader).length - appendsBefore).toBe(1);
    e.holdDisk(leader, false);
    e.advance(100);
    const appends = e.tracesOf('log.append', leader).slice(appendsBefore);
    expect(appends.map((a) => a.count)).toEqual([1, 4]);
    const logged = e.disk(leader).recovered().log.map((entry) => entry.zxid);
    expect(logged.slice(-5)).toEqual(appends.flatMap((a) => (a.fromZxid === a.toZxid ? [a.fromZxid] : [a.fromZxid, a.fromZxid + 1n, a.fromZxid + 2n, a.toZxid])));
  });

  it('keeps every answered write when that leader dies before its own append is durable', () => {
    const { e, leader, xids } = leaderWithSlowDisk();
    for (const xid of xids) expect(e.reply(leader, 1, xid)?.header.err).toBe(0);
    e.crash(leader); // its held appends are lost
    e.holdDisk(leader, false); // the restarted process gets a working disk
    const next = e.stable(60_000);
    expect(next).not.toBe(leader);
    e.restart(leader);
    e.stable(60_000);
    e.advance(500);
    for (const id of [1, 2, 3]) for (const path of PATHS) expect(e.peer(id).serverCore.tree.getData(path)).not.toBeNull();
  });
});
