// An in-memory ZooKeeper for the zkCli tests: one FakeServer (data tree, zxids, sessions, watches,
// ACLs) shared by FakeClient sessions implementing ZooKeeperApi. It models what zkCli's output
// depends on, honestly: versions, sequential names, ephemerals, ACL checks, multi atomicity,
// one-shot and persistent watches, and the quota stats node the real server fills in.
// Time never moves unless a test moves it: every write stamps `server.timeMs`.
import type { ClientInfo, ClientState, Op, OpResult, WatchArg, WatchedEvent, Watcher, ZooKeeperApi } from '../api';
import { Code, KeeperException } from '../../zk/errors';
import { digestIdFor, isValidDigestId } from '../../zk/acl/digest';
import {
  AddWatchMode,
  CreateMode,
  EventType,
  KeeperState,
  Perms,
  WatcherType,
  type ACL,
  type Stat,
} from '../../zk/types';

interface FakeNode {
  /** The stored cversion: children created so far. Clients see creates + deletes (below). */
  creates: number;
  data: Uint8Array | null;
  acl: ACL[];
  stat: Stat;
  children: Set<string>;
}

type WatchKind = 'data' | 'exist' | 'child' | 'persistent' | 'recursive';

interface WatchEntry {
  session: FakeClient;
  kind: WatchKind;
  path: string;
  watcher: Watcher;
}

const ROOT_TIME = Date.UTC(2026, 10, 21, 23, 21, 0);
const CONTAINER_OWNER = 0x8000000000000000n;
const TTL_OWNER_BASE = 0xff00000000000000n;

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
function copyStat(stat: Stat): Stat {
  return { ...stat };
}
function fail(code: Code, path?: string): never {
  throw new KeeperException(code, path);
}
function isEphemeral(mode: CreateMode): boolean {
  return mode === CreateMode.EPHEMERAL || mode === CreateMode.EPHEMERAL_SEQUENTIAL;
}
function isSequentialMode(mode: CreateMode): boolean {
  return (
    mode === CreateMode.PERSISTENT_SEQUENTIAL ||
    mode === CreateMode.EPHEMERAL_SEQUENTIAL ||
    mode === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL
  );
}

export class FakeServer {
  zxid = 0n;
  timeMs = ROOT_TIME;
  nodes = new Map<string, FakeNode>();
  readonly watches: WatchEntry[] = [];
  private nextSession = 0x100000000000000n;
  /** When set, every request fails with this code (e.g. ConnectionLoss). */
  failWith: Code | null = null;

  constructor(configText = '') {
    this.nodes.set('/', this.newNode(null, 0n, 0));
    this.nodes.get('/')!.stat.ctime = 0n;
    this.nodes.get('/')!.stat.mtime = 0n;
    this.rawCreate('/zookeeper', null, 0n);
    this.rawCreate('/zookeeper/quota', null, 0n);
    this.rawCreate('/zookeeper/config', configText === '' ? new Uint8Array(0) : new TextEncoder().encode(configText), 0n);
    // The built-in nodes were not "created", so a fresh server shows cversion -1 and -2 for them.
    for (const path of ['/', '/zookeeper']) this.syncChildStat(this.nodes.get(path)!);
  }

  /**
   * 'sync': watch events reach watchers inside the call that caused them. 'deferred': they wait
   * for flushEvents(), so a command's own output comes first, as zkCli usually shows it (its
   * event thread prints after the main thread has printed the reply).
   */
  eventDelivery: 'sync' | 'deferred' = 'sync';
  private readonly pendingEvents: Array<() => void> = [];

  deliver(watcher: Watcher, event: WatchedEvent): void {
    if (this.eventDelivery === 'sync') watcher(event);
    else this.pendingEvents.push(() => watcher(event));
  }

  flushEvents(): void {
    while (this.pendingEvents.length > 0) this.pendingEvents.shift()!();
  }

