// Compatibility cases against node-zookeeper-client (3.4 API). Each case works under its own root
// (ctx.root = "/c_<name>"), logs every call through CompatClient, and must be deterministic on a
// single server: cross-client events are awaited (waitEvents) or flushed by a round trip (sync)
// before anything else is logged. Golden transcripts: src/compat/golden/<name>.json (Apache 3.8.0).
//
// Cases needing APIs node-zookeeper-client lacks (containers, TTL, addWatch, whoAmI,
// getEphemerals, getAllChildrenNumber, multiRead, removeWatches) are in api-scenarios.ts, written
// against our own ZooKeeperApi (src/client/api.ts).
import type { CaseContext, CompatCase } from './case';
import { CREATOR_ALL, digestId, OPEN, READ_ONLY, type AclSpec } from './format';
import { ZxidVal } from './transcript';

export const cases: CompatCase[] = [];
function def(name: string, about: string, run: (ctx: CaseContext) => Promise<void>, extra: Partial<CompatCase> = {}): void {
  if (cases.some((c) => c.name === name)) throw new Error(`duplicate case ${name}`);
  cases.push({ name, about, run, ...extra });
}

const digest = (perms: string, user: string, password: string): AclSpec => ({ perms, scheme: 'digest', id: digestId(user, password) });
const world = (perms: string): AclSpec => ({ perms, scheme: 'world', id: 'anyone' });
const EXPIRY_WAIT_MS = 30_000;

// ---------------------------------------------------------------------------------------------
// Basic data model and error codes
// ---------------------------------------------------------------------------------------------

def('create-basic', 'create returns the path; exists/getData/getChildren see the node', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root, 'root-data');
  await a.create(`${root}/x`, 'hello');
  await a.exists(`${root}/x`);
  await a.getData(`${root}/x`);
  await a.getChildren(root);
  await a.exists(`${root}/nope`);
});

def('create-node-exists', 'second create of the same path fails NodeExists, data unchanged', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/x`, 'one');
  await a.create(`${root}/x`, 'two');
  await a.getData(`${root}/x`);
});

def('create-no-parent', 'create under a missing parent fails NoNode', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(`${root}/missing/x`);
  await a.create(root);
  await a.create(`${root}/missing/x`);
  await a.exists(`${root}/missing`);
});

def('delete-basic', 'delete removes; deleting again is NoNode', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/x`);
  await a.remove(`${root}/x`);
  await a.exists(`${root}/x`);
  await a.remove(`${root}/x`);
  await a.getChildren(root);
});

def('delete-not-empty', 'delete of a node with children fails NotEmpty', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/p`);
  await a.create(`${root}/p/c`);
  await a.remove(`${root}/p`);
  await a.remove(`${root}/p/c`);
  await a.remove(`${root}/p`);
});

def('delete-bad-version', 'delete with a wrong version fails BadVersion; the right one works', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/x`, 'v0');
  await a.setData(`${root}/x`, 'v1');
  await a.remove(`${root}/x`, 0);
  await a.remove(`${root}/x`, 7);
  await a.remove(`${root}/x`, 1);
  await a.exists(`${root}/x`);
});

def('setdata-versions', 'setData bumps version/mzxid (also with the same data); wrong version is BadVersion', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/x`, 'same');
  await a.setData(`${root}/x`, 'same');
  await a.setData(`${root}/x`, 'same', 1);
  await a.setData(`${root}/x`, 'other', 1);
  await a.setData(`${root}/x`, 'other', 2);
  await a.setData(`${root}/x`, 'any', -1);
  await a.getData(`${root}/x`);
});

def('nonode-everywhere', 'every call on a missing node: NoNode (exists: null)', async ({ connect, root }) => {
  const a = await connect('A');
  const p = `${root}/missing`;
  await a.exists(p);
  await a.getData(p);
  await a.setData(p, 'x');
  await a.getChildren(p);
  await a.getACL(p);
  await a.setACL(p, OPEN);
  await a.remove(p);
});

def('empty-vs-null-data', 'null data and empty data are distinct on create; setData with empty', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/null`, null);
  await a.create(`${root}/empty`, new Uint8Array(0));
  await a.getData(`${root}/null`);
  await a.getData(`${root}/empty`);
  await a.setData(`${root}/null`, 'now');
  await a.setData(`${root}/null`, new Uint8Array(0));
  await a.getData(`${root}/null`);
});

def('data-length-utf8-binary', 'dataLength counts bytes; binary data round-trips', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/utf8`, 'héllo wörld ✓');
  await a.getData(`${root}/utf8`);
  const bytes = new Uint8Array(256).map((_, i) => i);
  await a.create(`${root}/bin`, bytes);
  await a.getData(`${root}/bin`);
});

def('stat-parent-counters', 'parent cversion/pzxid/numChildren move on child create/delete, not on child setData', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.exists(root);
  await a.create(`${root}/a`);
  await a.exists(root);
  await a.create(`${root}/b`);
  await a.setData(`${root}/a`, 'data');
  await a.exists(root);
  await a.remove(`${root}/a`);
  await a.getChildren(root);
  await a.setData(root, 'parent-data');
  await a.exists(root);
});

def('recreate-resets-stat', 'delete + recreate: fresh czxid, version 0, cversion 0', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/x`, 'v');
  await a.create(`${root}/x/c`);
  await a.setData(`${root}/x`, 'v2');
  await a.remove(`${root}/x/c`);
  await a.remove(`${root}/x`);
  await a.create(`${root}/x`, 'again');
  await a.exists(`${root}/x`);
  await a.create(`${root}/x/s-`, null, { mode: 'PERSISTENT_SEQUENTIAL' });
});

