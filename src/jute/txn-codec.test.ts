import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeTxn, encodeTxn } from './txn-codec';
import { JuteError, JuteWriter } from './jute-io';
import { OpCode } from './opcodes';
import type { Txn, TxnBody } from '../zk/txn';
import { acls, fromHex, hexOf, int32, int64, nullableBytes, path } from './test-arbitraries';

const acl = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];

const leafBody: fc.Arbitrary<TxnBody> = fc.oneof(
  fc.record({ type: fc.constant(OpCode.create as const), path, data: nullableBytes, acl: acls, ephemeral: fc.boolean(), parentCVersion: int32 }),
  fc.record({ type: fc.constant(OpCode.createContainer as const), path, data: nullableBytes, acl: acls, parentCVersion: int32 }),
  fc.record({ type: fc.constant(OpCode.createTTL as const), path, data: nullableBytes, acl: acls, parentCVersion: int32, ttlMs: int64 }),
  fc.record({ type: fc.constantFrom(OpCode.delete as const, OpCode.deleteContainer as const), path }),
  fc.record({ type: fc.constant(OpCode.setData as const), path, data: nullableBytes, version: int32 }),
  fc.record({ type: fc.constant(OpCode.setACL as const), path, acl: acls, version: int32 }),
  fc.record({ type: fc.constant(OpCode.check as const), path, version: int32 }),
  fc.record({ type: fc.constant(OpCode.createSession as const), timeoutMs: int32 }),
  fc.record({ type: fc.constant(OpCode.closeSession as const), paths2Delete: fc.array(path, { maxLength: 3 }) }),
  fc.record({ type: fc.constant(OpCode.error as const), err: int32 }),
);
const anyBody: fc.Arbitrary<TxnBody> = fc.oneof(
  leafBody,
  fc.record({ type: fc.constant(OpCode.multi as const), txns: fc.array(leafBody, { maxLength: 4 }) }),
);
const txnArb: fc.Arbitrary<Txn> = fc.record({
  header: fc.record({
    sessionId: int64,
    cxid: int32,
    zxid: int64,
    timeMs: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    type: fc.constant(OpCode.create),
  }),
  body: anyBody,
}).map((t) => ({ ...t, header: { ...t.header, type: t.body.type } }));

describe('txn codec', () => {
  it('round-trips every txn body, including multi', () => {
    fc.assert(fc.property(txnArb, (txn) => {
        expect(decodeTxn(encodeTxn(txn))).toEqual(txn);
      }), { numRuns: 300 });
  });

  it('golden: TxnHeader then CreateTxn', () => {
    const txn: Txn = {
      header: { sessionId: 0x1000n, cxid: 1, zxid: 0x100000001n, timeMs: 1000, type: OpCode.create },
      body: { type: OpCode.create, path: '/a', data: new Uint8Array(0), acl, ephemeral: true, parentCVersion: 4 },
    };
    expect(hexOf(encodeTxn(txn))).toBe(
      '0000000000001000 00000001 0000000100000001 00000000000003e8 00000001'.replace(/ /g, '') +
        '000000022f61 00000000 00000001 0000001f 00000005776f726c64 00000006616e796f6e65 01 00000004'.replace(/ /g, ''),
    );
  });

  it('golden: MultiTxn wraps each sub-txn as Txn{type, data buffer}', () => {
    const txn: Txn = {
      header: { sessionId: 1n, cxid: 2, zxid: 3n, timeMs: 4, type: OpCode.multi },
      body: { type: OpCode.multi, txns: [{ type: OpCode.delete, path: '/a' }, { type: OpCode.error, err: -101 }] },
    };
    expect(hexOf(encodeTxn(txn).subarray(32))).toBe(
      '00000002' + '00000002' + '00000006' + '000000022f61' + 'ffffffff' + '00000004' + 'ffffff9b',
    );
  });

  it('a create2 header carries a CreateTxn and keeps its header type', () => {
    const txn: Txn = {
      header: { sessionId: 1n, cxid: 2, zxid: 3n, timeMs: 4, type: OpCode.create2 },
      body: { type: OpCode.create, path: '/a', data: new Uint8Array(0), acl, ephemeral: false, parentCVersion: 0 },
    };
    expect(decodeTxn(encodeTxn(txn))).toEqual(txn);
  });

  it('a reconfig header carries a SetDataTxn', () => {
    const w = new JuteWriter().long(0n).int(0).long(1n).long(0n).int(OpCode.reconfig);
    w.ustring('/zookeeper/config').buffer(new Uint8Array([1])).int(0);
    expect(decodeTxn(w.toBytes()).body).toEqual({ type: OpCode.setData, path: '/zookeeper/config', data: new Uint8Array([1]), version: 0 });
  });

  it('accepts an old closeSession txn with no body', () => {
    const w = new JuteWriter().long(5n).int(0).long(1n).long(0n).int(OpCode.closeSession);
    expect(decodeTxn(w.toBytes()).body).toEqual({ type: OpCode.closeSession, paths2Delete: [] });
  });

  it('rejects unknown types, trailing bytes, nested multi and truncation with JuteError', () => {
    const header = (type: number) => new JuteWriter().long(0n).int(0).long(0n).long(0n).int(type);
    expect(() => decodeTxn(header(999).toBytes())).toThrow(JuteError);
    expect(() => decodeTxn(header(OpCode.error).int(0).int(0).toBytes())).toThrow(/trailing/);
    const nested = header(OpCode.multi).int(1).int(OpCode.multi).buffer(fromHex('00000000'));
    expect(() => decodeTxn(nested.toBytes())).toThrow(/nested/);
    expect(() => decodeTxn(fromHex('0000'))).toThrow(JuteError);
  });

  it('rejects a sub-txn whose buffer has trailing bytes', () => {
    const w = new JuteWriter().long(0n).int(0).long(0n).long(0n).int(OpCode.multi);
    w.int(1).int(OpCode.error).buffer(fromHex('00000000 00'));
    expect(() => decodeTxn(w.toBytes())).toThrow(JuteError);
  });
});