  /** A connected session whose default watcher first hears SyncConnected, as zkCli's does. */
  connect(defaultWatcher: Watcher): FakeClient {
    const client = new FakeClient(this, this.nextSession++, defaultWatcher);
    defaultWatcher({ type: EventType.None, state: KeeperState.SyncConnected, path: null, zxid: -1n });
    return client;
  }

  private newNode(data: Uint8Array | null, zxid: bigint, owner: number | bigint): FakeNode {
    return {
      creates: 0,
      data,
      acl: [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }],
      children: new Set(),
      stat: {
        czxid: zxid,
        mzxid: zxid,
        ctime: BigInt(this.timeMs),
        mtime: BigInt(this.timeMs),
        version: 0,
        cversion: 0,
        aversion: 0,
        ephemeralOwner: BigInt(owner),
        dataLength: data?.length ?? 0,
        numChildren: 0,
        pzxid: zxid,
      },
    };
  }

  private rawCreate(path: string, data: Uint8Array | null, zxid: bigint): void {
    this.nodes.set(path, this.newNode(data, zxid, 0));
    const parent = this.nodes.get(parentOf(path))!;
    parent.children.add(nameOf(path));
    this.syncChildStat(parent);
  }

  /** DataNode.copyStat: visible cversion = creates + deletes = 2 * creates - children. */
  private syncChildStat(node: FakeNode): void {
    node.stat.numChildren = node.children.size;
    node.stat.cversion = node.creates * 2 - node.children.size;
  }

  node(path: string): FakeNode {
    return this.nodes.get(path) ?? fail(Code.NoNode, path);
  }

  checkPerm(session: FakeClient, node: FakeNode, perm: number, path: string): void {
    const ok = node.acl.some((acl) => (acl.perms & perm) !== 0 && session.matches(acl.id.scheme, acl.id.id));
    if (!ok) fail(Code.NoAuth, path);
  }

  /** Expands "auth" entries and rejects ACLs the server would call invalid. */
  fixupAcl(session: FakeClient, acl: readonly ACL[], path: string): ACL[] {
    const out: ACL[] = [];
    for (const entry of acl) {
      const { scheme, id } = entry.id;
      if (scheme === 'world' && id === 'anyone') out.push(entry);
      else if (scheme === 'auth') {
        const ids = session.authIds.filter((a) => a.scheme !== 'ip');
        if (ids.length === 0) fail(Code.InvalidACL, path);
        for (const a of ids) out.push({ perms: entry.perms, id: a });
      } else if (scheme === 'digest' && isValidDigestId(id)) out.push(entry);
      else if (scheme === 'ip' && /^\d{1,3}(\.\d{1,3}){3}(\/\d+)?$/.test(id)) out.push(entry);
      else fail(Code.InvalidACL, path);
    }
    if (out.length === 0) fail(Code.InvalidACL, path);
    return out;
  }

  nextZxid(): bigint {
    this.zxid += 1n;
    return this.zxid;
  }

  // --- transactions (each returns the events it triggers) ---

  create(session: FakeClient, path: string, data: Uint8Array | null, acl: readonly ACL[], mode: CreateMode, ttl?: number): string {
    const parentPath = parentOf(path);
    const parent = this.node(parentPath);
    this.checkPerm(session, parent, Perms.CREATE, path);
    if (parent.stat.ephemeralOwner !== 0n && parent.stat.ephemeralOwner !== CONTAINER_OWNER && parent.stat.ephemeralOwner < TTL_OWNER_BASE) {
      fail(Code.NoChildrenForEphemerals, path);
    }
    const fixed = this.fixupAcl(session, acl, path);
    const finalPath = isSequentialMode(mode) ? `${path}${String(parent.creates).padStart(10, '0')}` : path;
    if (this.nodes.has(finalPath)) fail(Code.NodeExists, finalPath);
    const zxid = this.nextZxid();
    let owner = 0n;
    if (isEphemeral(mode)) owner = session.getSessionId();
    else if (mode === CreateMode.CONTAINER) owner = CONTAINER_OWNER;
    else if (ttl !== undefined && ttl > 0) owner = TTL_OWNER_BASE | BigInt(ttl);
    const node = this.newNode(data, zxid, owner);
    node.acl = fixed;
    this.nodes.set(finalPath, node);
    parent.children.add(nameOf(finalPath));
    parent.creates += 1;
    this.syncChildStat(parent);
    parent.stat.pzxid = zxid;
    if (nameOf(finalPath) === 'zookeeper_stats' && finalPath.startsWith('/zookeeper/quota/')) {
      this.fillQuotaStats(finalPath, node);
    }
    this.fire(finalPath, EventType.NodeCreated, zxid);
    this.fire(parentPath, EventType.NodeChildrenChanged, zxid);
    return finalPath;
  }

  /** What DataTree.updateQuotaForPath writes into a new zookeeper_stats node. */
  private fillQuotaStats(statsPath: string, node: FakeNode): void {
    const target = parentOf(statsPath).slice('/zookeeper/quota'.length);
    let count = 0;
    let bytes = 0;
    for (const [p, n] of this.nodes) {
      if (p === target || p.startsWith(`${target}/`)) {
        count++;
        bytes += n.stat.dataLength;
      }
    }
    node.data = new TextEncoder().encode(`count=${count},bytes=${bytes}`);
    node.stat.dataLength = node.data.length;
  }

  delete(session: FakeClient, path: string, version: number): void {
    const node = this.node(path);
    const parentPath = parentOf(path);
    const parent = this.node(parentPath);
    this.checkPerm(session, parent, Perms.DELETE, path);
    if (version !== -1 && node.stat.version !== version) fail(Code.BadVersion, path);
    if (node.children.size > 0) fail(Code.NotEmpty, path);
    const zxid = this.nextZxid();
    this.nodes.delete(path);
    parent.children.delete(nameOf(path));
    this.syncChildStat(parent);
    parent.stat.pzxid = zxid;
    this.fire(path, EventType.NodeDeleted, zxid);
    this.fire(parentPath, EventType.NodeChildrenChanged, zxid);
  }

  setData(session: FakeClient, path: string, data: Uint8Array | null, version: number): Stat {
    const node = this.node(path);
    this.checkPerm(session, node, Perms.WRITE, path);
    if (version !== -1 && node.stat.version !== version) fail(Code.BadVersion, path);
    const zxid = this.nextZxid();
    node.data = data;
    node.stat.version += 1;
    node.stat.mzxid = zxid;
    node.stat.mtime = BigInt(this.timeMs);
    node.stat.dataLength = data?.length ?? 0;
    this.fire(path, EventType.NodeDataChanged, zxid);
    return copyStat(node.stat);
  }

  setACL(session: FakeClient, path: string, acl: readonly ACL[], version: number): Stat {
    const node = this.node(path);
    this.checkPerm(session, node, Perms.ADMIN, path);
    if (version !== -1 && node.stat.aversion !== version) fail(Code.BadVersion, path);
    node.acl = this.fixupAcl(session, acl, path);
    this.nextZxid();
    node.stat.aversion += 1;
    return copyStat(node.stat);
  }

  /** All-or-nothing: on the first failure the tree is restored and nothing fires. */
  multi(session: FakeClient, ops: readonly Op[]): OpResult[] {
    const saved = new Map([...this.nodes].map(([p, n]) => [p, { ...n, stat: copyStat(n.stat), children: new Set(n.children) }]));
    const savedZxid = this.zxid;
    const pending: Array<[string, EventType, bigint]> = [];
    const realFire = this.fire;
    this.fire = (path, type, zxid) => void pending.push([path, type, zxid]);
    try {
      const results = ops.map((op) => this.applyOp(session, op));
      this.fire = realFire;
      for (const [p, t, z] of pending) this.fire(p, t, z);
      return results;
    } catch (e) {
      this.fire = realFire;
      this.nodes = saved;
      this.zxid = savedZxid;
      throw e;
    }
  }

  private applyOp(session: FakeClient, op: Op): OpResult {
    switch (op.type) {
      case 'create':
        return { type: 'create', path: this.create(session, op.path, op.data, op.acl, op.mode, op.ttl) };
      case 'delete':
        this.delete(session, op.path, op.version);
        return { type: 'delete' };
      case 'setData':
        return { type: 'setData', stat: this.setData(session, op.path, op.data, op.version) };
      case 'check': {
        const node = this.node(op.path);
        if (op.version !== -1 && node.stat.version !== op.version) fail(Code.BadVersion, op.path);
        return { type: 'check' };
      }
      default:
        return fail(Code.BadArguments, op.path);
    }
  }

  // --- watches ---

  addWatchEntry(session: FakeClient, kind: WatchKind, path: string, watcher: Watcher): void {
    const exists = this.watches.some((w) => w.session === session && w.kind === kind && w.path === path && w.watcher === watcher);
    if (!exists) this.watches.push({ session, kind, path, watcher });
  }

  private fire(path: string, type: EventType, zxid: bigint): void {
    const kinds: WatchKind[] =
      type === EventType.NodeChildrenChanged ? ['child'] : type === EventType.NodeCreated ? ['exist'] : ['data', 'exist'];
    if (type === EventType.NodeDeleted) kinds.push('child');
    const hits: WatchEntry[] = [];
    for (let i = this.watches.length - 1; i >= 0; i--) {
      const w = this.watches[i]!;
      if (w.session.getState() === 'CLOSED') continue;
      const oneShot = w.path === path && kinds.includes(w.kind);
      const persistent = w.kind === 'persistent' && w.path === path;
      const recursive =
        w.kind === 'recursive' &&
        type !== EventType.NodeChildrenChanged &&
        (w.path === path || path.startsWith(w.path === '/' ? '/' : `${w.path}/`));
      if (oneShot) this.watches.splice(i, 1);
      if (oneShot || persistent || recursive) hits.unshift(w);
    }
    // One notification per watcher function, as the client's watch manager dedupes.
    const delivered = new Set<Watcher>();
    for (const w of hits) {
      if (delivered.has(w.watcher)) continue;
      delivered.add(w.watcher);
      this.deliver(w.watcher, { type, state: KeeperState.SyncConnected, path, zxid });
    }
  }

  removeWatches(session: FakeClient, path: string, type: WatcherType): void {
    const kindsFor: Record<number, WatchKind[]> = {
      [WatcherType.Children]: ['child'],
      [WatcherType.Data]: ['data', 'exist'],
      [WatcherType.Any]: ['child', 'data', 'exist', 'persistent', 'recursive'],
      [WatcherType.Persistent]: ['persistent'],
      [WatcherType.PersistentRecursive]: ['recursive'],
    };
    const kinds = kindsFor[type] ?? [];
    const removed = this.watches.filter((w) => w.session === session && w.path === path && kinds.includes(w.kind));
    if (removed.length === 0) fail(Code.NoWatcher, path);
    for (const w of removed) this.watches.splice(this.watches.indexOf(w), 1);
    const eventFor = (kind: WatchKind): EventType =>
      kind === 'child' ? EventType.ChildWatchRemoved : kind === 'persistent' || kind === 'recursive' ? EventType.PersistentWatchRemoved : EventType.DataWatchRemoved;
    for (const w of removed) this.deliver(w.watcher, { type: eventFor(w.kind), state: KeeperState.SyncConnected, path, zxid: -1n });
  }

  endSession(session: FakeClient): void {
    const mine = [...this.nodes].filter(([, n]) => n.stat.ephemeralOwner === session.getSessionId()).map(([p]) => p);
    for (const path of mine.sort().reverse()) {
      if (this.nodes.has(path)) this.delete(session.asServer(), path, -1);
    }
    for (let i = this.watches.length - 1; i >= 0; i--) if (this.watches[i]!.session === session) this.watches.splice(i, 1);
  }
}