def('zxid-gaps', 'which calls consume a zxid: failed writes do, reads do not (czxid deltas)', async ({ connect, root, log }) => {
  const a = await connect('A');
  await a.create(root);
  const s0 = await a.exists(root);
  await a.getData(root);
  await a.getChildren(root);
  await a.create(`${root}/b`);
  const s1 = await a.exists(`${root}/b`);
  await a.create(`${root}/b`); // NodeExists
  await a.create(`${root}/c`);
  const s2 = await a.exists(`${root}/c`);
  await a.setData(`${root}/c`, 'x', 9); // BadVersion
  await a.remove(`${root}/missing`); // NoNode
  await a.create(`${root}/d`);
  const s3 = await a.exists(`${root}/d`);
  await a.multi([{ op: 'create', path: `${root}/e` }, { op: 'check', path: `${root}/d`, version: 5 }]);
  await a.create(`${root}/f`);
  const s4 = await a.exists(`${root}/f`);
  if (s0 && s1 && s2 && s3 && s4) {
    log.note('zxid delta create after reads', Number(s1.czxid - s0.czxid));
    log.note('zxid delta create after failed create', Number(s2.czxid - s1.czxid));
    log.note('zxid delta create after failed setData+delete', Number(s3.czxid - s2.czxid));
    log.note('zxid delta create after failed multi', Number(s4.czxid - s3.czxid));
  }
});

def('pipelined-replies-in-order', 'many outstanding calls: replies come back in request order', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await Promise.all([
    a.create(`${root}/1`),
    a.create(`${root}/1`),
    a.getData(`${root}/1`),
    a.setData(`${root}/1`, 'x'),
    a.remove(`${root}/2`),
    a.create(`${root}/2`, 'two'),
    a.getChildren(root),
    a.exists(`${root}/2`),
    a.remove(`${root}/1`, 5),
    a.remove(`${root}/1`, 1),
  ]);
});

def('many-children', '200 children: listing, numChildren, cversion', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  const jobs: Promise<unknown>[] = [];
  for (let i = 0; i < 200; i++) jobs.push(a.create(`${root}/n${String(i).padStart(3, '0')}`));
  await Promise.all(jobs);
  await a.getChildren(root);
});

def('children-raw-order', "getChildren order as returned (Apache: Java HashSet order, unsorted)", async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  for (const n of ['b', 'a', 'zz', 'c10', 'c9', 'A', '_', '0']) await a.create(`${root}/${n}`);
  await a.getChildren(root, false, true);
}, { informational: true });

// ---------------------------------------------------------------------------------------------
// Invalid paths and names
// ---------------------------------------------------------------------------------------------

def('path-null-char', 'a NUL in a path: BadArguments for writes; what reads do', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  const p = `${root}/a\u0000b`;
  await a.create(p);
  await a.exists(p);
  await a.getData(p);
  await a.getChildren(p);
  await a.setData(p, 'x');
  await a.remove(p);
});

def('path-control-chars', 'control characters U+0001-001F, U+007F-009F are rejected with BadArguments', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  for (const ch of ['\u0001', '\u001f', '\u007f', '\u0080', '\u009f', '\t']) await a.create(`${root}/x${ch}y`);
  await a.getChildren(root);
});

def('path-unicode', 'unicode names: BMP letters ok; surrogates (emoji), U+E000-F8FF, U+FFF0-FFFF rejected', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  for (const n of ['héllo', '日本語', 'Ωμέγα', 'a b', 'a:b', 'a*b?', '😀', '\ue000', '\uf8ff', '\uf900', '\ufff0', '\ufffd', '\u00a0']) {
    await a.create(`${root}/${n}`, n);
  }
  await a.getChildren(root);
  await a.getData(`${root}/日本語`);
});

def('path-dots', "'.' and '..' components are rejected (client-side here); '...' and '.a' are fine", async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/...`);
  await a.create(`${root}/.a`);
  await a.create(`${root}/a.`);
  await a.create(`${root}/..`);
  await a.getChildren(root);
});

def('path-deep', '40 levels deep; numChildren along the chain', async ({ connect, root }) => {
  const a = await connect('A');
  let p = root;
  await a.create(p);
  for (let i = 0; i < 40; i++) {
    p = `${p}/d${i}`;
    await a.create(p, `level ${i}`);
  }
  await a.getData(p);
  await a.getChildren(`${root}/d0`);
  await a.remove(`${root}/d0`);
});

def('path-long-name', 'a 1000-character node name', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  const name = 'n'.repeat(1000);
  await a.create(`${root}/${name}`, 'long');
  await a.exists(`${root}/${name}`);
  await a.getChildren(root);
});

def('create-invalid-flags', 'create mode flags outside the 3.4 set, through the plain create opcode', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/container`, null, { mode: 4 });
  await a.create(`${root}/ttl`, null, { mode: 5 });
  await a.create(`${root}/ttlseq`, null, { mode: 6 });
  await a.create(`${root}/seven`, null, { mode: 7 });
  await a.create(`${root}/big`, null, { mode: 99 });
  await a.create(`${root}/neg`, null, { mode: -1 });
  await a.getChildren(root);
});

def('special-root-ops', 'create/delete on "/"; its ACL', async ({ connect, log }) => {
  const a = await connect('A');
  await a.create('/');
  await a.remove('/');
  await a.remove('/', 0);
  // The root's Stat depends on every other case, so only its ACL is noted.
  log.note('ACL of /', (await a.quietACL('/')) ?? null);
});

def('root-node-listing', '"/" lists zookeeper (other roots filtered) and has world ACL', async ({ connect, root, log }) => {
  const a = await connect('A');
  await a.create(root);
  // "/" also holds the other cases' roots, so only selected facts are noted.
  const r = await a.quietChildren('/');
  if (r) log.note('children of / (filtered)', r.filter((c) => c === 'zookeeper' || `/${c}` === root).sort());
  const s = await a.quietExists('/');
  if (s) log.note('root stat fixed fields', { czxid: Number(s.czxid), mzxid: Number(s.mzxid), ctime: Number(s.ctime), mtime: Number(s.mtime), version: s.version, aversion: s.aversion, ephemeralOwner: Number(s.ephemeralOwner), dataLength: s.dataLength });
});

