// znode data: a Java null byte[] (length -1) must survive every record that carries it, apart from
// empty data (length 0). zkCli shows the difference: `create /e` then `get /e` prints "null".
import { describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord, JuteReader } from './jute-io';
import type { RecordCodec } from './jute-io';
import { CreateRequestCodec, CreateTTLRequestCodec, SetDataRequestCodec } from './op-records';
import { GetDataResponseCodec } from './response-records';
import { MultiRequestCodec, MultiResponseCodec } from './multi';
import type { MultiOp, MultiResult } from './multi';
import { decodeRequest, encodeRequest } from './requests';
import { decodeResponse, encodeResponse } from './responses';
import { decodeTxn, encodeTxn } from './txn-codec';
import { OpCode } from './opcodes';
import type { Txn, TxnBody } from '../zk/txn';
import { zeroStat } from './test-arbitraries';

const acl = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
const EMPTY = new Uint8Array(0);
const variants: Array<[string, Uint8Array | null]> = [
  ['null', null],
  ['empty', EMPTY],
];

/** The int32 length prefix of the data field, found at `offset` in the encoded bytes. */
function lengthAt(bytes: Uint8Array, offset: number): number {
  return new JuteReader(bytes.subarray(offset)).int();
}

function roundTrip<T>(codec: RecordCodec<T>, value: T): T {
  return decodeRecord(codec, encodeRecord(codec, value));
}

// "/a" is written as 4-byte length + 2 bytes, so the data length prefix starts at byte 6.
const DATA_AFTER_PATH_A = 6;

describe.each(variants)('request records keep %s data', (_name, data) => {
  const expectedLength = data === null ? -1 : 0;

  it('CreateRequest', () => {
    const value = { path: '/a', data, acl, flags: 0 };
    const bytes = encodeRecord(CreateRequestCodec, value);
    expect(lengthAt(bytes, DATA_AFTER_PATH_A)).toBe(expectedLength);
    expect(roundTrip(CreateRequestCodec, value)).toEqual(value);
  });

  it('CreateTTLRequest', () => {
    const value = { path: '/a', data, acl, flags: 5, ttlMs: 1000n };
    expect(lengthAt(encodeRecord(CreateTTLRequestCodec, value), DATA_AFTER_PATH_A)).toBe(expectedLength);
    expect(roundTrip(CreateTTLRequestCodec, value)).toEqual(value);
  });

  it('SetDataRequest', () => {
    const value = { path: '/a', data, version: -1 };
    expect(lengthAt(encodeRecord(SetDataRequestCodec, value), DATA_AFTER_PATH_A)).toBe(expectedLength);
    expect(roundTrip(SetDataRequestCodec, value)).toEqual(value);
  });

  it('create/setData requests through decodeRequest', () => {
    for (const op of [OpCode.create, OpCode.create2, OpCode.createContainer] as const) {
      const request = { op, path: '/a', data, acl, flags: 0 };
      expect(decodeRequest(encodeRequest({ xid: 1 }, request)).request).toEqual(request);
    }
    const setData = { op: OpCode.setData as const, path: '/a', data, version: 2 };
    expect(decodeRequest(encodeRequest({ xid: 2 }, setData)).request).toEqual(setData);
  });

  it('every write op inside a multi', () => {
    const ops: MultiOp[] = [
      { op: OpCode.create, path: '/a', data, acl, flags: 0 },
      { op: OpCode.create2, path: '/b', data, acl, flags: 0 },
      { op: OpCode.createContainer, path: '/c', data, acl, flags: 4 },
      { op: OpCode.createTTL, path: '/d', data, acl, flags: 5, ttlMs: 10n },
      { op: OpCode.setData, path: '/a', data, version: -1 },
    ];
    expect(roundTrip(MultiRequestCodec, { ops })).toEqual({ ops });
    expect(decodeRequest(encodeRequest({ xid: 3 }, { op: OpCode.multi, ops })).request).toEqual({ op: OpCode.multi, ops });
  });
});

