// UI benchmarks of the visualizer (issue 5's quality bars), in Debian's Chromium driving the real
// app as built (`vite build`, served with its PeerServer by bench/tabs-browser.ts startApp):
//   1. tree: first render of a 10,000-znode tree. Two numbers: the render alone (the mirror's
//      10,002 nodes handed to the store at once, until the next painted frame), and the whole load
//      after a reload (page navigation until the tree reports every node mirrored, which includes
//      10,002 getChildren2 reads through the page's client session).
//   2. frames: frame intervals (requestAnimationFrame deltas) of a tab of a 3-tab cluster (WebRTC,
//      IndexedDB) while its client commits ~500 writes/s, with the Cluster view's message animation
//      on. Goal: p95 under 20 ms.
//   3. memory: JS heap of a tab that simulates a 3-server ensemble at tickTime 20 ms (100x
//      ZooKeeper's default 2000 ms) while a client writes, sampled after a forced GC: MEMORY_SECONDS
//      of this covers 1 hour-equivalent of ticks at tickTime 2000 when MEMORY_SECONDS >= 36. Bounded
//      means the heap stops growing once the trace store compacts (src/ui/trace/trace-store.ts).
//
//      Then the same with the load spread: every one of the 3 tabs keeps SPREAD_IN_FLIGHT writes in
//      flight (closed loop), so the combined commit rate is as high as the cluster allows.
//
//   npx tsx bench/ui-bench.ts                 (PARTS=tree,frames,memory FRAME_SECONDS=10 MEMORY_SECONDS=240)
// Writes bench/results/ui.md (only with every part; a partial run prints its tables).
// PROFILE=<file.cpuprofile> records a CDP CPU profile of the measured tab during the first frames
// measurement and prints its summary (bench/cpuprofile-top.ts). APP_URL=<http://host:port> uses an
// app already running there (e.g. `npm start`, unminified: readable profiles) instead of a build.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { PeerServer } from 'peer';
import { build, preview } from 'vite';
import os from 'node:os';
import path from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { summarizeProfile } from './cpuprofile-top';
import { REPO_ROOT } from './server-process';
import { durableContext, launchBrowser, startApp } from './tabs-browser';

const PORT = Number(process.env.PORT ?? 5394);
const PEER_PORT = Number(process.env.PEER_PORT ?? 9394);
const PARTS = (process.env.PARTS ?? 'tree,frames,memory').split(',');
const TREE_NODES = Number(process.env.TREE_NODES ?? 10_000);
const FRAME_SECONDS = Number(process.env.FRAME_SECONDS ?? 10);
const WRITES_PER_SECOND = Number(process.env.WRITES_PER_SECOND ?? 500);
// 240 s at tickTime 20 ms is 6.7 hours at tickTime 2000; the trace store's cap (50k events) is
// reached within the first two minutes, so the later samples show the plateau.
const MEMORY_SECONDS = Number(process.env.MEMORY_SECONDS ?? 240);
const SPREAD_IN_FLIGHT = Number(process.env.SPREAD_IN_FLIGHT ?? 8);
const PROFILE = process.env.PROFILE ?? null;
const APP_URL = process.env.APP_URL ?? null;
const BASE = APP_URL ?? `http://127.0.0.1:${PORT}`;

type Hook = { session(): unknown; store: { getState(): { nodes: Record<string, unknown> }; setState(p: unknown): void } };

/** Waits until the page's own client session is connected. */
/** tsx names inner functions with an `__name` helper that the page lacks; give it a no-op one. */
const NAME_HELPER = { content: 'window.__name = (f) => f;' };

async function sessionReady(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const zk = (window as unknown as { __zootabs?: Hook }).__zootabs?.session() as { getState(): string } | null | undefined;
      return zk?.getState() === 'CONNECTED';
    },
    undefined,
    { timeout: timeoutMs, polling: 100 },
  );
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

// ---------- 1. tree ----------

interface TreeResult {
  nodes: number;
  renderMs: number[];
  reloadToMirroredMs: number;
}

