import { describe, it, expect } from 'vitest';
import { OpCode } from '../../jute/opcodes';
import { decodeTxn, encodeTxn } from '../../jute/txn-codec';
import { DataTree } from '../datatree';
import { apply } from '../pipeline';
import { encodeServerSnapshot } from '../server/snapshot';
import type { Txn } from '../txn';
import { CreateMode, OPEN_ACL_UNSAFE, makeZxid, type ServerId } from '../types';
import { Ensemble } from './test-ensemble';

const enc = new TextEncoder();
const dec = new TextDecoder();

function create(e: Ensemble, server: ServerId, conn: number, path: string, data = ''): number {
  return e.send(server, conn, { op: OpCode.create, path, data: enc.encode(data), acl: [...OPEN_ACL_UNSAFE], flags: CreateMode.PERSISTENT });
}

function dataAt(e: Ensemble, server: ServerId, path: string): string | null {
  const got = e.peer(server).serverCore.tree.getData(path);
  return got === null ? null : dec.decode(got.data ?? undefined);
}

describe('three servers', () => {
  it('elect the highest id, and a write through a follower commits everywhere', () => {
    const e = new Ensemble({ voters: [1, 2, 3] });
    e.start(1, 2, 3);
    const leader = e.stable();
    expect(leader).toBe(3);
    expect(e.states()).toEqual({ 1: 'FOLLOWING', 2: 'FOLLOWING', 3: 'LEADING' });
    expect(e.peer(1).epochs).toEqual({ accepted: 1, current: 1 });
    e.connect(1, 1);
    e.runUntil(() => e.received(1, 1).length > 0, 5000, 'session');
    expect(e.received(1, 1)[0]?.kind).toBe('connect');
    const xid = create(e, 1, 1, '/a', 'hello');
    e.runUntil(() => e.reply(1, 1, xid) !== undefined, 5000, 'reply');
    expect(e.reply(1, 1, xid)?.header.err).toBe(0);
    e.advance(200);
    for (const id of [1, 2, 3]) expect(dataAt(e, id, '/a')).toBe('hello');
  });
});

function session(e: Ensemble, server: ServerId, conn: number): void {
  e.connect(server, conn);
  e.runUntil(() => e.received(server, conn).length > 0 || e.isClosed(server, conn), 5000, 'session');
  const first = e.received(server, conn)[0];
  if (first?.kind !== 'connect' || first.response.timeoutMs === 0) throw new Error(`no session on ${server}/${conn}`);
}

function write(e: Ensemble, server: ServerId, conn: number, path: string, data = ''): void {
  const xid = create(e, server, conn, path, data);
  e.runUntil(() => e.reply(server, conn, xid) !== undefined, 5000, `reply to create ${path}`);
  expect(e.reply(server, conn, xid)?.header.err).toBe(0);
}

function syncModes(e: Ensemble, learner: ServerId): string[] {
  return e.tracesOf('sync.mode').filter((t) => t.learner === learner).map((t) => t.mode);
}

describe('learner synchronization', () => {
  it('a restarted follower catches up with a DIFF', () => {
    const e = new Ensemble({ voters: [1, 2, 3] });
    e.start(1, 2, 3);
    e.stable();
    session(e, 3, 1);
    write(e, 3, 1, '/before');
    e.crash(1);
    for (let i = 0; i < 5; i++) write(e, 3, 1, `/n${i}`, `v${i}`);
    e.restart(1);
    e.stable();
    expect(syncModes(e, 1).at(-1)).toBe('DIFF');
    for (let i = 0; i < 5; i++) expect(dataAt(e, 1, `/n${i}`)).toBe(`v${i}`);
    expect(e.peer(1).lastProcessedZxid).toBe(e.peer(3).lastProcessedZxid);
  });

  it('a far-behind follower gets a SNAP', () => {
    // Txn-log sync off (Apache's txnLogSyncEnabled false): older than the committed log means SNAP.
    const e = new Ensemble({ voters: [1, 2, 3], quorum: { committedLogCount: 3, snapshotSizeFactor: -1 } });
    e.start(1, 2, 3);
    e.stable();
    session(e, 3, 1);
    e.crash(1);
    for (let i = 0; i < 10; i++) write(e, 3, 1, `/n${i}`, `v${i}`);
    e.restart(1);
    e.stable();
    expect(syncModes(e, 1).at(-1)).toBe('SNAP');
    for (let i = 0; i < 10; i++) expect(dataAt(e, 1, `/n${i}`)).toBe(`v${i}`);
    expect(e.disk(1).snapshot?.zxid).toBe(e.peer(3).lastProcessedZxid);
    // The session made on the leader came over with the snapshot.
    expect(e.peer(1).serverCore.sessions.size()).toBe(1);
  });

  it('a deposed leader with an uncommitted txn is truncated back', () => {
    const e = new Ensemble({ voters: [1, 2, 3] });
    e.start(1, 2, 3);
    expect(e.stable()).toBe(3);
    session(e, 3, 1);
    write(e, 3, 1, '/committed');
    const committed = e.peer(3).lastProcessedZxid;
    e.isolate(3);
    create(e, 3, 1, '/lost'); // logged on 3 only, never committed
    expect(e.disk(3).lastZxid()).toBe(committed + 1n);
    e.runUntil(() => e.leaders().length === 1 && e.leaders()[0] === 2, 10_000, 'new leader 2');
    e.isolate(3, false);
    e.stable();
    expect(syncModes(e, 3).at(-1)).toBe('TRUNC');
    expect(dataAt(e, 3, '/lost')).toBeNull();
    expect(dataAt(e, 3, '/committed')).toBe('');
    expect(e.disk(3).lastZxid()).toBe(committed);
    for (const id of [1, 2]) expect(dataAt(e, id, '/lost')).toBeNull();
  });
});