def('zookeeper-subtree', 'contents, children, ACLs and stats of /zookeeper, /zookeeper/quota, /zookeeper/config', async ({ connect }) => {
  const a = await connect('A');
  await a.getChildren('/zookeeper');
  await a.getData('/zookeeper');
  await a.getACL('/zookeeper');
  await a.getChildren('/zookeeper/quota');
  await a.getData('/zookeeper/quota');
  await a.getACL('/zookeeper/quota');
  await a.exists('/zookeeper/config');
  await a.getData('/zookeeper/config');
  await a.getACL('/zookeeper/config');
});

def('zookeeper-subtree-writes', 'writes to the reserved /zookeeper subtree', async ({ connect }) => {
  const a = await connect('A');
  await a.remove('/zookeeper');
  await a.remove('/zookeeper/quota');
  await a.remove('/zookeeper/config');
  await a.setData('/zookeeper/config', 'x');
  await a.setData('/zookeeper', 'x');
  await a.getData('/zookeeper');
  await a.setData('/zookeeper', null);
  await a.create('/zookeeper/compat-x', 'x');
  await a.remove('/zookeeper/compat-x');
  await a.create('/zookeeper/quota/compat-q', 'x');
  await a.remove('/zookeeper/quota/compat-q');
});

// ---------------------------------------------------------------------------------------------
// Sequential nodes
// ---------------------------------------------------------------------------------------------

def('seq-basic', 'sequence suffix is 10 digits from the parent cversion', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/s-`, 'a', { mode: 'PERSISTENT_SEQUENTIAL' });
  await a.create(`${root}/s-`, 'b', { mode: 'PERSISTENT_SEQUENTIAL' });
  await a.create(`${root}/other`, 'c', { mode: 'PERSISTENT_SEQUENTIAL' });
  await a.getChildren(root);
});

def('seq-after-deletes', 'deletes and plain creates advance the counter (cversion), numbers are never reused', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/plain`);
  await a.create(`${root}/s-`, null, { mode: 'PERSISTENT_SEQUENTIAL' });
  await a.create(`${root}/s-`, null, { mode: 'PERSISTENT_SEQUENTIAL' });
  await a.remove(`${root}/s-0000000001`);
  await a.remove(`${root}/plain`);
  await a.create(`${root}/s-`, null, { mode: 'PERSISTENT_SEQUENTIAL' });
  await a.create(`${root}/s-`, null, { mode: 'PERSISTENT_SEQUENTIAL' });
  await a.exists(root);
  await a.getChildren(root);
});

def('seq-failed-create-no-bump', 'a failed create does not advance the sequence counter', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/x`);
  await a.create(`${root}/x`);
  await a.create(`${root}/nope/y`);
  await a.create(`${root}/s-`, null, { mode: 'PERSISTENT_SEQUENTIAL' });
});

def('seq-name-collision', 'a sequential create whose generated name exists fails NodeExists', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/n0000000001`);
  await a.create(`${root}/n`, null, { mode: 'PERSISTENT_SEQUENTIAL' });
  await a.create(`${root}/n`, null, { mode: 'PERSISTENT_SEQUENTIAL' });
  await a.getChildren(root);
});

def('seq-ephemeral', 'EPHEMERAL_SEQUENTIAL: names, owner, gone after close', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await a.create(root);
  await b.create(`${root}/lock-`, null, { mode: 'EPHEMERAL_SEQUENTIAL' });
  await b.create(`${root}/lock-`, null, { mode: 'EPHEMERAL_SEQUENTIAL' });
  await a.getChildren(root);
  await a.exists(`${root}/lock-0000000000`);
  await b.close();
  await a.getChildren(root);
  await a.create(`${root}/lock-`, null, { mode: 'EPHEMERAL_SEQUENTIAL' });
});

def('seq-under-root-of-chroot', 'sequential under a chroot returns chroot-relative names', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  const b = await connect('B', { chroot: root });
  await b.create('/q-', null, { mode: 'PERSISTENT_SEQUENTIAL' });
  await b.create('/q-', null, { mode: 'EPHEMERAL_SEQUENTIAL' });
  await b.getChildren('/');
  await a.getChildren(root);
});

// ---------------------------------------------------------------------------------------------
// Ephemerals and sessions
// ---------------------------------------------------------------------------------------------

def('ephemeral-basic', 'ephemeralOwner is the session; other sessions can read/modify/delete it', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await a.create(root);
  await a.create(`${root}/e1`, 'x', { mode: 'EPHEMERAL' });
  await a.create(`${root}/e2`, 'y', { mode: 'EPHEMERAL' });
  await b.exists(`${root}/e1`);
  await b.setData(`${root}/e1`, 'by-b');
  await b.remove(`${root}/e2`);
  await a.getChildren(root);
  await a.close();
  await b.getChildren(root);
});

