// Browser side of bench/tabs-bench.ts (startApp also serves bench/ui-bench.ts): starts the app (a
// production build + our PeerServer, see startApp), opens a 3-tab cluster (`?mode=tabs`, one
// server per page, IndexedDB storage) in headless Chromium, and runs load *inside* a tab through
// the tab's own client session (`window.__zootabs.session()`, the dev-only hook in src/ui/main.tsx),
// so the numbers include the in-page MessagePort channel.
// In-page code is passed as plain JS text: tsx's keepNames helpers do not exist in the page.
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PeerServer } from 'peer';
import { build, preview } from 'vite';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../playwright.config';
import type { LoadResult } from './load';
import { REPO_ROOT } from './server-process';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface App {
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * The app as `npm start` serves it (our PeerServer + the page and worker bundles), but from a
 * production build of the current tree made here (`vite build` into a temp dir, served by `vite
 * preview`): under `npm start` (the Vite dev server) every edit another engineer saves reloads the
 * benchmark's pages halfway through a measurement (HMR), and dev-mode React/unbundled modules
 * would not be what a user runs. The build bakes in the PeerServer address (VITE_PEER_*), as
 * scripts/start.mjs passes it to the dev server. The dev hook is enabled with `?bench=1`.
 */
export async function startApp(port: number, peerPort: number): Promise<App> {
  const host = '127.0.0.1';
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'zootabs-bench-dist-'));
  process.env.VITE_PEER_HOST = host;
  process.env.VITE_PEER_PORT = String(peerPort);
  process.env.VITE_PEER_PATH = '/peerjs';
  // BENCH_MINIFY=0 keeps function names for CPU profiles (bench/tabs-profile.ts).
  await build({ root: REPO_ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true, minify: process.env.BENCH_MINIFY !== '0' } });
  const peer = await new Promise<Server>((resolve, reject) => {
    const server = PeerServer({ host, port: peerPort, path: '/peerjs', allow_discovery: true }, (http) => resolve(http as Server));
    server.on('error', reject);
  });
  const web = await preview({ root: REPO_ROOT, logLevel: 'warn', build: { outDir }, preview: { host, port, strictPort: true } });
  const stop = async (): Promise<void> => {
    await web.close();
    peer.closeAllConnections?.();
    await new Promise<void>((resolve) => peer.close(() => resolve()));
    rmSync(outDir, { recursive: true, force: true });
  };
  return { baseUrl: `http://${host}:${port}`, stop };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export interface TabCluster {
  context: BrowserContext;
  /** pages[i] runs server i+1 (tabs claim myids in the order they open). */
  pages: Page[];
  close(): Promise<void>;
}

const stateWord = (page: Page, myid: number) => page.getByRole('group', { name: `server ${myid}`, exact: true }).locator('.state-word');

export async function stateOf(page: Page, myid: number): Promise<string> {
  return ((await stateWord(page, myid).textContent({ timeout: 5_000 }).catch(() => '')) ?? '').trim();
}

/**
 * A browser with an on-disk profile (ext4 here), so IndexedDB is durable as a user's is: a plain
 * Playwright context keeps IndexedDB in memory. BENCH_IDB=memory uses a plain context instead.
 */
export async function durableContext(viewport = { width: 1280, height: 800 }): Promise<{ context: BrowserContext; close(): Promise<void> } | null> {
  if (process.env.BENCH_IDB === 'memory') return null;
  const profileDir = mkdtempSync(path.join(os.tmpdir(), 'zootabs-bench-profile-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport,
  });
  const close = async (): Promise<void> => {
    await context.close();
    rmSync(profileDir, { recursive: true, force: true });
  };
  return { context, close };
}

