// The ZooKeeper client (Java's org.apache.zookeeper.ZooKeeper) as a Promise API over any duplex
// byte stream. Validation, chroot and watch registration live here; the session and the wire live
// in Connection. No Node or DOM APIs: it runs in a browser, in Node and in the simulator.
import type { Connector } from '../net/byte-stream';
import { OpCode } from '../jute/opcodes';
import type { MultiOp, MultiResponse, MultiResult } from '../jute/multi';
import type { Create2Response, CreateResponse, GetACLResponse, GetChildren2Response, GetChildrenResponse, GetAllChildrenNumberResponse, GetEphemeralsResponse, StatResponse, WhoAmIResponse } from '../jute/response-records';
import { Code, KeeperException } from '../zk/errors';
import { AddWatchMode, EventType, type ACL, type CreateMode, type Stat, type WatcherType } from '../zk/types';
import type { ClientInfo, ClientState, Op, OpResult, WatchArg, Watcher, ZooKeeperApi } from './api';
import { Chroot } from './chroot';
import { parseConnectString } from './connect-string';
import { Connection, type FinishHook, type Reply } from './connection';
import { createOpCode, createWithStatOpCode, isSequential, validateCreateMode, validateTTL } from './create-mode';
import { HostProvider } from './host-provider';
import { MultiKeeperException } from './multi-exception';
import { IllegalArgumentException, validatePath } from './path-utils';
import type { SpinDelayOptions } from './session-timing';
import { hostTimers, type Timers } from './timers';
import { WatchManager, removalEventState, type WatchKind } from './watch-manager';
import type { GetDataReply, WireRequest } from './wire';

export interface ZooKeeperOptions {
  connector: Connector;
  canBeReadOnly?: boolean;
  /** Resume an existing session (both must be given). */
  sessionId?: bigint;
  sessionPasswd?: Uint8Array;
  /** Host shuffling and reconnect jitter; without it the order is the connect string's. */
  random?: () => number;
  /** Pause after every server of a full cycle failed; default Java's fixed 1 s (session-timing.ts). */
  spinDelay?: SpinDelayOptions;
  timers?: Timers;
  /** Requests queued or in flight before new ones are refused with Throttled. */
  maxQueuedRequests?: number;
  /** Largest frame accepted from the server (client jute.maxbuffer). */
  maxFrameBytes?: number;
  /** A watcher threw; default rethrows asynchronously so the error is not lost. */
  onWatcherError?: (error: unknown) => void;
}

export const CONFIG_NODE = '/zookeeper/config';
const DEFAULT_MAX_QUEUED_REQUESTS = 100_000;

export class ZooKeeper implements ZooKeeperApi {
  private readonly chroot: Chroot;
  private readonly watches: WatchManager;
  private readonly cnxn: Connection;
  readonly connectString: string;

  constructor(connectString: string, sessionTimeoutMs: number, defaultWatcher: Watcher | null, options: ZooKeeperOptions) {
    if (!Number.isInteger(sessionTimeoutMs) || sessionTimeoutMs <= 0) {
      throw new IllegalArgumentException(`Invalid session timeout ${sessionTimeoutMs}`);
    }
    const parsed = parseConnectString(connectString);
    this.connectString = connectString;
    this.chroot = new Chroot(parsed.chroot);
    this.watches = new WatchManager(defaultWatcher);
    const sessionId = options.sessionId ?? 0n;
    this.cnxn = new Connection({
      hosts: new HostProvider(parsed.addresses, options.random),
      sessionTimeoutMs,
      connector: options.connector,
      timers: options.timers ?? hostTimers,
      watches: this.watches,
      chroot: this.chroot,
      canBeReadOnly: options.canBeReadOnly ?? false,
      sessionId,
      sessionPasswd: sessionId === 0n ? new Uint8Array(16) : (options.sessionPasswd ?? new Uint8Array(16)),
      random: options.random,
      ...(options.spinDelay === undefined ? {} : { spinDelay: options.spinDelay }),
      maxQueuedRequests: options.maxQueuedRequests ?? DEFAULT_MAX_QUEUED_REQUESTS,
      maxFrameBytes: options.maxFrameBytes,
      onWatcherError: options.onWatcherError ?? rethrowLater,
    });
    this.cnxn.start();
  }