describe('failures', () => {
  it('after the leader dies a new leader has every committed write and takes new ones', () => {
    const e = new Ensemble({ voters: [1, 2, 3] });
    e.start(1, 2, 3);
    expect(e.stable()).toBe(3);
    session(e, 1, 1);
    for (let i = 0; i < 4; i++) write(e, 1, 1, `/k${i}`, `${i}`);
    e.crash(3);
    const leader = e.stable();
    expect(leader).toBe(2);
    expect(e.peer(2).epochs.current).toBe(2);
    for (const id of [1, 2]) for (let i = 0; i < 4; i++) expect(dataAt(e, id, `/k${i}`)).toBe(`${i}`);
    session(e, 2, 2);
    write(e, 2, 2, '/after');
    e.restart(3);
    e.stable();
    expect(dataAt(e, 3, '/after')).toBe('');
    expect(e.peer(3).lastProcessedZxid >> 32n).toBe(2n);
  });

  it('a minority cannot serve writes and refuses clients', () => {
    const e = new Ensemble({ voters: [1, 2, 3] });
    e.start(1, 2, 3);
    e.stable();
    e.crash(2);
    e.crash(3);
    e.runUntil(() => e.peer(1).state === 'LOOKING', 5000, 'LOOKING');
    e.advance(2000);
    expect(e.peer(1).state).toBe('LOOKING');
    e.connect(1, 7);
    expect(e.isClosed(1, 7)).toBe(true);
    expect(e.received(1, 7)).toEqual([]);
    expect(e.fourLetterWord(1, 'srvr')).toBe('This ZooKeeper instance is not currently serving requests\n');
    expect(e.fourLetterWord(1, 'ruok')).toBe('imok');
  });

  it('a partitioned leader steps down and a write it took never commits', () => {
    const e = new Ensemble({ voters: [1, 2, 3] });
    e.start(1, 2, 3);
    e.stable();
    session(e, 3, 1);
    e.isolate(3);
    const xid = create(e, 3, 1, '/orphan');
    e.runUntil(() => e.peer(3).state === 'LOOKING', 5000, 'old leader LOOKING');
    expect(e.reply(3, 1, xid)).toBeUndefined();
    expect(e.isClosed(3, 1)).toBe(true);
  });
});

describe('seed scenarios', () => {
  it('1: five servers started 1..5 one after another: 3 leads, 4 and 5 follow', () => {
    const e = new Ensemble({ voters: [1, 2, 3, 4, 5] });
    e.start(1);
    e.advance(2000);
    e.start(2);
    e.advance(2000);
    expect(e.states()).toMatchObject({ 1: 'LOOKING', 2: 'LOOKING' });
    e.start(3);
    expect(e.stable()).toBe(3);
    e.start(4);
    e.stable();
    e.start(5);
    expect(e.stable()).toBe(3);
    expect(e.states()).toEqual({ 1: 'FOLLOWING', 2: 'FOLLOWING', 3: 'LEADING', 4: 'FOLLOWING', 5: 'FOLLOWING' });
  });

  it('2: survivors (1,8,1) (1,8,2) (1,7,4) of a five-server ensemble elect server 2', () => {
    const e = new Ensemble({ voters: [1, 2, 3, 4, 5] });
    const history = txnLog(1, 8);
    for (const [id, count] of [[1, 8], [2, 8], [4, 7]] as const) {
      const disk = e.disk(id);
      disk.log = history.slice(0, count);
      disk.meta = { acceptedEpoch: '1', currentEpoch: '1' };
    }
    e.start(1, 2, 4);
    expect(e.stable()).toBe(2);
    expect(e.states()).toMatchObject({ 1: 'FOLLOWING', 2: 'LEADING', 4: 'FOLLOWING' });
    expect(syncModes(e, 4).at(-1)).toBe('DIFF');
    for (const id of [1, 2, 4]) expect(dataAt(e, id, '/s8')).toBe('8');
    expect(e.peer(2).epochs.current).toBe(2);
  });
});

