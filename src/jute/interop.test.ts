// Cross-check against an independent implementation: node-zookeeper-client's jute module
// (test-only; it uses Node Buffer). Its bytes must decode with ours and vice versa.
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { decodeConnectRequest, encodeConnectResponse } from './handshake';
import { decodeRequest } from './requests';
import { encodeNotification, encodeResponse } from './responses';
import { OpCode } from './opcodes';
import { EventType, KeeperState } from '../zk/types';
import { zeroStat } from './test-arbitraries';

/* eslint-disable @typescript-eslint/no-explicit-any */
const require = createRequire(import.meta.url);
const jute: any = require('node-zookeeper-client/lib/jute/index.js');

function payloadOf(request: any): Uint8Array {
  const framed: Buffer = request.toBuffer();
  expect(framed.readInt32BE(0)).toBe(framed.length - 4);
  return new Uint8Array(framed.subarray(4));
}

function header(xid: number, type: number): any {
  return new jute.protocol.RequestHeader(xid, type);
}

function long(value: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(value);
  return b;
}

describe('interop with node-zookeeper-client jute', () => {
  it('decodes its ConnectRequest (no readOnly byte)', () => {
    const req = new jute.protocol.ConnectRequest(0, long(0x200000003n), 30000, long(0x1234n), Buffer.alloc(16));
    expect(decodeConnectRequest(payloadOf(new jute.Request(null, req)))).toEqual({
      protocolVersion: 0,
      lastZxidSeen: 0x200000003n,
      timeoutMs: 30000,
      sessionId: 0x1234n,
      passwd: new Uint8Array(16),
    });
  });

  it('decodes its create request with ACLs', () => {
    const payload = new jute.protocol.CreateRequest();
    payload.path = '/app/node';
    payload.data = Buffer.from('hello');
    payload.acl = [new jute.data.ACL(31, new jute.data.Id('world', 'anyone'))];
    payload.flags = 3;
    const decoded = decodeRequest(payloadOf(new jute.Request(header(12, OpCode.create), payload)));
    expect(decoded).toEqual({
      header: { xid: 12, type: OpCode.create },
      request: {
        op: OpCode.create, path: '/app/node', data: new TextEncoder().encode('hello'),
        acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], flags: 3,
      },
    });
  });

  it('decodes its multi (TransactionRequest)', () => {
    const ops = [
      { type: OpCode.create, path: '/t', data: undefined, acls: [{ toRecord: () => new jute.data.ACL(31, new jute.data.Id('world', 'anyone')) }], mode: 0 },
      { type: OpCode.check, path: '/t', version: 0 },
      { type: OpCode.setData, path: '/t', data: Buffer.from([1]), version: -1 },
      { type: OpCode.delete, path: '/t', version: -1 },
    ];
    const decoded = decodeRequest(payloadOf(new jute.Request(header(3, OpCode.multi), new jute.TransactionRequest(ops))));
    expect(decoded.request).toEqual({
      op: OpCode.multi,
      ops: [
        // null data (-1) stays null, as Java's readBuffer returns it
        { op: OpCode.create, path: '/t', data: null, acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], flags: 0 },
        { op: OpCode.check, path: '/t', version: 0 },
        { op: OpCode.setData, path: '/t', data: new Uint8Array([1]), version: -1 },
        { op: OpCode.delete, path: '/t', version: -1 },
      ],
    });
  });

  it('decodes its setWatches and auth packets', () => {
    const sw = new jute.protocol.SetWatches(long(7n), ['/d'], ['/e'], ['/c']);
    expect(decodeRequest(payloadOf(new jute.Request(header(-8, OpCode.setWatches), sw))).request).toEqual({
      op: OpCode.setWatches, relativeZxid: 7n, dataWatches: ['/d'], existWatches: ['/e'], childWatches: ['/c'],
    });
    const auth = new jute.protocol.AuthPacket(0, 'digest', Buffer.from('u:p'));
    expect(decodeRequest(payloadOf(new jute.Request(header(-4, OpCode.auth), auth))).request).toEqual({
      op: OpCode.auth, type: 0, scheme: 'digest', auth: new TextEncoder().encode('u:p'),
    });
  });

  it('its decoders read our ConnectResponse, GetChildren2 reply, multi reply and notification', () => {
    const cr = new jute.protocol.ConnectResponse();
    cr.deserialize(Buffer.from(encodeConnectResponse({ protocolVersion: 0, timeoutMs: 4000, sessionId: 0x55n, passwd: new Uint8Array(16) })), 0);
    expect(cr.timeOut).toBe(4000);
    expect(Buffer.from(cr.sessionId).readBigInt64BE()).toBe(0x55n);

    const stat = { ...zeroStat(), numChildren: 2, pzxid: 9n };
    const reply = Buffer.from(encodeResponse({ xid: 5, zxid: 9n, err: 0 }, OpCode.getChildren2, { children: ['a', 'b'], stat }));
    const rh = new jute.protocol.ReplyHeader();
    const off = rh.deserialize(reply, 0);
    const body = new jute.protocol.GetChildren2Response();
    body.deserialize(reply, off);
    expect([rh.xid, rh.err, body.children, body.stat.numChildren]).toEqual([5, 0, ['a', 'b'], 2]);

    const multi = Buffer.from(encodeResponse({ xid: 6, zxid: 9n, err: 0 }, OpCode.multi, {
      results: [{ op: OpCode.create, path: '/t' }, { op: OpCode.check }, { op: OpCode.error, err: -101 }],
    }));
    const tr = new jute.TransactionResponse();
    tr.deserialize(multi, 16);
    expect(tr.results).toEqual([{ type: OpCode.create, path: '/t' }, { type: OpCode.check }, { type: -1, err: -101 }]);

    const note = Buffer.from(encodeNotification({ type: EventType.NodeDeleted, state: KeeperState.SyncConnected, path: '/x' }, 3n));
    const ev = new jute.protocol.WatcherEvent();
    ev.deserialize(note, 16);
    expect([ev.type, ev.state, ev.path]).toEqual([2, 3, '/x']);
  });
});
