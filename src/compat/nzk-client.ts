// A logging wrapper around node-zookeeper-client (3.4 API). Every call appends one transcript
// entry with its arguments and its outcome (ok value or error name, plus `rz`, the zxid in the
// reply header). Watch notifications and connection-state changes are buffered per client and
// written to the transcript just before that client's next reply (or at waitEvents/sync), which
// keeps "event before reply" order visible while staying deterministic across clients.
import zookeeper from 'node-zookeeper-client';
import type { ACL as NzkACL, Client, JuteStat, TxnResult, Watcher, ZkError } from 'node-zookeeper-client';
import { CreateMode, type Stat } from '../zk/types';
import type { ConnectOptions } from './case';
import {
  describeAcl,
  describeAclSpec,
  describeData,
  describeInput,
  describeStat,
  errName,
  eventName,
  OPEN,
  parsePerms,
  toBuffer,
  type AclSpec,
  type Data,
} from './format';
import { SessionVal, ZxidVal, type RawEntry, type Transcript } from './transcript';

export type ModeName = 'PERSISTENT' | 'EPHEMERAL' | 'PERSISTENT_SEQUENTIAL' | 'EPHEMERAL_SEQUENTIAL' | 'CONTAINER' | 'PERSISTENT_WITH_TTL';

export type MultiOp =
  | { op: 'create'; path: string; data?: Data; mode?: ModeName; acl?: AclSpec[] }
  | { op: 'delete'; path: string; version?: number }
  | { op: 'setData'; path: string; data: Data; version?: number }
  | { op: 'check'; path: string; version: number };

const CONNECT_TIMEOUT_MS = 15_000;
const WAIT_TIMEOUT_MS = 15_000;
const MAX_PENDING = 1_000;

const OP_TYPE_NAMES: Record<number, string> = { 1: 'create', 2: 'delete', 5: 'setData', 13: 'check', [-1]: 'error' };
const OP_CODE = { create: 1, delete: 2, setData: 5, check: 13 } as const;
const OP_SET_WATCHES = 101;
const OP_CLOSE_SESSION = -11;

export function bufToBigint(b: Buffer): bigint {
  return b.readBigInt64BE(0);
}
export function bigintToBuf(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(v);
  return b;
}
export function fromJuteStat(s: JuteStat): Stat {
  return {
    czxid: bufToBigint(s.czxid),
    mzxid: bufToBigint(s.mzxid),
    ctime: bufToBigint(s.ctime),
    mtime: bufToBigint(s.mtime),
    version: s.version,
    cversion: s.cversion,
    aversion: s.aversion,
    ephemeralOwner: bufToBigint(s.ephemeralOwner),
    dataLength: s.dataLength,
    numChildren: s.numChildren,
    pzxid: bufToBigint(s.pzxid),
  };
}

function toNzkAcl(a: AclSpec): NzkACL {
  return new zookeeper.ACL(parsePerms(a.perms), new zookeeper.Id(a.scheme, a.id));
}

interface Outcome<T> {
  ok: boolean;
  value?: T;
  err?: string;
}

/** Result of one logged call: `undefined` when the call failed (the error is in the transcript). */
export class CompatClient {
  readonly sessionId: bigint;
  readonly sessionPassword: Buffer;
  readonly negotiatedTimeoutMs: number;
  /** Error name of the last failed call ("NoNode"), or undefined if it succeeded. */
  lastErr: string | undefined;
  private pending: RawEntry[] = [];
  private eventCount = 0;
  private replyZxid: Buffer | undefined;
  private replyErr: number | undefined;
  private closed = false;
  private wakeup: (() => void) | undefined;
  private readonly statesSeen = new Map<string, number>();