async function benchTree(browser: Browser): Promise<TreeResult> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript(NAME_HELPER);
  const page = await context.newPage();
  const cluster = `uibench-tree-${Date.now().toString(36)}`;
  await page.goto(`${BASE}/?cluster=${cluster}&size=3&mode=standalone&bench=1`);
  await sessionReady(page);
  // TREE_NODES children of /big, created 200 at a time through the page's session.
  await page.evaluate(async (count) => {
    const zk = (window as unknown as { __zootabs: Hook }).__zootabs.session() as {
      create(p: string, d: Uint8Array | null, acl: unknown[], mode: number): Promise<string>;
    };
    const acl = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
    await zk.create('/big', null, acl, 0);
    for (let i = 0; i < count; i += 200) {
      const batch: Promise<string>[] = [];
      for (let j = i; j < Math.min(count, i + 200); j++) batch.push(zk.create(`/big/n${String(j).padStart(5, '0')}`, null, acl, 0));
      await Promise.all(batch);
    }
  }, TREE_NODES);
  const expected = TREE_NODES + 3; // '/', '/zookeeper', '/big' and its children ('/zookeeper/*' adds a few more)
  const mirroredAtLeast = (n: number) =>
    page.waitForFunction((min) => Object.keys((window as unknown as { __zootabs: Hook }).__zootabs.store.getState().nodes).length >= min, n, { timeout: 120_000, polling: 50 });
  await mirroredAtLeast(expected);

  // The whole load after a reload: navigation start until every node is mirrored.
  await page.reload();
  await mirroredAtLeast(expected);
  const reloadToMirroredMs = await page.evaluate(() => performance.now());

  // The render alone: the same nodes handed to the store at once, until the next painted frame.
  const renderMs: number[] = [];
  for (let trial = 0; trial < 5; trial++) {
    renderMs.push(
      await page.evaluate(async () => {
        const store = (window as unknown as { __zootabs: Hook }).__zootabs.store;
        const nodes = store.getState().nodes;
        store.setState({ nodes: { '/': nodes['/'] } });
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        const t0 = performance.now();
        store.setState({ nodes });
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        return performance.now() - t0;
      }),
    );
  }
  const rows = await page.getByRole('tree', { name: 'znode tree' }).getByRole('treeitem').count();
  console.error(`tree: ${rows} treeitems in the DOM for ${TREE_NODES} znodes`);
  await context.close();
  return { nodes: TREE_NODES, renderMs, reloadToMirroredMs };
}

// ---------- 2. frames ----------

interface FrameResult {
  /** What loads the cluster, as the report says it. */
  load: string;
  seconds: number;
  writesPerSecond: number;
  frames: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Main-thread time per second of the measurement, by kind (CDP Performance.getMetrics). */
  mainThread: MainThreadMs;
}

interface MainThreadMs {
  taskMs: number;
  scriptMs: number;
  layoutMs: number;
  styleMs: number;
}

/** CDP Performance metrics of the page: cumulative seconds of task, script, layout and style work. */
async function mainThreadSeconds(cdp: CDPSession): Promise<MainThreadMs> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
  return { taskMs: get('TaskDuration'), scriptMs: get('ScriptDuration'), layoutMs: get('LayoutDuration'), styleMs: get('RecalcStyleDuration') };
}

/** Per-second main-thread ms between two cumulative readings (seconds). */
function perSecond(before: MainThreadMs, after: MainThreadMs, seconds: number): MainThreadMs {
  const rate = (k: keyof MainThreadMs) => ((after[k] - before[k]) * 1000) / seconds;
  return { taskMs: rate('taskMs'), scriptMs: rate('scriptMs'), layoutMs: rate('layoutMs'), styleMs: rate('styleMs') };
}

type WriterWindow = { __writer?: { done: number; stop(): void } };

/**
 * Starts a writer in the tab: setData on `path`, either `rate` per second (ticks of 10 ms, at most
 * 256 in flight) or, with rate 0, a closed loop keeping `inFlight` writes outstanding.
 */
async function startWriter(page: Page, path: string, rate: number, inFlight: number): Promise<void> {
  await page.evaluate(
    async ({ path, rate, inFlight }) => {
      const zk = (window as unknown as { __zootabs: Hook }).__zootabs.session() as {
        create(p: string, d: Uint8Array | null, acl: unknown[], mode: number): Promise<string>;
        setData(p: string, d: Uint8Array | null): Promise<unknown>;
      };
      const acl = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
      await zk.create(path, null, acl, 0).catch(() => undefined);
      const payload = new Uint8Array(100);
      const state = { done: 0, outstanding: 0, stopped: false };
      const one = (): void => {
        state.outstanding++;
        zk.setData(path, payload).then(
          () => {
            state.outstanding--;
            state.done++;
            if (rate === 0 && !state.stopped) one();
          },
          () => {
            state.outstanding--;
            if (rate === 0 && !state.stopped) setTimeout(one, 10);
          },
        );
      };
      let timer: ReturnType<typeof setInterval> | null = null;
      if (rate > 0) {
        const perTick = Math.max(1, Math.round(rate / 100));
        timer = setInterval(() => {
          for (let i = 0; i < perTick && state.outstanding < 256; i++) one();
        }, 10);
      } else {
        for (let i = 0; i < inFlight; i++) one();
      }
      (window as unknown as WriterWindow).__writer = {
        get done() {
          return state.done;
        },
        stop() {
          state.stopped = true;
          if (timer !== null) clearInterval(timer);
        },
      };
    },
    { path, rate, inFlight },
  );
}