describe('observers and durability', () => {
  it('an observer learns every commit, forwards writes, and never votes', () => {
    const e = new Ensemble({ voters: [1, 2, 3], observers: [4] });
    e.start(1, 2, 3, 4);
    expect(e.stable()).toBe(3);
    expect(e.peer(4).state).toBe('OBSERVING');
    session(e, 4, 1);
    write(e, 4, 1, '/via-observer', 'o');
    e.advance(100);
    for (const id of [1, 2, 3, 4]) expect(dataAt(e, id, '/via-observer')).toBe('o');
    expect(e.tracesOf('ack').some((t) => t.from === 4)).toBe(false);
    expect(e.fourLetterWord(4, 'srvr')).toContain('Mode: observer\n');
    // Two voters gone: the observer cannot make a quorum with the leader.
    e.crash(1);
    e.crash(2);
    e.runUntil(() => e.peer(3).state === 'LOOKING', 5000, 'leader steps down');
    e.advance(3000);
    expect(e.leaders()).toEqual([]);
  });

  it('a follower ACKs a proposal only once its log write is durable', () => {
    const e = new Ensemble({ voters: [1, 2, 3] });
    e.start(1, 2, 3);
    expect(e.stable()).toBe(3);
    session(e, 3, 1);
    e.holdDisk(1);
    e.holdDisk(2);
    const before = e.tracesOf('ack').length;
    const xid = create(e, 3, 1, '/held');
    e.advance(300);
    const acks = e.tracesOf('ack').slice(before);
    expect(acks.map((a) => a.from)).toEqual([3]);
    expect(e.reply(3, 1, xid)).toBeUndefined();
    expect(dataAt(e, 1, '/held')).toBeNull();
    e.holdDisk(1, false);
    e.advance(50);
    expect(e.tracesOf('ack').slice(before).map((a) => a.from)).toEqual([3, 1]);
    expect(e.reply(3, 1, xid)?.header.err).toBe(0);
    expect(dataAt(e, 1, '/held')).toBe('');
  });

  it('with unsafeAckBeforeDurable a follower ACKs what its disk does not hold', () => {
    const e = new Ensemble({ voters: [1, 2, 3], perServer: { 1: { faults: { unsafeAckBeforeDurable: true } } } });
    e.start(1, 2, 3);
    expect(e.stable()).toBe(3);
    session(e, 3, 1);
    e.holdDisk(1);
    e.holdDisk(2);
    const xid = create(e, 3, 1, '/unsafe');
    e.advance(100);
    expect(e.reply(3, 1, xid)?.header.err).toBe(0); // committed on 3 + 1, yet only 3 has it on disk
    expect(e.disk(1).lastZxid()).toBeLessThan(e.peer(3).lastProcessedZxid);
  });

  it('with unsafeSkipTruncate a deposed leader keeps a txn nobody committed', () => {
    const e = new Ensemble({ voters: [1, 2, 3], perServer: { 3: { faults: { unsafeSkipTruncate: true } } } });
    e.start(1, 2, 3);
    expect(e.stable()).toBe(3);
    session(e, 3, 1);
    e.isolate(3);
    create(e, 3, 1, '/lost');
    e.runUntil(() => e.leaders()[0] === 2, 10_000, 'new leader 2');
    e.isolate(3, false);
    e.stable();
    expect(syncModes(e, 3).at(-1)).toBe('TRUNC');
    expect(dataAt(e, 3, '/lost')).toBe(''); // divergence a checker must flag
  });
});

