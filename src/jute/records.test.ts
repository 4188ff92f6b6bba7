import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeRecord, encodeRecord } from './jute-io';
import type { RecordCodec } from './jute-io';
import * as data from './data-records';
import * as session from './session-records';
import * as ops from './op-records';
import * as rsp from './response-records';
import { AddWatchMode, EventType, KeeperState, WatcherType } from '../zk/types';
import { acl, acls, bytes, fromHex, hexOf, int32, int64, nullableBytes, path, stat, strings, text, zeroStat } from './test-arbitraries';
import { decodeConnectRequest, decodeConnectResponse, encodeConnectRequest, encodeConnectResponse } from './handshake';

function roundTrips<T>(codec: RecordCodec<T>, arb: fc.Arbitrary<T>): void {
  fc.assert(
    fc.property(arb, (value) => {
      expect(decodeRecord(codec, encodeRecord(codec, value))).toEqual(value);
    }),
    { numRuns: 60 },
  );
}

const nullableText = fc.option(text, { nil: null });

/** A named round-trip check; typing ties each arbitrary to its codec's record shape. */
function rt<T>(name: string, codec: RecordCodec<T>, arb: fc.Arbitrary<T>): [string, () => void] {
  return [name, () => roundTrips(codec, arb)];
}

const cases: Array<[string, () => void]> = [
  rt('Id', data.IdCodec, fc.record({ scheme: text, id: text })),
  rt('ACL', data.AclCodec, acl),
  rt('Stat', data.StatCodec, stat),
  rt('ClientInfo', data.ClientInfoCodec, fc.record({ authScheme: text, user: text })),
  rt('ConnectRequest', session.ConnectRequestCodec, fc.record({
    protocolVersion: int32, lastZxidSeen: int64, timeoutMs: int32, sessionId: int64, passwd: bytes, readOnly: fc.boolean(),
  })),
  rt('ConnectResponse', session.ConnectResponseCodec, fc.record({
    protocolVersion: int32, timeoutMs: int32, sessionId: int64, passwd: bytes, readOnly: fc.boolean(),
  })),
  rt('RequestHeader', session.RequestHeaderCodec, fc.record({ xid: int32, type: int32 })),
  rt('ReplyHeader', session.ReplyHeaderCodec, fc.record({ xid: int32, zxid: int64, err: int32 })),
  rt('WatcherEvent', session.WatcherEventCodec, fc.record({
    type: fc.constantFrom(...[EventType.None, EventType.NodeCreated, EventType.NodeDeleted]),
    state: fc.constantFrom(KeeperState.SyncConnected, KeeperState.Expired), path,
  })),
  rt('AuthPacket', session.AuthPacketCodec, fc.record({ type: int32, scheme: text, auth: bytes })),
  rt('SetWatches', session.SetWatchesCodec, fc.record({ relativeZxid: int64, dataWatches: strings, existWatches: strings, childWatches: strings })),
  rt('SetWatches2', session.SetWatches2Codec, fc.record({
    relativeZxid: int64, dataWatches: strings, existWatches: strings, childWatches: strings,
    persistentWatches: strings, persistentRecursiveWatches: strings,
  })),
  rt('SaslToken', session.SaslTokenCodec, fc.record({ token: bytes })),
  rt('CreateRequest', ops.CreateRequestCodec, fc.record({ path, data: nullableBytes, acl: acls, flags: fc.integer({ min: 0, max: 6 }) })),
  rt('CreateTTLRequest', ops.CreateTTLRequestCodec, fc.record({ path, data: nullableBytes, acl: acls, flags: int32, ttlMs: int64 })),
  rt('DeleteRequest', ops.DeleteRequestCodec, fc.record({ path, version: int32 })),
  rt('PathWatchRequest', ops.PathWatchRequestCodec, fc.record({ path, watch: fc.boolean() })),
  rt('PathRequest', ops.PathRequestCodec, fc.record({ path })),
  rt('SetDataRequest', ops.SetDataRequestCodec, fc.record({ path, data: nullableBytes, version: int32 })),
  rt('SetACLRequest', ops.SetACLRequestCodec, fc.record({ path, acl: acls, version: int32 })),
  rt('CheckVersionRequest', ops.CheckVersionRequestCodec, fc.record({ path, version: int32 })),
  rt('WatchesRequest', ops.WatchesRequestCodec, fc.record({ path, type: fc.constantFrom(WatcherType.Children, WatcherType.Any) })),
  rt('AddWatchRequest', ops.AddWatchRequestCodec, fc.record({ path, mode: fc.constantFrom(AddWatchMode.PERSISTENT, AddWatchMode.PERSISTENT_RECURSIVE) })),
  rt('GetEphemeralsRequest', ops.GetEphemeralsRequestCodec, fc.record({ prefixPath: path })),
  rt('ReconfigRequest', ops.ReconfigRequestCodec, fc.record({ joiningServers: nullableText, leavingServers: nullableText, newMembers: nullableText, curConfigId: int64 })),
  rt('CreateResponse', rsp.CreateResponseCodec, fc.record({ path })),
  rt('Create2Response', rsp.Create2ResponseCodec, fc.record({ path, stat })),
  rt('StatResponse', rsp.StatResponseCodec, fc.record({ stat })),
  rt('GetDataResponse', rsp.GetDataResponseCodec, fc.record({ data: nullableBytes, stat })),
  rt('GetACLResponse', rsp.GetACLResponseCodec, fc.record({ acl: acls, stat })),
  rt('GetChildrenResponse', rsp.GetChildrenResponseCodec, fc.record({ children: strings })),
  rt('GetChildren2Response', rsp.GetChildren2ResponseCodec, fc.record({ children: strings, stat })),
  rt('SyncResponse', rsp.SyncResponseCodec, fc.record({ path })),
  rt('GetAllChildrenNumberResponse', rsp.GetAllChildrenNumberResponseCodec, fc.record({ totalNumber: int32 })),
  rt('GetEphemeralsResponse', rsp.GetEphemeralsResponseCodec, fc.record({ ephemerals: strings })),
  rt('WhoAmIResponse', rsp.WhoAmIResponseCodec, fc.record({ clientInfo: fc.array(fc.record({ authScheme: text, user: text }), { maxLength: 3 }) })),
  rt('ErrorResponse', rsp.ErrorResponseCodec, fc.record({ err: int32 })),
];