async function stopWriter(page: Page): Promise<number> {
  return page.evaluate(() => {
    const writer = (window as unknown as WriterWindow).__writer;
    writer?.stop();
    return writer?.done ?? 0;
  });
}

/** requestAnimationFrame intervals of the page for `seconds`. */
function frameDeltas(page: Page, seconds: number): Promise<number[]> {
  return page.evaluate(async (seconds) => {
    const deltas: number[] = [];
    let last = performance.now();
    const end = last + seconds * 1000;
    await new Promise<void>((resolve) => {
      const frame = (now: number) => {
        deltas.push(now - last);
        last = now;
        if (now < end) requestAnimationFrame(frame);
        else resolve();
      };
      requestAnimationFrame(frame);
    });
    return deltas;
  }, seconds);
}

function frameStats(load: string, deltas: number[], writes: number, mainThread: MainThreadMs): FrameResult {
  const sorted = deltas.slice(1).sort((a, b) => a - b);
  return {
    load,
    seconds: FRAME_SECONDS,
    writesPerSecond: writes / FRAME_SECONDS,
    frames: sorted.length,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[sorted.length - 1] ?? NaN,
    mainThread,
  };
}

interface TraceEventJson {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

/**
 * Main-thread work of every renderer during the trace, by kind: top-level task time, and the
 * time of the named steps inside the tasks (script, style, layout, paint, message handling...).
 */
function rendererWork(json: string, seconds: number): string {
  const events = (JSON.parse(json) as { traceEvents: TraceEventJson[] }).traceEvents;
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const lines: string[] = [];
  for (const thread of mains) {
    const on = events.filter((e) => e.ph === 'X' && `${e.pid}:${e.tid}` === thread && e.dur !== undefined).sort((a, b) => a.ts - b.ts);
    const byName = new Map<string, number>();
    let topEnd = -Infinity;
    let tasksUs = 0;
    for (const e of on) {
      const dur = e.dur as number;
      if (e.ts >= topEnd) {
        topEnd = e.ts + dur;
        tasksUs += dur;
      }
      byName.set(e.name, (byName.get(e.name) ?? 0) + dur);
    }
    const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 14);
    lines.push(`renderer main thread ${thread}: top-level tasks ${(tasksUs / 1000 / seconds).toFixed(0)} ms/s; by event name (nested, so overlapping): ${top.map(([n, us]) => `${n} ${(us / 1000 / seconds).toFixed(0)}`).join(', ')}`);
  }
  return lines.join('\n');
}

async function startProfile(page: Page): Promise<CDPSession | null> {
  if (PROFILE === null) return null;
  await page.context().browser()?.startTracing(undefined, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'] });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  return cdp;
}

async function stopProfile(cdp: CDPSession | null): Promise<void> {
  if (cdp === null || PROFILE === null) return;
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown };
  const browser = cdp === null ? null : BROWSER;
  if (browser !== null) console.error(rendererWork((await browser.stopTracing()).toString('utf8'), FRAME_SECONDS));
  writeFileSync(PROFILE, JSON.stringify(profile));
  console.error(summarizeProfile(PROFILE, 25));
  console.error(topFunctions(profile as PageProfile, 30));
  await cdp.detach();
}

interface PageProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

/** Self time by function over every script (the bundle has no src/ paths), and by native category. */
function topFunctions(profile: PageProfile, top: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (node === undefined) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = url === '' ? functionName : `${functionName || '(anonymous)'} ${url.slice(url.lastIndexOf('/') + 1)}:${lineNumber + 1}`;
    const us = profile.timeDeltas[i] ?? 0;
    total += us;
    self.set(key, (self.get(key) ?? 0) + us);
  });
  const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, top);
  return ['| function (self) | ms | % |', '|---|---:|---:|', ...rows.map(([k, us]) => `| ${k} | ${(us / 1000).toFixed(0)} | ${((100 * us) / total).toFixed(1)} |`)].join('\n');
}

