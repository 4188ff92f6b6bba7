// Compatibility cases for calls node-zookeeper-client does not have: containers, TTL nodes,
// addWatch (persistent / persistent-recursive), removeWatches, whoAmI, getEphemerals,
// getAllChildrenNumber, multiRead, create2 (createWithStat).
//
// TODO: these run through OUR client library (src/client, ZooKeeperApi), behind the factory
// parameter, so they depend on that client being right too. Golden files
// (src/compat/golden-api/<name>.json) are recorded against Apache with our client:
//   npx tsx scripts/apache/record-golden.ts --api
// The same behaviours are also pinned, client-independently, by the zkCli.sh "extended" script.
import type { ZooKeeperApi, WatchedEvent } from '../client/api';
import { AddWatchMode, CreateMode, OPEN_ACL_UNSAFE, WatcherType, type Stat } from '../zk/types';
import { describeAcl, describeData, describeStat, errName, eventName, type Data, toBuffer } from './format';
import { SessionVal, Transcript, type RawEntry } from './transcript';

export interface ApiConnectOptions {
  chroot?: string;
  sessionTimeoutMs?: number;
}
/** Opens a connected ZooKeeperApi client (the factory parameter: our client, or another). */
export type ApiClientFactory = (opts: ApiConnectOptions) => Promise<ZooKeeperApi>;

export interface ApiCaseContext {
  connect(label: string, opts?: ApiConnectOptions): Promise<ApiLogClient>;
  log: Transcript;
  root: string;
}
export interface ApiCompatCase {
  name: string;
  about: string;
  run(ctx: ApiCaseContext): Promise<void>;
  slowMs?: number;
  /** Differences are reported, not failures (Apache-version-specific behaviour). */
  informational?: boolean;
}

const WAIT_TIMEOUT_MS = 15_000;

/** Logs every ZooKeeperApi call like CompatClient does (events flushed before the next reply). */
export class ApiLogClient {
  private pending: RawEntry[] = [];
  private events = 0;
  private wake: (() => void) | undefined;

  constructor(
    readonly label: string,
    readonly api: ZooKeeperApi,
    private readonly log: Transcript,
  ) {}

  /** A watcher that logs into this client's event stream (tag tells watchers apart). */
  watcher(tag?: string): (e: WatchedEvent) => void {
    return (e) => {
      this.pending.push({ c: this.label, event: eventName(e.type), path: e.path, ...(tag ? { w: tag } : {}) });
      this.events++;
      this.wake?.();
    };
  }

  flush(): void {
    for (const e of this.pending) this.log.add(e);
    this.pending = [];
  }

  async call<T>(op: string, args: RawEntry, run: () => Promise<T>, shape: (v: T) => RawEntry[string] = () => true): Promise<T | undefined> {
    const entry: RawEntry = { c: this.label, op, ...args };
    try {
      const v = await run();
      this.flush();
      this.log.add({ ...entry, ok: shape(v) });
      return v;
    } catch (e) {
      this.flush();
      const code = (e as { code?: unknown }).code;
      this.log.add({ ...entry, ...(typeof code === 'number' ? { err: errName(code) } : { threw: String((e as Error).message) }) });
      return undefined;
    }
  }

