import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeRequest, encodeRequest, JuteRequestError } from './requests';
import type { ClientRequest, KnownClientRequest } from './requests';
import { JuteError } from './jute-io';
import { OpCode, Xid } from './opcodes';
import { AddWatchMode, WatcherType } from '../zk/types';
import { acls, bytes, fromHex, hexOf, int32, int64, path, strings, text } from './test-arbitraries';
import type { MultiOp } from './multi';

const createBody = { path: '/a', data: new Uint8Array([1]), acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], flags: 0 };
const multiOps: MultiOp[] = [
  { op: OpCode.create, ...createBody },
  { op: OpCode.create2, ...createBody, flags: 2 },
  { op: OpCode.createContainer, ...createBody, flags: 4 },
  { op: OpCode.createTTL, ...createBody, flags: 5, ttlMs: 1000n },
  { op: OpCode.delete, path: '/a', version: -1 },
  { op: OpCode.setData, path: '/a', data: new Uint8Array(0), version: 3 },
  { op: OpCode.check, path: '/a', version: 0 },
];

/** One example of every request variant a client can send. */
const everyRequest: KnownClientRequest[] = [
  { op: OpCode.create, ...createBody },
  { op: OpCode.create2, ...createBody },
  { op: OpCode.createContainer, ...createBody, flags: 4 },
  { op: OpCode.createTTL, ...createBody, flags: 5, ttlMs: 60_000n },
  { op: OpCode.delete, path: '/a', version: 7 },
  { op: OpCode.exists, path: '/a', watch: true },
  { op: OpCode.getData, path: '/zookeeper/config', watch: false },
  { op: OpCode.getChildren, path: '/', watch: true },
  { op: OpCode.getChildren2, path: '/', watch: false },
  { op: OpCode.setData, path: '/a', data: new Uint8Array([9, 9]), version: -1 },
  { op: OpCode.getACL, path: '/a' },
  { op: OpCode.sync, path: '/a' },
  { op: OpCode.getAllChildrenNumber, path: '/a' },
  { op: OpCode.deleteContainer, path: '/container' },
  { op: OpCode.setACL, path: '/a', acl: createBody.acl, version: 0 },
  { op: OpCode.check, path: '/a', version: 1 },
  { op: OpCode.multi, ops: multiOps },
  { op: OpCode.multiRead, ops: [{ op: OpCode.getData, path: '/a', watch: false }, { op: OpCode.getChildren, path: '/', watch: false }] },
  { op: OpCode.reconfig, joiningServers: 'server.4=h:2888:3888;2181', leavingServers: null, newMembers: null, curConfigId: -1n },
  { op: OpCode.checkWatches, path: '/a', type: WatcherType.Data },
  { op: OpCode.removeWatches, path: '/a', type: WatcherType.Any },
  { op: OpCode.addWatch, path: '/a', mode: AddWatchMode.PERSISTENT_RECURSIVE },
  { op: OpCode.getEphemerals, prefixPath: '/' },
  { op: OpCode.auth, type: 0, scheme: 'digest', auth: new TextEncoder().encode('u:p') },
  { op: OpCode.setWatches, relativeZxid: 5n, dataWatches: ['/a'], existWatches: [], childWatches: ['/'] },
  { op: OpCode.setWatches2, relativeZxid: 5n, dataWatches: [], existWatches: ['/b'], childWatches: [], persistentWatches: ['/p'], persistentRecursiveWatches: ['/r'] },
  { op: OpCode.sasl, token: new Uint8Array([1, 2, 3]) },
  { op: OpCode.ping },
  { op: OpCode.closeSession },
  { op: OpCode.whoAmI },
];

describe('decodeRequest / encodeRequest', () => {
  it.each(everyRequest.map((r) => [OpCode[r.op], r] as const))('round-trips %s', (_name, request) => {
    const bytes = encodeRequest({ xid: 42 }, request);
    expect(decodeRequest(bytes)).toEqual({ header: { xid: 42, type: request.op }, request });
  });

  it('covers every client-sendable opcode', () => {
    const internal = new Set([OpCode.notification, OpCode.createSession, OpCode.error]);
    const all = Object.values(OpCode).filter((v): v is OpCode => typeof v === 'number' && !internal.has(v));
    expect(new Set(everyRequest.map((r) => r.op))).toEqual(new Set(all));
  });

  it('ping is exactly the header the Java client sends', () => {
    expect(hexOf(encodeRequest({ xid: Xid.PING }, { op: OpCode.ping }))).toBe('fffffffe0000000b');
  });

  it('getData golden bytes', () => {
    const bytes = encodeRequest({ xid: 1, type: OpCode.getData }, { op: OpCode.getData, path: '/a', watch: true });
    expect(hexOf(bytes)).toBe('00000001' + '00000004' + '00000002' + '2f61' + '01');
  });

  it('unknown opcodes decode to the unknown variant', () => {
    const decoded = decodeRequest(fromHex('00000005 000003e7 deadbeef'));
    expect(decoded).toEqual({ header: { xid: 5, type: 999 }, request: { op: 'unknown', type: 999 } });
    const internal = decodeRequest(fromHex('00000005 fffffff6'));
    expect(internal.request).toEqual({ op: 'unknown', type: OpCode.createSession });
  });

  it('ignores trailing bytes after the body, like Java', () => {
    const bytes = encodeRequest({ xid: 1 }, { op: OpCode.sync, path: '/a' });
    const padded = new Uint8Array([...bytes, 1, 2, 3]);
    expect(decodeRequest(padded).request).toEqual({ op: OpCode.sync, path: '/a' });
  });

  it('a truncated header throws JuteError', () => {
    expect(() => decodeRequest(fromHex('000000'))).toThrow(JuteError);
  });

  it('a bad body throws JuteRequestError carrying the header', () => {
    let caught: unknown;
    try {
      decodeRequest(fromHex('00000009 00000004 00000010 2f'));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(JuteRequestError);
    expect(caught).toBeInstanceOf(JuteError);
    expect((caught as JuteRequestError).header).toEqual({ xid: 9, type: OpCode.getData });
  });

  it('multi with an invalid op type is a JuteRequestError', () => {
    // RequestHeader(xid 1, multi) + MultiHeader{type 99, done false, err -1}
    const bytes = fromHex('00000001 0000000e 00000063 00 ffffffff');
    expect(() => decodeRequest(bytes)).toThrow(JuteRequestError);
  });

  it('rejects a header type that disagrees with the request op', () => {
    expect(() => encodeRequest({ xid: 1, type: OpCode.create }, { op: OpCode.ping })).toThrow(JuteError);
  });

  it('random create/setData/setWatches2 round-trip', () => {
    const arb: fc.Arbitrary<ClientRequest> = fc.oneof(
      fc.record({ op: fc.constant(OpCode.create as const), path, data: bytes, acl: acls, flags: int32 }),
      fc.record({ op: fc.constant(OpCode.setData as const), path, data: bytes, version: int32 }),
      fc.record({
        op: fc.constant(OpCode.setWatches2 as const), relativeZxid: int64, dataWatches: strings, existWatches: strings,
        childWatches: strings, persistentWatches: strings, persistentRecursiveWatches: strings,
      }),
      fc.record({ op: fc.constant(OpCode.auth as const), type: int32, scheme: text, auth: bytes }),
    );
    fc.assert(
      fc.property(int32, arb, (xid, req) => {
        const decoded = decodeRequest(encodeRequest({ xid }, req as KnownClientRequest));
        expect(decoded.request).toEqual(req);
      }),
    );
  });
});