def('ephemeral-no-children', 'children of ephemerals: NoChildrenForEphemerals (plain and sequential)', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/e`, null, { mode: 'EPHEMERAL' });
  await a.create(`${root}/e/c`);
  await a.create(`${root}/e/c`, null, { mode: 'EPHEMERAL' });
  await a.create(`${root}/e/s-`, null, { mode: 'PERSISTENT_SEQUENTIAL' });
  await a.create(`${root}/e/missing/c`);
  await a.getChildren(`${root}/e`);
});

def('ephemeral-session-close', 'closing a session deletes its ephemerals and fires watches', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await b.create(root);
  await a.create(`${root}/e`, 'eph', { mode: 'EPHEMERAL' });
  await b.exists(`${root}/e`, true);
  await b.getChildren(root, true);
  await a.close();
  await b.waitEvents(2);
  await b.exists(`${root}/e`);
  await b.exists(root);
});

def('ephemeral-close-many', 'ephemerals deleted at close: the order their watches fire', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await b.create(root);
  for (const n of ['e1', 'e2', 'e3', 'x', 'alpha', 'zeta']) {
    await a.create(`${root}/${n}`, null, { mode: 'EPHEMERAL' });
    await b.exists(`${root}/${n}`, true);
  }
  await b.getChildren(root, true);
  await a.close();
  await b.waitEvents(7);
  await b.getChildren(root);
}, { informational: true });

def('session-expiry', 'a session that stops pinging expires: ephemerals go, watchers fire, client sees Expired', async ({ connect, root }) => {
  const a = await connect('A', { sessionTimeoutMs: 4000 });
  const b = await connect('B');
  await b.create(root);
  await a.create(`${root}/e`, null, { mode: 'EPHEMERAL' });
  await b.exists(`${root}/e`, true);
  a.stopPinging();
  await b.waitEvents(1, EXPIRY_WAIT_MS);
  await a.waitState('EXPIRED', 1, EXPIRY_WAIT_MS);
  // The server closes the connection after refusing the expired session.
  await a.waitState('DISCONNECTED', 2);
  await a.getData(root);
  await b.exists(`${root}/e`);
}, { slowMs: 20_000 });

def('session-timeout-negotiation', 'requested timeouts are clamped to [2, 20] x tickTime (tickTime=2000)', async ({ connect }) => {
  await connect('A', { sessionTimeoutMs: 1000 });
  await connect('B', { sessionTimeoutMs: 100_000 });
  await connect('C', { sessionTimeoutMs: 10_000 });
  await connect('D', { sessionTimeoutMs: 4000 });
  await connect('E', { sessionTimeoutMs: 40_000 });
});

def('session-wrong-password', 'reattaching to a live session with a wrong password is refused as expired; the owner is disconnected but keeps its session', async ({ connect, root, log }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/e`, null, { mode: 'EPHEMERAL' });
  await connect('B', { sessionId: a.sessionId, sessionPassword: new Uint8Array(16), expect: 'expired' });
  // Apache drops the owner's connection before checking the password; how many reconnect
  // rounds follow is timing-dependent, so only "at least one" is recorded.
  await a.waitState('SYNC_CONNECTED', 1);
  await a.settleStates();
  log.note('owner A was disconnected at least once', a.stateCount('DISCONNECTED') >= 1);
  await a.exists(`${root}/e`);
});

def('session-reconnect-keeps-watches', 'after a dropped connection, the same session resumes and watches still fire', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await b.create(root);
  await b.create(`${root}/x`, 'v0');
  await a.create(`${root}/e`, null, { mode: 'EPHEMERAL' });
  await a.getData(`${root}/x`, true);
  await a.getChildren(root, true);
  a.dropConnection();
  await a.waitState('SYNC_CONNECTED', 1);
  await b.setData(`${root}/x`, 'v1');
  await a.waitEvents(1);
  await b.create(`${root}/y`);
  await a.waitEvents(2);
  await a.exists(`${root}/e`);
});

def('session-closed-after-close', 'a closed session ephemerals are gone for a new session of the same client', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/e`, null, { mode: 'EPHEMERAL' });
  await a.close();
  const b = await connect('B');
  await b.getChildren(root);
});

// ---------------------------------------------------------------------------------------------
// Multi (transaction)
// ---------------------------------------------------------------------------------------------

def('multi-success', 'create/setData/check/delete in one multi: per-op results, one zxid', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/old`, 'o');
  await a.multi([
    { op: 'create', path: `${root}/a`, data: 'a' },
    { op: 'create', path: `${root}/s-`, mode: 'PERSISTENT_SEQUENTIAL' },
    { op: 'setData', path: `${root}/a`, data: 'a2', version: 0 },
    { op: 'check', path: `${root}/a`, version: 1 },
    { op: 'delete', path: `${root}/old`, version: 0 },
  ]);
  await a.getData(`${root}/a`);
  await a.getChildren(root);
});

def('multi-fail-middle', 'a failing op: per-op results (earlier ops, failing op, later ops) and nothing applied', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/exists`);
  await a.multi([
    { op: 'create', path: `${root}/a` },
    { op: 'setData', path: `${root}/exists`, data: 'x' },
    { op: 'create', path: `${root}/exists` },
    { op: 'create', path: `${root}/b` },
    { op: 'delete', path: `${root}/exists` },
  ]);
  await a.getChildren(root);
  await a.getData(`${root}/exists`);
});

def('multi-fail-first', 'the first op fails NoNode', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.multi([
    { op: 'delete', path: `${root}/missing` },
    { op: 'create', path: `${root}/a` },
  ]);
  await a.exists(`${root}/a`);
});

def('multi-fail-last-check', 'a failing check (BadVersion) at the end rolls back everything', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/v`, 'v');
  await a.multi([
    { op: 'create', path: `${root}/a` },
    { op: 'setData', path: `${root}/v`, data: 'changed' },
    { op: 'check', path: `${root}/v`, version: 0 },
  ]);
  await a.getData(`${root}/v`);
  await a.multi([
    { op: 'check', path: `${root}/v`, version: 0 },
    { op: 'check', path: `${root}/missing`, version: 0 },
  ]);
});

def('multi-check-version-0', 'check with version 0 on a fresh node succeeds, 1 fails', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/v`);
  await a.multi([{ op: 'check', path: `${root}/v`, version: 0 }]);
  await a.multi([{ op: 'check', path: `${root}/v`, version: 1 }]);
  await a.multi([{ op: 'check', path: `${root}/v`, version: -1 }]);
});

def('multi-empty', 'an empty multi succeeds with no results', async ({ connect }) => {
  const a = await connect('A');
  await a.multi([]);
});

def('multi-dependent-ops', 'later ops see earlier ops of the same multi (create then child, delete then recreate)', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/r`, 'old');
  await a.multi([
    { op: 'create', path: `${root}/p`, data: 'p' },
    { op: 'create', path: `${root}/p/c`, data: 'c' },
    { op: 'delete', path: `${root}/r` },
    { op: 'create', path: `${root}/r`, data: 'new' },
    { op: 'setData', path: `${root}/p/c`, data: 'c2', version: 0 },
  ]);
  await a.getData(`${root}/r`);
  await a.getData(`${root}/p/c`);
  await a.exists(`${root}/p`);
});