  create(path: string, data: Data, mode: CreateMode, ttl?: number): Promise<string | undefined> {
    return this.call('create', { path, data: describeData(toBuffer(data)), mode: CreateMode[mode], ...(ttl !== undefined ? { ttl } : {}) }, () => this.api.create(path, toBuffer(data), OPEN_ACL_UNSAFE, mode, ttl), (p) => p);
  }
  createWithStat(path: string, data: Data, mode: CreateMode, ttl?: number): Promise<{ path: string; stat: Stat } | undefined> {
    return this.call(
      'create2',
      { path, data: describeData(toBuffer(data)), mode: CreateMode[mode], ...(ttl !== undefined ? { ttl } : {}) },
      () => this.api.createWithStat(path, toBuffer(data), OPEN_ACL_UNSAFE, mode, ttl),
      (r) => ({ path: r.path, stat: describeStat(r.stat) }),
    );
  }
  delete(path: string, version = -1): Promise<void | undefined> {
    return this.call('delete', { path, version }, () => this.api.delete(path, version));
  }
  exists(path: string, watch = false): Promise<Stat | null | undefined> {
    return this.call('exists', { path, ...(watch ? { watch } : {}) }, () => this.api.exists(path, watch ? this.watcher() : undefined), (s) => (s ? describeStat(s) : null));
  }
  getData(path: string, watch = false): Promise<{ data: Uint8Array | null; stat: Stat } | undefined> {
    return this.call('getData', { path, ...(watch ? { watch } : {}) }, () => this.api.getData(path, watch ? this.watcher() : undefined), (r) => ({ data: describeData(r.data), stat: describeStat(r.stat) }));
  }
  setData(path: string, data: Data, version = -1): Promise<Stat | undefined> {
    return this.call('setData', { path, data: describeData(toBuffer(data)), version }, () => this.api.setData(path, toBuffer(data), version), describeStat);
  }
  getChildren(path: string, watch = false): Promise<{ children: string[]; stat: Stat } | undefined> {
    return this.call('getChildren', { path, ...(watch ? { watch } : {}) }, () => this.api.getChildren2(path, watch ? this.watcher() : undefined), (r) => ({ children: [...r.children].sort(), stat: describeStat(r.stat) }));
  }
  addWatch(path: string, mode: AddWatchMode, tag: string): Promise<void | undefined> {
    return this.call('addWatch', { path, mode: AddWatchMode[mode], w: tag }, () => this.api.addWatch(path, this.watcher(tag), mode));
  }
  removeAllWatches(path: string, type: WatcherType): Promise<void | undefined> {
    return this.call('removeAllWatches', { path, type: WatcherType[type] }, () => this.api.removeAllWatches(path, type, false));
  }
  whoAmI(): Promise<unknown> {
    return this.call('whoAmI', {}, () => this.api.whoAmI(), (r) => r.map((i) => `${i.authScheme}:${i.user}`).sort());
  }
  getEphemerals(prefix?: string): Promise<unknown> {
    return this.call('getEphemerals', prefix === undefined ? {} : { prefix }, () => this.api.getEphemerals(prefix), (r) => [...r].sort());
  }
  getAllChildrenNumber(path: string): Promise<unknown> {
    return this.call('getAllChildrenNumber', { path }, () => this.api.getAllChildrenNumber(path), (n) => n);
  }
  multiRead(paths: Array<{ type: 'getData' | 'getChildren'; path: string }>): Promise<unknown> {
    return this.call(
      'multiRead',
      { ops: paths.map((p) => `${p.type} ${p.path}`) },
      () => this.api.multiRead(paths),
      (rs) =>
        rs.map((r) => {
          switch (r.type) {
            case 'getData':
              return { type: r.type, data: describeData(r.data), stat: describeStat(r.stat) };
            case 'getChildren':
              return { type: r.type, children: [...r.children].sort() };
            case 'error':
              return { type: r.type, err: errName(r.err) };
            default:
              return { type: r.type };
          }
        }),
    );
  }
  getACL(path: string): Promise<unknown> {
    return this.call('getACL', { path }, () => this.api.getACL(path), (r) => ({ acl: r.acl.map((a) => describeAcl({ perms: a.perms, scheme: a.id.scheme, id: a.id.id })), stat: describeStat(r.stat) }));
  }

  /** Unlogged round trip, then flush (events sent before it are now in). */
  async sync(): Promise<void> {
    await this.api.exists('/').catch(() => null);
    this.flush();
  }
  async waitEvents(count: number, timeoutMs = WAIT_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.events < count && Date.now() < deadline) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, 250);
        this.wake = () => {
          clearTimeout(t);
          r();
        };
      });
    }
    this.wake = undefined;
    this.flush();
    if (this.events < count) this.log.add({ c: this.label, timeout: `events>=${count}` });
  }
  async close(): Promise<void> {
    await this.api.close().catch(() => undefined);
  }
}

export const apiCases: ApiCompatCase[] = [];
function def(name: string, about: string, run: (ctx: ApiCaseContext) => Promise<void>, extra: Partial<ApiCompatCase> = {}): void {
  if (apiCases.some((c) => c.name === name)) throw new Error(`duplicate api case ${name}`);
  apiCases.push({ name, about, run, ...extra });
}

def('api-create2-stat', 'create2 returns the new Stat; sequential create2', async ({ connect, root }) => {
  const a = await connect('A');
  await a.createWithStat(root, 'r', CreateMode.PERSISTENT);
  await a.createWithStat(`${root}/s-`, null, CreateMode.PERSISTENT_SEQUENTIAL);
  await a.createWithStat(`${root}/e`, 'e', CreateMode.EPHEMERAL);
  await a.createWithStat(root, null, CreateMode.PERSISTENT);
});

