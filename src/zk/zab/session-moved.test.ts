// SessionMoved (Apache SessionTrackerImpl.checkSession with an owner): the leader remembers which
// server each session's client last created or revalidated it through; a request for the session
// that still arrives through another server is rejected, is never applied, and the server it came
// through closes that connection without a reply (FinalRequestProcessor, ZOOKEEPER-710).
import { describe, it, expect } from 'vitest';
import { OpCode } from '../../jute/opcodes';
import { Code } from '../errors';
import { CreateMode, OPEN_ACL_UNSAFE, type ServerId } from '../types';
import { Ensemble } from './test-ensemble';

const enc = new TextEncoder();
const dec = new TextDecoder();

function open(e: Ensemble, server: ServerId, conn: number): { sessionId: bigint; passwd: Uint8Array } {
  e.connect(server, conn);
  e.runUntil(() => e.received(server, conn).length > 0, 5000, 'session');
  const first = e.received(server, conn)[0];
  if (first?.kind !== 'connect' || first.response.timeoutMs === 0) throw new Error(`no session on ${server}/${conn}`);
  return { sessionId: first.response.sessionId, passwd: first.response.passwd };
}

function reconnect(e: Ensemble, server: ServerId, conn: number, s: { sessionId: bigint; passwd: Uint8Array }): void {
  e.connect(server, conn, { sessionId: s.sessionId, passwd: s.passwd, lastZxidSeen: 0n });
  e.runUntil(() => e.received(server, conn).length > 0, 5000, 'reconnect');
  const first = e.received(server, conn)[0];
  expect(first?.kind === 'connect' && first.response.sessionId).toBe(s.sessionId);
}

function setData(data: string): { op: OpCode.setData; path: string; data: Uint8Array; version: number } {
  return { op: OpCode.setData, path: '/x', data: enc.encode(data), version: -1 };
}

function dataAt(e: Ensemble, server: ServerId, path: string): string | null {
  const got = e.peer(server).serverCore.tree.getData(path);
  return got === null ? null : dec.decode(got.data ?? undefined);
}

function writeOk(e: Ensemble, server: ServerId, conn: number, request: Parameters<Ensemble['send']>[2]): void {
  const xid = e.send(server, conn, request);
  e.runUntil(() => e.reply(server, conn, xid) !== undefined, 5000, 'reply');
  expect(e.reply(server, conn, xid)?.header.err).toBe(Code.OK);
}

function ensemble(): { e: Ensemble; leader: ServerId } {
  const e = new Ensemble({ voters: [1, 2, 3] });
  e.start(1, 2, 3);
  const leader = e.stable();
  expect(leader).toBe(3);
  return { e, leader };
}

function movedTxns(e: Ensemble, leader: ServerId): number {
  return e.tracesOf('txn', leader).filter((t) => t.err === Code.SessionMoved).length;
}