/** Opens `size` tabs one at a time (so myids come out 1..size) and waits for a leader + followers. */
export async function openTabCluster(browser: Browser, baseUrl: string, cluster: string, tickTimeMs: number, size = 3): Promise<TabCluster> {
  const durable = await durableContext();
  const context = durable?.context ?? (await browser.newContext({ viewport: { width: 1280, height: 800 } }));
  const pages: Page[] = [];
  for (let myid = 1; myid <= size; myid++) {
    const page = await context.newPage();
    page.on('pageerror', (e) => process.stderr.write(`[tab ${myid}] ${e.message}\n`));
    await page.goto(`${baseUrl}/?cluster=${cluster}&size=${size}&mode=tabs&tickTime=${tickTimeMs}&bench=1`);
    await stateWord(page, myid).waitFor({ timeout: 60_000 });
    pages.push(page);
  }
  const cluster_ = { context, pages, close: durable?.close ?? (() => context.close()) };
  await waitLeader(cluster_, 90_000);
  for (const page of pages) await waitSession(page, 60_000);
  return cluster_;
}

/** Waits for exactly one LEADING tab and the rest FOLLOWING; returns the leader's myid. */
export async function waitLeader(cluster: TabCluster, timeoutMs: number, ids?: readonly number[]): Promise<number> {
  const members = ids ?? cluster.pages.map((_, i) => i + 1);
  const deadline = Date.now() + timeoutMs;
  let last: string[] = [];
  while (Date.now() < deadline) {
    last = await Promise.all(members.map((id) => stateOf(cluster.pages[id - 1]!, id)));
    const leaders = members.filter((_, i) => last[i] === 'LEADING');
    if (leaders.length === 1 && last.filter((s) => s === 'FOLLOWING').length === members.length - 1) return leaders[0]!;
    await sleep(100);
  }
  throw new Error(`no stable tab leader after ${timeoutMs} ms: ${JSON.stringify(last)}`);
}

const SESSION_READY_JS = `(async () => {
  const zk = window.__zootabs && window.__zootabs.session();
  if (!zk || zk.getState() !== 'CONNECTED') return false;
  try { await zk.getData('/'); return true; } catch { return false; }
})()`;

/** Until the tab's own session is connected and a getData on it succeeds. */
export async function waitSession(page: Page, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await page.evaluate(SESSION_READY_JS).catch(() => false)) === true) return;
    await sleep(20);
  }
  throw new Error(`the tab's session did not serve within ${timeoutMs} ms`);
}

const PREPARE_JS = `async ({ keys, payloadBytes }) => {
  const zk = window.__zootabs.session();
  const acl = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
  const payload = new Uint8Array(payloadBytes).fill(97);
  const ensure = async (path, data) => { if ((await zk.exists(path)) === null) await zk.create(path, data, acl, 0); };
  await ensure('/bench', new Uint8Array(0));
  for (let k = 0; k < keys; k++) await ensure('/bench/k' + k, payload);
}`;

const LOAD_JS = `async ({ ops, inFlight, keys, payloadBytes }) => {
  const zk = window.__zootabs.session();
  const payload = new Uint8Array(payloadBytes).fill(97);
  const latencies = [];
  let issued = 0;
  const started = performance.now();
  const worker = async () => {
    while (issued < ops) {
      const i = issued++;
      const t0 = performance.now();
      await zk.setData('/bench/k' + (i % keys), payload, -1);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (f) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * f))] || 0;
  return { ops, seconds, opsPerSecond: ops / seconds, p50Ms: at(0.5), p99Ms: at(0.99), latenciesMs: latencies };
}`;

const call = <T>(page: Page, fnSource: string, arg: unknown): Promise<T> => page.evaluate(`(${fnSource})(${JSON.stringify(arg)})`) as Promise<T>;

export function prepareKeysInTab(page: Page, keys: number, payloadBytes: number): Promise<void> {
  return call(page, PREPARE_JS, { keys, payloadBytes });
}

/** Closed loop of setData inside the tab (same shape as bench/load.ts runClosedLoop + writeOp). */
export function setDataLoadInTab(page: Page, ops: number, inFlight: number, keys: number, payloadBytes: number): Promise<LoadResult> {
  return call(page, LOAD_JS, { ops, inFlight, keys, payloadBytes });
}