describe('four-letter words', () => {
  it('srvr and mntr report the quorum mode and the zxid with its epoch', () => {
    const e = new Ensemble({ voters: [1, 2, 3] });
    e.start(1, 2, 3);
    e.stable();
    const leaderText = e.fourLetterWord(3, 'srvr');
    expect(leaderText).toContain('Mode: leader\n');
    expect(leaderText).toContain('Zxid: 0x100000000\n');
    expect(leaderText).toMatch(/Proposal sizes last\/min\/max: -1\/-1\/-1\n$/);
    expect(e.fourLetterWord(1, 'srvr')).toContain('Mode: follower\n');
    const mntr = e.fourLetterWord(3, 'mntr');
    expect(mntr).toContain('zk_server_state\tleader\n');
    expect(mntr).toContain('zk_synced_followers\t2\n');
    expect(e.fourLetterWord(2, 'mntr')).toContain('zk_peer_state\tfollowing - broadcast\n');
  });

  it('/zookeeper/config holds the membership as Apache writes it', () => {
    const e = new Ensemble({ voters: [1, 2, 3], observers: [4] });
    e.start(1, 2, 3, 4);
    e.stable();
    expect(dataAt(e, 4, '/zookeeper/config')).toBe(
      [
        'server.1=127.0.0.1:2888:3888:participant;0.0.0.0:2181',
        'server.2=127.0.0.1:2889:3889:participant;0.0.0.0:2182',
        'server.3=127.0.0.1:2890:3890:participant;0.0.0.0:2183',
        'server.4=127.0.0.1:2891:3891:observer;0.0.0.0:2184',
        'version=0',
      ].join('\n'),
    );
  });
});

/** Creates of /s1../sN in one epoch, as a log would hold them. */
function txnLog(epoch: number, count: number): Array<{ zxid: bigint; bytes: Uint8Array }> {
  const out = [];
  for (let i = 1; i <= count; i++) {
    const zxid = makeZxid(epoch, i);
    const txn: Txn = {
      header: { sessionId: 0n, cxid: i, zxid, timeMs: 1000, type: OpCode.create },
      body: { type: OpCode.create, path: `/s${i}`, data: enc.encode(`${i}`), acl: [...OPEN_ACL_UNSAFE], ephemeral: false, parentCVersion: i },
    };
    out.push({ zxid, bytes: encodeTxn(txn) });
  }
  return out;
}

describe('global sessions', () => {
  it('a follower reports its clients\' activity; the leader expires a silent session everywhere', () => {
    const e = new Ensemble({ voters: [1, 2, 3] });
    e.start(1, 2, 3);
    expect(e.stable()).toBe(3);
    session(e, 1, 1);
    const sessionId = (e.received(1, 1)[0] as Extract<ReturnType<Ensemble['received']>[number], { kind: 'connect' }>).response.sessionId;
    e.send(1, 1, { op: OpCode.create, path: '/eph', data: new Uint8Array(0), acl: [...OPEN_ACL_UNSAFE], flags: CreateMode.EPHEMERAL });
    e.advance(100);
    // Timeout negotiates to 20 ticks = 2 s; keep pinging the follower for 6 s.
    for (let t = 0; t < 6000; t += 500) {
      e.send(1, 1, { op: OpCode.ping });
      e.advance(500);
    }
    for (const id of [1, 2, 3]) expect(e.peer(id).serverCore.sessions.has(sessionId)).toBe(true);
    expect(dataAt(e, 2, '/eph')).toBe('');
    // Silence: the leader expires it, and the closeSession txn removes the ephemeral on every server.
    e.advance(3000);
    for (const id of [1, 2, 3]) {
      expect(e.peer(id).serverCore.sessions.has(sessionId)).toBe(false);
      expect(dataAt(e, id, '/eph')).toBeNull();
    }
    expect(e.tracesOf('session.closed', 3).map((t) => t.reason)).toEqual(['expire']);
    expect(e.isClosed(1, 1)).toBe(true);
  });

  it('a client moves its session from a follower to the leader', () => {
    const e = new Ensemble({ voters: [1, 2, 3] });
    e.start(1, 2, 3);
    e.stable();
    session(e, 1, 1);
    const first = e.received(1, 1)[0];
    if (first?.kind !== 'connect') throw new Error('no session');
    write(e, 1, 1, '/x');
    e.connect(3, 2, { sessionId: first.response.sessionId, passwd: first.response.passwd, lastZxidSeen: e.peer(1).lastProcessedZxid });
    const moved = e.received(3, 2)[0];
    expect(moved?.kind === 'connect' && moved.response.sessionId).toBe(first.response.sessionId);
    expect(e.isClosed(3, 2)).toBe(false);
  });

  it('a client closing its session on a follower gets its reply and the session is gone everywhere', () => {
    const e = new Ensemble({ voters: [1, 2, 3] });
    e.start(1, 2, 3);
    e.stable();
    session(e, 2, 1);
    const xid = e.send(2, 1, { op: OpCode.closeSession });
    e.advance(100);
    expect(e.reply(2, 1, xid)?.header.err).toBe(0);
    expect(e.isClosed(2, 1)).toBe(true);
    for (const id of [1, 2, 3]) expect(e.peer(id).serverCore.sessions.size()).toBe(0);
  });
});

