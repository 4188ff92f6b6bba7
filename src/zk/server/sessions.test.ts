import { describe, it, expect } from 'vitest';
import { OpCode, Xid } from '../../jute/opcodes';
import { Code } from '../errors';
import { CreateMode, EventType, OPEN_ACL_UNSAFE } from '../types';
import { Harness } from './test-harness';

const enc = new TextEncoder();

function createEphemeral(h: Harness, conn: number, path: string): number {
  return h.send(conn, { op: OpCode.create, path, data: new Uint8Array(), acl: [...OPEN_ACL_UNSAFE], flags: CreateMode.EPHEMERAL });
}

describe('session expiry', () => {
  it('expires a silent session at its bucket: ephemerals deleted, watchers told, connection closed', () => {
    const h = new Harness({ tickTimeMs: 2000 }, { startMs: 1_000_000 });
    h.connect(1, { timeoutMs: 4000 });
    h.connect(2, { timeoutMs: 4000 });
    createEphemeral(h, 1, '/e');
    h.send(2, { op: OpCode.exists, path: '/e', watch: true });
    const { sessionId } = h.session(1);
    expect(h.server.sessions.get(sessionId)?.expiresAtMs).toBe(1_006_000);

    h.clock(4000); // 1_004_000
    h.send(2, { op: OpCode.ping }); // keeps session 2 alive until 1_010_000
    h.clock(1999); // 1_005_999: one ms before the bucket
    expect(h.server.tree.exists('/e')).toBe(true);
    expect(h.tracesOf('session.closed')).toHaveLength(0);

    h.clock(1); // 1_006_000
    expect(h.server.tree.exists('/e')).toBe(false);
    expect(h.server.sessions.has(sessionId)).toBe(false);
    expect(h.tracesOf('session.closed')).toEqual([expect.objectContaining({ sessionId, reason: 'expire' })]);
    const events = h.received(2).filter((r) => r.kind === 'notification');
    expect(events.map((e) => e.kind === 'notification' && EventType[e.event.type])).toEqual(['NodeDeleted']);
    expect(h.closed.has(1)).toBe(true);
    expect(h.closed.has(2)).toBe(false);
  });

  it('a lost connection keeps the session (and its ephemerals) until expiry, and it can come back', () => {
    const h = new Harness({ tickTimeMs: 2000 }, { startMs: 1_000_000 });
    h.connect(1, { timeoutMs: 6000 });
    createEphemeral(h, 1, '/keep');
    const { sessionId, passwd } = h.session(1);
    h.step({ kind: 'connection.close', connection: 1 });
    h.clock(5000);
    expect(h.server.tree.exists('/keep')).toBe(true);
    h.connect(2, { sessionId, passwd, timeoutMs: 6000, lastZxidSeen: h.server.lastProcessedZxid });
    expect(h.session(2)).toMatchObject({ sessionId, timeoutMs: 6000 });
    h.clock(5000); // the reconnect touched it
    expect(h.server.tree.exists('/keep')).toBe(true);
    expect(h.tracesOf('session.connected').map((t) => t.reconnect)).toEqual([false, true]);
  });

  it('reconnecting to an expired session answers timeout 0 and closes', () => {
    const h = new Harness({ tickTimeMs: 2000 });
    h.connect(1, { timeoutMs: 4000 });
    const { sessionId, passwd } = h.session(1);
    h.step({ kind: 'connection.close', connection: 1 });
    h.clock(10_000);
    expect(h.server.sessions.has(sessionId)).toBe(false);
    h.connect(2, { sessionId, passwd });
    expect(h.session(2)).toMatchObject({ sessionId: 0n, timeoutMs: 0 });
    expect(h.session(2).passwd).toEqual(new Uint8Array(16));
    expect(h.closed.has(2)).toBe(true);
  });

  it('a wrong password answers timeout 0 and closes; the session itself survives', () => {
    const h = new Harness();
    h.connect(1);
    const { sessionId, passwd } = h.session(1);
    h.connect(2, { sessionId, passwd: new Uint8Array(16).fill(7) });
    expect(h.session(2).timeoutMs).toBe(0);
    expect(h.closed.has(2)).toBe(true);
    // Like processConnectRequest, the old connection was closed before the password check.
    expect(h.closed.has(1)).toBe(true);
    expect(h.server.sessions.has(sessionId)).toBe(true);
    h.connect(3, { sessionId, passwd, lastZxidSeen: h.server.lastProcessedZxid });
    expect(h.session(3).sessionId).toBe(sessionId);
  });

  it('a reconnect takes the session over and closes the old connection', () => {
    const h = new Harness();
    h.connect(1);
    const { sessionId, passwd } = h.session(1);
    h.connect(2, { sessionId, passwd });
    expect(h.closed.has(1)).toBe(true);
    expect(h.server.sessions.get(sessionId)?.connection).toBe(2);
  });

  it('refuses a client that has seen a newer zxid than ours', () => {
    const h = new Harness();
    h.connect(1, { lastZxidSeen: 99n });
    expect(h.received(1)).toHaveLength(0);
    expect(h.closed.has(1)).toBe(true);
  });
});

