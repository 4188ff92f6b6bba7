import { describe, it, expect } from 'vitest';
import { OpCode, Xid } from '../jute/opcodes';
import { Code } from './errors';
import { AddWatchMode, CreateMode, EventType, OPEN_ACL_UNSAFE, WatcherType } from './types';
import { Harness } from './server/test-harness';
import type { Received } from './server/test-client';

const enc = new TextEncoder();
const dec = new TextDecoder();

function create(h: Harness, conn: number, path: string, data = '', flags = CreateMode.PERSISTENT): number {
  return h.send(conn, { op: OpCode.create, path, data: enc.encode(data), acl: [...OPEN_ACL_UNSAFE], flags });
}

function kinds(received: Received[]): string[] {
  return received.map((r) => {
    if (r.kind === 'connect') return 'connect';
    if (r.kind === 'notification') return `event:${EventType[r.event.type]}:${r.event.path}`;
    return `reply:${r.header.xid}:${r.header.err}`;
  });
}

describe('connect and basic ops', () => {
  it('creates a session through a createSession txn at zxid 0x1 and negotiates the timeout', () => {
    const h = new Harness({ tickTimeMs: 2000 });
    h.connect(1, { timeoutMs: 1000 });
    const s = h.session(1);
    expect(s.timeoutMs).toBe(4000); // clamped to 2 * tickTime
    expect(s.sessionId).not.toBe(0n);
    expect(s.passwd).toHaveLength(16);
    expect(h.server.lastProcessedZxid).toBe(1n);
    expect(h.tracesOf('session.created')).toHaveLength(1);
    expect(h.log).toHaveLength(1);
  });

  it('create, getData, setData, delete reply with the txn zxid and the right bodies', () => {
    const h = new Harness();
    h.connect(1);
    const c = create(h, 1, '/a', 'hello');
    expect(h.reply(1, c).header).toEqual({ xid: c, zxid: 2n, err: 0 });
    expect(h.reply(1, c).response).toEqual({ path: '/a' });
    const g = h.send(1, { op: OpCode.getData, path: '/a', watch: false });
    const got = h.reply(1, g).response as { data: Uint8Array; stat: { version: number; czxid: bigint } };
    expect(dec.decode(got.data)).toBe('hello');
    expect(got.stat.czxid).toBe(2n);
    expect(h.reply(1, g).header.zxid).toBe(2n);
    const s = h.send(1, { op: OpCode.setData, path: '/a', data: enc.encode('x'), version: 0 });
    expect((h.reply(1, s).response as { stat: { version: number } }).stat.version).toBe(1);
    const bad = h.send(1, { op: OpCode.setData, path: '/a', data: enc.encode('y'), version: 0 });
    expect(h.reply(1, bad).header.err).toBe(Code.BadVersion);
    const d = h.send(1, { op: OpCode.delete, path: '/a', version: -1 });
    expect(h.reply(1, d).header.err).toBe(0);
    const g2 = h.send(1, { op: OpCode.getData, path: '/a', watch: false });
    expect(h.reply(1, g2).header.err).toBe(Code.NoNode);
  });

  it('create2 answers path and stat; getChildren2 lists children', () => {
    const h = new Harness();
    h.connect(1);
    const c = h.send(1, { op: OpCode.create2, path: '/b', data: new Uint8Array(), acl: [...OPEN_ACL_UNSAFE], flags: 0 });
    const r = h.reply(1, c).response as { path: string; stat: { czxid: bigint } };
    expect(r.path).toBe('/b');
    expect(r.stat.czxid).toBe(2n);
    create(h, 1, '/b/x');
    const g = h.send(1, { op: OpCode.getChildren2, path: '/b', watch: false });
    expect((h.reply(1, g).response as { children: string[] }).children).toEqual(['x']);
  });

  it('ping answers xid -2 with the last zxid', () => {
    const h = new Harness();
    h.connect(1);
    h.send(1, { op: OpCode.ping });
    const r = h.reply(1, Xid.PING);
    expect(r.header).toEqual({ xid: -2, zxid: 1n, err: 0 });
  });

  it('multi answers per-op results and applies nothing when one op fails', () => {
    const h = new Harness();
    h.connect(1);
    const ok = h.send(1, {
      op: OpCode.multi,
      ops: [
        { op: OpCode.create, path: '/m', data: new Uint8Array(), acl: [...OPEN_ACL_UNSAFE], flags: 0 },
        { op: OpCode.setData, path: '/m', data: enc.encode('v'), version: 0 },
      ],
    });
    const results = (h.reply(1, ok).response as { results: Array<{ op: number }> }).results;
    expect(results.map((r) => r.op)).toEqual([OpCode.create, OpCode.setData]);
    const bad = h.send(1, {
      op: OpCode.multi,
      ops: [
        { op: OpCode.create, path: '/n', data: new Uint8Array(), acl: [...OPEN_ACL_UNSAFE], flags: 0 },
        { op: OpCode.delete, path: '/nope', version: -1 },
      ],
    });
    const failed = h.reply(1, bad);
    expect(failed.header.err).toBe(0);
    expect((failed.response as { results: Array<{ op: number; err?: number }> }).results).toEqual([
      { op: OpCode.error, err: 0 },
      { op: OpCode.error, err: Code.NoNode },
    ]);
    expect(h.server.tree.exists('/n')).toBe(false);
  });

  it('whoAmI reports the ip id and digest ids added by auth', () => {
    const h = new Harness();
    h.connect(1, {}, '127.0.0.1:4000');
    h.send(1, { op: OpCode.auth, type: 0, scheme: 'digest', auth: enc.encode('bob:secret') });
    expect(h.reply(1, Xid.AUTH).header.err).toBe(0);
    const w = h.send(1, { op: OpCode.whoAmI });
    expect((h.reply(1, w).response as { clientInfo: unknown[] }).clientInfo).toEqual([
      { authScheme: 'ip', user: '127.0.0.1' },
      { authScheme: 'digest', user: 'bob' },
    ]);
  });

  it('auth with an unknown scheme answers AuthFailed and closes', () => {
    const h = new Harness();
    h.connect(1);
    h.send(1, { op: OpCode.auth, type: 0, scheme: 'kerberos', auth: enc.encode('x') });
    expect(h.reply(1, Xid.AUTH).header.err).toBe(Code.AuthFailed);
    expect(h.closed.has(1)).toBe(true);
  });
});

