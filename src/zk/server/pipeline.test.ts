import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { OpCode } from '../../jute/opcodes';
import { Code } from '../errors';
import { CreateMode, OPEN_ACL_UNSAFE } from '../types';
import { serializeTree } from '../datatree';
import { Harness } from './test-harness';
import { decodeServerSnapshot } from './snapshot';

const enc = new TextEncoder();
const dec = new TextDecoder();

function create(h: Harness, conn: number, path: string, data = '', flags = 0): number {
  return h.send(conn, { op: OpCode.create, path, data: enc.encode(data), acl: [...OPEN_ACL_UNSAFE], flags });
}

describe('group commit', () => {
  it('txns arriving while a batch is in flight go out together as the next batch; no reply before durable', () => {
    const h = new Harness();
    h.connect(1);
    h.connect(2);
    h.autoDurable = false;
    const first = create(h, 1, '/g1');
    const others = [create(h, 1, '/g2'), create(h, 2, '/g3'), create(h, 1, '/g4')];
    expect(h.appends.slice(-1)[0]?.entries).toHaveLength(1); // only /g1 so far
    expect(h.pendingBatches).toHaveLength(1);
    expect(h.received(1).filter((r) => r.kind === 'reply')).toHaveLength(0);
    h.durable();
    expect(h.reply(1, first).header.err).toBe(0);
    expect(h.appends.slice(-1)[0]?.entries.map((e) => e.zxid)).toEqual([4n, 5n, 6n]);
    expect(() => h.reply(1, others[0]!)).toThrow();
    h.durable();
    expect(h.reply(1, others[0]!).header.zxid).toBe(4n);
    expect(h.reply(2, others[1]!).header.zxid).toBe(5n);
    expect(h.reply(1, others[2]!).header.zxid).toBe(6n);
  });

  it('caps batch size', () => {
    const h = new Harness({}, { serverOptions: { maxBatchSize: 2 } });
    h.connect(1);
    h.autoDurable = false;
    for (let i = 0; i < 5; i++) create(h, 1, `/b${i}`);
    h.durable();
    expect(h.appends.slice(-1)[0]?.entries).toHaveLength(2);
    h.durable();
    h.durable();
    expect(h.appends.map((a) => a.entries.length)).toEqual([1, 1, 2, 2]);
  });

  it('ignores durable for an unknown batch', () => {
    const h = new Harness();
    h.step({ kind: 'storage.durable', batchId: 999 });
    expect(h.tracesOf('warn')).toHaveLength(1);
  });
});

describe('per-connection FIFO', () => {
  it("a read waits behind the same connection's write and sees it; other connections do not wait", () => {
    const h = new Harness();
    h.connect(1);
    h.connect(2);
    h.autoDurable = false;
    const c = create(h, 1, '/rw', 'mine');
    const mine = h.send(1, { op: OpCode.getData, path: '/rw', watch: false });
    const theirs = h.send(2, { op: OpCode.getData, path: '/rw', watch: false });
    expect(h.reply(2, theirs).header.err).toBe(Code.NoNode);
    expect(() => h.reply(1, mine)).toThrow();
    h.durable();
    const order = h.received(1).filter((r) => r.kind === 'reply').map((r) => r.kind === 'reply' && r.header.xid);
    expect(order).toEqual([c, mine]);
    expect(dec.decode((h.reply(1, mine).response as { data: Uint8Array }).data)).toBe('mine');
  });

  it('errors of writes keep their place in the FIFO and consume a zxid, as Apache logs error txns', () => {
    const h = new Harness();
    h.connect(1);
    const bad = h.send(1, { op: OpCode.delete, path: '/missing', version: -1 });
    expect(h.reply(1, bad).header).toEqual({ xid: bad, zxid: 2n, err: Code.NoNode });
    const invalid = create(h, 1, 'no-slash');
    expect(h.reply(1, invalid).header.err).toBe(Code.BadArguments);
  });
});