describe('closeSession', () => {
  it('deletes ephemerals, replies, closes, and drops later requests', () => {
    const h = new Harness();
    h.connect(1);
    h.connect(2);
    createEphemeral(h, 1, '/lock');
    h.send(2, { op: OpCode.getChildren, path: '/', watch: true });
    h.autoDurable = false;
    const close = h.send(1, { op: OpCode.closeSession });
    const late = h.send(1, { op: OpCode.getData, path: '/lock', watch: false });
    h.durable();
    expect(h.reply(1, close).header.err).toBe(0);
    expect(() => h.reply(1, late)).toThrow();
    expect(h.closed.has(1)).toBe(true);
    expect(h.server.tree.exists('/lock')).toBe(false);
    expect(h.tracesOf('session.closed').map((t) => t.reason)).toEqual(['close']);
    const n = h.received(2).find((r) => r.kind === 'notification');
    expect(n?.kind === 'notification' && n.event.type).toBe(EventType.NodeChildrenChanged);
  });
});

describe('framing and garbage', () => {
  it('an oversized frame closes the connection; the session survives and can reconnect', () => {
    const h = new Harness({ maxBufferBytes: 1024 });
    h.connect(1);
    const { sessionId, passwd } = h.session(1);
    const big = h.clients.get(1)!.frame({
      op: OpCode.setData,
      path: '/',
      data: new Uint8Array(4096),
      version: -1,
    });
    h.step({ kind: 'connection.data', connection: 1, bytes: big.bytes });
    expect(h.closed.has(1)).toBe(true);
    expect(h.server.sessions.has(sessionId)).toBe(true);
    h.connect(2, { sessionId, passwd, lastZxidSeen: h.server.lastProcessedZxid });
    expect(h.session(2).sessionId).toBe(sessionId);
  });

  it('a negative frame length closes the connection', () => {
    const h = new Harness();
    h.connect(1);
    h.step({ kind: 'connection.data', connection: 1, bytes: new Uint8Array([0xff, 0xff, 0xff, 0xf0]) });
    expect(h.closed.has(1)).toBe(true);
  });

  it('a frame too short for a request header closes the connection', () => {
    const h = new Harness();
    h.connect(1);
    h.step({ kind: 'connection.data', connection: 1, bytes: new Uint8Array([0, 0, 0, 2, 1, 2]) });
    expect(h.closed.has(1)).toBe(true);
  });

  it('a request whose body does not decode gets MarshallingError', () => {
    const h = new Harness();
    h.connect(1);
    // header {xid 5, type getData} and a truncated path
    const payload = new Uint8Array([0, 0, 0, 5, 0, 0, 0, 4, 0, 0, 0, 9, 47]);
    const frame = new Uint8Array(4 + payload.length);
    new DataView(frame.buffer).setInt32(0, payload.length);
    frame.set(payload, 4);
    h.clients.get(1)!.frame({ op: OpCode.getData, path: '/', watch: false }, 5); // teach the client xid 5
    h.step({ kind: 'connection.data', connection: 1, bytes: frame });
    expect(h.reply(1, 5).header.err).toBe(Code.MarshallingError);
  });

  it('an unknown op answers Unimplemented and closes', () => {
    const h = new Harness();
    h.connect(1);
    const payload = new Uint8Array([0, 0, 0, 3, 0, 0, 0x03, 0xe7]);
    const frame = new Uint8Array(4 + payload.length);
    new DataView(frame.buffer).setInt32(0, payload.length);
    frame.set(payload, 4);
    h.step({ kind: 'connection.data', connection: 1, bytes: frame });
    expect(h.reply(1, 3).header.err).toBe(Code.Unimplemented);
    expect(h.closed.has(1)).toBe(true);
  });

  it('frames split across many data inputs are reassembled', () => {
    const h = new Harness();
    const client = h.open(1);
    const bytes = client.connectFrame();
    for (const b of bytes) h.step({ kind: 'connection.data', connection: 1, bytes: new Uint8Array([b]) });
    expect(h.session(1).sessionId).not.toBe(0n);
  });
});