  constructor(
    readonly label: string,
    private readonly client: Client,
    private readonly log: Transcript,
  ) {
    this.sessionId = bufToBigint(client.getSessionId());
    this.sessionPassword = client.getSessionPassword();
    this.negotiatedTimeoutMs = client.getSessionTimeout();
    this.instrument();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Taps the reply header zxid and raw notifications (before the client's own dispatch). */
  private instrument(): void {
    const cm = this.client.connectionManager;
    const queue = cm.queue.bind(cm);
    type Resp = { header?: { zxid?: Buffer; err?: number } };
    cm.queue = (req: { header?: { type?: number } }, cb?: (err: unknown, resp?: Resp) => void) => {
      const type = req.header?.type;
      if (type === OP_SET_WATCHES || type === OP_CLOSE_SESSION || cb === undefined) return queue(req, cb);
      return queue(req, (err: unknown, resp?: Resp) => {
        this.replyZxid = resp?.header?.zxid;
        this.replyErr = resp?.header?.err;
        try {
          cb(err, resp);
        } finally {
          this.replyZxid = undefined;
          this.replyErr = undefined;
        }
      });
    };
    const wm = cm.watcherManager;
    const emit = wm.emit.bind(wm);
    wm.emit = (ev: { type: number; state: number; path: string }) => {
      this.buffer({ c: this.label, event: eventName(ev.type), path: ev.path });
      this.eventCount++;
      try {
        emit(ev);
      } catch (e) {
        this.buffer({ c: this.label, clientError: String((e as Error).message) });
      }
    };
    this.client.on('state', (s: { name: string }) => {
      this.statesSeen.set(s.name, (this.statesSeen.get(s.name) ?? 0) + 1);
      this.buffer({ c: this.label, state: s.name });
    });
  }

  private buffer(e: RawEntry): void {
    if (this.pending.length >= MAX_PENDING) throw new Error(`${this.label}: over ${MAX_PENDING} buffered events`);
    this.pending.push(e);
    this.wakeup?.();
  }

  /** Moves buffered events/state changes into the transcript, in arrival order. */
  flush(): void {
    for (const e of this.pending) this.log.add(e);
    this.pending = [];
  }

  private rz(): ZxidVal | undefined {
    return this.replyZxid === undefined ? undefined : new ZxidVal(bufToBigint(this.replyZxid));
  }

  /** Runs one client call and logs `{c, op, ...args, ok|err, rz}`. */
  private call<T>(op: string, args: RawEntry, invoke: (done: (err: ZkError | null, ...res: unknown[]) => void) => void, shape: (...res: unknown[]) => { value: T; logged: RawEntry[string] }): Promise<T | undefined> {
    return new Promise((resolve) => {
      const entry: RawEntry = { c: this.label, op, ...args };
      const finish = (o: Outcome<T>, extra: RawEntry = {}) => {
        this.flush();
        this.lastErr = o.err;
        this.log.add({ ...entry, ...extra });
        resolve(o.ok ? o.value : undefined);
      };
      try {
        invoke((err, ...res) => {
          const rz = this.rz();
          // multi: the reply header's own error (the client derives `err` from the results).
          const hdr = op === 'multi' && this.replyErr !== undefined ? { replyHeaderErr: errName(this.replyErr) } : {};
          if (err) {
            const name = typeof err.code === 'number' ? errName(err.code) : `threw: ${err.message}`;
            finish({ ok: false, err: name }, { err: name, rz, ...hdr, ...(res.length > 0 && res[0] !== undefined ? { results: shapeResultsLoose(res[0]) } : {}) });
            return;
          }
          const { value, logged } = shape(...res);
          finish({ ok: true, value }, { ok: logged, rz, ...hdr });
        });
      } catch (e) {
        const msg = `client rejected: ${(e as Error).message}`;
        finish({ ok: false, err: msg }, { threw: msg });
      }
    });
  }

  private watcher(watch: boolean | undefined): Watcher | undefined {
    // A fresh function per registration: node-zookeeper-client de-duplicates identical watchers.
    return watch ? () => undefined : undefined;
  }

  create(path: string, data: Data = null, opts: { mode?: ModeName | number; acl?: AclSpec[] } = {}): Promise<string | undefined> {
    const mode = typeof opts.mode === 'number' ? opts.mode : CreateMode[opts.mode ?? 'PERSISTENT'];
    const acl = opts.acl ?? OPEN;
    const args: RawEntry = { path, data: describeInput(data) };
    if (opts.mode !== undefined) args.mode = opts.mode;
    if (opts.acl !== undefined) args.acl = acl.map(describeAclSpec);
    return this.call(
      'create',
      args,
      (done) => this.client.create(path, toBuffer(data), acl.map(toNzkAcl), mode, done),
      (p) => ({ value: p as string, logged: p as string }),
    );
  }

  remove(path: string, version = -1): Promise<true | undefined> {
    return this.call('delete', { path, version }, (done) => this.client.remove(path, version, done), () => ({ value: true as const, logged: true }));
  }

  exists(path: string, watch?: boolean): Promise<Stat | null | undefined> {
    return this.call(
      'exists',
      { path, ...(watch ? { watch } : {}) },
      (done) => this.client.exists(path, this.watcher(watch), done),
      (s) => {
        const stat = s ? fromJuteStat(s as JuteStat) : null;
        return { value: stat, logged: stat ? describeStat(stat) : null };
      },
    );
  }

  getData(path: string, watch?: boolean): Promise<{ data: Buffer | null; stat: Stat } | undefined> {
    return this.call(
      'getData',
      { path, ...(watch ? { watch } : {}) },
      (done) => this.client.getData(path, this.watcher(watch), done),
      (d, s) => {
        const data = (d as Buffer | undefined) ?? null;
        const stat = fromJuteStat(s as JuteStat);
        return { value: { data, stat }, logged: { data: describeData(data), stat: describeStat(stat) } };
      },
    );
  }

  setData(path: string, data: Data, version = -1): Promise<Stat | undefined> {
    return this.call(
      'setData',
      { path, data: describeInput(data), version },
      (done) => this.client.setData(path, toBuffer(data) ?? Buffer.alloc(0), version, done),
      (s) => {
        const stat = fromJuteStat(s as JuteStat);
        return { value: stat, logged: describeStat(stat) };
      },
    );
  }

  /** getChildren2; children are logged sorted (Apache returns HashSet order) unless `rawOrder`. */
  getChildren(path: string, watch?: boolean, rawOrder = false): Promise<{ children: string[]; stat: Stat } | undefined> {
    return this.call(
      'getChildren',
      { path, ...(watch ? { watch } : {}) },
      (done) => this.client.getChildren(path, this.watcher(watch), done),
      (c, s) => {
        const children = [...(c as string[])];
        const shown = rawOrder ? children : [...children].sort();
        const stat = fromJuteStat(s as JuteStat);
        return { value: { children, stat }, logged: { children: shown, stat: describeStat(stat) } };
      },
    );
  }

  getACL(path: string): Promise<{ acl: string[]; stat: Stat } | undefined> {
    return this.call(
      'getACL',
      { path },
      (done) => this.client.getACL(path, done),
      (a, s) => {
        const acl = ((a as NzkACL[] | undefined) ?? []).map((x) => describeAcl({ perms: x.permission, scheme: x.id.scheme, id: x.id.id }));
        const stat = fromJuteStat(s as JuteStat);
        return { value: { acl, stat }, logged: { acl, stat: describeStat(stat) } };
      },
    );
  }

  setACL(path: string, acl: AclSpec[], version = -1): Promise<Stat | undefined> {
    return this.call(
      'setACL',
      { path, acl: acl.map(describeAclSpec), version },
      (done) => this.client.setACL(path, acl.map(toNzkAcl), version, done),
      (s) => {
        const stat = fromJuteStat(s as JuteStat);
        return { value: stat, logged: describeStat(stat) };
      },
    );
  }

  /** multi; ops are built directly so version 0 is sent as 0 (Transaction.check turns 0 into -1). */
  multi(ops: MultiOp[]): Promise<TxnResult[] | undefined> {
    const txn = this.client.transaction() as unknown as { ops: unknown[]; commit: (cb: (err: ZkError | null, r?: TxnResult[]) => void) => void };
    const described: RawEntry[string] = ops.map(describeMultiOp);
    return this.call(
      'multi',
      { ops: described },
      (done) => {
        for (const o of ops) txn.ops.push(toTxnOp(o));
        txn.commit((err, results) => (err ? (done as (e: ZkError, r?: unknown) => void)(err, results) : done(null, results)));
      },
      (r) => ({ value: r as TxnResult[], logged: shapeResults(r as TxnResult[]) }),
    );
  }

  /** Fire-and-forget like the Java client: the auth reply only shows as a state change on failure. */
  addAuth(scheme: string, auth: string): void {
    this.log.add({ c: this.label, op: 'addAuthInfo', scheme, auth });
    this.client.addAuthInfo(scheme, Buffer.from(auth, 'utf8'));
  }

  /** Unlogged getChildren/exists, for facts that depend on other cases (e.g. "/"), to be noted selectively. */
  quietChildren(path: string): Promise<string[] | undefined> {
    return new Promise((resolve) => this.client.getChildren(path, undefined, (err: unknown, c?: string[]) => resolve(err ? undefined : c)));
  }
  quietExists(path: string): Promise<Stat | null | undefined> {
    return new Promise((resolve) => this.client.exists(path, undefined, (err: unknown, s?: JuteStat | null) => resolve(err ? undefined : s ? fromJuteStat(s) : null)));
  }

  quietACL(path: string): Promise<string[] | undefined> {
    return new Promise((resolve) =>
      this.client.getACL(path, (err: unknown, acls?: NzkACL[]) => resolve(err ? undefined : (acls ?? []).map((x) => describeAcl({ perms: x.permission, scheme: x.id.scheme, id: x.id.id })))),
    );
  }

  /** An unlogged round trip; anything the server sent before it is then flushed. */
  async sync(): Promise<void> {
    if (this.closed) return this.flush();
    await new Promise<void>((resolve) => this.client.exists('/', undefined, () => resolve()));
    this.flush();
  }

  /** Waits until `count` notifications arrived since the client was opened, then flushes. */
  waitEvents(count: number, timeoutMs = WAIT_TIMEOUT_MS): Promise<void> {
    return this.waitFor(() => this.eventCount >= count, `events>=${count}`, timeoutMs);
  }

  /** Waits for the nth change to this state since the client connected ('EXPIRED', 'SYNC_CONNECTED'). */
  waitState(name: string, nth = 1, timeoutMs = WAIT_TIMEOUT_MS): Promise<void> {
    return this.waitFor(() => (this.statesSeen.get(name) ?? 0) >= nth, `state ${name} #${nth}`, timeoutMs);
  }

  /** How many times the client entered a state (e.g. 'DISCONNECTED') since it connected. */
  stateCount(name: string): number {
    return this.statesSeen.get(name) ?? 0;
  }

  /**
   * Waits until no state change arrived for `quietMs`, then drops the buffered state changes
   * (not the events). For races whose number of reconnects is timing-dependent.
   */
  async settleStates(quietMs = 500, timeoutMs = WAIT_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let seen = -1;
    for (;;) {
      const total = [...this.statesSeen.values()].reduce((a, b) => a + b, 0);
      if (total === seen || Date.now() > deadline) break;
      seen = total;
      await new Promise((r) => setTimeout(r, quietMs));
    }
    this.pending = this.pending.filter((e) => typeof e.state !== 'string');
  }

  /** Drops the TCP connection; the client reconnects to the same session (and re-sends watches). */
  dropConnection(): void {
    this.log.add({ c: this.label, op: 'dropConnection' });
    (this.client.connectionManager.socket as import('node:net').Socket).destroy();
  }

  private async waitFor(pred: () => boolean, what: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred()) {
      const left = deadline - Date.now();
      if (left <= 0) {
        this.flush();
        this.log.add({ c: this.label, timeout: what });
        return;
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 250));
        this.wakeup = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wakeup = undefined;
    }
    this.flush();
  }