export class FakeClient implements ZooKeeperApi {
  state: ClientState = 'CONNECTED';
  authIds: { scheme: string; id: string }[] = [{ scheme: 'ip', id: '127.0.0.1' }];
  /** Every call made, for tests that check what zkCli asked for. */
  readonly calls: string[] = [];
  private superUser = false;

  constructor(
    private readonly server: FakeServer,
    private readonly sessionId: bigint,
    private readonly defaultWatcher: Watcher,
  ) {}

  matches(scheme: string, id: string): boolean {
    if (this.superUser) return true;
    if (scheme === 'world') return id === 'anyone';
    return this.authIds.some((a) => a.scheme === scheme && a.id === id);
  }

  /** A view of this session that passes every ACL (the server removing its ephemerals). */
  asServer(): FakeClient {
    const view = Object.create(this) as FakeClient;
    view.superUser = true;
    return view;
  }

  getState(): ClientState {
    return this.state;
  }
  getSessionId(): bigint {
    return this.sessionId;
  }
  getSessionPasswd(): Uint8Array {
    return new Uint8Array(16);
  }
  getSessionTimeout(): number {
    return 30000;
  }

  private async run<T>(name: string, body: () => T): Promise<T> {
    this.calls.push(name);
    if (this.state === 'CLOSED' || this.state === 'AUTH_FAILED') fail(Code.SessionExpired);
    if (this.server.failWith !== null) fail(this.server.failWith);
    return body();
  }