def('api-container', 'CONTAINER nodes: create (create2/createContainer), stat shows ephemeralOwner 0, children allowed', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root, null, CreateMode.PERSISTENT);
  await a.createWithStat(`${root}/c`, 'c', CreateMode.CONTAINER);
  await a.create(`${root}/c/child`, null, CreateMode.PERSISTENT);
  await a.exists(`${root}/c`);
  await a.getChildren(`${root}/c`);
  await a.create(`${root}/c/eph`, null, CreateMode.EPHEMERAL);
});

def('api-container-reaped', 'an emptied container is deleted by the server (Apache checks every 60 s)', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root, null, CreateMode.PERSISTENT);
  await a.create(`${root}/c`, null, CreateMode.CONTAINER);
  await a.create(`${root}/c/child`, null, CreateMode.PERSISTENT);
  await a.exists(`${root}/c`, true);
  await a.delete(`${root}/c/child`);
  await a.waitEvents(1, 150_000);
  await a.exists(`${root}/c`);
}, { slowMs: 130_000 });

def('api-ttl', 'PERSISTENT_WITH_TTL: valid ttl works; bad ttl values are refused', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root, null, CreateMode.PERSISTENT);
  await a.createWithStat(`${root}/t`, 't', CreateMode.PERSISTENT_WITH_TTL, 60_000);
  await a.createWithStat(`${root}/ts-`, 't', CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, 60_000);
  await a.create(`${root}/t0`, null, CreateMode.PERSISTENT_WITH_TTL, 0);
  await a.create(`${root}/tneg`, null, CreateMode.PERSISTENT_WITH_TTL, -5);
  await a.create(`${root}/thuge`, null, CreateMode.PERSISTENT_WITH_TTL, 2 ** 40);
  await a.exists(`${root}/t`);
  await a.getChildren(root);
});

def('api-addwatch-persistent', 'PERSISTENT watch: fires for every data change, children change, delete, re-create', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await a.create(root, null, CreateMode.PERSISTENT);
  await a.create(`${root}/x`, 'v0', CreateMode.PERSISTENT);
  await b.addWatch(`${root}/x`, AddWatchMode.PERSISTENT, 'p');
  await a.setData(`${root}/x`, 'v1');
  await a.setData(`${root}/x`, 'v2');
  await a.create(`${root}/x/c`, null, CreateMode.PERSISTENT);
  await a.setData(`${root}/x/c`, 'grandchild data');
  await a.delete(`${root}/x/c`);
  await a.delete(`${root}/x`);
  await a.create(`${root}/x`, 'again', CreateMode.PERSISTENT);
  await b.waitEvents(6);
  await b.sync();
});

def('api-addwatch-recursive', 'PERSISTENT_RECURSIVE watch: events for the whole subtree, no NodeChildrenChanged', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await a.create(root, null, CreateMode.PERSISTENT);
  await b.addWatch(root, AddWatchMode.PERSISTENT_RECURSIVE, 'r');
  await a.create(`${root}/a`, null, CreateMode.PERSISTENT);
  await a.create(`${root}/a/b`, 'deep', CreateMode.PERSISTENT);
  await a.setData(`${root}/a/b`, 'deeper');
  await a.delete(`${root}/a/b`);
  await a.setData(root, 'root data');
  await b.waitEvents(5);
  await b.sync();
});

def('api-addwatch-plus-oneshot', 'a persistent watch and a one-shot data watch on the same node (3.8.0 loses the persistent watch after both fire: ZOOKEEPER-4466, fixed later)', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await a.create(root, null, CreateMode.PERSISTENT);
  await a.create(`${root}/x`, null, CreateMode.PERSISTENT);
  await b.addWatch(`${root}/x`, AddWatchMode.PERSISTENT, 'p');
  await b.getData(`${root}/x`, true);
  await a.setData(`${root}/x`, '1');
  await b.waitEvents(1);
  await b.sync();
  await a.setData(`${root}/x`, '2');
  await b.sync();
}, { informational: true });

def('api-remove-watches', 'removeAllWatches: removal event, then no more events; removing again is NoWatcher', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await a.create(root, null, CreateMode.PERSISTENT);
  await a.create(`${root}/x`, null, CreateMode.PERSISTENT);
  await b.getData(`${root}/x`, true);
  await b.removeAllWatches(`${root}/x`, WatcherType.Data);
  await a.setData(`${root}/x`, 'no event');
  await b.sync();
  await b.removeAllWatches(`${root}/x`, WatcherType.Any);
  await b.getChildren(`${root}/x`, true);
  await b.removeAllWatches(`${root}/x`, WatcherType.Any);
  await a.create(`${root}/x/c`, null, CreateMode.PERSISTENT);
  await b.sync();
});

