import { describe, expect, it } from 'vitest';
import { Code } from '../errors';
import { OpCode } from '../../jute/opcodes';
import { bytes, Harness, OPEN, READ_ONLY } from './test-harness';
import type { WriteRequest } from './requests';
import { prep } from './prep';

const create = (path: string, flags = 0, acl = OPEN): WriteRequest => ({ op: OpCode.create, path, data: bytes('d'), acl, flags });
const errOf = (h: Harness, req: WriteRequest): Code => {
  const { prepped } = h.prepare(req);
  return prepped.ok ? Code.OK : prepped.err;
};

describe('prep: error codes and their order', () => {
  it('create', () => {
    const h = new Harness();
    h.create('/ro', 'x', 0, READ_ONLY);
    h.create('/e', 'x', 1);
    expect(errOf(h, create('/a', 9))).toBe(Code.BadArguments); // invalid flag
    expect(errOf(h, create('a'))).toBe(Code.BadArguments);
    expect(errOf(h, create('/x/\u0000'))).toBe(Code.BadArguments);
    expect(errOf(h, create('/nope/a/'))).toBe(Code.NoNode); // parent checked before full validation
    expect(errOf(h, create('/ro/'))).toBe(Code.NoAuth); // parent ACL before full path validation too
    expect(errOf(h, create('/e/'))).toBe(Code.BadArguments); // full validation before ephemeral-parent check
    expect(errOf(h, create('/ro/a', 0, []))).toBe(Code.InvalidACL); // ACL list before parent ACL
    expect(errOf(h, create('/ro/a'))).toBe(Code.NoAuth);
    expect(errOf(h, create('/ro'))).toBe(Code.NodeExists);
    expect(errOf(h, create('/e/c'))).toBe(Code.NoChildrenForEphemerals);
    expect(errOf(h, create('/'))).toBe(Code.NodeExists);
  });

  it('TTL and container creates', () => {
    const off = new Harness();
    const ttlReq = (ttl: bigint, flags = 5): WriteRequest => ({ op: OpCode.createTTL, path: '/t', data: bytes(''), acl: OPEN, flags, ttl });
    expect(errOf(off, ttlReq(100n))).toBe(Code.Unimplemented);
    const on = new Harness(0x10n, { extendedTypesEnabled: true });
    expect(errOf(on, ttlReq(0n))).toBe(Code.BadArguments);
    expect(errOf(on, ttlReq(1n << 41n))).toBe(Code.BadArguments);
    expect(errOf(on, ttlReq(100n, 0))).toBe(Code.BadArguments); // ttl with a non-TTL mode
    const r = on.write(ttlReq(100n, 6));
    expect(r.err).toBe(Code.OK);
    expect(r.path).toBe('/t0000000000');
    expect(on.tree.ttls()).toEqual(['/t0000000000']);
  });

  it('delete, setData, setACL, check', () => {
    const h = new Harness();
    h.create('/a');
    h.create('/a/b');
    h.create('/ro', 'x', 0, READ_ONLY);
    h.create('/ro/c');
    expect(errOf(h, { op: OpCode.delete, path: 'a', version: -1 })).toBe(Code.BadArguments);
    expect(errOf(h, { op: OpCode.delete, path: '/', version: -1 })).toBe(Code.BadArguments);
    expect(errOf(h, { op: OpCode.delete, path: '/zookeeper/config', version: -1 })).toBe(Code.BadArguments);
    expect(errOf(h, { op: OpCode.delete, path: '/x/y', version: -1 })).toBe(Code.NoNode);
    expect(errOf(h, { op: OpCode.delete, path: '/ro/c', version: -1 })).toBe(Code.NoAuth);
    expect(errOf(h, { op: OpCode.delete, path: '/a/b', version: 3 })).toBe(Code.BadVersion);
    expect(errOf(h, { op: OpCode.delete, path: '/a', version: 3 })).toBe(Code.BadVersion); // version before NotEmpty
    expect(errOf(h, { op: OpCode.delete, path: '/a', version: 0 })).toBe(Code.NotEmpty);
    expect(errOf(h, { op: OpCode.setData, path: '/a/', data: bytes(''), version: -1 })).toBe(Code.BadArguments);
    expect(errOf(h, { op: OpCode.setData, path: '/ro', data: bytes(''), version: 7 })).toBe(Code.NoAuth);
    expect(errOf(h, { op: OpCode.setACL, path: '/a', acl: [], version: -1 })).toBe(Code.InvalidACL);
    expect(errOf(h, { op: OpCode.setACL, path: '/nope', acl: [], version: -1 })).toBe(Code.InvalidACL); // ACL list first
    expect(errOf(h, { op: OpCode.setACL, path: '/ro', acl: OPEN, version: -1 })).toBe(Code.NoAuth);
    expect(errOf(h, { op: OpCode.setACL, path: '/a', acl: OPEN, version: 2 })).toBe(Code.BadVersion);
    expect(errOf(h, { op: OpCode.check, path: '/a', version: 2 })).toBe(Code.BadVersion);
    expect(errOf(h, { op: OpCode.check, path: '/nope', version: 2 })).toBe(Code.NoNode);
    h.write({ op: OpCode.setACL, path: '/a', acl: [{ perms: 2, id: { scheme: 'world', id: 'anyone' } }], version: -1 });
    expect(errOf(h, { op: OpCode.check, path: '/a', version: -1 })).toBe(Code.NoAuth); // check needs READ
    h.authIds.push({ scheme: 'super', id: '' });
    expect(errOf(h, { op: OpCode.check, path: '/a', version: -1 })).toBe(Code.OK);
  });

  it("session checks come from the server", () => {
    const h = new Harness();
    const calls: string[] = [];
    const check = (code: Code) => (_sid: bigint, kind: string): Code => (calls.push(kind), code);
    const base = { tree: h.tree, changes: h.changes, sessionId: 1n, authIds: [], zxid: 9n, nowMs: 1 };
    expect(prep({ ...base, checkSession: check(Code.SessionExpired) }, create("/a", 1))).toMatchObject({ ok: false, err: Code.SessionExpired });
    expect(prep({ ...base, checkSession: check(Code.SessionMoved) }, create("/a"))).toMatchObject({ ok: false, err: Code.SessionMoved });
    expect(calls).toEqual(["global", "any"]);
  });

  it('failed requests yield an ErrorTxn that applies as that error', () => {
    const h = new Harness();
    const { prepped, txn } = h.prepare(create('/x/y'));
    expect(prepped).toMatchObject({ ok: false, err: Code.NoNode, headerType: OpCode.error, txn: { type: OpCode.error, err: Code.NoNode } });
    expect(h.commit(txn)).toMatchObject({ err: Code.NoNode, type: OpCode.error, triggers: [] });
  });
});

