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
//   npx tsx bench/ui-bench.ts                 (PARTS=tree,frames,memory FRAME_SECONDS=10 MEMORY_SECONDS=60)
// Writes bench/results/ui.md.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { REPO_ROOT } from './server-process';
import { launchBrowser, startApp } from './tabs-browser';

const PORT = Number(process.env.PORT ?? 5394);
const PEER_PORT = Number(process.env.PEER_PORT ?? 9394);
const BASE = `http://127.0.0.1:${PORT}`;
const PARTS = (process.env.PARTS ?? 'tree,frames,memory').split(',');
const TREE_NODES = Number(process.env.TREE_NODES ?? 10_000);
const FRAME_SECONDS = Number(process.env.FRAME_SECONDS ?? 10);
const WRITES_PER_SECOND = Number(process.env.WRITES_PER_SECOND ?? 500);
const MEMORY_SECONDS = Number(process.env.MEMORY_SECONDS ?? 60);

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
  seconds: number;
  targetWritesPerSecond: number;
  writesPerSecond: number;
  frames: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

async function benchFrames(browser: Browser): Promise<FrameResult> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
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
  await sessionReady(page, 120_000);
  const result = await page.evaluate(
    async ({ seconds, rate }) => {
      const zk = (window as unknown as { __zootabs: Hook }).__zootabs.session() as {
        create(p: string, d: Uint8Array | null, acl: unknown[], mode: number): Promise<string>;
        setData(p: string, d: Uint8Array | null): Promise<unknown>;
      };
      const acl = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
      await zk.create('/frames', null, acl, 0).catch(() => undefined);
      const payload = new Uint8Array(100);
      let done = 0;
      let inFlight = 0;
      const perTick = Math.max(1, Math.round(rate / 100));
      const writer = setInterval(() => {
        for (let i = 0; i < perTick && inFlight < 256; i++) {
          inFlight++;
          zk.setData('/frames', payload).then(
            () => {
              inFlight--;
              done++;
            },
            () => inFlight--,
          );
        }
      }, 10);
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
      clearInterval(writer);
      return { deltas, writes: done };
    },
    { seconds: FRAME_SECONDS, rate: WRITES_PER_SECOND },
  );
  await context.close();
  const sorted = result.deltas.slice(1).sort((a, b) => a - b);
  return {
    seconds: FRAME_SECONDS,
    targetWritesPerSecond: WRITES_PER_SECOND,
    writesPerSecond: result.writes / FRAME_SECONDS,
    frames: sorted.length,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[sorted.length - 1] ?? NaN,
  };
}

// ---------- 3. memory ----------

interface MemorySample {
  atSeconds: number;
  heapMb: number;
  writes: number;
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
    const zk = (window as unknown as { __zootabs: Hook }).__zootabs.session() as {
      create(p: string, d: Uint8Array | null, acl: unknown[], mode: number): Promise<string>;
      setData(p: string, d: Uint8Array | null): Promise<unknown>;
    };
    const acl = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
    const w = window as unknown as { __benchWrites: number };
    w.__benchWrites = 0;
    void zk.create('/mem', null, acl, 0).catch(() => undefined);
    // ~100 writes/s, one at a time, for as long as the page lives.
    const loop = async (): Promise<void> => {
      for (;;) {
        await zk.setData('/mem', new Uint8Array(100)).then(() => w.__benchWrites++, () => undefined);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    void loop();
  });
  const samples: MemorySample[] = [];
  const started = Date.now();
  const sampleEverySeconds = Math.max(5, Math.round(MEMORY_SECONDS / 8));
  for (;;) {
    const atSeconds = (Date.now() - started) / 1000;
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    const writes = await page.evaluate(() => (window as unknown as { __benchWrites: number }).__benchWrites);
    samples.push({ atSeconds: Math.round(atSeconds), heapMb: usedSize / 1024 / 1024, writes });
    console.error(`memory: ${atSeconds.toFixed(0)} s, heap ${(usedSize / 1024 / 1024).toFixed(1)} MB, ${writes} writes`);
    if (atSeconds >= MEMORY_SECONDS) break;
    await new Promise((r) => setTimeout(r, sampleEverySeconds * 1000));
  }
  await context.close();
  return samples;
}

// ---------- report ----------

function report(tree: TreeResult | null, frames: FrameResult | null, memory: MemorySample[] | null): string {
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
      '## Frame times while a 3-tab cluster commits writes (goal: p95 under 20 ms)',
      '',
      `${frames.seconds} s, the measured tab's client writing (target ${frames.targetWritesPerSecond}/s, achieved ${frames.writesPerSecond.toFixed(0)}/s), Cluster view with message animation on.`,
      '',
      '| frames | p50 ms | p95 ms | p99 ms | max ms |',
      '|---:|---:|---:|---:|---:|',
      `| ${frames.frames} | ${frames.p50Ms.toFixed(1)} | **${frames.p95Ms.toFixed(1)}** | ${frames.p99Ms.toFixed(1)} | ${frames.maxMs.toFixed(1)} |`,
      '',
    );
  }
  if (memory !== null) {
    lines.push(
      '## UI memory under a long trace (goal: bounded)',
      '',
      'Simulated 3-server ensemble at tickTime 20 ms (each second = 100 s at tickTime 2000), a client writing ~100/s; JS heap after a forced GC.',
      '',
      '| seconds | tickTime-2000 equivalent | writes | heap MB |',
      '|---:|---:|---:|---:|',
      ...memory.map((s) => `| ${s.atSeconds} | ${((s.atSeconds * 100) / 60).toFixed(0)} min | ${s.writes} | ${s.heapMb.toFixed(1)} |`),
      '',
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const app = await startApp(PORT, PEER_PORT);
  const browser = await launchBrowser();
  try {
    const tree = PARTS.includes('tree') ? await benchTree(browser) : null;
    if (tree) console.error('tree', tree);
    const frames = PARTS.includes('frames') ? await benchFrames(browser) : null;
    if (frames) console.error('frames', frames);
    const memory = PARTS.includes('memory') ? await benchMemory(browser) : null;
    const text = report(tree, frames, memory);
    writeFileSync(path.join(REPO_ROOT, 'bench/results/ui.md'), text + '\n');
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