def('multi-not-empty-and-ephemeral', 'NotEmpty and NoChildrenForEphemerals inside a multi', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/p`);
  await a.create(`${root}/p/c`);
  await a.multi([{ op: 'delete', path: `${root}/p` }]);
  await a.multi([
    { op: 'create', path: `${root}/e`, mode: 'EPHEMERAL' },
    { op: 'create', path: `${root}/e/c` },
  ]);
  await a.exists(`${root}/e`);
});

def('multi-null-data', 'setData with null data inside a multi', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/x`, 'x');
  await a.multi([
    { op: 'setData', path: `${root}/x`, data: null },
    { op: 'create', path: `${root}/y`, data: null },
  ]);
  await a.getData(`${root}/x`);
  await a.getData(`${root}/y`);
});

def('multi-invalid-acl', 'InvalidACL for one create op inside a multi', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.multi([
    { op: 'create', path: `${root}/ok` },
    { op: 'create', path: `${root}/bad`, acl: CREATOR_ALL },
  ]);
  await a.getChildren(root);
});

def('multi-bad-path', 'an invalid path inside a multi', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.multi([
    { op: 'create', path: `${root}/ok` },
    { op: 'create', path: `${root}/bad\u0001` },
  ]);
  await a.getChildren(root);
});

def('multi-watches', 'watches fire for a successful multi (in op order) and not for a failed one', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await a.create(root);
  await a.create(`${root}/x`, 'x');
  await b.getData(`${root}/x`, true);
  await b.getChildren(root, true);
  await b.exists(`${root}/new`, true);
  await a.multi([
    { op: 'setData', path: `${root}/x`, data: 'y' },
    { op: 'create', path: `${root}/exists-not/z` },
  ]);
  await b.sync();
  await a.multi([
    { op: 'create', path: `${root}/new` },
    { op: 'setData', path: `${root}/x`, data: 'z' },
  ]);
  await b.waitEvents(3);
});

def('multi-sequential', 'two sequential creates in one multi', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.multi([
    { op: 'create', path: `${root}/s-`, mode: 'PERSISTENT_SEQUENTIAL' },
    { op: 'create', path: `${root}/s-`, mode: 'EPHEMERAL_SEQUENTIAL' },
    { op: 'create', path: `${root}/t-`, mode: 'PERSISTENT_SEQUENTIAL' },
  ]);
  await a.exists(root);
});

// ---------------------------------------------------------------------------------------------
// ACLs and auth
// ---------------------------------------------------------------------------------------------

def('acl-default-open', 'default ACL is world:anyone cdrwa; getACL stat', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.getACL(root);
});

def('acl-read-only', 'world:anyone r: reads work, writes/creates/deletes/setACL NoAuth', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/ro`, 'x', { acl: READ_ONLY });
  await a.getData(`${root}/ro`);
  await a.getChildren(`${root}/ro`);
  await a.setData(`${root}/ro`, 'y');
  await a.create(`${root}/ro/c`);
  await a.setACL(`${root}/ro`, OPEN);
  await a.remove(`${root}/ro`);
  await a.exists(root);
});

def('acl-digest-denial', 'digest ACL: no auth and wrong password are denied, right password allowed', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/secret`, 's3cr3t', { acl: [digest('cdrwa', 'alice', 'pw')] });
  await a.getData(`${root}/secret`);
  await a.exists(`${root}/secret`);
  const b = await connect('B');
  b.addAuth('digest', 'alice:wrong');
  await b.getData(`${root}/secret`);
  const c = await connect('C');
  c.addAuth('digest', 'alice:pw');
  await c.getData(`${root}/secret`);
  await c.setData(`${root}/secret`, 'new');
  await c.create(`${root}/secret/child`);
  await c.getChildren(`${root}/secret`);
});

def('acl-auth-scheme', "'auth' ACL expands to the session's digest identities", async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  a.addAuth('digest', 'bob:pw1');
  await a.create(`${root}/mine`, 'm', { acl: CREATOR_ALL });
  await a.getACL(`${root}/mine`);
  a.addAuth('digest', 'carol:pw2');
  await a.create(`${root}/ours`, 'o', { acl: CREATOR_ALL });
  await a.getACL(`${root}/ours`);
  await a.create(`${root}/mixed`, 'x', { acl: [...CREATOR_ALL, world('r')] });
  await a.getACL(`${root}/mixed`);
  const b = await connect('B');
  await b.getData(`${root}/mine`);
  await b.getData(`${root}/mixed`);
});

def('acl-auth-scheme-unauthenticated', "'auth' ACL without any authenticated id is InvalidACL", async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/x`, null, { acl: CREATOR_ALL });
  await a.create(`${root}/y`);
  await a.setACL(`${root}/y`, CREATOR_ALL);
  await a.getACL(`${root}/y`);
});

def('acl-invalid', 'malformed ACLs are InvalidACL: unknown scheme, digest without colon, bad ip', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/1`, null, { acl: [{ perms: 'r', scheme: 'foo', id: 'bar' }] });
  await a.create(`${root}/2`, null, { acl: [{ perms: 'r', scheme: 'digest', id: 'nocolon' }] });
  await a.create(`${root}/3`, null, { acl: [{ perms: 'r', scheme: 'ip', id: 'not-an-ip' }] });
  await a.create(`${root}/4`, null, { acl: [{ perms: 'r', scheme: 'world', id: 'someone' }] });
  await a.create(`${root}/5`, null, { acl: [{ perms: 'r', scheme: 'ip', id: '10.0.0.0/33' }] });
  await a.create(`${root}/6`, null, { acl: [{ perms: 'r', scheme: 'super', id: 'x' }] });
  await a.getChildren(root);
});