describe('prep: outstanding changes overlay', () => {
  it('sees in-flight creates, deletes and sequence numbers', () => {
    const h = new Harness();
    h.create('/a');
    const first = h.prepare(create('/a/x'));
    expect(errOf(h, create('/a/x'))).toBe(Code.NodeExists);
    const s1 = h.prepare(create('/a/s-', 2));
    const s2 = h.prepare(create('/a/s-', 2));
    expect(s1.txn.body).toMatchObject({ path: '/a/s-0000000001', parentCVersion: 2 });
    expect(s2.txn.body).toMatchObject({ path: '/a/s-0000000002', parentCVersion: 3 });
    expect(errOf(h, { op: OpCode.delete, path: '/a', version: -1 })).toBe(Code.NotEmpty);
    const child = h.prepare(create('/a/x/child'));
    expect(child.prepped.ok).toBe(true);
    const del = h.prepare({ op: OpCode.delete, path: '/a/x/child', version: -1 });
    expect(del.prepped.ok).toBe(true);
    expect(errOf(h, { op: OpCode.setData, path: '/a/x/child', data: bytes(''), version: -1 })).toBe(Code.NoNode);
    for (const p of [first, s1, s2, child, del]) expect(h.commit(p.txn).err).toBe(Code.OK);
    expect(h.changes.size).toBe(0);
    expect(h.tree.getChildren('/a')?.children.sort()).toEqual(['s-0000000001', 's-0000000002', 'x']);
  });

  it('in-flight setData bumps the version prep checks against', () => {
    const h = new Harness();
    h.create('/a');
    h.prepare({ op: OpCode.setData, path: '/a', data: bytes('1'), version: 0 });
    expect(errOf(h, { op: OpCode.setData, path: '/a', data: bytes('2'), version: 0 })).toBe(Code.BadVersion);
    expect(errOf(h, { op: OpCode.setData, path: '/a', data: bytes('2'), version: 1 })).toBe(Code.OK);
  });

  it('a failed multi rolls back its records and restores earlier in-flight ones', () => {
    const h = new Harness();
    h.create('/a');
    const before = h.prepare(create('/a/s-', 2)); // in flight: /a cversion 1
    const failed = h.prepare({
      op: OpCode.multi,
      ops: [{ op: OpCode.create, path: '/a/s-', data: bytes(''), acl: OPEN, flags: 2 }, { op: OpCode.delete, path: '/none', version: -1 }],
    });
    expect(failed.txn.body).toMatchObject({ type: OpCode.multi, txns: [{ type: OpCode.create }, { type: OpCode.error, err: Code.NoNode }] });
    const after = h.prepare(create('/a/s-', 2));
    expect(after.txn.body).toMatchObject({ path: '/a/s-0000000001' });
    const multiResult = h.commit(before.txn) && h.commit(failed.txn);
    expect(multiResult.multi?.map((m) => [m.type, m.err])).toEqual([[OpCode.error, Code.OK], [OpCode.error, Code.NoNode]]);
    expect(multiResult.triggers).toEqual([]);
    expect(h.commit(after.txn).path).toBe('/a/s-0000000001');
  });

  it('closeSession covers in-flight ephemerals and skips in-flight deletes', () => {
    const h = new Harness(0x42n);
    h.create('/e1', 'x', 1);
    h.create('/e2', 'x', 1);
    h.create('/other', 'x', 1);
    h.write(create('/foreign', 1), 0x43n);
    const pendingCreate = h.prepare(create('/e3', 1));
    const pendingDelete = h.prepare({ op: OpCode.delete, path: '/e2', version: -1 });
    const close = h.prepare({ op: OpCode.closeSession });
    expect(close.txn.body.type).toBe(OpCode.closeSession);
    const paths = (close.txn.body as { paths2Delete: string[] }).paths2Delete;
    expect([...paths].sort()).toEqual(['/e1', '/e3', '/other']);
    h.commit(pendingCreate.txn);
    h.commit(pendingDelete.txn);
    const result = h.commit(close.txn);
    expect([...(result.deletedEphemerals ?? [])].sort()).toEqual(['/e1', '/e3', '/other']);
    expect(h.tree.exists('/foreign')).toBe(true);
    expect(h.tree.getEphemerals(0x42n)).toEqual([]);
  });

  it('deleteContainer refuses session ephemerals and non-empty nodes, needs no ACL', () => {
    const h = new Harness();
    h.write({ op: OpCode.createContainer, path: '/c', data: bytes(''), acl: READ_ONLY, flags: 4 });
    h.create('/e', 'x', 1);
    expect(errOf(h, { op: OpCode.deleteContainer, path: '/e' })).toBe(Code.BadVersion);
    h.authIds = [];
    h.write({ op: OpCode.createContainer, path: '/c2', data: bytes(''), acl: OPEN, flags: 4 });
    h.create('/c2/x');
    expect(errOf(h, { op: OpCode.deleteContainer, path: '/c2' })).toBe(Code.NotEmpty);
    expect(errOf(h, { op: OpCode.deleteContainer, path: '/zookeeper' })).toBe(Code.BadArguments);
    expect(h.write({ op: OpCode.deleteContainer, path: '/c' }).err).toBe(Code.OK);
  });
});