describe.each(variants)('response records keep %s data', (_name, data) => {
  const stat = zeroStat();

  it('GetDataResponse: data length prefix, no data bytes, then the Stat', () => {
    const bytes = encodeRecord(GetDataResponseCodec, { data, stat });
    expect(lengthAt(bytes, 0)).toBe(data === null ? -1 : 0);
    expect(bytes.length).toBe(4 + 68); // no data bytes either way, then the Stat
    expect(roundTrip(GetDataResponseCodec, { data, stat })).toEqual({ data, stat });
  });

  it('getData and reconfig replies', () => {
    const header = { xid: 4, zxid: 9n, err: 0 };
    for (const op of [OpCode.getData, OpCode.reconfig] as const) {
      expect(decodeResponse(op, encodeResponse(header, op, { data, stat })).response).toEqual({ data, stat });
    }
  });

  it('multiRead getData results', () => {
    const results: MultiResult[] = [{ op: OpCode.getData, data, stat }, { op: OpCode.getChildren, children: [] }];
    expect(roundTrip(MultiResponseCodec, { results })).toEqual({ results });
  });
});

describe.each(variants)('txn codec keeps %s data', (_name, data) => {
  const header = { sessionId: 5n, cxid: 1, zxid: 0x100000001n, timeMs: 1000 };
  // TxnHeader is 32 bytes (type last, at 28); "/a" then puts the data length at 32 + 6.
  const DATA_IN_TXN = 32 + DATA_AFTER_PATH_A;
  const TYPE_IN_HEADER = 28;
  const bodies: TxnBody[] = [
    { type: OpCode.create, path: '/a', data, acl, ephemeral: false, parentCVersion: 1 },
    { type: OpCode.createContainer, path: '/a', data, acl, parentCVersion: 1 },
    { type: OpCode.createTTL, path: '/a', data, acl, parentCVersion: 1, ttlMs: 100n },
    { type: OpCode.setData, path: '/a', data, version: 3 },
  ];

  it.each(bodies.map((b) => [b.type, b] as const))('type %s', (_type, body) => {
    const txn: Txn = { header: { ...header, type: body.type }, body };
    const bytes = encodeTxn(txn);
    expect(lengthAt(bytes, DATA_IN_TXN)).toBe(data === null ? -1 : 0);
    expect(decodeTxn(bytes)).toEqual(txn);
  });

  it('inside a multi txn', () => {
    const txn: Txn = { header: { ...header, type: OpCode.multi }, body: { type: OpCode.multi, txns: bodies } };
    expect(decodeTxn(encodeTxn(txn))).toEqual(txn);
  });

  it('create2 and reconfig headers read as create and setData with the data kept', () => {
    const create = encodeTxn({ header: { ...header, type: OpCode.create }, body: bodies[0] as TxnBody });
    new DataView(create.buffer).setInt32(TYPE_IN_HEADER, OpCode.create2); // the header's type field
    expect(decodeTxn(create).body).toEqual(bodies[0]);
    const setData = encodeTxn({ header: { ...header, type: OpCode.setData }, body: bodies[3] as TxnBody });
    new DataView(setData.buffer).setInt32(TYPE_IN_HEADER, OpCode.reconfig);
    expect(decodeTxn(setData).body).toEqual(bodies[3]);
  });
});

it('null and empty data encode differently everywhere (length -1 vs 0)', () => {
  const nul = encodeRecord(CreateRequestCodec, { path: '/a', data: null, acl, flags: 0 });
  const empty = encodeRecord(CreateRequestCodec, { path: '/a', data: EMPTY, acl, flags: 0 });
  expect(nul).not.toEqual(empty);
  expect(decodeRecord(CreateRequestCodec, nul).data).toBeNull();
  expect(decodeRecord(CreateRequestCodec, empty).data).toEqual(EMPTY);
});