  /** Stops pinging, so the server expires the session (used by expiry cases). */
  stopPinging(): void {
    const sock = this.client.connectionManager.socket as import('node:net').Socket;
    sock.setTimeout(0);
    sock.removeAllListeners('timeout');
    this.log.add({ c: this.label, op: 'stopPinging' });
  }

  /** Closes the session and waits for the server to drop the connection. */
  async close(logged = true): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const done = new Promise<void>((resolve) => {
      const t = setTimeout(resolve, CONNECT_TIMEOUT_MS);
      this.client.once('disconnected', () => {
        clearTimeout(t);
        resolve();
      });
    });
    const state = this.client.getState().name;
    if (state === 'SYNC_CONNECTED' || state === 'DISCONNECTED') this.client.close();
    if (state === 'SYNC_CONNECTED') await done;
    if (logged) {
      this.flush();
      this.log.add({ c: this.label, op: 'close' });
    }
    this.pending = [];
    this.client.removeAllListeners();
    (this.client.connectionManager.socket as import('node:net').Socket | undefined)?.destroy();
  }

  /** The session id as the transcript shows it (the label). */
  get sessionRef(): SessionVal {
    return new SessionVal(this.sessionId);
  }
}

function describeMultiOp(o: MultiOp): RawEntry[string] {
  switch (o.op) {
    case 'create':
      return { op: 'create', path: o.path, data: describeInput(o.data ?? null), ...(o.mode ? { mode: o.mode } : {}), ...(o.acl ? { acl: o.acl.map(describeAclSpec) } : {}) };
    case 'delete':
      return { op: 'delete', path: o.path, version: o.version ?? -1 };
    case 'setData':
      return { op: 'setData', path: o.path, data: describeInput(o.data), version: o.version ?? -1 };
    case 'check':
      return { op: 'check', path: o.path, version: o.version };
  }
}