describe('learner requests to the leader', () => {
  it('a reconnect to a follower is revalidated by the leader', () => {
    const e = new Ensemble({ voters: [1, 2, 3] });
    e.start(1, 2, 3);
    expect(e.stable()).toBe(3);
    session(e, 1, 1);
    const first = e.received(1, 1)[0];
    if (first?.kind !== 'connect') throw new Error('no session');
    const { sessionId, passwd } = first.response;
    e.connect(2, 2, { sessionId, passwd });
    e.advance(50);
    expect(e.tracesOf('msg.sent', 2).some((t) => t.kind === 'revalidate' && t.to === 3)).toBe(true);
    const moved = e.received(2, 2)[0];
    expect(moved?.kind === 'connect' && moved.response.sessionId).toBe(sessionId);
    write(e, 2, 2, '/moved');
    // A session the leader no longer knows is refused.
    e.send(2, 2, { op: OpCode.closeSession });
    e.advance(100);
    e.connect(1, 3, { sessionId, passwd });
    e.advance(50);
    const refused = e.received(1, 3)[0];
    expect(refused?.kind === 'connect' && refused.response.timeoutMs).toBe(0);
    expect(e.isClosed(1, 3)).toBe(true);
  });

  it('sync on a follower is answered after the leader flushes', () => {
    const e = new Ensemble({ voters: [1, 2, 3] });
    e.start(1, 2, 3);
    e.stable();
    session(e, 1, 1);
    const xid = e.send(1, 1, { op: OpCode.sync, path: '/' }); // the pump delivers the round trip at once

    expect(e.reply(1, 1, xid)?.header.err).toBe(0);
    expect(e.reply(1, 1, xid)?.response).toEqual({ path: '/' });
    expect(e.tracesOf('msg.sent', 3).some((t) => t.kind === 'sync' && t.to === 1)).toBe(true);
  });
});

describe('a TRUNC below the snapshot', () => {
  it('falls back to a SNAP on the next try', () => {
    const e = new Ensemble({ voters: [1, 2, 3] });
    const history = txnLog(1, 6);
    for (const id of [1, 2]) {
      e.disk(id).log = history.slice(0, 5);
      e.disk(id).meta = { acceptedEpoch: '1', currentEpoch: '1' };
    }
    // Server 3 holds a snapshot that includes 0x100000006, which nobody else has.
    const tree = new DataTree();
    for (const entry of history) apply(tree, decodeTxn(entry.bytes));
    e.disk(3).snapshot = { zxid: makeZxid(1, 6), bytes: encodeServerSnapshot(makeZxid(1, 6), [], tree) };
    e.disk(3).meta = { acceptedEpoch: '1', currentEpoch: '1' };
    e.start(1, 2);
    expect(e.stable()).toBe(2);
    e.start(3);
    e.stable();
    expect(syncModes(e, 3)).toEqual(['TRUNC', 'SNAP']);
    expect(dataAt(e, 3, '/s6')).toBeNull();
    expect(dataAt(e, 3, '/s5')).toBe('5');
  });
});

describe('restarts from disk', () => {
  it('a whole ensemble restarted from snapshots and logs keeps every write and moves to a new epoch', () => {
    const e = new Ensemble({ voters: [1, 2, 3], server: { snapCount: 4 } });
    e.start(1, 2, 3);
    e.stable();
    session(e, 2, 1);
    for (let i = 0; i < 12; i++) write(e, 2, 1, `/r${i}`, `${i}`);
    e.advance(100);
    for (const id of [1, 2, 3]) {
      expect(e.disk(id).snapshot).not.toBeNull();
      expect(e.disk(id).meta).toEqual({ acceptedEpoch: '1', currentEpoch: '1' });
    }
    for (const id of [1, 2, 3]) e.crash(id);
    e.start(1, 2, 3);
    e.stable();
    for (const id of [1, 2, 3]) {
      for (let i = 0; i < 12; i++) expect(dataAt(e, id, `/r${i}`)).toBe(`${i}`);
      expect(e.peer(id).epochs).toEqual({ accepted: 2, current: 2 });
      expect(e.disk(id).meta).toEqual({ acceptedEpoch: '2', currentEpoch: '2' });
    }
  });
});