async function benchFrames(browser: Browser): Promise<FrameResult[]> {
  // An on-disk profile, so IndexedDB is durable as in bench:tabs (BENCH_IDB=memory: plain context).
  const durable = await durableContext({ width: 1440, height: 900 });
  const context = durable?.context ?? (await browser.newContext({ viewport: { width: 1440, height: 900 } }));
  await context.addInitScript(NAME_HELPER);
  const cluster = `uibench-frames-${Date.now().toString(36)}`;
  const pages: Page[] = [];
  for (let i = 0; i < 3; i++) {
    const page = await context.newPage();
    await page.goto(`${BASE}/?cluster=${cluster}&size=3&mode=tabs&tickTime=2000&bench=1`);
    await page.getByRole('group', { name: /^server \d+$/ }).first().waitFor({ timeout: 60_000 });
    pages.push(page);
  }
  const page = pages[0] as Page;
  await page.bringToFront();
  for (const p of pages) await sessionReady(p, 120_000);
  const results: FrameResult[] = [];
  const metrics = await page.context().newCDPSession(page);
  await metrics.send('Performance.enable');

  // a) The measured tab's client alone, at WRITES_PER_SECOND.
  const cdp = await startProfile(page);
  await startWriter(page, '/frames-0', WRITES_PER_SECOND, 0);
  const before = await mainThreadSeconds(metrics);
  const deltas = await frameDeltas(page, FRAME_SECONDS);
  const after = await mainThreadSeconds(metrics);
  const writes = await stopWriter(page);
  await stopProfile(cdp);
  results.push(
    frameStats(`a) the measured tab's client writing at ${WRITES_PER_SECOND}/s (a rate-limited open loop, at most 256 in flight)`, deltas, writes, perSecond(before, after, FRAME_SECONDS)),
  );
  console.error('frames', results.at(-1));
  await new Promise((r) => setTimeout(r, 2000));

  // b) Every tab's client keeps SPREAD_IN_FLIGHT writes in flight: the cluster's own limit.
  for (const [i, p] of pages.entries()) await startWriter(p, `/frames-${i}`, 0, SPREAD_IN_FLIGHT);
  const spreadBefore = await mainThreadSeconds(metrics);
  const spreadDeltas = await frameDeltas(page, FRAME_SECONDS);
  const spreadAfter = await mainThreadSeconds(metrics);
  let spreadWrites = 0;
  for (const p of pages) spreadWrites += await stopWriter(p);
  results.push(
    frameStats(`b) all 3 tabs' clients, each keeping ${SPREAD_IN_FLIGHT} writes in flight (closed loop)`, spreadDeltas, spreadWrites, perSecond(spreadBefore, spreadAfter, FRAME_SECONDS)),
  );
  console.error('frames', results.at(-1));

  // c) and d): the same two loads with the other two tabs in the background, as three tabs of one
  // browser window are (only the front tab renders). Playwright keeps every page it drives
  // visible (focus emulation), so a background tab is approximated: its body is display: none, so
  // it lays out and paints nothing while its page script (server relay, client, store) still runs
  // at full rate, which a real background tab would not.
  for (const p of pages.slice(1)) await p.evaluate('document.body.style.display = "none"');
  await new Promise((r) => setTimeout(r, 2000));
  await startWriter(page, '/frames-0', WRITES_PER_SECOND, 0);
  const bgBefore = await mainThreadSeconds(metrics);
  const bgDeltas = await frameDeltas(page, FRAME_SECONDS);
  const bgAfter = await mainThreadSeconds(metrics);
  const bgWrites = await stopWriter(page);
  results.push(frameStats(`as a), the other two tabs in the background (not rendering)`, bgDeltas, bgWrites, perSecond(bgBefore, bgAfter, FRAME_SECONDS)));
  console.error('frames', results.at(-1));
  await new Promise((r) => setTimeout(r, 2000));
  for (const [i, p] of pages.entries()) await startWriter(p, `/frames-${i}`, 0, SPREAD_IN_FLIGHT);
  const bgSpreadBefore = await mainThreadSeconds(metrics);
  const bgSpreadDeltas = await frameDeltas(page, FRAME_SECONDS);
  const bgSpreadAfter = await mainThreadSeconds(metrics);
  let bgSpreadWrites = 0;
  for (const p of pages) bgSpreadWrites += await stopWriter(p);
  results.push(frameStats(`as b), the other two tabs in the background (not rendering)`, bgSpreadDeltas, bgSpreadWrites, perSecond(bgSpreadBefore, bgSpreadAfter, FRAME_SECONDS)));
  console.error('frames', results.at(-1));
  await (durable?.close() ?? context.close());
  return results;
}