  // ---- session --------------------------------------------------------------------------------

  getState(): ClientState {
    return this.cnxn.getState();
  }
  getSessionId(): bigint {
    return this.cnxn.getSessionId();
  }
  getSessionPasswd(): Uint8Array {
    return this.cnxn.getSessionPasswd();
  }
  /** The negotiated timeout; 0 until the first session is established. */
  getSessionTimeout(): number {
    return this.cnxn.getSessionTimeout();
  }
  /** Highest zxid seen in a reply (sent as lastZxidSeen and SetWatches' relativeZxid). */
  getLastZxid(): bigint {
    return this.cnxn.getLastZxid();
  }
  /** "host:port" of the current or last attempted server. */
  getCurrentServer(): string | null {
    return this.cnxn.getCurrentAddress();
  }
  /** Replaces the default watcher (Java's register). */
  register(watcher: Watcher | null): void {
    this.watches.defaultWatcher = watcher;
  }

  close(): Promise<void> {
    return this.cnxn.close();
  }

  addAuthInfo(scheme: string, auth: Uint8Array): Promise<void> {
    return this.cnxn.addAuthInfo(scheme, auth);
  }

  // ---- writes ---------------------------------------------------------------------------------

  async create(path: string, data: Uint8Array | null, acl: readonly ACL[], mode: CreateMode, ttl = -1): Promise<string> {
    this.validateCreate(path, acl, mode, ttl);
    const op = createOpCode(mode);
    const body = { path: this.chroot.prepend(path), data, acl: [...acl], flags: mode };
    const request: WireRequest = op === OpCode.createTTL ? { op, ...body, ttlMs: BigInt(ttl) } : { op, ...body };
    const reply = await this.call<CreateResponse | Create2Response>(request, path);
    return this.chroot.strip(reply.path);
  }

  async createWithStat(
    path: string,
    data: Uint8Array | null,
    acl: readonly ACL[],
    mode: CreateMode,
    ttl = -1,
  ): Promise<{ path: string; stat: Stat }> {
    this.validateCreate(path, acl, mode, ttl);
    const op = createWithStatOpCode(mode);
    const body = { path: this.chroot.prepend(path), data, acl: [...acl], flags: mode };
    const request: WireRequest = op === OpCode.createTTL ? { op, ...body, ttlMs: BigInt(ttl) } : { op, ...body };
    const reply = await this.call<Create2Response>(request, path);
    return { path: this.chroot.strip(reply.path), stat: reply.stat };
  }

  private validateCreate(path: string, acl: readonly ACL[], mode: CreateMode, ttl: number): void {
    validateCreateMode(mode);
    validatePath(path, isSequential(mode));
    validateTTL(mode, ttl);
    validateACL(acl);
  }

  async delete(path: string, version = -1): Promise<void> {
    validatePath(path);
    // Java sends "/" unprefixed even under a chroot, so deleting the root always fails.
    const serverPath = path === '/' ? path : this.chroot.prepend(path);
    await this.call({ op: OpCode.delete, path: serverPath, version }, path);
  }

  async setData(path: string, data: Uint8Array | null, version = -1): Promise<Stat> {
    validatePath(path);
    const request: WireRequest = { op: OpCode.setData, path: this.chroot.prepend(path), data, version };
    return (await this.call<StatResponse>(request, path)).stat;
  }

  async setACL(path: string, acl: readonly ACL[], aclVersion = -1): Promise<Stat> {
    validatePath(path);
    validateACL(acl);
    const request: WireRequest = { op: OpCode.setACL, path: this.chroot.prepend(path), acl: [...acl], version: aclVersion };
    return (await this.call<StatResponse>(request, path)).stat;
  }