def('acl-ip', 'ip ACLs: 127.0.0.1 and 127.0.0.0/8 match, 10.1.2.3 does not', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/local`, 'l', { acl: [{ perms: 'cdrwa', scheme: 'ip', id: '127.0.0.1' }] });
  await a.create(`${root}/net`, 'n', { acl: [{ perms: 'r', scheme: 'ip', id: '127.0.0.0/8' }] });
  await a.create(`${root}/far`, 'f', { acl: [{ perms: 'cdrwa', scheme: 'ip', id: '10.1.2.3' }] });
  await a.getData(`${root}/local`);
  await a.setData(`${root}/local`, 'l2');
  await a.getData(`${root}/net`);
  await a.setData(`${root}/net`, 'n2');
  await a.getData(`${root}/far`);
  await a.getACL(`${root}/local`);
});

def('acl-setacl-versions', 'setACL bumps aversion only; wrong aclVersion is BadVersion', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/x`, 'x');
  await a.setACL(`${root}/x`, READ_ONLY.map((r) => ({ ...r, perms: 'rwa' })), 0);
  await a.setACL(`${root}/x`, OPEN, 0);
  await a.setACL(`${root}/x`, OPEN, 1);
  await a.getACL(`${root}/x`);
  await a.exists(`${root}/x`);
});

def('acl-admin-needed', 'setACL needs ADMIN; losing ADMIN locks setACL out', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/x`);
  await a.setACL(`${root}/x`, [world('cdrw')]);
  await a.setACL(`${root}/x`, OPEN);
  await a.getACL(`${root}/x`);
  await a.setData(`${root}/x`, 'still writable');
});

def('acl-getacl-redaction', 'getACL without READ/ADMIN on a digest-protected node', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  a.addAuth('digest', 'dave:pw');
  await a.create(`${root}/r`, 'x', { acl: [digest('r', 'dave', 'pw'), world('c')] });
  await a.create(`${root}/adm`, 'x', { acl: [digest('cdrwa', 'dave', 'pw')] });
  const b = await connect('B');
  await b.getACL(`${root}/r`);
  await b.getACL(`${root}/adm`);
  await a.getACL(`${root}/r`);
  await a.getACL(`${root}/adm`);
});

def('acl-parent-perms', 'create needs CREATE on the parent, delete needs DELETE on the parent', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/nocreate`, null, { acl: [world('rwda')] });
  await a.create(`${root}/nocreate/c`);
  await a.create(`${root}/nodelete`, null, { acl: [world('rwca')] });
  await a.create(`${root}/nodelete/c`, null, { acl: [world('r')] });
  await a.remove(`${root}/nodelete/c`);
  await a.create(`${root}/onlydelete`, null, { acl: [world('d')] });
  await a.create(`${root}/onlydelete-child-holder`, null, { acl: [world('cd')] });
  await a.create(`${root}/onlydelete-child-holder/c`, null, { acl: [world('r')] });
  await a.remove(`${root}/onlydelete-child-holder/c`);
  await a.remove(`${root}/onlydelete`);
});

def('acl-exists-without-read', 'exists needs no permission; getData/getChildren need READ', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/hidden`, 'h', { acl: [world('cdwa')] });
  await a.exists(`${root}/hidden`);
  await a.getData(`${root}/hidden`);
  await a.getChildren(`${root}/hidden`);
  await a.getACL(`${root}/hidden`);
  await a.setData(`${root}/hidden`, 'w');
  await a.exists(`${root}/hidden`, true);
  await a.getData(`${root}/hidden`, true);
  await a.remove(`${root}/hidden`);
  await a.sync();
});

def('acl-multiple-entries', 'several ACL entries: union of permissions per matching id', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/x`, 'x', { acl: [world('r'), digest('w', 'erin', 'pw'), { perms: 'c', scheme: 'ip', id: '127.0.0.1' }] });
  await a.setData(`${root}/x`, 'y');
  await a.create(`${root}/x/c`);
  a.addAuth('digest', 'erin:pw');
  await a.setData(`${root}/x`, 'y');
  await a.getACL(`${root}/x`);
  await a.remove(`${root}/x/c`);
});