// ---------- 3. memory ----------

interface MemorySample {
  atSeconds: number;
  heapMb: number;
  writes: number;
  /** Trace events held by the recorder, and how many it compacted away so far. */
  traceEvents: number;
  compacted: number;
}

async function benchMemory(browser: Browser): Promise<MemorySample[]> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript(NAME_HELPER);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const cluster = `uibench-mem-${Date.now().toString(36)}`;
  await page.goto(`${BASE}/?cluster=${cluster}&size=3&mode=simulate&tickTime=20&bench=1`);
  await sessionReady(page, 120_000);
  await page.evaluate(() => {
    type Zk = {
      create(p: string, d: Uint8Array | null, acl: unknown[], mode: number): Promise<string>;
      setData(p: string, d: Uint8Array | null): Promise<unknown>;
    };
    // The page's session as it is now: at tickTime 20 a loaded page can lose its session, and the
    // page then opens a new one; the writer follows it rather than stalling on the dead one.
    const session = () => (window as unknown as { __zootabs: Hook }).__zootabs.session() as Zk | null;
    const acl = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
    const w = window as unknown as { __benchWrites: number; __benchErrors: number };
    w.__benchWrites = 0;
    w.__benchErrors = 0;
    void session()?.create('/mem', null, acl, 0).catch(() => undefined);
    const timeout = () => new Promise((_, reject) => setTimeout(() => reject(new Error('write timed out')), 2000));
    // ~100 writes/s, one at a time, for as long as the page lives.
    const loop = async (): Promise<void> => {
      for (;;) {
        const zk = session();
        if (zk !== null) {
          await Promise.race([zk.setData('/mem', new Uint8Array(100)), timeout()]).then(
            () => w.__benchWrites++,
            () => w.__benchErrors++,
          );
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    void loop();
  });
  const samples: MemorySample[] = [];
  const started = Date.now();
  const sampleEverySeconds = Math.max(5, Math.round(MEMORY_SECONDS / 12));
  for (;;) {
    const atSeconds = (Date.now() - started) / 1000;
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    const { writes, traceEvents, compacted } = await page.evaluate(() => {
      const w = window as unknown as { __benchWrites: number; __zootabs: { trace: { getState(): { events: unknown[]; compacted: number } } } };
      const trace = w.__zootabs.trace.getState();
      return { writes: w.__benchWrites, traceEvents: trace.events.length, compacted: trace.compacted };
    });
    samples.push({ atSeconds: Math.round(atSeconds), heapMb: usedSize / 1024 / 1024, writes, traceEvents, compacted });
    console.error(`memory: ${atSeconds.toFixed(0)} s, heap ${(usedSize / 1024 / 1024).toFixed(1)} MB, ${writes} writes, trace ${traceEvents} (+${compacted} compacted)`);
    if (atSeconds >= MEMORY_SECONDS) break;
    await new Promise((r) => setTimeout(r, sampleEverySeconds * 1000));
  }
  await context.close();
  return samples;
}

// ---------- app ----------

/**
 * With PROFILE: the app as startApp (bench/tabs-browser.ts) serves it, but built unminified, so
 * the profile names our functions. Everything else as startApp.
 */
async function startUnminifiedApp(port: number, peerPort: number): Promise<{ stop(): Promise<void> }> {
  const host = '127.0.0.1';
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'zootabs-uibench-dist-'));
  process.env.VITE_PEER_HOST = host;
  process.env.VITE_PEER_PORT = String(peerPort);
  process.env.VITE_PEER_PATH = '/peerjs';
  await build({ root: REPO_ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true, minify: false } });
  const peer = await new Promise<Server>((resolve, reject) => {
    const server = PeerServer({ host, port: peerPort, path: '/peerjs', allow_discovery: true }, (http) => resolve(http as Server));
    server.on('error', reject);
  });
  const web = await preview({ root: REPO_ROOT, logLevel: 'warn', build: { outDir }, preview: { host, port, strictPort: true } });
  return {
    stop: async () => {
      await web.close();
      peer.closeAllConnections?.();
      await new Promise<void>((resolve) => peer.close(() => resolve()));
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

function startAnyApp(): Promise<{ stop(): Promise<void> }> {
  if (APP_URL !== null) return Promise.resolve({ stop: async () => undefined });
  return PROFILE !== null ? startUnminifiedApp(PORT, PEER_PORT) : startApp(PORT, PEER_PORT);
}

// ---------- report ----------

function report(tree: TreeResult | null, frames: FrameResult[] | null, memory: MemorySample[] | null): string {
  const lines = [
    '# UI benchmarks (`npx tsx bench/ui-bench.ts`)',
    '',
    `Run ${new Date().toISOString()} on ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}; headless Debian Chromium (software rendering).`,
    '',
  ];
  if (tree !== null) {
    const sorted = [...tree.renderMs].sort((a, b) => a - b);
    lines.push(
      `## First render of a ${tree.nodes.toLocaleString('en-US')}-znode tree (goal: under 1 s)`,
      '',
      '| measure | ms |',
      '|---|---:|',
      `| render: all nodes into the store -> next painted frame (median of ${sorted.length}; all: ${sorted.map((v) => v.toFixed(0)).join(', ')}) | **${percentile(sorted, 50).toFixed(0)}** |`,
      `| whole load: reload -> every node mirrored through the client session | ${tree.reloadToMirroredMs.toFixed(0)} |`,
      '',
    );
  }
  if (frames !== null) {
    lines.push(
      '## Frame times while a 3-tab cluster commits writes (goal: p95 under 20 ms at 500 writes/s)',
      '',
      `${FRAME_SECONDS} s per row, measured in the first tab (in front), Cluster view with message animation on; writes/s = writes acknowledged by the clients during the measurement. The app's three tabs share one headless Chromium with software rendering and the machine's 2 cores; rows a) and b) keep all three tabs rendering (three windows side by side), rows c) and d) only the measured one (three tabs of one window: the other two are background tabs, approximated by their body set to display: none). IndexedDB on an on-disk profile (durable), as in bench:tabs.`,
      '',
      '| load | writes/s | frames | p50 ms | p95 ms | p99 ms | max ms |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...frames.map((f) => `| ${f.load} | ${f.writesPerSecond.toFixed(0)} | ${f.frames} | ${f.p50Ms.toFixed(1)} | **${f.p95Ms.toFixed(1)}** | ${f.p99Ms.toFixed(1)} | ${f.maxMs.toFixed(1)} |`),
      '',
      'Main-thread time of the measured tab per second of measurement (CDP `Performance.getMetrics`: all tasks, of which script, layout and style recalculation; the rest of the tasks is mostly paint and compositing).',
      '',
      '| load | tasks ms/s | script ms/s | layout ms/s | style ms/s |',
      '|---|---:|---:|---:|---:|',
      ...frames.map((f) => `| ${f.load} | ${f.mainThread.taskMs.toFixed(0)} | ${f.mainThread.scriptMs.toFixed(0)} | ${f.mainThread.layoutMs.toFixed(0)} | ${f.mainThread.styleMs.toFixed(0)} |`),
      '',
    );
  }
  if (memory !== null) {
    lines.push(
      '## UI memory under a long trace (goal: bounded)',
      '',
      'Simulated 3-server ensemble at tickTime 20 ms (each second = 100 s at tickTime 2000), a client writing ~100/s; JS heap after a forced GC.',
      '',
      '| seconds | tickTime-2000 equivalent | writes | trace events kept | compacted | heap MB |',
      '|---:|---:|---:|---:|---:|---:|',
      ...memory.map((s) => `| ${s.atSeconds} | ${((s.atSeconds * 100) / 60).toFixed(0)} min | ${s.writes} | ${s.traceEvents} | ${s.compacted} | ${s.heapMb.toFixed(1)} |`),
      '',
    );
  }
  return lines.join('\n');
}

let BROWSER: Browser | null = null;

async function main(): Promise<void> {
  const app = await startAnyApp();
  const browser = await launchBrowser();
  BROWSER = browser;
  try {
    const tree = PARTS.includes('tree') ? await benchTree(browser) : null;
    if (tree) console.error('tree', tree);
    const frames = PARTS.includes('frames') ? await benchFrames(browser) : null;
    const memory = PARTS.includes('memory') ? await benchMemory(browser) : null;
    const text = report(tree, frames, memory);
    if (PARTS.length === 3) writeFileSync(path.join(REPO_ROOT, 'bench/results/ui.md'), text + '\n');
    console.log(text);
  } finally {
    await browser.close();
    await app.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