  // ---- reads ----------------------------------------------------------------------------------

  async exists(path: string, watch?: WatchArg): Promise<Stat | null> {
    validatePath(path);
    const watcher = this.resolveWatcher(watch);
    const serverPath = this.chroot.prepend(path);
    // A watch on a missing node is an exists watch: it fires on NodeCreated.
    const hook = this.registration(watcher, serverPath, (rc) =>
      rc === Code.OK ? 'data' : rc === Code.NoNode ? 'exist' : null,
    );
    const reply = await this.cnxn.submit({ op: OpCode.exists, path: serverPath, watch: watcher !== null }, hook);
    if (reply.err === Code.NoNode) return null;
    const stat = this.unwrap<StatResponse>(reply, path).stat;
    return stat.czxid === -1n ? null : stat;
  }

  async getData(path: string, watch?: WatchArg): Promise<{ data: Uint8Array | null; stat: Stat }> {
    validatePath(path);
    return this.getDataAt(this.chroot.prepend(path), path, this.resolveWatcher(watch));
  }

  async getConfig(watch?: WatchArg): Promise<{ data: Uint8Array | null; stat: Stat }> {
    // The config node is outside any chroot: the watch stays on the unchrooted path.
    return this.getDataAt(CONFIG_NODE, CONFIG_NODE, this.resolveWatcher(watch));
  }

  private async getDataAt(serverPath: string, clientPath: string, watcher: Watcher | null): Promise<GetDataReply> {
    const hook = this.registration(watcher, serverPath, (rc) => (rc === Code.OK ? 'data' : null));
    const reply = await this.cnxn.submit({ op: OpCode.getData, path: serverPath, watch: watcher !== null }, hook);
    return this.unwrap<GetDataReply>(reply, clientPath);
  }

  async getACL(path: string): Promise<{ acl: ACL[]; stat: Stat }> {
    validatePath(path);
    const reply = await this.call<GetACLResponse>({ op: OpCode.getACL, path: this.chroot.prepend(path) }, path);
    return { acl: reply.acl, stat: reply.stat };
  }

  async getChildren(path: string, watch?: WatchArg): Promise<string[]> {
    const reply = await this.children<GetChildrenResponse>(OpCode.getChildren, path, watch);
    return reply.children;
  }

  async getChildren2(path: string, watch?: WatchArg): Promise<{ children: string[]; stat: Stat }> {
    const reply = await this.children<GetChildren2Response>(OpCode.getChildren2, path, watch);
    return { children: reply.children, stat: reply.stat };
  }

  private async children<T>(op: OpCode.getChildren | OpCode.getChildren2, path: string, watch: WatchArg): Promise<T> {
    validatePath(path);
    const watcher = this.resolveWatcher(watch);
    const serverPath = this.chroot.prepend(path);
    const hook = this.registration(watcher, serverPath, (rc) => (rc === Code.OK ? 'child' : null));
    const reply = await this.cnxn.submit({ op, path: serverPath, watch: watcher !== null }, hook);
    return this.unwrap<T>(reply, path);
  }

  async getAllChildrenNumber(path: string): Promise<number> {
    validatePath(path);
    const request: WireRequest = { op: OpCode.getAllChildrenNumber, path: this.chroot.prepend(path) };
    return (await this.call<GetAllChildrenNumberResponse>(request, path)).totalNumber;
  }

  /** As Java: the prefix is not chroot-prefixed and the returned paths are server paths. */
  async getEphemerals(prefixPath = '/'): Promise<string[]> {
    validatePath(prefixPath);
    const reply = await this.cnxn.submit({ op: OpCode.getEphemerals, prefixPath });
    return this.unwrap<GetEphemeralsResponse>(reply, undefined).ephemerals;
  }