def('api-remove-persistent-watch', 'removeWatches of a persistent watch: Apache 3.8 answers MarshallingError and keeps the watch (3.9 removes it)', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await a.create(root, null, CreateMode.PERSISTENT);
  await a.create(`${root}/x`, null, CreateMode.PERSISTENT);
  await b.addWatch(`${root}/x`, AddWatchMode.PERSISTENT, 'p');
  await b.removeAllWatches(`${root}/x`, WatcherType.Persistent);
  await a.setData(`${root}/x`, 'event?');
  await b.sync();
}, { informational: true });

def('api-whoami', 'whoAmI: ip identity, plus digest identities after addAuthInfo', async ({ connect, log }) => {
  const a = await connect('A');
  await a.whoAmI();
  await a.call('addAuthInfo', { scheme: 'digest', auth: 'alice:pw' }, () => a.api.addAuthInfo('digest', new TextEncoder().encode('alice:pw')));
  await a.call('addAuthInfo', { scheme: 'digest', auth: 'bob:pw' }, () => a.api.addAuthInfo('digest', new TextEncoder().encode('bob:pw')));
  await a.whoAmI();
  log.note('sessions differ', true);
});

def('api-get-ephemerals', "getEphemerals: the session's own ephemerals, filtered by prefix", async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await a.create(root, null, CreateMode.PERSISTENT);
  await a.create(`${root}/e1`, null, CreateMode.EPHEMERAL);
  await a.create(`${root}/e2`, null, CreateMode.EPHEMERAL_SEQUENTIAL);
  await b.create(`${root}/b1`, null, CreateMode.EPHEMERAL);
  await a.getEphemerals();
  await a.getEphemerals(`${root}/e1`);
  await a.getEphemerals(`${root}/zz`);
  await b.getEphemerals(root);
});

def('api-all-children-number', 'getAllChildrenNumber counts the whole subtree (not the node itself)', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root, null, CreateMode.PERSISTENT);
  await a.getAllChildrenNumber(root);
  await a.create(`${root}/a`, null, CreateMode.PERSISTENT);
  await a.create(`${root}/a/b`, null, CreateMode.PERSISTENT);
  await a.create(`${root}/a/b/c`, null, CreateMode.PERSISTENT);
  await a.create(`${root}/d`, null, CreateMode.PERSISTENT);
  await a.getAllChildrenNumber(root);
  await a.getAllChildrenNumber(`${root}/a/b/c`);
  await a.getAllChildrenNumber(`${root}/missing`);
});

def('api-multi-read', 'multiRead: per-op results, errors inline', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root, 'r', CreateMode.PERSISTENT);
  await a.create(`${root}/x`, 'x', CreateMode.PERSISTENT);
  await a.multiRead([
    { type: 'getData', path: `${root}/x` },
    { type: 'getChildren', path: root },
    { type: 'getData', path: `${root}/missing` },
    { type: 'getChildren', path: `${root}/missing` },
  ]);
});

def('api-chroot-ephemerals', 'getEphemerals and addWatch paths under a chroot', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root, null, CreateMode.PERSISTENT);
  const b = await connect('B', { chroot: root });
  await b.addWatch('/', AddWatchMode.PERSISTENT_RECURSIVE, 'r');
  await b.create('/e', null, CreateMode.EPHEMERAL);
  await b.getEphemerals();
  await a.setData(`${root}/e`, 'x');
  await b.waitEvents(2);
});

/** Runs one api case with a ZooKeeperApi factory; returns the normalized transcript. */
export async function runApiCase(c: ApiCompatCase, factory: ApiClientFactory): Promise<ReturnType<Transcript['finish']>> {
  const log = new Transcript();
  const clients: ApiLogClient[] = [];
  const connect = async (label: string, opts: ApiConnectOptions = {}): Promise<ApiLogClient> => {
    const api = await factory(opts);
    log.registerSession(api.getSessionId(), label);
    log.add({ c: label, op: 'connect', ...(opts.chroot ? { chroot: opts.chroot } : {}), timeoutMs: api.getSessionTimeout(), session: new SessionVal(api.getSessionId()) });
    const client = new ApiLogClient(label, api, log);
    clients.push(client);
    return client;
  };
  try {
    await c.run({ connect, log, root: `/a_${c.name}` });
    for (const cl of clients) await cl.sync();
  } catch (e) {
    log.add({ harnessError: String((e as Error).message ?? e) });
  }
  const out = log.finish();
  for (const cl of clients) await cl.close();
  return out;
}