def('acl-multi-noauth', 'NoAuth on one op of a multi', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/ro`, 'x', { acl: READ_ONLY });
  await a.multi([
    { op: 'create', path: `${root}/a` },
    { op: 'setData', path: `${root}/ro`, data: 'y' },
  ]);
  await a.multi([{ op: 'check', path: `${root}/ro`, version: 0 }]);
});

def('auth-unknown-scheme', 'addAuthInfo with an unknown scheme: AuthFailed, connection dropped, session lingers until expiry', async ({ connect, root }) => {
  const a = await connect('A', { sessionTimeoutMs: 4000 });
  const b = await connect('B');
  await b.create(root);
  await a.create(`${root}/e`, null, { mode: 'EPHEMERAL' });
  await b.exists(`${root}/e`, true);
  a.addAuth('nosuchscheme', 'whatever');
  await a.waitState('AUTH_FAILED', 1);
  await a.waitState('DISCONNECTED', 1);
  await a.getData(root);
  await b.waitEvents(1, EXPIRY_WAIT_MS);
}, { slowMs: 20_000 });

def('auth-digest-any-password-accepted', 'addAuth digest never fails: any user:password is accepted as an identity', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  a.addAuth('digest', 'zed:whatever');
  a.addAuth('digest', 'nocolon');
  await a.create(`${root}/x`, null, { acl: CREATOR_ALL });
  await a.getACL(`${root}/x`);
});

// ---------------------------------------------------------------------------------------------
// Watches
// ---------------------------------------------------------------------------------------------

def('watch-data-once', 'a data watch fires once for two changes', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await a.create(root);
  await a.create(`${root}/x`, 'v0');
  await b.getData(`${root}/x`, true);
  await a.setData(`${root}/x`, 'v1');
  await a.setData(`${root}/x`, 'v2');
  await b.waitEvents(1);
  await b.sync();
  await b.getData(`${root}/x`);
});

def('watch-exists-created', 'exists watch on a missing node fires NodeCreated', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await a.create(root);
  await b.exists(`${root}/later`, true);
  await a.create(`${root}/later`, 'here');
  await b.waitEvents(1);
  await a.remove(`${root}/later`);
  await b.sync();
});

def('watch-exists-deleted', 'exists watch on an existing node fires NodeDeleted', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await a.create(root);
  await a.create(`${root}/x`);
  await b.exists(`${root}/x`, true);
  await a.remove(`${root}/x`);
  await b.waitEvents(1);
});

def('watch-exists-data-changed', 'exists watch on an existing node fires NodeDataChanged', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await a.create(root);
  await a.create(`${root}/x`);
  await b.exists(`${root}/x`, true);
  await a.setData(`${root}/x`, 'd');
  await b.waitEvents(1);
});

def('watch-getdata-nonode-no-watch', 'getData on a missing node leaves no watch (create fires nothing)', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await a.create(root);
  await b.getData(`${root}/x`, true);
  await b.getChildren(`${root}/x`, true);
  await a.create(`${root}/x`);
  await a.create(`${root}/x/c`);
  await b.sync();
  await b.exists(`${root}/x`);
});

def('watch-children', 'child watch fires once on child create; not on child data change', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await a.create(root);
  await b.getChildren(root, true);
  await a.create(`${root}/c1`);
  await a.create(`${root}/c2`);
  await b.waitEvents(1);
  await b.getChildren(root, true);
  await a.setData(`${root}/c1`, 'data');
  await a.setData(root, 'parent data');
  await b.sync();
  await a.remove(`${root}/c1`);
  await b.waitEvents(2);
});

def('watch-child-parent-deleted', 'child watch on a node that is deleted fires NodeDeleted', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await a.create(root);
  await a.create(`${root}/p`);
  await b.getChildren(`${root}/p`, true);
  await a.remove(`${root}/p`);
  await b.waitEvents(1);
});

def('watch-data-deleted', 'data watch fires NodeDeleted on delete', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await a.create(root);
  await a.create(`${root}/x`, 'x');
  await b.getData(`${root}/x`, true);
  await a.remove(`${root}/x`);
  await b.waitEvents(1);
  await a.create(`${root}/x`);
  await b.sync();
});

def('watch-all-types-one-node', 'exists+getData+getChildren watches on one node, then delete: how many notifications', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await a.create(root);
  await a.create(`${root}/x`);
  await b.exists(`${root}/x`, true);
  await b.getData(`${root}/x`, true);
  await b.getChildren(`${root}/x`, true);
  await a.remove(`${root}/x`);
  await b.waitEvents(1);
  await b.sync();
});

def('watch-data-and-child-on-setdata', 'data+child watches on one node; setData fires only the data watch', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await a.create(root);
  await a.create(`${root}/x`);
  await b.getData(`${root}/x`, true);
  await b.getChildren(`${root}/x`, true);
  await a.setData(`${root}/x`, 'd');
  await b.waitEvents(1);
  await a.create(`${root}/x/c`);
  await b.waitEvents(2);
});

def('watch-create-event-order', 'creating a child: NodeCreated(child) before NodeChildrenChanged(parent)', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await a.create(root);
  await b.getChildren(root, true);
  await b.exists(`${root}/c`, true);
  await a.create(`${root}/c`);
  await b.waitEvents(2);
});

def('watch-delete-event-order', 'deleting a child: NodeDeleted(child) before NodeChildrenChanged(parent)', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await a.create(root);
  await a.create(`${root}/c`);
  await b.getChildren(root, true);
  await b.getData(`${root}/c`, true);
  await a.remove(`${root}/c`);
  await b.waitEvents(2);
});

def('watch-own-write-order', "the writer's own watch event arrives before its write reply", async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/x`, 'v0');
  await a.getData(`${root}/x`, true);
  await a.getChildren(root, true);
  await a.setData(`${root}/x`, 'v1');
  await a.create(`${root}/y`);
  await a.exists(`${root}/y`, true);
  await a.remove(`${root}/y`);
});

def('watch-pipelined-order', 'pipelined setData + getData(watch) + setData: events and replies interleave in order', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/x`, 'v0');
  await a.getData(`${root}/x`, true);
  await Promise.all([a.setData(`${root}/x`, 'v1'), a.getData(`${root}/x`, true), a.setData(`${root}/x`, 'v2'), a.exists(`${root}/x`)]);
});

def('watch-seen-before-data', 'a watcher sees the event before it can read the new value (two clients)', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await a.create(root);
  await a.create(`${root}/x`, 'v0');
  await b.getData(`${root}/x`, true);
  await a.setData(`${root}/x`, 'v1');
  await b.getData(`${root}/x`);
});

def('watch-same-path-two-clients', 'both clients watching one path each get one notification', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  const c = await connect('C');
  await a.create(root);
  await a.create(`${root}/x`);
  await b.getData(`${root}/x`, true);
  await c.exists(`${root}/x`, true);
  await a.setData(`${root}/x`, 'd');
  await b.waitEvents(1);
  await c.waitEvents(1);
});

def('watch-chroot-paths', 'events and results under a chroot use chroot-relative paths', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  const b = await connect('B', { chroot: root });
  await b.exists('/x', true);
  await b.getChildren('/', true);
  await a.create(`${root}/x`, 'x');
  await b.waitEvents(2);
  await b.getData('/x', true);
  await a.remove(`${root}/x`);
  await b.waitEvents(3);
});

def('watch-ephemeral-parent-child-watch', 'ephemeral child removed by session close fires parent child watch', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await b.create(root);
  await a.create(`${root}/e`, null, { mode: 'EPHEMERAL_SEQUENTIAL' });
  await b.getChildren(root, true);
  await a.close();
  await b.waitEvents(1);
  await b.exists(root);
});

// ---------------------------------------------------------------------------------------------
// Chroot
// ---------------------------------------------------------------------------------------------

def('chroot-basic', 'create/get/list through a chroot; "/" is the chroot node', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/base`, 'base-data');
  const b = await connect('B', { chroot: `${root}/base` });
  await b.create('/x', 'in-chroot');
  await b.getData('/x');
  await b.getChildren('/');
  await b.getData('/');
  await b.exists('/');
  await a.getChildren(`${root}/base`);
  await b.create('/x/y');
  await b.remove('/x/y');
  await b.getACL('/x');
});