  private watcherFor(watch: WatchArg): Watcher | null {
    if (watch === true) return this.defaultWatcher;
    if (typeof watch === 'function') return watch;
    return null;
  }

  create(path: string, data: Uint8Array | null, acl: readonly ACL[], mode: CreateMode, ttl?: number): Promise<string> {
    return this.run(`create ${path} mode=${mode}${ttl === undefined ? '' : ` ttl=${ttl}`}`, () =>
      this.server.create(this, path, data, acl, mode, ttl),
    );
  }
  async createWithStat(path: string, data: Uint8Array | null, acl: readonly ACL[], mode: CreateMode, ttl?: number): Promise<{ path: string; stat: Stat }> {
    const created = await this.create(path, data, acl, mode, ttl);
    return { path: created, stat: copyStat(this.server.node(created).stat) };
  }
  delete(path: string, version = -1): Promise<void> {
    return this.run(`delete ${path} v=${version}`, () => this.server.delete(this, path, version));
  }
  exists(path: string, watch?: WatchArg): Promise<Stat | null> {
    return this.run(`exists ${path}`, () => {
      const node = this.server.nodes.get(path);
      const watcher = this.watcherFor(watch);
      if (watcher !== null) this.server.addWatchEntry(this, node === undefined ? 'exist' : 'data', path, watcher);
      return node === undefined ? null : copyStat(node.stat);
    });
  }
  getData(path: string, watch?: WatchArg): Promise<{ data: Uint8Array | null; stat: Stat }> {
    return this.run(`getData ${path}`, () => {
      const node = this.server.node(path);
      this.server.checkPerm(this, node, Perms.READ, path);
      const watcher = this.watcherFor(watch);
      if (watcher !== null) this.server.addWatchEntry(this, 'data', path, watcher);
      return { data: node.data === null ? null : node.data.slice(), stat: copyStat(node.stat) };
    });
  }
  setData(path: string, data: Uint8Array | null, version = -1): Promise<Stat> {
    return this.run(`setData ${path} v=${version}`, () => this.server.setData(this, path, data, version));
  }
  getACL(path: string): Promise<{ acl: ACL[]; stat: Stat }> {
    return this.run(`getACL ${path}`, () => {
      const node = this.server.node(path);
      this.server.checkPerm(this, node, Perms.READ | Perms.ADMIN, path);
      return { acl: node.acl.map((a) => ({ perms: a.perms, id: { ...a.id } })), stat: copyStat(node.stat) };
    });
  }
  setACL(path: string, acl: readonly ACL[], aclVersion = -1): Promise<Stat> {
    return this.run(`setACL ${path} v=${aclVersion}`, () => this.server.setACL(this, path, acl, aclVersion));
  }
  async getChildren(path: string, watch?: WatchArg): Promise<string[]> {
    return (await this.getChildren2(path, watch)).children;
  }
  getChildren2(path: string, watch?: WatchArg): Promise<{ children: string[]; stat: Stat }> {
    return this.run(`getChildren ${path}`, () => {
      const node = this.server.node(path);
      this.server.checkPerm(this, node, Perms.READ, path);
      const watcher = this.watcherFor(watch);
      if (watcher !== null) this.server.addWatchEntry(this, 'child', path, watcher);
      // Insertion order, not sorted: zkCli must sort for itself as it does with a real server.
      return { children: [...node.children], stat: copyStat(node.stat) };
    });
  }
  getAllChildrenNumber(path: string): Promise<number> {
    return this.run(`getAllChildrenNumber ${path}`, () => {
      this.server.node(path);
      const prefix = path === '/' ? '/' : `${path}/`;
      return [...this.server.nodes.keys()].filter((p) => p !== path && p.startsWith(prefix)).length;
    });
  }
  getEphemerals(prefixPath = '/'): Promise<string[]> {
    return this.run(`getEphemerals ${prefixPath}`, () =>
      [...this.server.nodes]
        .filter(([p, n]) => n.stat.ephemeralOwner === this.sessionId && p.startsWith(prefixPath))
        .map(([p]) => p)
        .sort(),
    );
  }
  sync(path: string): Promise<void> {
    return this.run(`sync ${path}`, () => undefined);
  }
  multi(ops: readonly Op[]): Promise<OpResult[]> {
    return this.run(`multi ${ops.length}`, () => this.server.multi(this, ops));
  }
  multiRead(ops: readonly Op[]): Promise<OpResult[]> {
    return this.run('multiRead', () => ops.map(() => ({ type: 'error', err: Code.Unimplemented }) as OpResult));
  }
  addWatch(path: string, watcher: Watcher | null, mode: AddWatchMode): Promise<void> {
    return this.run(`addWatch ${path} mode=${AddWatchMode[mode]}`, () => {
      const kind: WatchKind = mode === AddWatchMode.PERSISTENT ? 'persistent' : 'recursive';
      this.server.addWatchEntry(this, kind, path, watcher ?? this.defaultWatcher);
    });
  }
  removeWatches(path: string, _watcher: Watcher, type: WatcherType, local: boolean): Promise<void> {
    return this.removeAllWatches(path, type, local);
  }
  removeAllWatches(path: string, type: WatcherType, local: boolean): Promise<void> {
    return this.run(`removeAllWatches ${path} type=${WatcherType[type]} local=${local}`, () =>
      this.server.removeWatches(this, path, type),
    );
  }
  addAuthInfo(scheme: string, auth: Uint8Array): Promise<void> {
    return this.run(`addAuthInfo ${scheme}`, () => {
      const text = new TextDecoder().decode(auth);
      if (scheme !== 'digest' || !text.includes(':')) {
        this.state = 'AUTH_FAILED';
        this.server.deliver(this.defaultWatcher, { type: EventType.None, state: KeeperState.AuthFailed, path: null, zxid: -1n });
        return;
      }
      this.authIds.push({ scheme: 'digest', id: digestIdFor(text) });
    });
  }
  whoAmI(): Promise<ClientInfo[]> {
    return this.run('whoAmI', () =>
      this.authIds.map((a) => ({ authScheme: a.scheme, user: a.scheme === 'digest' ? a.id.slice(0, a.id.indexOf(':')) : a.id })),
    );
  }
  getConfig(watch?: WatchArg): Promise<{ data: Uint8Array | null; stat: Stat }> {
    return this.getData('/zookeeper/config', watch);
  }
  async close(): Promise<void> {
    this.calls.push('close');
    if (this.state === 'CLOSED') return;
    this.server.endSession(this);
    this.state = 'CLOSED';
    this.server.deliver(this.defaultWatcher, { type: EventType.None, state: KeeperState.Closed, path: null, zxid: -1n });
  }
}