function toTxnOp(o: MultiOp): Record<string, unknown> {
  switch (o.op) {
    case 'create':
      return { type: OP_CODE.create, path: o.path, data: toBuffer(o.data ?? null) ?? undefined, acls: (o.acl ?? OPEN).map(toNzkAcl), mode: CreateMode[o.mode ?? 'PERSISTENT'] };
    case 'delete':
      return { type: OP_CODE.delete, path: o.path, version: o.version ?? -1 };
    case 'setData':
      return { type: OP_CODE.setData, path: o.path, data: toBuffer(o.data) ?? undefined, version: o.version ?? -1 };
    case 'check':
      return { type: OP_CODE.check, path: o.path, version: o.version };
  }
}

function shapeResults(results: TxnResult[]): RawEntry[string] {
  return results.map((r) => {
    const out: RawEntry = { type: OP_TYPE_NAMES[r.type] ?? `op(${r.type})` };
    if (r.path !== undefined) out.path = r.path;
    if (r.stat !== undefined) out.stat = describeStat(fromJuteStat(r.stat));
    if (r.err !== undefined) out.err = errName(r.err);
    return out;
  });
}
function shapeResultsLoose(r: unknown): RawEntry[string] {
  return Array.isArray(r) ? shapeResults(r as TxnResult[]) : null;
}

