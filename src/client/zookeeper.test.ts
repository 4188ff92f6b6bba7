import { describe, it, expect } from 'vitest';
import { ZooKeeper, IllegalStateException } from './zookeeper';
import { FakeClock, FakeNetwork, flush, requestOf, stat } from './fake-zk-server';
import type { WatchedEvent, Watcher } from './api';
import { OpCode, Xid } from '../jute/opcodes';
import { Code, KeeperException } from '../zk/errors';
import { AddWatchMode, CreateMode, EventType, KeeperState, OPEN_ACL_UNSAFE, WatcherType } from '../zk/types';
import { IllegalArgumentException } from './path-utils';
import { MultiKeeperException } from './multi-exception';

const enc = (s: string) => new TextEncoder().encode(s);

interface Setup {
  net: FakeNetwork;
  clock: FakeClock;
  zk: ZooKeeper;
  events: WatchedEvent[];
}

async function setup(connectString = 'a:1,b:2', sessionTimeoutMs = 30_000): Promise<Setup> {
  const net = new FakeNetwork();
  net.server('a:1');
  net.server('b:2');
  const clock = new FakeClock();
  const events: WatchedEvent[] = [];
  const zk = new ZooKeeper(connectString, sessionTimeoutMs, (e) => events.push(e), {
    connector: net.connector,
    timers: clock,
  });
  await flush();
  return { net, clock, zk, events };
}

async function connected(connectString?: string, timeoutMs = 30_000): Promise<Setup> {
  const s = await setup(connectString);
  s.net.server('a:1').current.accept({ sessionId: 0x1234n, timeoutMs });
  await flush();
  return s;
}