describe('connection limits', () => {
  it('maxClientCnxns caps connections per remote host', () => {
    const h = new Harness({ maxClientCnxns: 2 });
    h.open(1, '10.1.1.1:1');
    h.open(2, '10.1.1.1:2');
    h.open(3, '10.1.1.1:3');
    h.open(4, '10.1.1.2:4');
    expect([...h.closed]).toEqual([3]);
    expect(h.server.openConnections).toBe(3);
  });
});

describe('requests held while the session is created', () => {
  it('requests sent right after ConnectRequest are answered after the ConnectResponse', () => {
    const h = new Harness();
    h.autoDurable = false;
    const client = h.open(1);
    const connect = client.connectFrame();
    const ping = client.frame({ op: OpCode.ping });
    const exists = client.frame({ op: OpCode.exists, path: '/', watch: false });
    const all = new Uint8Array([...connect, ...ping.bytes, ...exists.bytes]);
    h.step({ kind: 'connection.data', connection: 1, bytes: all });
    expect(h.received(1)).toHaveLength(0);
    h.durable();
    expect(h.received(1).map((r) => (r.kind === 'reply' ? r.header.xid : r.kind))).toEqual(['connect', Xid.PING, exists.xid]);
  });
});

describe('auth and ACL', () => {
  it('super digest bypasses ACLs; watch events respect READ permission', () => {
    const superDigest = 'super:D/InIHSb7yEEbrWz8b9l71RjZJU=';
    const h = new Harness({ superDigest });
    h.connect(1);
    h.send(1, { op: OpCode.auth, type: 0, scheme: 'digest', auth: enc.encode('alice:pw') });
    const create = h.send(1, {
      op: OpCode.create,
      path: '/secret',
      data: new Uint8Array(),
      acl: [{ perms: 31, id: { scheme: 'auth', id: '' } }],
      flags: 0,
    });
    expect(h.reply(1, create).header.err).toBe(0);
    h.connect(2);
    const denied = h.send(2, { op: OpCode.getData, path: '/secret', watch: false });
    expect(h.reply(2, denied).header.err).toBe(Code.NoAuth);
    h.connect(3);
    h.send(3, { op: OpCode.auth, type: 0, scheme: 'digest', auth: enc.encode('super:test') }); // digests to superDigest
    const allowed = h.send(3, { op: OpCode.getData, path: '/secret', watch: true });
    expect(h.reply(3, allowed).header.err).toBe(0);
    // A persistent-recursive watcher without READ on /secret is not told about it.
    h.send(2, { op: OpCode.addWatch, path: '/', mode: 1 });
    h.send(1, { op: OpCode.setData, path: '/secret', data: enc.encode('v'), version: -1 });
    expect(h.received(3).filter((r) => r.kind === 'notification')).toHaveLength(1);
    expect(h.received(2).filter((r) => r.kind === 'notification')).toHaveLength(0);
  });
});