describe('snapshots and recovery', () => {
  it('snapshots every ~snapCount txns and recovers the same tree and sessions from snapshot + log', () => {
    const h = new Harness({ snapCount: 10 });
    h.connect(1);
    h.connect(2);
    create(h, 2, '/eph', 'e', CreateMode.EPHEMERAL);
    for (let i = 0; i < 25; i++) create(h, 1, `/n${i}`, `v${i}`);
    h.send(1, { op: OpCode.setData, path: '/n3', data: enc.encode('changed'), version: -1 });
    h.send(1, { op: OpCode.delete, path: '/n4', version: -1 });
    expect(h.snapshots.length).toBeGreaterThanOrEqual(2);
    expect(h.tracesOf('snapshot')).toHaveLength(h.snapshots.length);
    const last = h.snapshots[h.snapshots.length - 1]!;
    expect(decodeServerSnapshot(last.bytes).zxid).toBe(last.zxid);

    const restored = new Harness({ snapCount: 10 }, { recovered: { snapshot: last.bytes, log: h.log }, startMs: 5_000_000 });
    expect(restored.server.lastProcessedZxid).toBe(h.server.lastProcessedZxid);
    expect(serializeTree(restored.server.tree)).toEqual(serializeTree(h.server.tree));
    const ids = (x: Harness) => x.server.sessions.all().map((s) => [s.sessionId, s.timeoutMs]);
    expect(ids(restored)).toEqual(ids(h));
    restored.clock(0);
    expect(restored.tracesOf('recovered')).toEqual([
      expect.objectContaining({ zxid: h.server.lastProcessedZxid, txnsReplayed: h.log.filter((e) => e.zxid > last.zxid).length }),
    ]);
    // The old session can come back with its password; new zxids continue after the old ones.
    const { sessionId, passwd } = h.session(2);
    restored.connect(7, { sessionId, passwd, lastZxidSeen: h.server.lastProcessedZxid });
    expect(restored.session(7).sessionId).toBe(sessionId);
    const c = create(restored, 7, '/after');
    expect(restored.reply(7, c).header.zxid).toBe(h.server.lastProcessedZxid + 1n);
  });

  it('recovers from the log alone', () => {
    const h = new Harness();
    h.connect(1);
    create(h, 1, '/a', 'x');
    const restored = new Harness({}, { recovered: { snapshot: null, log: h.log } });
    expect(serializeTree(restored.server.tree)).toEqual(serializeTree(h.server.tree));
    expect(restored.server.sessions.size()).toBe(1);
  });

  it('a closed session stays closed after replay, and its ephemerals are gone', () => {
    const h = new Harness();
    h.connect(1);
    create(h, 1, '/e', '', CreateMode.EPHEMERAL);
    h.send(1, { op: OpCode.closeSession });
    const restored = new Harness({}, { recovered: { snapshot: null, log: h.log } });
    expect(restored.server.sessions.size()).toBe(0);
    expect(restored.server.tree.exists('/e')).toBe(false);
  });
});

describe('container and TTL cleanup', () => {
  it('deletes an emptied container and an expired TTL node on the periodic check', () => {
    const h = new Harness({ extendedTypesEnabled: true }, { serverOptions: { containerCheckIntervalMs: 60_000 } });
    h.connect(1, { timeoutMs: 40_000 });
    h.send(1, { op: OpCode.createContainer, path: '/c', data: new Uint8Array(), acl: [...OPEN_ACL_UNSAFE], flags: CreateMode.CONTAINER });
    create(h, 1, '/c/x');
    h.send(1, { op: OpCode.delete, path: '/c/x', version: -1 });
    const ttl = h.send(1, {
      op: OpCode.createTTL,
      path: '/t',
      data: new Uint8Array(),
      acl: [...OPEN_ACL_UNSAFE],
      flags: CreateMode.PERSISTENT_WITH_TTL,
      ttlMs: 1000n,
    });
    expect(h.reply(1, ttl).header.err).toBe(0);
    h.clock(30_000);
    h.send(1, { op: OpCode.ping });
    expect(h.server.tree.exists('/c')).toBe(true);
    h.clock(30_000);
    expect(h.server.tree.exists('/c')).toBe(false);
    expect(h.server.tree.exists('/t')).toBe(false);
  });
});

describe('robustness', () => {
  it('random bytes after a valid connect never make step throw', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), (chunks) => {
        const h = new Harness({ maxBufferBytes: 4096 });
        h.connect(1);
        for (const bytes of chunks) h.step({ kind: 'connection.data', connection: 1, bytes });
        h.clock(100_000);
        return true;
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('random framed payloads after a valid connect never make step throw', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 8, maxLength: 80 }), { maxLength: 6 }), (payloads) => {
        const h = new Harness();
        h.connect(1);
        for (const p of payloads) {
          const frame = new Uint8Array(4 + p.length);
          new DataView(frame.buffer).setInt32(0, p.length);
          frame.set(p, 4);
          h.step({ kind: 'connection.data', connection: 1, bytes: frame });
        }
        return true;
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  it('random bytes as a first packet never make step throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const h = new Harness();
        h.open(1);
        h.step({ kind: 'connection.data', connection: 1, bytes });
        return true;
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it('inputs for unknown connections are ignored', () => {
    const h = new Harness();
    expect(() => h.step({ kind: 'connection.data', connection: 42, bytes: new Uint8Array([1]) })).not.toThrow();
    expect(() => h.step({ kind: 'connection.close', connection: 42 })).not.toThrow();
  });
});

describe('traces', () => {
  it('reports requests, txns, replies, applied changes and watches', () => {
    const h = new Harness();
    h.connect(1);
    h.send(1, { op: OpCode.exists, path: '/t', watch: true });
    create(h, 1, '/t');
    const types = new Set(h.traces.map((t) => t.type));
    for (const t of ['request', 'txn', 'reply', 'applied', 'log.append', 'log.durable', 'session.created', 'session.connected', 'watch.set', 'watch.fired']) {
      expect(types.has(t as never)).toBe(true);
    }
    expect(h.traces.every((t) => t.server === 0 && typeof t.atMs === 'number')).toBe(true);
  });
});