// A writer inside a tab: one setData at a time, 10 ms apart, recording (issuedAt, ackedAt) in
// epoch ms (performance.timeOrigin + now(), comparable across tabs of one browser).
const WRITER_START_JS = `async ({ path, intervalMs }) => {
  const zk0 = window.__zootabs.session();
  if ((await zk0.exists(path)) === null) await zk0.create(path, new Uint8Array(0), [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], 0);
  const w = { acks: [], errors: 0, stop: false };
  window.__benchWriter = w;
  const now = () => performance.timeOrigin + performance.now();
  const payload = new Uint8Array(100).fill(98);
  (async () => {
    while (!w.stop) {
      const issuedAt = now();
      try {
        const zk = window.__zootabs.session();
        if (zk === null) throw new Error('no session');
        await zk.setData(path, payload, -1);
        w.acks.push([issuedAt, now()]);
        if (w.acks.length > 20000) w.acks.splice(0, 10000);
      } catch { w.errors++; }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
}`;

export async function startWriterInTab(page: Page, path: string, intervalMs = 10): Promise<void> {
  await call(page, WRITER_START_JS, { path, intervalMs });
}

/** Epoch ms of the first ack of a write issued after `sinceEpochMs`, or null. */
export async function firstAckAfter(page: Page, sinceEpochMs: number): Promise<{ ackedAt: number; errors: number } | null> {
  return (await page.evaluate(
    `(() => { const w = window.__benchWriter; const a = w.acks.find(([i]) => i > ${sinceEpochMs}); return a ? { ackedAt: a[1], errors: w.errors } : null; })()`,
  )) as { ackedAt: number; errors: number } | null;
}

export async function ackCount(page: Page): Promise<number> {
  return (await page.evaluate('window.__benchWriter.acks.length')) as number;
}

export async function stopWriterInTab(page: Page): Promise<void> {
  await page.evaluate('window.__benchWriter && (window.__benchWriter.stop = true)');
}

/** Clicks `Kill server <myid>` in that server's own tab; returns the click's epoch ms (taken in the page). */
export async function clickKill(page: Page, myid: number): Promise<number> {
  await page.evaluate(`document.addEventListener('click', () => { window.__killAt = performance.timeOrigin + performance.now(); }, { capture: true, once: true })`);
  await page.getByRole('button', { name: `Kill server ${myid}`, exact: true }).click();
  return (await page.evaluate('window.__killAt')) as number;
}

export async function clickRestart(page: Page, myid: number): Promise<void> {
  await page.getByRole('button', { name: `Restart server ${myid}`, exact: true }).click();
}

/**
 * Writes `total` setData txns through every given tab at once (each tab's own session, so each
 * tab's server takes its share of the requests: the leader's directly, the followers' forwarded),
 * `inFlightPerTab` in flight per tab. Real txns committed by the cluster and logged by every
 * server; only the client side is spread out. Returns the wall-clock seconds.
 */
export async function setDataLoadInTabs(pages: readonly Page[], total: number, inFlightPerTab: number, keys: number, payloadBytes: number): Promise<number> {
  const started = performance.now();
  const share = Math.floor(total / pages.length);
  await Promise.all(pages.map((page, i) => setDataLoadInTab(page, i === 0 ? total - share * (pages.length - 1) : share, inFlightPerTab, keys, payloadBytes)));
  return (performance.now() - started) / 1000;
}

// Installed before a reload (addInitScript: it runs at the start of every navigation of the page):
// samples the page every 5 ms and records, in ms since navigation start, when each step of a
// reload happened. The own server is the one without a `report` (other tabs' servers carry one).
const RELOAD_SAMPLER_JS = `(() => {
  const marks = { script: performance.now() };
  window.__reloadMarks = marks;
  const at = (name) => { if (marks[name] === undefined) marks[name] = performance.now(); };
  const timer = setInterval(() => {
    const z = window.__zootabs;
    if (!z) return;
    at('boot');
    const cluster = z.store.getState().cluster;
    const own = cluster && Object.values(cluster.servers).find((s) => s.report === undefined && s.life === 'running');
    if (own) {
      at('phase ' + own.phase);
      if (own.recovery) { at('recovered'); marks.logEntries = own.recovery.logEntries; marks.snapshotZxid = own.recovery.snapshotZxid === null ? null : String(own.recovery.snapshotZxid); }
      if (own.status) at('state ' + own.status.state);
    }
    const zk = z.session();
    if (zk && zk.getState() === 'CONNECTED') at('session connected');
    // The worker's messages may reach the page after the session connects: sample a little longer.
    const done = marks['phase serving'] !== undefined && marks['session connected'] !== undefined;
    if (done || (marks['session connected'] !== undefined && performance.now() > marks['session connected'] + 3000)) clearInterval(timer);
  }, 5);
})()`;