describe('prep: quotas', () => {
  function withQuota(limits: string, enforce = true): Harness {
    const h = new Harness();
    h.enforceQuota = enforce;
    h.create('/q', '');
    h.create('/zookeeper/quota/q', '');
    h.create('/zookeeper/quota/q/zookeeper_limits', limits);
    h.create('/zookeeper/quota/q/zookeeper_stats', 'count=0,bytes=0');
    return h;
  }
  it('soft limits only warn', () => {
    const h = withQuota('count=1,bytes=-1');
    const { prepped } = h.prepare(create('/q/a'));
    expect(prepped.ok).toBe(true);
    expect(prepped.quotaWarnings).toEqual(['Quota exceeded: /q [current count=2, softCountLimit=1]']);
  });
  it('hard limits reject, bytes too', () => {
    const h = withQuota('count=-1,bytes=-1=;byteHardLimit=3');
    expect(errOf(h, { op: OpCode.setData, path: '/q', data: bytes('1234'), version: -1 })).toBe(Code.QuotaExceeded);
    expect(errOf(h, { op: OpCode.setData, path: '/q', data: bytes('123'), version: -1 })).toBe(Code.OK);
  });
  it('nothing without enforceQuota (Apache default)', () => {
    const h = withQuota('count=-1,bytes=-1=;countHardLimit=1', false);
    const { prepped } = h.prepare(create('/q/a'));
    expect(prepped).toMatchObject({ ok: true, quotaWarnings: [] });
  });
});