describe('SessionMoved', () => {
  it('classic case: the session moves from follower 1 to follower 2, a stale write through 1 races the move and fails', () => {
    const { e, leader } = ensemble();
    const s = open(e, 1, 1);
    writeOk(e, 1, 1, { op: OpCode.create, path: '/x', data: enc.encode('v1'), acl: [...OPEN_ACL_UNSAFE], flags: CreateMode.PERSISTENT });
    // Server 2's REVALIDATE reaches the leader before server 1 forwards the stale write.
    e.queueConnect(2, 2, { sessionId: s.sessionId, passwd: s.passwd });
    const stale = e.queueSend(1, 1, setData('stale'));
    e.drain();
    e.advance(100);
    expect(e.peer(leader).serverCore.sessions.get(s.sessionId)?.owner).toBe(2);
    expect(movedTxns(e, leader)).toBe(1);
    // Never applied anywhere; server 1 drops the connection without a reply.
    for (const id of [1, 2, 3]) expect(dataAt(e, id, '/x')).toBe('v1');
    expect(e.reply(1, 1, stale)).toBeUndefined();
    expect(e.isClosed(1, 1)).toBe(true);
    // The session lives on at its new server.
    expect(e.isClosed(2, 2)).toBe(false);
    writeOk(e, 2, 2, setData('v2'));
    for (const id of [1, 2, 3]) expect(dataAt(e, id, '/x')).toBe('v2');
    expect(e.peer(2).serverCore.sessions.has(s.sessionId)).toBe(true);
  });

  it('a write forwarded before the move is applied; only requests after it fail', () => {
    const { e, leader } = ensemble();
    const s = open(e, 1, 1);
    writeOk(e, 1, 1, { op: OpCode.create, path: '/x', data: enc.encode('v1'), acl: [...OPEN_ACL_UNSAFE], flags: CreateMode.PERSISTENT });
    const early = e.queueSend(1, 1, setData('early'));
    e.queueConnect(2, 2, { sessionId: s.sessionId, passwd: s.passwd });
    e.drain();
    e.advance(100);
    expect(e.reply(1, 1, early)?.header.err).toBe(Code.OK);
    expect(movedTxns(e, leader)).toBe(0);
    for (const id of [1, 2, 3]) expect(dataAt(e, id, '/x')).toBe('early');
  });

  it('the session moves from the leader to a follower: the leader\'s old connection fails writes and reads', () => {
    const { e, leader } = ensemble();
    const s = open(e, leader, 1);
    writeOk(e, leader, 1, { op: OpCode.create, path: '/x', data: enc.encode('v1'), acl: [...OPEN_ACL_UNSAFE], flags: CreateMode.PERSISTENT });
    open(e, leader, 5); // a bystander session on the same server is not affected
    reconnect(e, 1, 2, s);
    expect(e.peer(leader).serverCore.sessions.get(s.sessionId)?.owner).toBe(1);
    const stale = e.send(leader, 1, {
      op: OpCode.multi,
      ops: [{ op: OpCode.setData, path: '/x', data: enc.encode('stale'), version: -1 }],
    });
    e.advance(100);
    expect(e.reply(leader, 1, stale)).toBeUndefined();
    expect(e.isClosed(leader, 1)).toBe(true);
    for (const id of [1, 2, 3]) expect(dataAt(e, id, '/x')).toBe('v1');
    writeOk(e, 1, 2, setData('v2'));
    writeOk(e, leader, 5, { op: OpCode.create, path: '/y', data: new Uint8Array(), acl: [...OPEN_ACL_UNSAFE], flags: CreateMode.PERSISTENT });
  });

  it('a read or ping on the leader from a connection whose session moved closes it (prep checks reads there)', () => {
    const { e, leader } = ensemble();
    const s = open(e, leader, 1);
    reconnect(e, 2, 2, s);
    const read = e.send(leader, 1, { op: OpCode.exists, path: '/', watch: false });
    e.advance(50);
    expect(e.reply(leader, 1, read)).toBeUndefined();
    expect(e.isClosed(leader, 1)).toBe(true);
    // Reads on a follower are local there and never checked (as in Apache).
    const s2 = open(e, 1, 3);
    reconnect(e, 2, 4, s2);
    const local = e.send(1, 3, { op: OpCode.exists, path: '/', watch: false });
    expect(e.reply(1, 3, local)?.header.err).toBe(Code.OK);
  });

  it('the session moves from a follower to the leader and back: each move hands ownership over', () => {
    const { e, leader } = ensemble();
    const s = open(e, 1, 1);
    writeOk(e, 1, 1, { op: OpCode.create, path: '/x', data: enc.encode('v1'), acl: [...OPEN_ACL_UNSAFE], flags: CreateMode.PERSISTENT });
    expect(e.peer(leader).serverCore.sessions.get(s.sessionId)?.owner).toBe(1);
    reconnect(e, leader, 2, s);
    expect(e.peer(leader).serverCore.sessions.get(s.sessionId)?.owner).toBe(leader);
    const stale = e.send(1, 1, setData('stale'));
    e.advance(100);
    expect(e.reply(1, 1, stale)).toBeUndefined();
    expect(e.isClosed(1, 1)).toBe(true);
    expect(dataAt(e, leader, '/x')).toBe('v1');
    writeOk(e, leader, 2, setData('v2'));
    reconnect(e, 1, 3, s);
    writeOk(e, 1, 3, setData('v3'));
    for (const id of [1, 2, 3]) expect(dataAt(e, id, '/x')).toBe('v3');
  });

  it('closeSession is never checked: a session closed through its old server still closes', () => {
    const { e, leader } = ensemble();
    const s = open(e, 1, 1);
    reconnect(e, 2, 2, s);
    e.send(1, 1, { op: OpCode.closeSession });
    e.advance(100);
    expect(movedTxns(e, leader)).toBe(0);
    for (const id of [1, 2, 3]) expect(e.peer(id).serverCore.sessions.has(s.sessionId)).toBe(false);
  });

  it('a new leader starts with no owners: the first server to use a session owns it', () => {
    const { e, leader } = ensemble();
    const s = open(e, 1, 1);
    expect(e.peer(leader).serverCore.sessions.get(s.sessionId)?.owner).toBe(1);
    e.crash(leader);
    const next = e.stable();
    expect(e.peer(next).serverCore.sessions.get(s.sessionId)?.owner ?? null).toBeNull();
    const other = next === 1 ? 2 : 1;
    reconnect(e, other, 7, s);
    expect(e.peer(next).serverCore.sessions.get(s.sessionId)?.owner).toBe(other);
    writeOk(e, other, 7, { op: OpCode.create, path: '/after', data: new Uint8Array(), acl: [...OPEN_ACL_UNSAFE], flags: CreateMode.PERSISTENT });
  });
});