def('chroot-missing', 'a chroot that does not exist: connect works, calls get NoNode', async ({ connect, root }) => {
  const b = await connect('B', { chroot: `${root}/nothere` });
  await b.exists('/');
  await b.create('/x');
  await b.getChildren('/');
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/nothere`);
  await b.create('/x');
  await b.getChildren('/');
});

def('chroot-multi', 'multi results under a chroot', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  const b = await connect('B', { chroot: root });
  await b.multi([
    { op: 'create', path: '/m', data: 'm' },
    { op: 'create', path: '/m/s-', mode: 'PERSISTENT_SEQUENTIAL' },
    { op: 'setData', path: '/m', data: 'm2' },
  ]);
  await b.multi([
    { op: 'create', path: '/n' },
    { op: 'create', path: '/m' },
  ]);
  await a.getChildren(`${root}/m`);
});

def('chroot-ephemeral-owner', 'ephemerals created through a chroot belong to that session', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  const b = await connect('B', { chroot: root });
  await b.create('/e', null, { mode: 'EPHEMERAL' });
  await a.exists(`${root}/e`);
  await b.close();
  await a.exists(`${root}/e`);
});

// ---------------------------------------------------------------------------------------------
// Large data (jute.maxbuffer, default 0xfffff = 1048575 bytes)
// ---------------------------------------------------------------------------------------------

const KIB = 1024;
const MIB = 1024 * KIB;
const fill = (n: number, byte = 0x61): Uint8Array => new Uint8Array(n).fill(byte);

def('data-near-1mib', '1 MiB - 1 KiB of data: create, read back, setData', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/big`, fill(MIB - KIB));
  await a.getData(`${root}/big`);
  await a.setData(`${root}/big`, fill(MIB - KIB, 0x62));
  await a.exists(`${root}/big`);
});

def('data-exactly-1mib', 'exactly 1 MiB of data (the largest node-zookeeper-client allows)', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/big`, fill(MIB));
  await a.sync();
  await a.exists(`${root}/big`);
});

def('data-limit-exact', 'the request frame limit: frame length <= 1048575 (jute.maxbuffer) passes, one byte more drops the connection', async ({ connect, root, log }) => {
  const a = await connect('A');
  await a.create(root);
  const p = `${root}/x`;
  await a.create(p, 'x');
  // setData frame = xid(4) + type(4) + path(4 + len) + data(4 + n) + version(4) = n + len + 20.
  const maxData = 1_048_575 - 20 - Buffer.byteLength(p);
  log.note('largest setData payload for this path', maxData);
  await a.setData(p, fill(maxData));
  await a.setData(p, fill(maxData + 1));
  await a.waitState('SYNC_CONNECTED', 1);
  await a.exists(p);
});

def('data-over-1mib', 'a request over the limit (1.5 MiB setData in a multi): connection loss, session survives', async ({ connect, root }) => {
  const a = await connect('A');
  const b = await connect('B');
  await a.create(root);
  await a.create(`${root}/x`, 'small');
  await a.create(`${root}/e`, null, { mode: 'EPHEMERAL' });
  await b.getData(`${root}/x`, true);
  await a.multi([{ op: 'setData', path: `${root}/x`, data: fill(MIB + MIB / 2) }]);
  await a.waitState('SYNC_CONNECTED', 1);
  await a.exists(`${root}/e`);
  await a.getData(`${root}/x`);
  await b.sync();
});

def('data-over-1mib-total', 'two 600 KiB creates in one multi (request over the limit): nothing created', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.multi([
    { op: 'create', path: `${root}/p1`, data: fill(600 * KIB) },
    { op: 'create', path: `${root}/p2`, data: fill(600 * KIB) },
  ]);
  await a.waitState('SYNC_CONNECTED', 1);
  await a.getChildren(root);
});

def('data-1mib-pipelined', 'a 1 MiB - 1 KiB write pipelined with small reads keeps reply order', async ({ connect, root }) => {
  const a = await connect('A');
  await a.create(root);
  await a.create(`${root}/x`, 'x');
  await Promise.all([a.getData(`${root}/x`), a.create(`${root}/big`, fill(MIB - KIB)), a.exists(`${root}/big`), a.getChildren(root)]);
});

// ---------------------------------------------------------------------------------------------
// Reply header zxids
// ---------------------------------------------------------------------------------------------

def('reply-zxids', 'rz of writes is the txn zxid; reads return the last committed zxid', async ({ connect, root, log }) => {
  const a = await connect('A');
  const b = await connect('B');
  await a.create(root);
  await a.getData(root);
  await b.create(`${root}/b`);
  await a.getData(root);
  const s = await a.setData(root, 'x');
  await a.exists(root);
  if (s) log.note('setData stat mzxid', new ZxidVal(s.mzxid));
  await a.create(root);
  await a.getData(`${root}/missing`);
});
