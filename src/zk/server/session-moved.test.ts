// A standalone server has no other server a session could move to: it never reports SessionMoved,
// whatever owner the session table holds.
import { describe, it, expect } from 'vitest';
import { OpCode } from '../../jute/opcodes';
import { Code } from '../errors';
import { CreateMode, OPEN_ACL_UNSAFE } from '../types';
import { Harness } from './test-harness';

describe('standalone: no SessionMoved', () => {
  it('writes and reads succeed after the session reconnects on another connection, even with a foreign owner recorded', () => {
    const h = new Harness();
    h.connect(1);
    const s = h.session(1);
    const created = h.send(1, { op: OpCode.create, path: '/x', data: new Uint8Array(), acl: [...OPEN_ACL_UNSAFE], flags: CreateMode.PERSISTENT });
    expect(h.reply(1, created).header.err).toBe(Code.OK);
    h.connect(2, { sessionId: s.sessionId, passwd: s.passwd });
    // The table may hold an owner (e.g. after serving as a quorum leader); standalone ignores it.
    h.server.sessions.setOwner(s.sessionId, 42);
    const set = h.send(2, { op: OpCode.setData, path: '/x', data: new Uint8Array([1]), version: -1 });
    expect(h.reply(2, set).header.err).toBe(Code.OK);
    const multi = h.send(2, { op: OpCode.multi, ops: [{ op: OpCode.delete, path: '/x', version: -1 }] });
    expect(h.reply(2, multi).header.err).toBe(Code.OK);
    const read = h.send(2, { op: OpCode.exists, path: '/', watch: false });
    expect(h.reply(2, read).header.err).toBe(Code.OK);
    expect(h.closed.has(2)).toBe(false);
    expect(h.traces.some((t) => t.type === 'reply' && t.err === Code.SessionMoved)).toBe(false);
    expect(h.traces.some((t) => t.type === 'txn' && t.err === Code.SessionMoved)).toBe(false);
  });
});