/** Opens node-zookeeper-client sessions for one case and closes whatever is left at the end. */
export class NzkFactory {
  private readonly clients: CompatClient[] = [];
  constructor(
    private readonly connectString: string,
    private readonly log: Transcript,
  ) {}

  readonly connect = async (label: string, opts: ConnectOptions = {}): Promise<CompatClient> => {
    const cs = this.connectString + (opts.chroot ?? '');
    const client = zookeeper.createClient(cs, {
      sessionTimeout: opts.sessionTimeoutMs ?? 30_000,
      spinDelay: 100,
      retries: 0,
      ...(opts.sessionId !== undefined ? { sessionId: bigintToBuf(opts.sessionId), sessionPassword: Buffer.from(opts.sessionPassword ?? new Uint8Array(16)) } : {}),
    });
    const expect = opts.expect ?? 'connected';
    const outcome = await new Promise<string>((resolve) => {
      const t = setTimeout(() => resolve('timeout'), CONNECT_TIMEOUT_MS);
      const done = (what: string) => {
        clearTimeout(t);
        resolve(what);
      };
      client.once('connected', () => done('connected'));
      client.once('expired', () => done('expired'));
      client.once('authenticationFailed', () => done('authFailed'));
      client.connect();
    });
    client.removeAllListeners('connected');
    client.removeAllListeners('expired');
    client.removeAllListeners('authenticationFailed');
    const entry: RawEntry = { c: label, op: 'connect' };
    if (opts.chroot) entry.chroot = opts.chroot;
    if (opts.sessionTimeoutMs !== undefined) entry.requestedTimeoutMs = opts.sessionTimeoutMs;
    if (opts.sessionId !== undefined) entry.session = new SessionVal(opts.sessionId);
    if (outcome !== 'connected') {
      this.log.add({ ...entry, outcome });
      if (outcome !== expect) throw new Error(`client ${label} to ${cs}: ${outcome}`);
      // No closeSession for a refused session: just drop the socket.
      client.removeAllListeners();
      (client.connectionManager.socket as import('node:net').Socket | undefined)?.destroy();
      return new CompatClient(label, client, this.log);
    }
    const c = new CompatClient(label, client, this.log);
    if (!this.clients.some((x) => x.sessionId === c.sessionId)) this.log.registerSession(c.sessionId, label);
    this.clients.push(c);
    this.log.add({ ...entry, outcome, timeoutMs: c.negotiatedTimeoutMs, ...(opts.sessionId !== undefined ? { sameSession: c.sessionId === opts.sessionId } : {}) });
    return c;
  };

  /** End of case: one round trip per live client so late events land, then unlogged closes. */
  async finish(): Promise<void> {
    for (const c of this.clients) if (!c.isClosed) await c.sync();
  }
  async closeAll(): Promise<void> {
    for (const c of this.clients) await c.close(false);
  }
}
