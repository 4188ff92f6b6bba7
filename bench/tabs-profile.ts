// `npx tsx bench/tabs-profile.ts`: CPU profiles of every thread that runs our code in a 3-tab
// cluster (each tab's page and its server's dedicated worker) while a follower tab writes
// (OPS setData, IN_FLIGHT at a time), to find what a write costs where. Prints each thread's busy
// time and its top functions by self time; writes the .cpuprofile files to OUT_DIR (/tmp).
// Workers are reached through each page's CDP session (bench/cdp-worker-sessions.ts): Playwright
// opens CDP sessions for pages only.
// Env: OPS (3000; 0 = idle for 8 s), IN_FLIGHT (32), TICK (2000), PORT/PEER_PORT (5229/9129), OUT_DIR (/tmp),
// HIDE: ','-separated CSS selectors hidden (display: none) in every tab during the load, as
// bench/tabs-trace.ts's CONFIGS do: HIDE='#root' is what the pages cost with nothing drawn
// (HIDE=1 means 'body').
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { openWriterCluster, setDataLoadInTab } from './tabs-browser';
import { attachPageWorkers } from './cdp-worker-sessions';

process.env.BENCH_MINIFY = '0';
const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const OPS = env('OPS', 3000);
const IN_FLIGHT = env('IN_FLIGHT', 32);
const OUT_DIR = process.env.OUT_DIR ?? '/tmp';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

function summarize(label: string, profile: CpuProfile, top = 15): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byName = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    total += us;
    if (node.callFrame.functionName === '(idle)' || node.callFrame.functionName === '(program)' && false) idle += us;
    const file = path.basename(node.callFrame.url || '');
    const key = `${node.callFrame.functionName || '(anonymous)'} ${file}:${node.callFrame.lineNumber + 1}`;
    byName.set(key, (byName.get(key) ?? 0) + us);
  }
  const busy = total - idle;
  const lines = [`== ${label}: ${(total / 1e6).toFixed(1)} s sampled, busy ${(busy / 1e6).toFixed(2)} s`];
  for (const [name, us] of [...byName].filter(([n]) => !n.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`  ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${name}`);
  }
  return lines.join('\n');
}

/** Hides `selectors` (','-separated CSS selectors; '' = none) with display: none in every page. */
async function hideInEveryTab(pages: readonly Page[], selectors: string): Promise<void> {
  const list = selectors.split(',').map((x) => x.trim()).filter((x) => x !== '');
  if (list.length === 0) return;
  const css = `${list.join(',')} { display: none !important; }`;
  for (const p of pages) {
    await p.evaluate((text) => {
      const style = document.createElement('style');
      style.id = 'bench-hide';
      style.textContent = text;
      document.head.appendChild(style);
    }, css);
  }
  process.stdout.write(`hidden in every tab: ${list.join(', ')}\n`);
}

async function main(): Promise<void> {
  const { app, browser, cluster, leader, follower, page } = await openWriterCluster('prof', env('PORT', 5229), env('PEER_PORT', 9129), env('TICK', 2000), IN_FLIGHT);
  try {

    const threads: Array<{ label: string; start(): Promise<void>; stop(): Promise<CpuProfile> }> = [];
    for (const [i, p] of cluster.pages.entries()) {
      const cdp = await cluster.context.newCDPSession(p);
      for (const w of await attachPageWorkers(cdp)) {
        threads.push({
          label: `worker of server ${i + 1}${i + 1 === leader ? ' (leader)' : ''}${p === page ? ' (writer)' : ''} ${w.url.slice(-30)}`,
          start: async () => { await w.send('Profiler.enable'); await w.send('Profiler.setSamplingInterval', { interval: 200 }); await w.send('Profiler.start'); },
          stop: async () => ((await w.send('Profiler.stop')) as { profile: CpuProfile }).profile,
        });
      }
    }
    cluster.pages.forEach((p, i) => {
      let cdp: CDPSession | null = null;
      threads.push({
        label: `page of server ${i + 1}${i + 1 === leader ? ' (leader)' : ''}${p === page ? ' (writer)' : ''}`,
        start: async () => { cdp = await cluster.context.newCDPSession(p); await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 200 }); await cdp.send('Profiler.start'); },
        stop: async () => ((await cdp!.send('Profiler.stop')) as unknown as { profile: CpuProfile }).profile,
      });
    });
    for (const t of threads) await t.start();
    await hideInEveryTab(cluster.pages, process.env.HIDE === '1' ? 'body' : (process.env.HIDE ?? ''));
    if (OPS === 0) {
      // IDLE: what the tabs cost with no writes at all (animations, heartbeats, status reports).
      await new Promise((resolve) => setTimeout(resolve, 8000));
      process.stdout.write(`leader ${leader}: idle for 8 s\n`);
    } else {
      const load = await setDataLoadInTab(page, OPS, IN_FLIGHT, 100, 100);
      process.stdout.write(`leader ${leader}, writer tab ${follower}: ${OPS} setData x${IN_FLIGHT}: ${load.opsPerSecond.toFixed(0)} ops/s, p50 ${load.p50Ms.toFixed(1)} ms\n`);
    }
    for (const [i, t] of threads.entries()) {
      const profile = await t.stop();
      writeFileSync(path.join(OUT_DIR, `tabs-thread-${i}.cpuprofile`), JSON.stringify(profile));
      process.stdout.write(`${summarize(t.label, profile)}\n`);
    }
    // Closing three tabs with live peers and the app takes minutes (and holds the bench lock):
    // the profiles are written, so exit.
    process.exit(0);
  } finally {
    await browser.close();
    await app.stop();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
