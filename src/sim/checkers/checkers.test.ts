import { describe, expect, it } from 'vitest';
import { encodeTxn } from '../../jute/txn-codec';
import { OpCode } from '../../jute/opcodes';
import type { TraceEvent, TraceBody } from '../../zk/trace';
import { CommitChain } from './commit-chain';
import { LeaderPerEpoch } from './leader-epoch';
import { ViolationLog } from './violation';
import { ZxidOrder } from './zxid-order';
import { txnEventKeys, eventKey } from './txn-events';
import { EventType } from '../../zk/types';

function ev(server: number, body: TraceBody, atMs = 0): TraceEvent {
  return { ...body, server, atMs } as TraceEvent;
}

function txnBytes(zxid: bigint, path: string): Uint8Array {
  return encodeTxn({ header: { sessionId: 1n, cxid: 1, zxid, timeMs: 0, type: OpCode.create }, body: { type: OpCode.create, path, data: new Uint8Array(), acl: [], ephemeral: false, parentCVersion: 1 } });
}

function chainWith(log = new ViolationLog()): { chain: CommitChain; log: ViolationLog; commit: (server: number, zxid: bigint, path: string) => void } {
  const chain = new CommitChain(log, { commitEvent: 'applied', singleServer: false }, () => []);
  const commit = (server: number, zxid: bigint, path: string): void => {
    chain.onEffect(server, { kind: 'storage.append', batchId: 1, entries: [{ zxid, bytes: txnBytes(zxid, path) }] }, 0);
    chain.onTrace(ev(server, { type: 'applied', zxid, op: 'create', paths: [path] }));
  };
  return { chain, log, commit };
}

describe('committed-prefix checker', () => {
  it('accepts servers that commit the same txns in the same order', () => {
    const { chain, log, commit } = chainWith();
    commit(1, 1n, '/a');
    commit(2, 1n, '/a');
    commit(1, 2n, '/b');
    commit(2, 2n, '/b');
    expect(log.items).toEqual([]);
    expect(chain.committed.map((c) => c.zxid)).toEqual([1n, 2n]);
    expect(chain.committed[1]!.chain).not.toBe(chain.committed[0]!.chain);
  });

  it('flags a different txn at a committed zxid, and a gap', () => {
    const { log, commit } = chainWith();
    commit(1, 1n, '/a');
    commit(1, 2n, '/b');
    commit(2, 1n, '/other');
    commit(3, 2n, '/b');
    expect(log.items.map((v) => v.message)).toEqual([
      expect.stringMatching(/s2 logged a txn at committed 0x1 that differs/),
      expect.stringMatching(/s2 committed 0x1 with different txn bytes/),
      expect.stringMatching(/s3 committed 0x2 \(#1\) right after nothing/),
    ]);
  });
});

describe('zxid-order checker', () => {
  it('flags a server whose commits go backwards within one life', () => {
    const log = new ViolationLog();
    const order = new ZxidOrder(log, 'applied');
    order.onTrace(ev(1, { type: 'applied', zxid: 5n, op: 'create', paths: [] }));
    order.onTrace(ev(1, { type: 'applied', zxid: 4n, op: 'create', paths: [] }));
    order.onLifecycle(1);
    order.onTrace(ev(1, { type: 'applied', zxid: 1n, op: 'create', paths: [] }));
    expect(log.items).toHaveLength(1);
    expect(log.items[0]!.message).toMatch(/committed 0x4 after 0x5/);
  });
});

describe('one-leader-per-epoch checker', () => {
  it('flags two established leaders of one epoch, not a leader that never established', () => {
    const log = new ViolationLog();
    const leaders = new LeaderPerEpoch(log);
    leaders.onRole(1, { state: 'LEADING', serving: false, epoch: 2 }, 0);
    leaders.onRole(2, { state: 'LEADING', serving: true, epoch: 2 }, 0);
    expect(log.items).toEqual([]);
    expect(leaders.leaders()).toEqual([2]);
    leaders.onRole(1, { state: 'LEADING', serving: true, epoch: 2 }, 5);
    expect(log.items[0]!.message).toMatch(/s1 established leadership of epoch 2, which s2 already led/);
  });
});

describe('txn events', () => {
  it('names the events a create raises', () => {
    const keys = txnEventKeys({ header: { sessionId: 1n, cxid: 1, zxid: 1n, timeMs: 0, type: OpCode.create }, body: { type: OpCode.create, path: '/a/b', data: new Uint8Array(), acl: [], ephemeral: false, parentCVersion: 0 } });
    expect([...keys].sort()).toEqual([eventKey(EventType.NodeCreated, '/a/b'), eventKey(EventType.NodeChildrenChanged, '/a')].sort());
  });
});