  async sync(path: string): Promise<void> {
    validatePath(path);
    await this.call({ op: OpCode.sync, path: this.chroot.prepend(path) }, path);
  }

  async whoAmI(): Promise<ClientInfo[]> {
    const reply = await this.cnxn.submit({ op: OpCode.whoAmI });
    return this.unwrap<WhoAmIResponse>(reply, undefined).clientInfo;
  }

  // ---- multi ----------------------------------------------------------------------------------

  async multi(ops: readonly Op[]): Promise<OpResult[]> {
    const wireOps = ops.map((op) => this.toMultiOp(op, 'write'));
    if (wireOps.length === 0) return [];
    const reply = await this.cnxn.submit({ op: OpCode.multi, ops: wireOps });
    const results = this.unwrap<MultiResponse>(reply, undefined).results.map((r) => this.toOpResult(r));
    const failed = results.find((r) => r.type === 'error' && r.err !== Code.OK);
    if (failed !== undefined && failed.type === 'error') throw new MultiKeeperException(failed.err, results);
    return results;
  }

  async multiRead(ops: readonly Op[]): Promise<OpResult[]> {
    const wireOps = ops.map((op) => this.toMultiOp(op, 'read'));
    if (wireOps.length === 0) return [];
    const reply = await this.cnxn.submit({ op: OpCode.multiRead, ops: wireOps });
    return this.unwrap<MultiResponse>(reply, undefined).results.map((r) => this.toOpResult(r));
  }

  private toMultiOp(op: Op, kind: 'read' | 'write'): MultiOp {
    const isRead = op.type === 'getData' || op.type === 'getChildren';
    if (isRead !== (kind === 'read')) {
      throw new IllegalArgumentException('Mixing read and write operations (transaction) is not allowed in a multi request.');
    }
    const path = this.chroot.prepend(op.path);
    switch (op.type) {
      case 'create': {
        validateCreateMode(op.mode);
        validatePath(op.path, isSequential(op.mode));
        const ttl = op.ttl ?? -1;
        validateTTL(op.mode, ttl);
        const code = createOpCode(op.mode);
        const body = { path, data: op.data, acl: [...op.acl], flags: op.mode };
        return code === OpCode.createTTL ? { op: code, ...body, ttlMs: BigInt(ttl) } : { op: code, ...body };
      }
      case 'delete':
        validatePath(op.path);
        return { op: OpCode.delete, path, version: op.version };
      case 'setData':
        validatePath(op.path);
        return { op: OpCode.setData, path, data: op.data, version: op.version };
      case 'check':
        validatePath(op.path);
        return { op: OpCode.check, path, version: op.version };
      case 'getData':
        validatePath(op.path);
        return { op: OpCode.getData, path, watch: false };
      case 'getChildren':
        validatePath(op.path);
        return { op: OpCode.getChildren, path, watch: false };
    }
  }

  private toOpResult(result: MultiResult): OpResult {
    switch (result.op) {
      case OpCode.create:
        return { type: 'create', path: this.chroot.strip(result.path) };
      case OpCode.create2:
        return { type: 'create', path: this.chroot.strip(result.path), stat: result.stat };
      case OpCode.delete:
        return { type: 'delete' };
      case OpCode.setData:
        return { type: 'setData', stat: result.stat };
      case OpCode.check:
        return { type: 'check' };
      case OpCode.getData:
        return { type: 'getData', data: result.data, stat: result.stat };
      case OpCode.getChildren:
        return { type: 'getChildren', children: result.children };
      case OpCode.error:
        return { type: 'error', err: result.err };
    }
  }

  // ---- watches --------------------------------------------------------------------------------