describe('watches', () => {
  it('a data watch fires once, and the event precedes the reply of the write that fired it', () => {
    const h = new Harness();
    h.connect(1);
    create(h, 1, '/w', 'a');
    h.send(1, { op: OpCode.getData, path: '/w', watch: true });
    const before = h.received(1).length;
    const s1 = h.send(1, { op: OpCode.setData, path: '/w', data: enc.encode('b'), version: -1 });
    expect(kinds(h.received(1).slice(before))).toEqual(['event:NodeDataChanged:/w', `reply:${s1}:0`]);
    const n = h.received(1)[before];
    expect(n?.kind === 'notification' && n.zxid).toBe(h.reply(1, s1).header.zxid);
    const after = h.received(1).length;
    h.send(1, { op: OpCode.setData, path: '/w', data: enc.encode('c'), version: -1 });
    expect(h.received(1).slice(after).filter((r) => r.kind === 'notification')).toHaveLength(0);
  });

  it('exists on a missing node watches its creation; child watches see creation and deletion', () => {
    const h = new Harness();
    h.connect(1);
    h.connect(2);
    const e = h.send(2, { op: OpCode.exists, path: '/p', watch: true });
    expect(h.reply(2, e).header.err).toBe(Code.NoNode);
    h.send(2, { op: OpCode.getChildren, path: '/', watch: true });
    create(h, 1, '/p');
    const events = h.received(2).filter((r) => r.kind === 'notification');
    expect(kinds(events)).toEqual(['event:NodeCreated:/p', 'event:NodeChildrenChanged:/']);
  });

  it('persistent recursive watches fire for descendants and stay', () => {
    const h = new Harness();
    h.connect(1);
    h.connect(2);
    create(h, 1, '/r');
    const a = h.send(2, { op: OpCode.addWatch, path: '/r', mode: AddWatchMode.PERSISTENT_RECURSIVE });
    expect(h.reply(2, a).header.err).toBe(0);
    create(h, 1, '/r/x');
    h.send(1, { op: OpCode.setData, path: '/r/x', data: enc.encode('1'), version: -1 });
    h.send(1, { op: OpCode.delete, path: '/r/x', version: -1 });
    expect(kinds(h.received(2).filter((r) => r.kind === 'notification'))).toEqual([
      'event:NodeCreated:/r/x',
      'event:NodeDataChanged:/r/x',
      'event:NodeDeleted:/r/x',
    ]);
  });

  it('persistent watches see their own node and its children list', () => {
    const h = new Harness();
    h.connect(1);
    create(h, 1, '/q');
    h.send(1, { op: OpCode.addWatch, path: '/q', mode: AddWatchMode.PERSISTENT });
    create(h, 1, '/q/1');
    create(h, 1, '/q/2');
    h.send(1, { op: OpCode.setData, path: '/q', data: enc.encode('z'), version: -1 });
    expect(kinds(h.received(1).filter((r) => r.kind === 'notification'))).toEqual([
      'event:NodeChildrenChanged:/q',
      'event:NodeChildrenChanged:/q',
      'event:NodeDataChanged:/q',
    ]);
  });

  it('removeWatches answers NoWatcher when there is none, and removes one that exists', () => {
    const h = new Harness();
    h.connect(1);
    create(h, 1, '/rw');
    const none = h.send(1, { op: OpCode.removeWatches, path: '/rw', type: WatcherType.Data });
    expect(h.reply(1, none).header.err).toBe(Code.NoWatcher);
    const check = h.send(1, { op: OpCode.checkWatches, path: '/rw', type: WatcherType.Any });
    expect(h.reply(1, check).header.err).toBe(Code.NoWatcher);
    h.send(1, { op: OpCode.getData, path: '/rw', watch: true });
    const check2 = h.send(1, { op: OpCode.checkWatches, path: '/rw', type: WatcherType.Data });
    expect(h.reply(1, check2).header.err).toBe(0);
    const rm = h.send(1, { op: OpCode.removeWatches, path: '/rw', type: WatcherType.Data });
    expect(h.reply(1, rm).header.err).toBe(0);
    h.send(1, { op: OpCode.setData, path: '/rw', data: enc.encode('q'), version: -1 });
    expect(h.received(1).filter((r) => r.kind === 'notification')).toHaveLength(0);
  });

  it('SetWatches on reconnect delivers the events missed while away, before its reply', () => {
    const h = new Harness();
    h.connect(1);
    create(h, 1, '/sw', 'v0');
    create(h, 1, '/gone');
    const seen = h.server.lastProcessedZxid;
    const { sessionId, passwd } = h.session(1);
    h.step({ kind: 'connection.close', connection: 1 });
    h.connect(2);
    h.send(2, { op: OpCode.setData, path: '/sw', data: enc.encode('v1'), version: -1 });
    h.send(2, { op: OpCode.delete, path: '/gone', version: -1 });
    h.connect(3, { sessionId, passwd, lastZxidSeen: seen });
    expect(h.session(3).sessionId).toBe(sessionId);
    h.send(3, {
      op: OpCode.setWatches2,
      relativeZxid: seen,
      dataWatches: ['/sw', '/gone'],
      existWatches: ['/later'],
      childWatches: ['/'],
      persistentWatches: [],
      persistentRecursiveWatches: [],
    });
    expect(kinds(h.received(3).slice(1))).toEqual([
      'event:NodeDataChanged:/sw',
      'event:NodeDeleted:/gone',
      'event:NodeChildrenChanged:/',
      `reply:${Xid.SET_WATCHES}:0`,
    ]);
    create(h, 2, '/later');
    expect(kinds(h.received(3).slice(5))).toEqual(['event:NodeCreated:/later']);
  });

  it('wchs/wchc/wchp report the data watches', () => {
    const h = new Harness();
    h.connect(1);
    create(h, 1, '/x');
    h.send(1, { op: OpCode.getData, path: '/x', watch: true });
    const text = fourLetter(h, 9, 'wchs');
    expect(text).toBe('1 connections watching 1 paths\nTotal watches:1\n');
    expect(fourLetter(h, 10, 'wchp')).toMatch(/^\/x\n\t0x[0-9a-f]+\n\n$/);
  });
});

function fourLetter(h: Harness, conn: number, word: string): string {
  h.step({ kind: 'connection.open', connection: conn, remoteAddress: '127.0.0.1:7000' });
  h.step({ kind: 'connection.data', connection: conn, bytes: enc.encode(word) });
  expect(h.closed.has(conn)).toBe(true);
  return (h.rawSent.get(conn) ?? []).map((b) => dec.decode(b)).join('');
}

export { fourLetter, create, kinds };