export async function installReloadSampler(page: Page): Promise<void> {
  await page.addInitScript(RELOAD_SAMPLER_JS);
}

/** The sampler's marks (ms since navigation start), plus the navigation timing of the load. */
export async function reloadMarks(page: Page): Promise<Record<string, number | string | null>> {
  return (await page.evaluate(`(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const marks = Object.assign({}, window.__reloadMarks || {});
    if (nav) { marks['domContentLoaded'] = nav.domContentLoadedEventEnd; marks['load'] = nav.loadEventEnd; }
    return marks;
  })()`)) as Record<string, number | string | null>;
}

// Times a raw read of a server's IndexedDB log from the page (same origin, same database), apart
// from the server: one getAllKeys + getAll, and the same in key ranges of `chunk` values (the
// server reads LOAD_VALUES_PER_READ at a time). A value holds one append batch of txns.
const IDB_PROBE_JS = `async ({ name, chunk }) => {
  const req = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  // The server's database is named zootabs-<cluster>-<myid>; find it rather than create a new one.
  const found = (await indexedDB.databases()).map((d) => d.name).find((n) => n === name || (n.includes(name.split('|')[0]) && n.endsWith('-' + name.split('|')[1])));
  if (found === undefined) throw new Error('no IndexedDB database like ' + name + ' among ' + JSON.stringify((await indexedDB.databases()).map((d) => d.name)));
  const db = await req(indexedDB.open(found));
  try {
    let t = performance.now();
    let tx = db.transaction('log', 'readonly');
    const keys = await req(tx.objectStore('log').getAllKeys());
    const values = await req(tx.objectStore('log').getAll());
    const whole = performance.now() - t;
    t = performance.now();
    tx = db.transaction('log', 'readonly');
    let n = 0; let lower = null;
    for (;;) {
      const range = lower === null ? undefined : IDBKeyRange.lowerBound(lower, true);
      const part = await req(tx.objectStore('log').getAll(range, chunk));
      const partKeys = await req(tx.objectStore('log').getAllKeys(range, chunk));
      n += part.length;
      if (part.length < chunk) break;
      lower = partKeys[partKeys.length - 1];
    }
    const ranged = performance.now() - t;
    const bytes = values.reduce((s, v) => s + v.byteLength, 0);
    return { entries: keys.length, bytes, wholeMs: whole, rangedMs: ranged, rangedEntries: n };
  } finally { db.close(); }
}`;

/** `databaseName` is the exact name, or `<cluster>|<myid>` to look it up. */
export function idbReadProbe(page: Page, databaseName: string, chunk = 512): Promise<{ entries: number; bytes: number; wholeMs: number; rangedMs: number }> {
  return call(page, IDB_PROBE_JS, { name: databaseName, chunk });
}

export interface WriterCluster {
  app: App;
  browser: Browser;
  cluster: TabCluster;
  leader: number;
  follower: number;
  /** The follower's tab, with KEYS /key-N znodes made and a short warm-up done: where the diagnosis scripts write from. */
  page: Page;
}

/** The app, a browser and a 3-tab cluster ready for a follower tab to write (bench/tabs-trace.ts, tabs-profile.ts). */
export async function openWriterCluster(namePrefix: string, port: number, peerPort: number, tickTimeMs: number, warmInFlight: number): Promise<WriterCluster> {
  const app = await startApp(port, peerPort);
  const browser = await launchBrowser();
  const cluster = await openTabCluster(browser, app.baseUrl, `${namePrefix}-${Date.now().toString(36)}`, tickTimeMs);
  const leader = await waitLeader(cluster, 60_000);
  const follower = [1, 2, 3].find((id) => id !== leader)!;
  const page = cluster.pages[follower - 1]!;
  await prepareKeysInTab(page, 100, 100);
  await setDataLoadInTab(page, 300, warmInFlight, 100, 100);
  return { app, browser, cluster, leader, follower, page };
}