  async addWatch(path: string, watcher: Watcher | null, mode: AddWatchMode): Promise<void> {
    validatePath(path);
    const target = watcher ?? this.watches.defaultWatcher;
    if (target === null) throw new IllegalArgumentException("Invalid Watcher, shouldn't be null!");
    if (mode !== AddWatchMode.PERSISTENT && mode !== AddWatchMode.PERSISTENT_RECURSIVE) {
      throw new IllegalArgumentException(`Mode not supported: ${String(mode)}`);
    }
    const kind: WatchKind = mode === AddWatchMode.PERSISTENT ? 'persistent' : 'persistentRecursive';
    const serverPath = this.chroot.prepend(path);
    const hook = this.registration(target, serverPath, (rc) => (rc === Code.OK || rc === Code.NoNode ? kind : null));
    const reply = await this.cnxn.submit({ op: OpCode.addWatch, path: serverPath, mode }, hook);
    this.unwrap(reply, path);
  }

  removeWatches(path: string, watcher: Watcher, type: WatcherType, local: boolean): Promise<void> {
    if (typeof watcher !== 'function') {
      return Promise.reject(new IllegalArgumentException("Invalid Watcher, shouldn't be null!"));
    }
    return this.removeWatchesInternal(OpCode.checkWatches, path, watcher, type, local);
  }

  removeAllWatches(path: string, type: WatcherType, local: boolean): Promise<void> {
    return this.removeWatchesInternal(OpCode.removeWatches, path, null, type, local);
  }

  private async removeWatchesInternal(
    op: OpCode.checkWatches | OpCode.removeWatches,
    path: string,
    watcher: Watcher | null,
    type: WatcherType,
    local: boolean,
  ): Promise<void> {
    validatePath(path);
    const serverPath = this.chroot.prepend(path);
    // Java's WatchDeregistration: applied when the reply (or the connection loss) comes back.
    const hook: FinishHook = (rc) => {
      try {
        const removed = this.watches.remove(serverPath, watcher, type, local, rc, path);
        const state = removalEventState(rc);
        let any = false;
        for (const eventType of [EventType.ChildWatchRemoved, EventType.DataWatchRemoved, EventType.PersistentWatchRemoved] as const) {
          const set = removed[eventType];
          if (set.size === 0) continue;
          any = true;
          this.cnxn.deliver(set, { type: eventType, state, path, zxid: -1n });
        }
        return any ? Code.OK : rc;
      } catch (e) {
        if (e instanceof KeeperException) return e.code;
        throw e;
      }
    };
    const reply = await this.cnxn.submit({ op, path: serverPath, type }, hook);
    this.unwrap(reply, path);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private resolveWatcher(watch: WatchArg): Watcher | null {
    if (typeof watch === 'function') return watch;
    if (watch !== true) return null;
    const watcher = this.watches.defaultWatcher;
    if (watcher === null) throw new IllegalStateException('Default watcher is required, but it is null.');
    return watcher;
  }

  /** A hook that registers `watcher` in the table `kindFor(rc)` picks (none when it returns null). */
  private registration(watcher: Watcher | null, serverPath: string, kindFor: (rc: number) => WatchKind | null): FinishHook | undefined {
    if (watcher === null) return undefined;
    return (rc) => {
      const kind = kindFor(rc);
      if (kind !== null) this.watches.add(kind, serverPath, watcher);
    };
  }

  private async call<T>(request: WireRequest, clientPath: string | undefined): Promise<T> {
    return this.unwrap<T>(await this.cnxn.submit(request), clientPath);
  }

  private unwrap<T>(reply: Reply, clientPath: string | undefined): T {
    if (reply.err !== Code.OK) throw new KeeperException(reply.err, clientPath);
    return reply.response as T;
  }
}

/** Java's IllegalStateException (e.g. watch=true without a default watcher). */
export class IllegalStateException extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IllegalStateException';
  }
}

function validateACL(acl: readonly ACL[] | null | undefined): void {
  if (acl === null || acl === undefined || acl.length === 0 || acl.some((a) => a === null || a === undefined)) {
    throw new KeeperException(Code.InvalidACL);
  }
}

function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}