function sessionStates(events: WatchedEvent[]): KeeperState[] {
  return events.filter((e) => e.type === EventType.None).map((e) => e.state);
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('ZooKeeper client: handshake and framing', () => {
  it('sends a framed ConnectRequest and becomes CONNECTED on the ConnectResponse', async () => {
    const { net, zk, events } = await setup();
    expect(net.attempts).toEqual(['a:1']);
    expect(zk.getState()).toBe('CONNECTING');
    const conn = net.server('a:1').current;
    expect(conn.connectRequest).toEqual({
      protocolVersion: 0,
      lastZxidSeen: 0n,
      timeoutMs: 30_000,
      sessionId: 0n,
      passwd: new Uint8Array(16),
      readOnly: false,
    });
    conn.accept({ sessionId: 0x1234n, timeoutMs: 12_000 });
    await flush();
    expect(zk.getState()).toBe('CONNECTED');
    expect(zk.getSessionId()).toBe(0x1234n);
    expect(zk.getSessionTimeout()).toBe(12_000);
    expect(zk.getSessionPasswd()).toEqual(new Uint8Array(16).fill(7));
    expect(events).toEqual([{ type: EventType.None, state: KeeperState.SyncConnected, path: null, zxid: -1n }]);
  });

  it('holds requests until the session is established, then sends them with increasing xids', async () => {
    const { net, zk } = await setup();
    const conn = net.server('a:1').current;
    const p1 = zk.getData('/x');
    const p2 = zk.exists('/y');
    await flush();
    expect(conn.ops()).toEqual([]);
    conn.accept();
    await flush();
    const [r1, r2] = conn.ops();
    expect(r1?.header).toEqual({ xid: 1, type: OpCode.getData });
    expect(r1?.request).toEqual({ op: OpCode.getData, path: '/x', watch: false });
    expect(r2?.header).toEqual({ xid: 2, type: OpCode.exists });
    conn.reply(r1!, { data: enc('v'), stat: stat({ version: 3 }) }, { zxid: 9n });
    conn.reply(r2!, null, { err: Code.NoNode });
    expect(await p1).toEqual({ data: enc('v'), stat: stat({ version: 3 }) });
    expect(await p2).toBeNull();
    expect(zk.getLastZxid()).toBe(9n);
  });

  it('keeps null data apart from empty data', async () => {
    const { net, zk } = await connected();
    const conn = net.server('a:1').current;
    const created = zk.create('/n', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    await flush();
    // The raw frame carries length -1 for the null buffer.
    const raw = conn.rawFrames[conn.rawFrames.length - 1]!;
    const view = new DataView(raw.buffer, raw.byteOffset);
    expect(view.getInt32(8)).toBe(2); // path length
    expect(view.getInt32(14)).toBe(-1); // data length
    conn.reply(conn.last(), { path: '/n' });
    expect(await created).toBe('/n');
    const got = zk.getData('/n');
    await flush();
    conn.replyRaw(conn.last().header.xid, OpCode.getData, { data: null as unknown as Uint8Array, stat: stat() });
    expect((await got).data).toBeNull();
  });
});

describe('ZooKeeper client: pings and timeouts', () => {
  it('pings after readTimeout/2 - 1s of send silence and drops a silent server after readTimeout', async () => {
    const { net, clock, zk, events } = await connected('a:1,b:2', 30_000);
    const conn = net.server('a:1').current;
    net.server('a:1').autoPing = false;
    // negotiated 30000 -> readTimeout 20000 -> ping 9000 after the last send
    clock.advance(8_999);
    expect(conn.requests.length).toBe(0);
    clock.advance(1);
    expect(conn.requests.map((r) => r.header)).toEqual([{ xid: Xid.PING, type: OpCode.ping }]);
    clock.advance(9_000);
    expect(conn.requests.length).toBe(2);
    expect(zk.getState()).toBe('CONNECTED');
    clock.advance(2_000); // 20000 since the ConnectResponse: nothing heard
    expect(conn.closed).toBe(true);
    expect(sessionStates(events)).toEqual([KeeperState.SyncConnected, KeeperState.Disconnected]);
    await flush();
    expect(net.attempts).toEqual(['a:1', 'b:2']);
  });

  it('any reply resets the read timeout; answered pings keep the session', async () => {
    const { net, clock, zk } = await connected('a:1,b:2', 30_000);
    for (let i = 0; i < 10; i++) clock.advance(9_000);
    expect(zk.getState()).toBe('CONNECTED');
    expect(net.server('a:1').current.requests.filter((r) => r.request.op === OpCode.ping).length).toBe(10);
  });

  it('gives up a handshake after connectTimeout = timeout / hostCount and tries the next host', async () => {
    const { net, clock, zk } = await setup('a:1,b:2', 30_000);
    clock.advance(14_999);
    expect(net.attempts).toEqual(['a:1']);
    clock.advance(1);
    await flush();
    expect(net.attempts).toEqual(['a:1', 'b:2']);
    net.server('b:2').current.accept();
    await flush();
    expect(zk.getState()).toBe('CONNECTED');
  });

  it('pauses a spin delay after every server refused, then retries', async () => {
    const net = new FakeNetwork();
    net.server('a:1').up = false;
    net.server('b:2').up = false;
    const clock = new FakeClock();
    const zk = new ZooKeeper('a:1,b:2', 30_000, null, { connector: net.connector, timers: clock });
    await flush();
    expect(net.attempts).toEqual(['a:1', 'b:2']);
    const pending = zk.getData('/x');
    clock.advance(999);
    await flush();
    expect(net.attempts.length).toBe(2);
    net.server('a:1').up = true;
    clock.advance(1);
    await flush();
    expect(net.attempts).toEqual(['a:1', 'b:2', 'a:1']);
    net.server('a:1').current.accept();
    await flush();
    const conn = net.server('a:1').current;
    conn.reply(conn.last(), { data: enc(''), stat: stat() });
    expect((await pending).stat).toEqual(stat());
  });
});

describe('ZooKeeper client: spin delay backoff (spinDelay option)', () => {
  it('starts at initialMs, doubles per failed cycle up to maxMs, and starts over once connected', async () => {
    const net = new FakeNetwork();
    net.server('a:1').up = false;
    net.server('b:2').up = false;
    const clock = new FakeClock();
    const zk = new ZooKeeper('a:1,b:2', 30_000, null, { connector: net.connector, timers: clock, spinDelay: { initialMs: 50, maxMs: 200 } });
    await flush();
    expect(net.attempts).toEqual(['a:1', 'b:2']);
    /** Advances to just before the expected pause ends (no new attempt), then to its end (one). */
    const pauseIs = async (ms: number): Promise<void> => {
      const before = net.attempts.length;
      clock.advance(ms - 1);
      await flush();
      expect(net.attempts.length).toBe(before);
      clock.advance(1);
      await flush();
      expect(net.attempts.length).toBe(before + 2); // a:1 after the pause, b:2 at once
    };
    await pauseIs(50);
    await pauseIs(100);
    await pauseIs(200);
    await pauseIs(200);
    net.server('a:1').up = true;
    clock.advance(200);
    await flush();
    net.server('a:1').current.accept();
    await flush();
    expect(zk.getState()).toBe('CONNECTED');
    net.server('a:1').up = false;
    net.server('a:1').current.close();
    await flush();
    expect(zk.getState()).toBe('CONNECTING');
    expect(net.attempts.slice(-1)).toEqual(['b:2']); // the next server at once, then a cycle's pause
    await pauseIs(50);
  });

  it('rejects a spin delay that is not a positive range', () => {
    const net = new FakeNetwork();
    expect(() => new ZooKeeper('a:1', 30_000, null, { connector: net.connector, spinDelay: { initialMs: 0, maxMs: 10 } })).toThrow(RangeError);
    expect(() => new ZooKeeper('a:1', 30_000, null, { connector: net.connector, spinDelay: { initialMs: 20, maxMs: 10 } })).toThrow(RangeError);
  });
});

describe('ZooKeeper client: reconnect keeps the session', () => {
  it('reconnects to the next server with the same id/passwd, re-sends auth and SetWatches2', async () => {
    const { net, zk, events } = await connected();
    const a = net.server('a:1').current;
    const watcher: Watcher = () => {};
    const auth = zk.addAuthInfo('digest', enc('u:p'));
    await flush();
    a.replyRaw(Xid.AUTH, OpCode.auth, null);
    await auth;
    const reads = [
      zk.getData('/d', watcher),
      zk.exists('/e', watcher),
      zk.getChildren('/c', watcher),
      zk.addWatch('/p', watcher, AddWatchMode.PERSISTENT),
      zk.addWatch('/r', watcher, AddWatchMode.PERSISTENT_RECURSIVE),
    ];
    await flush();
    const [d, e, c, p, r] = a.ops().slice(1);
    a.reply(d!, { data: enc(''), stat: stat() }, { zxid: 0x10n });
    a.reply(e!, null, { err: Code.NoNode, zxid: 0x11n });
    a.reply(c!, { children: [] }, { zxid: 0x12n });
    a.reply(p!, { err: 0 }, { zxid: 0x13n });
    a.reply(r!, { err: 0 }, { zxid: 0x14n });
    await Promise.all(reads);

    a.close();
    await flush();
    expect(zk.getState()).toBe('CONNECTING');
    expect(net.attempts).toEqual(['a:1', 'b:2']);
    const b = net.server('b:2').current;
    expect(b.connectRequest).toMatchObject({ sessionId: 0x1234n, passwd: new Uint8Array(16).fill(7), lastZxidSeen: 0x14n });
    b.accept({ sessionId: 0x1234n });
    await flush();
    expect(zk.getSessionId()).toBe(0x1234n);
    const [authReq, setWatches] = b.requests;
    expect(authReq?.header).toEqual({ xid: Xid.AUTH, type: OpCode.auth });
    expect(authReq?.request).toEqual({ op: OpCode.auth, type: 0, scheme: 'digest', auth: enc('u:p') });
    expect(setWatches?.header.type).toBe(OpCode.setWatches2);
    expect(setWatches?.request).toEqual({
      op: OpCode.setWatches2,
      relativeZxid: 0x14n,
      dataWatches: ['/d'],
      existWatches: ['/e'],
      childWatches: ['/c'],
      persistentWatches: ['/p'],
      persistentRecursiveWatches: ['/r'],
    });
    expect(sessionStates(events)).toEqual([KeeperState.SyncConnected, KeeperState.Disconnected, KeeperState.SyncConnected]);
    // The SetWatches reply is matched like any other request.
    b.reply(setWatches!, null);
    const later = zk.exists('/d');
    await flush();
    b.reply(b.last(), { stat: stat() });
    expect(await later).toEqual(stat());
    expect(zk.getState()).toBe('CONNECTED');
  });

  it('fails outstanding requests with ConnectionLoss when the connection drops', async () => {
    const { net, zk } = await connected();
    const a = net.server('a:1').current;
    const p1 = zk.setData('/x', enc('1'));
    const p2 = zk.getChildren('/');
    await flush();
    expect(a.ops().length).toBe(2);
    a.close();
    const e1 = await rejection(p1);
    expect(e1).toBeInstanceOf(KeeperException);
    expect((e1 as KeeperException).code).toBe(Code.ConnectionLoss);
    expect((e1 as KeeperException).message).toBe('KeeperErrorCode = ConnectionLoss for /x');
    expect(((await rejection(p2)) as KeeperException).code).toBe(Code.ConnectionLoss);
  });

  it('treats a reply whose xid is not the head of the queue as a protocol error and reconnects', async () => {
    const { net, zk } = await connected();
    const a = net.server('a:1').current;
    const p1 = zk.getData('/x');
    const p2 = zk.getData('/y');
    await flush();
    const [, second] = a.ops();
    a.reply(second!, { data: enc(''), stat: stat() });
    expect(((await rejection(p1)) as KeeperException).code).toBe(Code.ConnectionLoss);
    expect(((await rejection(p2)) as KeeperException).code).toBe(Code.ConnectionLoss);
    expect(a.closed).toBe(true);
    await flush();
    expect(net.attempts).toEqual(['a:1', 'b:2']);
  });

  it('reports session expiry, goes CLOSED and rejects everything after with SessionExpired', async () => {
    const { net, zk, events } = await connected();
    const queued = zk.getData('/x');
    await flush();
    net.server('a:1').current.close();
    expect(((await rejection(queued)) as KeeperException).code).toBe(Code.ConnectionLoss);
    await flush();
    const waiting = zk.getData('/y');
    net.server('b:2').current.expire();
    await flush();
    expect(zk.getState()).toBe('CLOSED');
    expect(sessionStates(events)).toEqual([KeeperState.SyncConnected, KeeperState.Disconnected, KeeperState.Expired]);
    expect(((await rejection(waiting)) as KeeperException).code).toBe(Code.SessionExpired);
    const after = (await rejection(zk.exists('/z'))) as KeeperException;
    expect(after.code).toBe(Code.SessionExpired);
    expect(after.message).toBe('KeeperErrorCode = Session expired for /z');
    expect(net.attempts).toEqual(['a:1', 'b:2']);
  });
});

describe('ZooKeeper client: chroot', () => {
  it('prefixes request paths and strips results and watch events', async () => {
    const { net, zk } = await connected('a:1,b:2/app');
    const a = net.server('a:1').current;
    const seen: WatchedEvent[] = [];
    const created = zk.create('/x', enc('v'), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL);
    const watched = zk.getData('/', (e) => seen.push(e));
    await flush();
    const [create, getData] = a.ops();
    expect(requestOf(create!, OpCode.create).path).toBe('/app/x');
    expect(requestOf(getData!, OpCode.getData)).toEqual({ op: OpCode.getData, path: '/app', watch: true });
    a.reply(create!, { path: '/app/x0000000001' });
    a.reply(getData!, { data: enc(''), stat: stat() });
    expect(await created).toBe('/x0000000001');
    await watched;
    a.notify(EventType.NodeDataChanged, '/app', 0x20n);
    expect(seen).toEqual([{ type: EventType.NodeDataChanged, state: KeeperState.SyncConnected, path: '/', zxid: 0x20n }]);
  });

  it('keeps getConfig on the unchrooted /zookeeper/config and delivers its event unmangled', async () => {
    const { net, zk } = await connected('a:1/app');
    const a = net.server('a:1').current;
    const seen: WatchedEvent[] = [];
    const cfg = zk.getConfig((e) => seen.push(e));
    await flush();
    expect(requestOf(a.last(), OpCode.getData).path).toBe('/zookeeper/config');
    a.reply(a.last(), { data: enc('server.1=x'), stat: stat() });
    await cfg;
    a.notify(EventType.NodeDataChanged, '/zookeeper/config');
    expect(seen.map((e) => e.path)).toEqual(['/zookeeper/config']);
  });
});

describe('ZooKeeper client: watches', () => {
  it('calls watchers before the reply that shows the change resolves', async () => {
    const { net, zk } = await connected();
    const a = net.server('a:1').current;
    const order: string[] = [];
    const read = zk.getData('/cfg', () => order.push('watcher'));
    await flush();
    a.reply(a.last(), { data: enc('1'), stat: stat() });
    await read;
    const write = zk.setData('/cfg', enc('2')).then(() => order.push('setData resolved'));
    await flush();
    a.notify(EventType.NodeDataChanged, '/cfg', 0x30n);
    a.reply(a.last(), { stat: stat({ version: 1 }) }, { zxid: 0x30n });
    await write;
    expect(order).toEqual(['watcher', 'setData resolved']);
  });

  it('exists on a missing node leaves an exists watch that fires once on NodeCreated', async () => {
    const { net, zk } = await connected();
    const a = net.server('a:1').current;
    const seen: WatchedEvent[] = [];
    const p = zk.exists('/new', (e) => seen.push(e));
    await flush();
    expect(requestOf(a.last(), OpCode.exists).watch).toBe(true);
    a.reply(a.last(), null, { err: Code.NoNode });
    expect(await p).toBeNull();
    a.notify(EventType.NodeCreated, '/new');
    a.notify(EventType.NodeCreated, '/new');
    expect(seen.map((e) => e.type)).toEqual([EventType.NodeCreated]);
  });

  it('does not register a watch when the read fails', async () => {
    const { net, zk } = await connected();
    const a = net.server('a:1').current;
    const seen: WatchedEvent[] = [];
    const p = zk.getData('/missing', (e) => seen.push(e));
    await flush();
    a.reply(a.last(), null, { err: Code.NoNode });
    expect(((await rejection(p)) as KeeperException).message).toBe('KeeperErrorCode = NoNode for /missing');
    a.notify(EventType.NodeCreated, '/missing');
    expect(seen).toEqual([]);
  });

  it('watch=true uses the default watcher and fails without one', async () => {
    const { net, zk, events } = await connected();
    const a = net.server('a:1').current;
    const p = zk.getChildren('/', true);
    await flush();
    a.reply(a.last(), { children: ['a'] });
    expect(await p).toEqual(['a']);
    a.notify(EventType.NodeChildrenChanged, '/');
    expect(events.map((e) => e.type)).toEqual([EventType.None, EventType.NodeChildrenChanged]);
    zk.register(null);
    expect(await rejection(zk.getChildren('/', true))).toBeInstanceOf(IllegalStateException);
  });

  it('persistent recursive watches fire for descendants and survive firing', async () => {
    const { net, zk } = await connected();
    const a = net.server('a:1').current;
    const seen: string[] = [];
    const p = zk.addWatch('/tree', (e) => seen.push(`${EventType[e.type]} ${e.path}`), AddWatchMode.PERSISTENT_RECURSIVE);
    await flush();
    expect(requestOf(a.last(), OpCode.addWatch)).toEqual({ op: OpCode.addWatch, path: '/tree', mode: AddWatchMode.PERSISTENT_RECURSIVE });
    a.reply(a.last(), { err: 0 });
    await p;
    a.notify(EventType.NodeCreated, '/tree/a/b');
    a.notify(EventType.NodeDataChanged, '/tree');
    a.notify(EventType.NodeChildrenChanged, '/tree');
    a.notify(EventType.NodeDeleted, '/tree/a/b');
    expect(seen).toEqual(['NodeCreated /tree/a/b', 'NodeDataChanged /tree', 'NodeDeleted /tree/a/b']);
  });

  it('removeWatches asks the server, then delivers a removal event; NoWatcher when none', async () => {
    const { net, zk } = await connected();
    const a = net.server('a:1').current;
    const seen: WatchedEvent[] = [];
    const watcher: Watcher = (e) => seen.push(e);
    const read = zk.getData('/w', watcher);
    await flush();
    a.reply(a.last(), { data: enc(''), stat: stat() });
    await read;
    const removal = zk.removeWatches('/w', watcher, WatcherType.Data, false);
    await flush();
    expect(requestOf(a.last(), OpCode.checkWatches)).toEqual({ op: OpCode.checkWatches, path: '/w', type: WatcherType.Data });
    a.reply(a.last(), null);
    await removal;
    expect(seen).toEqual([{ type: EventType.DataWatchRemoved, state: KeeperState.SyncConnected, path: '/w', zxid: -1n }]);
    const again = zk.removeAllWatches('/w', WatcherType.Any, false);
    await flush();
    expect(a.last().request.op).toBe(OpCode.removeWatches);
    a.reply(a.last(), null, { err: Code.NoWatcher });
    const err = (await rejection(again)) as KeeperException;
    expect(err.code).toBe(Code.NoWatcher);
    expect(err.message).toBe('KeeperErrorCode = No such watcher for /w');
  });

  it('local removal succeeds even when the connection is lost', async () => {
    const { net, zk } = await connected();
    const a = net.server('a:1').current;
    const seen: WatchedEvent[] = [];
    const read = zk.getChildren('/w', (e) => seen.push(e));
    await flush();
    a.reply(a.last(), { children: [] });
    await read;
    const removal = zk.removeAllWatches('/w', WatcherType.Children, true);
    await flush();
    a.close();
    await removal;
    expect(seen).toEqual([{ type: EventType.ChildWatchRemoved, state: KeeperState.Disconnected, path: '/w', zxid: -1n }]);
  });
});

describe('ZooKeeper client: operations', () => {
  it('picks the create opcodes as the Java client does', async () => {
    const { net, zk } = await connected();
    const a = net.server('a:1').current;
    const acl = OPEN_ACL_UNSAFE;
    const calls = [
      zk.create('/p', null, acl, CreateMode.PERSISTENT),
      zk.create('/c', null, acl, CreateMode.CONTAINER),
      zk.create('/t', null, acl, CreateMode.PERSISTENT_WITH_TTL, 5000),
      zk.createWithStat('/s', null, acl, CreateMode.EPHEMERAL),
    ];
    await flush();
    expect(a.ops().map((r) => r.request.op)).toEqual([OpCode.create, OpCode.createContainer, OpCode.createTTL, OpCode.create2]);
    expect(requestOf(a.ops()[2]!, OpCode.createTTL).ttlMs).toBe(5000n);
    a.reply(a.ops()[0]!, { path: '/p' });
    a.reply(a.ops()[1]!, { path: '/c', stat: stat() });
    a.reply(a.ops()[2]!, { path: '/t', stat: stat() });
    a.reply(a.ops()[3]!, { path: '/s', stat: stat({ ephemeralOwner: 0x1234n }) });
    const results = await Promise.all(calls);
    expect(results).toEqual(['/p', '/c', '/t', { path: '/s', stat: stat({ ephemeralOwner: 0x1234n }) }]);
  });

  it('validates paths, modes, TTLs and ACLs before sending anything', async () => {
    const { net, zk } = await connected();
    const a = net.server('a:1').current;
    const bad = await rejection(zk.getData('no/slash'));
    expect(bad).toBeInstanceOf(IllegalArgumentException);
    expect((bad as Error).message).toBe('Path must start with / character');
    expect(await rejection(zk.create('/a/', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))).toBeInstanceOf(IllegalArgumentException);
    expect(((await rejection(zk.create('/t', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL))) as Error).message).toBe(
      'ttl must be positive and cannot be larger than: 1099511627775',
    );
    expect(((await rejection(zk.create('/t', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, 10))) as Error).message).toBe(
      'ttl not valid for mode: PERSISTENT',
    );
    expect(((await rejection(zk.create('/x', null, [], CreateMode.PERSISTENT))) as KeeperException).code).toBe(Code.InvalidACL);
    expect(await rejection(zk.multi([{ type: 'delete', path: '/a//b', version: -1 }]))).toBeInstanceOf(IllegalArgumentException);
    expect(await rejection(zk.multi([{ type: 'getData', path: '/a' }]))).toBeInstanceOf(IllegalArgumentException);
    await flush();
    expect(a.ops()).toEqual([]);
  });

  it('multi resolves with results, and rejects with the failing code and all results attached', async () => {
    const { net, zk } = await connected('a:1/app');
    const a = net.server('a:1').current;
    const ok = zk.multi([
      { type: 'create', path: '/x', data: enc('1'), acl: OPEN_ACL_UNSAFE, mode: CreateMode.PERSISTENT },
      { type: 'check', path: '/x', version: 0 },
    ]);
    await flush();
    expect(requestOf(a.last(), OpCode.multi).ops).toEqual([
      { op: OpCode.create, path: '/app/x', data: enc('1'), acl: [...OPEN_ACL_UNSAFE], flags: 0 },
      { op: OpCode.check, path: '/app/x', version: 0 },
    ]);
    a.reply(a.last(), { results: [{ op: OpCode.create, path: '/app/x' }, { op: OpCode.check }] });
    expect(await ok).toEqual([{ type: 'create', path: '/x' }, { type: 'check' }]);

    const failing = zk.multi([
      { type: 'setData', path: '/x', data: enc('2'), version: -1 },
      { type: 'delete', path: '/y', version: 3 },
    ]);
    await flush();
    a.reply(a.last(), {
      results: [
        { op: OpCode.error, err: 0 },
        { op: OpCode.error, err: Code.BadVersion },
      ],
    });
    const err = (await rejection(failing)) as MultiKeeperException;
    expect(err).toBeInstanceOf(KeeperException);
    expect(err.code).toBe(Code.BadVersion);
    expect(err.results).toEqual([
      { type: 'error', err: 0 },
      { type: 'error', err: Code.BadVersion },
    ]);
    expect(await zk.multi([])).toEqual([]);
  });

  it('multiRead returns per-op results with errors inline', async () => {
    const { net, zk } = await connected();
    const a = net.server('a:1').current;
    const p = zk.multiRead([
      { type: 'getChildren', path: '/' },
      { type: 'getData', path: '/missing' },
    ]);
    await flush();
    expect(a.last().request.op).toBe(OpCode.multiRead);
    a.reply(a.last(), { results: [{ op: OpCode.getChildren, children: ['a'] }, { op: OpCode.error, err: Code.NoNode }] });
    expect(await p).toEqual([
      { type: 'getChildren', children: ['a'] },
      { type: 'error', err: Code.NoNode },
    ]);
  });

  it('sends the remaining operations with their records', async () => {
    const { net, zk } = await connected();
    const a = net.server('a:1').current;
    const calls: Array<Promise<unknown>> = [
      zk.delete('/d', 4),
      zk.getACL('/g'),
      zk.setACL('/s', OPEN_ACL_UNSAFE, 2),
      zk.getChildren2('/c'),
      zk.getAllChildrenNumber('/n'),
      zk.getEphemerals('/e'),
      zk.sync('/y'),
      zk.whoAmI(),
    ];
    await flush();
    const ops = a.ops();
    expect(ops.map((r) => r.request)).toEqual([
      { op: OpCode.delete, path: '/d', version: 4 },
      { op: OpCode.getACL, path: '/g' },
      { op: OpCode.setACL, path: '/s', acl: [...OPEN_ACL_UNSAFE], version: 2 },
      { op: OpCode.getChildren2, path: '/c', watch: false },
      { op: OpCode.getAllChildrenNumber, path: '/n' },
      { op: OpCode.getEphemerals, prefixPath: '/e' },
      { op: OpCode.sync, path: '/y' },
      { op: OpCode.whoAmI },
    ]);
    a.reply(ops[0]!, null);
    a.reply(ops[1]!, { acl: [...OPEN_ACL_UNSAFE], stat: stat() });
    a.reply(ops[2]!, { stat: stat({ aversion: 3 }) });
    a.reply(ops[3]!, { children: ['k'], stat: stat() });
    a.reply(ops[4]!, { totalNumber: 7 });
    a.reply(ops[5]!, { ephemerals: ['/e/1'] });
    a.reply(ops[6]!, { path: '/y' });
    a.reply(ops[7]!, { clientInfo: [{ authScheme: 'ip', user: '127.0.0.1' }] });
    expect(await Promise.all(calls)).toEqual([
      undefined,
      { acl: [...OPEN_ACL_UNSAFE], stat: stat() },
      stat({ aversion: 3 }),
      { children: ['k'], stat: stat() },
      7,
      ['/e/1'],
      undefined,
      [{ authScheme: 'ip', user: '127.0.0.1' }],
    ]);
  });

  it('refuses requests over the queue bound with Throttled', async () => {
    const net = new FakeNetwork();
    net.server('a:1');
    const zk = new ZooKeeper('a:1', 30_000, null, { connector: net.connector, timers: new FakeClock(), maxQueuedRequests: 2 });
    await flush();
    const p1 = zk.exists('/1');
    const p2 = zk.exists('/2');
    const err = (await rejection(zk.exists('/3'))) as KeeperException;
    expect(err.code).toBe(Code.Throttled);
    net.server('a:1').current.close();
    expect(((await rejection(p1)) as KeeperException).code).toBe(Code.ConnectionLoss);
    expect(((await rejection(p2)) as KeeperException).code).toBe(Code.ConnectionLoss);
  });
});

describe('ZooKeeper client: auth and close', () => {
  it('auth failure moves to AUTH_FAILED and fails everything after with AuthFailed', async () => {
    const { net, zk, events } = await connected();
    const a = net.server('a:1').current;
    const auth = zk.addAuthInfo('digest', enc('bad'));
    await flush();
    expect(a.requests[0]?.header).toEqual({ xid: Xid.AUTH, type: OpCode.auth });
    a.replyRaw(Xid.AUTH, OpCode.auth, null, { err: Code.AuthFailed });
    expect(((await rejection(auth)) as KeeperException).code).toBe(Code.AuthFailed);
    expect(zk.getState()).toBe('AUTH_FAILED');
    expect(sessionStates(events)).toEqual([KeeperState.SyncConnected, KeeperState.AuthFailed]);
    expect(((await rejection(zk.exists('/x'))) as KeeperException).code).toBe(Code.AuthFailed);
  });

  it('close sends closeSession, waits for the reply, then reports Closed', async () => {
    const { net, zk, events } = await connected();
    const a = net.server('a:1').current;
    let closed = false;
    const closing = zk.close().then(() => (closed = true));
    await flush();
    expect(a.last().request.op).toBe(OpCode.closeSession);
    expect(closed).toBe(false);
    expect(((await rejection(zk.exists('/late'))) as KeeperException).code).toBe(Code.ConnectionLoss);
    a.reply(a.last(), null);
    await closing;
    expect(zk.getState()).toBe('CLOSED');
    expect(a.closed).toBe(true);
    expect(sessionStates(events)).toEqual([KeeperState.SyncConnected, KeeperState.Closed]);
    expect(((await rejection(zk.exists('/x'))) as KeeperException).code).toBe(Code.SessionExpired);
    await zk.close();
  });

  it('close without an answer finishes once the read timeout drops the connection', async () => {
    const { net, clock, zk } = await connected('a:1,b:2', 30_000);
    net.server('a:1').autoPing = false;
    const closing = zk.close();
    clock.advance(20_000);
    await closing;
    expect(zk.getState()).toBe('CLOSED');
    await flush();
    expect(net.attempts).toEqual(['a:1']);
  });

  it('close while no server is reachable finishes at once', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const events: WatchedEvent[] = [];
    const zk = new ZooKeeper('a:1', 30_000, (e) => events.push(e), { connector: net.connector, timers: clock });
    await flush();
    await zk.close();
    expect(zk.getState()).toBe('CLOSED');
    expect(sessionStates(events)).toEqual([KeeperState.Closed]);
    expect(clock.pendingCount()).toBe(0);
  });

  it('resumes a given session id and password', async () => {
    const net = new FakeNetwork();
    net.server('a:1');
    const passwd = new Uint8Array(16).fill(3);
    new ZooKeeper('a:1', 10_000, null, { connector: net.connector, timers: new FakeClock(), sessionId: 0x77n, sessionPasswd: passwd });
    await flush();
    expect(net.server('a:1').current.connectRequest).toMatchObject({ sessionId: 0x77n, passwd, timeoutMs: 10_000 });
  });
});

describe('ZooKeeper client: re-entrancy', () => {
  it('keeps reply order when a watcher re-reads and a synchronous server answers at once', async () => {
    const { net, zk } = await connected();
    const a = net.server('a:1').current;
    const order: string[] = [];
    const rewatch: Watcher = (e) => {
      order.push(`event ${e.path}`);
      void zk.getData('/a', rewatch).then(() => order.push('re-read'));
    };
    const first = zk.getData('/a', rewatch);
    await flush();
    a.reply(a.last(), { data: enc(''), stat: stat() });
    await first;
    const other = zk.exists('/b').then(() => order.push('exists /b'));
    await flush();
    const existsReq = a.last();
    // From now on the server answers getData synchronously, inside the client's send.
    net.server('a:1').onRequest = (req, conn) => {
      if (req.request.op === OpCode.getData) conn.reply(req, { data: enc('2'), stat: stat() });
    };
    a.sendBatch([a.notificationPayload(EventType.NodeDataChanged, '/a'), a.replyPayload(existsReq, { stat: stat() })]);
    await other;
    await flush();
    expect(order).toEqual(['event /a', 'exists /b', 're-read']);
    expect(zk.getState()).toBe('CONNECTED');
    expect(a.closed).toBe(false);
  });
});
