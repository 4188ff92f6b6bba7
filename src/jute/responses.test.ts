import { describe, expect, it } from 'vitest';
import { decodeNotification, decodeReplyHeader, decodeResponse, encodeNotification, encodeResponse } from './responses';
import type { ResponseOp } from './responses';
import { JuteError } from './jute-io';
import { OpCode, Xid } from './opcodes';
import { EventType, KeeperState } from '../zk/types';
import { fromHex, hexOf, zeroStat } from './test-arbitraries';
import type { MultiResult } from './multi';

const stat = { ...zeroStat(), czxid: 0x100000002n, version: 1, dataLength: 3 };
const ok = (xid: number) => ({ xid, zxid: 0x100000005n, err: 0 });

const examples: Array<[ResponseOp, unknown]> = [
  [OpCode.create, { path: '/a0000000001' }],
  [OpCode.create2, { path: '/a', stat }],
  [OpCode.createTTL, { path: '/t', stat }],
  [OpCode.createContainer, { path: '/c', stat }],
  [OpCode.exists, { stat }],
  [OpCode.getData, { data: new Uint8Array([1, 2, 3]), stat }],
  [OpCode.setData, { stat }],
  [OpCode.getACL, { acl: [{ perms: 1, id: { scheme: 'ip', id: '127.0.0.1' } }], stat }],
  [OpCode.setACL, { stat }],
  [OpCode.getChildren, { children: ['a', 'b'] }],
  [OpCode.getChildren2, { children: [], stat }],
  [OpCode.sync, { path: '/a' }],
  [OpCode.check, { stat }],
  [OpCode.reconfig, { data: new TextEncoder().encode('server.1=h:2888:3888'), stat }],
  [OpCode.addWatch, { err: 0 }],
  [OpCode.getEphemerals, { ephemerals: ['/e1'] }],
  [OpCode.getAllChildrenNumber, { totalNumber: 12 }],
  [OpCode.whoAmI, { clientInfo: [{ authScheme: 'ip', user: '127.0.0.1' }] }],
  [OpCode.sasl, { token: new Uint8Array([5]) }],
  [OpCode.delete, null],
  [OpCode.deleteContainer, null],
  [OpCode.checkWatches, null],
  [OpCode.removeWatches, null],
  [OpCode.ping, null],
  [OpCode.auth, null],
  [OpCode.setWatches, null],
  [OpCode.setWatches2, null],
  [OpCode.closeSession, null],
];

describe('encodeResponse / decodeResponse', () => {
  it.each(examples.map(([op, body]) => [OpCode[op], op, body] as const))('round-trips %s', (_n, op, body) => {
    const bytes = encodeResponse(ok(3), op, body as never);
    expect(decodeResponse(op, bytes)).toEqual({ header: ok(3), response: body });
  });

  it('an error reply is the bare header and decodes with a null response', () => {
    const header = { xid: 7, zxid: 0x10n, err: -101 };
    const bytes = encodeResponse(header, OpCode.getData, null);
    expect(hexOf(bytes)).toBe('00000007' + '0000000000000010' + 'ffffff9b');
    expect(decodeResponse(OpCode.getData, bytes)).toEqual({ header, response: null });
  });

  it('does not read a body when err != 0 even if bytes follow', () => {
    const bytes = new Uint8Array([...encodeResponse({ xid: 1, zxid: 0n, err: -110 }, OpCode.create, null), 0xff]);
    expect(decodeResponse(OpCode.create, bytes).response).toBeNull();
  });

  it('addWatch success carries ErrorResponse(0)', () => {
    expect(hexOf(encodeResponse(ok(1), OpCode.addWatch, { err: 0 })).slice(-8)).toBe('00000000');
  });

  it('truncated bodies throw JuteError', () => {
    const bytes = encodeResponse(ok(1), OpCode.getData, { data: new Uint8Array([1]), stat });
    expect(() => decodeResponse(OpCode.getData, bytes.subarray(0, bytes.length - 1))).toThrow(JuteError);
  });
});

describe('multi responses', () => {
  it('golden layout with results and the terminating header', () => {
    const results: MultiResult[] = [{ op: OpCode.create, path: '/a' }, { op: OpCode.delete }];
    const bytes = encodeResponse(ok(2), OpCode.multi, { results });
    const expected = '00000001 00 00000000 00000002 2f61' + '00000002 00 00000000' + 'ffffffff 01 ffffffff';
    expect(hexOf(bytes.subarray(16))).toBe(expected.replace(/ /g, ''));
  });

  it('error results use MultiHeader{-1, false, err} + ErrorResponse', () => {
    const results: MultiResult[] = [{ op: OpCode.error, err: 0 }, { op: OpCode.error, err: -101 }];
    const bytes = encodeResponse(ok(2), OpCode.multi, { results });
    expect(hexOf(bytes.subarray(16))).toBe(
      'ffffffff00' + '00000000' + '00000000' + 'ffffffff00' + 'ffffff9b' + 'ffffff9b' + 'ffffffff01ffffffff',
    );
    expect(decodeResponse(OpCode.multi, bytes).response).toEqual({ results });
  });

  it('round-trips every result kind', () => {
    const results: MultiResult[] = [
      { op: OpCode.create, path: '/a' },
      { op: OpCode.create2, path: '/b', stat },
      { op: OpCode.delete },
      { op: OpCode.setData, stat },
      { op: OpCode.check },
      { op: OpCode.getData, data: new Uint8Array([7]), stat },
      { op: OpCode.getChildren, children: ['x'] },
      { op: OpCode.error, err: -103 },
    ];
    const bytes = encodeResponse(ok(9), OpCode.multiRead, { results });
    expect(decodeResponse(OpCode.multiRead, bytes).response).toEqual({ results });
  });

  it('an unknown result type throws JuteError', () => {
    const bytes = fromHex('00000001 0000000000000000 00000000 00000063 00 00000000');
    expect(() => decodeResponse(OpCode.multi, bytes)).toThrow(JuteError);
  });

  it('a missing terminator throws JuteError rather than looping', () => {
    const bytes = fromHex('00000001 0000000000000000 00000000 00000002 00 00000000');
    expect(() => decodeResponse(OpCode.multi, bytes)).toThrow(JuteError);
  });
});

describe('notifications', () => {
  it('golden layout: xid -1, zxid, err 0, WatcherEvent', () => {
    const bytes = encodeNotification({ type: EventType.NodeDataChanged, state: KeeperState.SyncConnected, path: '/a' }, 0x12n);
    expect(hexOf(bytes)).toBe('ffffffff' + '0000000000000012' + '00000000' + '00000003' + '00000003' + '00000002' + '2f61');
    expect(decodeReplyHeader(bytes).xid).toBe(Xid.NOTIFICATION);
    expect(decodeNotification(bytes)).toEqual({
      zxid: 0x12n,
      event: { type: EventType.NodeDataChanged, state: KeeperState.SyncConnected, path: '/a' },
    });
  });

  it('defaults the zxid to -1 and rejects non-notification xids', () => {
    const bytes = encodeNotification({ type: EventType.None, state: KeeperState.Expired, path: '' });
    expect(decodeNotification(bytes).zxid).toBe(-1n);
    expect(() => decodeNotification(encodeResponse(ok(1), OpCode.ping, null))).toThrow(JuteError);
  });
});
