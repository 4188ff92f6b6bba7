// A server that replayed a long log at startup snapshots once its role is established, so its next
// startup replays a short one (ZooKeeperServer.loadData snapshots after restoring).
import { describe, expect, it } from 'vitest';
import { encodeTxn } from '../../jute/txn-codec';
import { OpCode } from '../../jute/opcodes';
import type { LogEntry } from '../../storage/storage';
import { makeZxid, OPEN_ACL_UNSAFE } from '../types';
import { SNAPSHOT_AFTER_REPLAY_TXNS } from './replica';
import { Ensemble } from './test-ensemble';

/** `count` txns of epoch 1: a create of /k, then setData on it. */
function longLog(count: number): LogEntry[] {
  const log: LogEntry[] = [];
  for (let counter = 1; counter <= count; counter++) {
    const zxid = makeZxid(1, counter);
    const header = { sessionId: 0n, cxid: counter, zxid, timeMs: 1_000, type: counter === 1 ? OpCode.create : OpCode.setData };
    const body =
      counter === 1
        ? { type: OpCode.create as const, path: '/k', data: new Uint8Array(0), acl: [...OPEN_ACL_UNSAFE], ephemeral: false, parentCVersion: 1 }
        : { type: OpCode.setData as const, path: '/k', data: new Uint8Array([counter & 0xff]), version: counter - 1 };
    log.push({ zxid, bytes: encodeTxn({ header, body }) });
  }
  return log;
}

function ensembleWithLog(count: number): Ensemble {
  const e = new Ensemble({ voters: [1, 2, 3] });
  const log = longLog(count);
  for (const id of [1, 2, 3]) {
    const disk = e.disk(id);
    disk.log = [...log];
    disk.meta = { acceptedEpoch: '1', currentEpoch: '1' };
  }
  return e;
}

describe('snapshot after a long replay', () => {
  it('every server snapshots the replayed log once established; a restart then replays nothing of it', () => {
    const count = SNAPSHOT_AFTER_REPLAY_TXNS + 5;
    const e = ensembleWithLog(count);
    e.start(1, 2, 3);
    const leader = e.stable();
    for (const id of [1, 2, 3]) {
      expect(e.tracesOf('recovered', id)[0]?.txnsReplayed).toBe(count);
      expect(e.disk(id).snapshot?.zxid).toBe(makeZxid(1, count));
      expect(e.tracesOf('snapshot', id)).toHaveLength(1);
    }
    const follower = [1, 2, 3].find((id) => id !== leader)!;
    e.crash(follower);
    e.restart(follower);
    e.stable();
    const replays = e.tracesOf('recovered', follower).map((t) => t.txnsReplayed);
    expect(replays).toEqual([count, 0]);
    expect(e.tracesOf('snapshot', follower)).toHaveLength(1);
  });

  it('a short replay takes no snapshot', () => {
    const e = ensembleWithLog(50);
    e.start(1, 2, 3);
    e.stable();
    for (const id of [1, 2, 3]) {
      expect(e.disk(id).snapshot).toBeNull();
      expect(e.tracesOf('snapshot', id)).toHaveLength(0);
    }
  });
});