describe('every record round-trips', () => {
  for (const [name, check] of cases) {
    it(name, check);
  }
});

describe('golden layouts', () => {
  it('ConnectRequest as the Java client sends it (45 bytes)', () => {
    const bytes = encodeConnectRequest({
      protocolVersion: 0, lastZxidSeen: 0n, timeoutMs: 30000, sessionId: 0n, passwd: new Uint8Array(16), readOnly: false,
    });
    expect(hexOf(bytes)).toBe('00000000' + '0000000000000000' + '00007530' + '0000000000000000' + '00000010' + '00'.repeat(16) + '00');
    expect(bytes.length).toBe(45);
  });

  it('ConnectRequest from an old client without readOnly decodes with readOnly undefined', () => {
    const old = fromHex('00000000 0000000000000005 00002710 0000000000000007 00000000');
    const req = decodeConnectRequest(old);
    expect(req).toEqual({ protocolVersion: 0, lastZxidSeen: 5n, timeoutMs: 10000, sessionId: 7n, passwd: new Uint8Array(0) });
    expect('readOnly' in req).toBe(false);
    expect(encodeConnectRequest(req)).toEqual(old);
  });

  it('ConnectResponse omits readOnly when undefined and writes it when set', () => {
    const base = { protocolVersion: 0, timeoutMs: 4000, sessionId: 0x100000001n, passwd: new Uint8Array([1, 2]) };
    expect(hexOf(encodeConnectResponse(base))).toBe('00000000' + '00000fa0' + '0000000100000001' + '00000002' + '0102');
    expect(hexOf(encodeConnectResponse({ ...base, readOnly: true })).endsWith('010201')).toBe(true);
    expect(decodeConnectResponse(encodeConnectResponse({ ...base, readOnly: true })).readOnly).toBe(true);
  });

  it('Stat is 68 bytes in field order', () => {
    const s = { ...zeroStat(), czxid: 1n, version: 2, pzxid: 3n };
    const hex = hexOf(encodeRecord(data.StatCodec, s));
    expect(hex.length).toBe(68 * 2);
    expect(hex.slice(0, 16)).toBe('0000000000000001');
    expect(hex.slice(64, 72)).toBe('00000002');
    expect(hex.slice(-16)).toBe('0000000000000003');
  });

  it('CreateRequest with OPEN_ACL_UNSAFE', () => {
    const bytes = encodeRecord(ops.CreateRequestCodec, {
      path: '/a', data: new Uint8Array([0x78]), acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], flags: 1,
    });
    expect(hexOf(bytes)).toBe(
      '00000002 2f61 00000001 78 00000001 0000001f 00000005 776f726c64 00000006 616e796f6e65 00000001'.replace(/ /g, ''),
    );
  });
});
