// NEWLEADER on a learner synced by DIFF: every txn of the sync is issued to the (FIFO) disk before
// currentEpoch, and the NEWLEADER ACK waits for both. A currentEpoch that became durable ahead of
// the DIFF txns let a power loss leave a server with the new epoch and a shorter log; it then won
// the next election and truncated a committed txn away everywhere (simulator seed 93, --storm).
import { describe, expect, it } from 'vitest';
import { OpCode } from '../../jute/opcodes';
import { CreateMode, OPEN_ACL_UNSAFE, makeZxid, type ServerId, type Zxid } from '../types';
import { Ensemble, type StorageOp } from './test-ensemble';
import type { ZabFaults } from './zab-host';

const enc = new TextEncoder();

function write(e: Ensemble, server: ServerId, conn: number, path: string): void {
  const xid = e.send(server, conn, { op: OpCode.create, path, data: enc.encode('v'), acl: [...OPEN_ACL_UNSAFE], flags: CreateMode.PERSISTENT });
  e.runUntil(() => e.reply(server, conn, xid) !== undefined, 5000, `reply to create ${path}`);
  expect(e.reply(server, conn, xid)?.header.err).toBe(0);
}

/** NEWLEADER ACKs `from` sent since its restart. */
function newLeaderAcks(e: Ensemble, from: ServerId, epoch: number): number {
  let since = 0;
  e.traces.forEach((t, i) => {
    if (t.server === from && t.type === 'state' && t.from === 'LOOKING' && t.to === 'LOOKING') since = i;
  });
  return e.traces.slice(since).filter((t) => t.server === from && t.type === 'msg.sent' && t.kind === 'ack' && t.zxid === makeZxid(epoch, 0)).length;
}

function isCurrentEpoch(op: StorageOp): boolean {
  return op.kind === 'storage.setMeta' && op.key === 'currentEpoch';
}

function appendedZxids(ops: readonly StorageOp[]): Zxid[] {
  return ops.flatMap((op) => (op.kind === 'storage.append' ? op.entries.map((entry) => entry.zxid) : []));
}

/**
 * Server 1 misses five writes, then rejoins leader 3 (same epoch, so no acceptedEpoch write) with
 * its disk held: the DIFF's first append stays in flight while the rest of the DIFF and NEWLEADER
 * arrive. Returns the ensemble at that point.
 */
function diffSyncWithDiskHeld(faults: ZabFaults = {}): Ensemble {
  const e = new Ensemble({ voters: [1, 2, 3], perServer: { 1: { faults } } });
  e.start(1, 2, 3);
  expect(e.stable()).toBe(3);
  e.connect(3, 1);
  e.runUntil(() => e.received(3, 1).length > 0, 5000, 'session');
  e.crash(1);
  for (let i = 0; i < 5; i++) write(e, 3, 1, `/missed${i}`);
  e.holdDisk(1);
  e.restart(1);
  e.runUntil(() => e.peer(1).learner?.phase === 'newLeaderPending', 5000, 'NEWLEADER on server 1');
  return e;
}

describe('NEWLEADER after a DIFF', () => {
  it('issues every DIFF txn to the disk before currentEpoch, and ACKs only once both are durable', () => {
    const e = diffSyncWithDiskHeld();
    const leaderLast = e.peer(3).lastProcessedZxid;
    const pending = e.pendingStorage(1);
    const epochAt = pending.findIndex(isCurrentEpoch);
    expect(epochAt).toBeGreaterThanOrEqual(0);
    expect(pending.slice(epochAt + 1).some((op) => op.kind === 'storage.append')).toBe(false);
    expect(appendedZxids(pending.slice(0, epochAt)).at(-1)).toBe(leaderLast);
    e.advance(200);
    expect(newLeaderAcks(e, 1, 1)).toBe(0);
    e.holdDisk(1, false);
    e.advance(50);
    expect(newLeaderAcks(e, 1, 1)).toBe(1);
    expect(e.peer(1).isServing).toBe(true);
  });

  it('a power loss right after currentEpoch is durable keeps every DIFF txn', () => {
    const e = diffSyncWithDiskHeld();
    const leaderLast = e.peer(3).lastProcessedZxid;
    const epochAt = e.pendingStorage(1).findIndex(isCurrentEpoch);
    e.crash(1, epochAt + 1);
    expect(e.disk(1).meta['currentEpoch']).toBe('1');
    expect(e.disk(1).lastZxid()).toBe(leaderLast);
  });

  it('with unsafeEpochBeforeLogDurable currentEpoch overtakes the DIFF txns (the bug, re-introduced)', () => {
    const e = diffSyncWithDiskHeld({ unsafeEpochBeforeLogDurable: true });
    const leaderLast = e.peer(3).lastProcessedZxid;
    const pending = e.pendingStorage(1);
    const epochAt = pending.findIndex(isCurrentEpoch);
    expect(appendedZxids(pending.slice(0, epochAt)).at(-1)).toBeLessThan(leaderLast);
    e.crash(1, epochAt + 1);
    expect(e.disk(1).meta['currentEpoch']).toBe('1');
    expect(e.disk(1).lastZxid()).toBeLessThan(leaderLast);
  });
});
