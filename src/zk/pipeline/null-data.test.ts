// prep -> txn -> apply keeps a null data byte[] apart from empty data, as Apache's
// PrepRequestProcessor (CreateTxn/SetDataTxn carry the request's byte[]) and DataTree do.
import { describe, expect, it } from 'vitest';
import { Code } from '../errors';
import { OpCode } from '../../jute/opcodes';
import { decodeTxn, encodeTxn } from '../../jute/txn-codec';
import { DataTree } from '../datatree/data-tree';
import type { TxnBody } from '../txn';
import { apply } from './apply';
import { bytes, Harness, OPEN } from './test-harness';
import type { CreateRequest, SetDataRequest } from './requests';

const EMPTY = new Uint8Array(0);
const createReq = (path: string, data: Uint8Array | null, flags = 0): CreateRequest => ({ op: OpCode.create, path, data, acl: OPEN, flags });
const setDataReq = (path: string, data: Uint8Array | null): SetDataRequest => ({ op: OpCode.setData, path, data, version: -1 });

function bodyData(body: TxnBody): Uint8Array | null | undefined {
  return 'data' in body ? body.data : undefined;
}

describe('pipeline: null data', () => {
  it('create with null data logs null and stores null; empty stays empty', () => {
    const h = new Harness();
    expect(h.write(createReq('/nul', null))).toMatchObject({ err: Code.OK, stat: { dataLength: 0 } });
    expect(h.write(createReq('/empty', EMPTY))).toMatchObject({ err: Code.OK, stat: { dataLength: 0 } });
    expect(bodyData(h.log[0]!.body)).toBeNull();
    expect(bodyData(h.log[1]!.body)).toEqual(EMPTY);
    expect(h.tree.getData('/nul')?.data).toBeNull();
    expect(h.tree.getData('/empty')?.data).toEqual(EMPTY);
  });

  it('createContainer and createTTL keep null data too', () => {
    const h = new Harness(0x10n, { extendedTypesEnabled: true });
    h.write({ op: OpCode.createContainer, path: '/c', data: null, acl: OPEN, flags: 4 });
    h.write({ op: OpCode.createTTL, path: '/t', data: null, acl: OPEN, flags: 5, ttl: 100n });
    expect(h.log.map((t) => [t.body.type, bodyData(t.body)])).toEqual([
      [OpCode.createContainer, null],
      [OpCode.createTTL, null],
    ]);
    expect(h.tree.getData('/c')?.data).toBeNull();
    expect(h.tree.getData('/t')?.data).toBeNull();
  });

  it('setData with null replaces the data with null, in the overlay and in the tree', () => {
    const h = new Harness();
    h.create('/a', 'abc');
    const { prepped, txn } = h.prepare(setDataReq('/a', null));
    expect(prepped.ok).toBe(true);
    expect(bodyData(txn.body)).toBeNull();
    // While outstanding, the overlay must show null, not the old bytes.
    expect(h.changes.recordFor(h.tree, '/a')?.data).toBeNull();
    expect(h.commit(txn)).toMatchObject({ err: Code.OK, stat: { dataLength: 0, version: 1 } });
    expect(h.tree.getData('/a')?.data).toBeNull();
  });

  it('multi ops keep null data', () => {
    const h = new Harness();
    h.create('/s', 'x');
    const r = h.write({ op: OpCode.multi, ops: [createReq('/m', null), setDataReq('/s', null), createReq('/e', EMPTY)] });
    expect(r.err).toBe(Code.OK);
    const body = h.log.at(-1)!.body;
    expect(body.type).toBe(OpCode.multi);
    expect(body.type === OpCode.multi ? body.txns.map(bodyData) : []).toEqual([null, null, EMPTY]);
    expect(h.tree.getData('/m')?.data).toBeNull();
    expect(h.tree.getData('/s')?.data).toBeNull();
    expect(h.tree.getData('/e')?.data).toEqual(EMPTY);
  });

  it('replaying the encoded txn log rebuilds null and empty data', () => {
    const h = new Harness();
    h.write(createReq('/nul', null));
    h.write(createReq('/empty', EMPTY));
    h.create('/s', 'x');
    h.write(setDataReq('/s', null));
    const replayed = new DataTree();
    for (const txn of h.log) apply(replayed, decodeTxn(encodeTxn(txn)));
    expect(replayed.getData('/nul')?.data).toBeNull();
    expect(replayed.getData('/empty')?.data).toEqual(EMPTY);
    expect(replayed.getData('/s')?.data).toBeNull();
    expect(replayed.statOf('/s')).toEqual(h.tree.statOf('/s'));
  });

  it('quota checks count null data as 0 bytes', () => {
    const h = new Harness();
    h.create('/q', 'ab');
    h.create('/zookeeper/quota/q', '');
    h.create('/zookeeper/quota/q/zookeeper_limits', 'count=-1,bytes=-1=;byteHardLimit=2');
    h.create('/zookeeper/quota/q/zookeeper_stats', 'count=0,bytes=0');
    expect(h.write(createReq('/q/n', null)).err).toBe(Code.OK);
    expect(h.write(createReq('/q/x', bytes('x'))).err).toBe(Code.QuotaExceeded);
    expect(h.write(setDataReq('/q', null)).err).toBe(Code.OK); // -2 bytes
    expect(h.write(setDataReq('/q/n', bytes('12'))).err).toBe(Code.OK); // 0 -> 2
    expect(h.write(setDataReq('/q/n', null)).err).toBe(Code.OK);
    expect(new TextDecoder().decode(h.tree.getData('/zookeeper/quota/q/zookeeper_stats')?.data ?? undefined)).toBe('count=2,bytes=0');
  });
});
