// `npx tsx bench/tabs-trace.ts`: where the CPU of a 3-tab cluster goes while a follower tab writes,
// by thread and by Chromium trace event (script, style, layout, paint, raster, compositing, IPC),
// from a whole-browser Chromium trace (CDP Tracing through the writer page's session; tracing is
// browser-wide). Self time per event name per thread kind, in ms per second of measurement.
// Env: OPS (2000), IN_FLIGHT (32), TICK (2000), SECONDS of tracing (taken during the load),
// PORT/PEER_PORT (5231/9131), BENCH_IDB=memory for a plain context.
import type { CDPSession } from 'playwright-core';
import { openWriterCluster, setDataLoadInTab } from './tabs-browser';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const OPS = env('OPS', 2000);
const IN_FLIGHT = env('IN_FLIGHT', 32);

interface TraceEvent { name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: { name?: string } }

const CATEGORIES = ['devtools.timeline', 'v8.execute', 'toplevel', 'blink', 'cc', 'viz', 'gpu', 'disabled-by-default-devtools.timeline'].join(',');

async function collectTrace(cdp: CDPSession, run: () => Promise<void>): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  const collect = (e: { value: unknown[] }): void => {
    for (const v of e.value) events.push(v as TraceEvent);
  };
  cdp.on('Tracing.dataCollected', collect);
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
  await run();
  await cdp.send('Tracing.end');
  await done;
  cdp.off('Tracing.dataCollected', collect);
  return events;
}

/** Self time (µs) per (thread label, event name) of complete events, nested by a stack per thread. */
function selfTimes(events: readonly TraceEvent[]): { byThread: Map<string, Map<string, number>>; spanUs: number } {
  const threadName = new Map<string, string>();
  const processName = new Map<number, string>();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?');
    if (e.ph === 'M' && e.name === 'process_name') processName.set(e.pid, e.args?.name ?? '?');
  }
  const perThread = new Map<string, TraceEvent[]>();
  let minTs = Infinity;
  let maxTs = -Infinity;
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined) continue;
    const key = `${e.pid}:${e.tid}`;
    let list = perThread.get(key);
    if (list === undefined) perThread.set(key, (list = []));
    list.push(e);
    minTs = Math.min(minTs, e.ts);
    maxTs = Math.max(maxTs, e.ts + e.dur);
  }
  const byThread = new Map<string, Map<string, number>>();
  for (const [key, list] of perThread) {
    const pid = Number(key.split(':')[0]);
    const label = `${processName.get(pid) ?? 'pid'} ${pid} / ${threadName.get(key) ?? key}`;
    const totals = byThread.get(label) ?? new Map<string, number>();
    byThread.set(label, totals);
    list.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    const stack: Array<{ e: TraceEvent; childUs: number }> = [];
    const close = (frame: { e: TraceEvent; childUs: number }) => totals.set(frame.e.name, (totals.get(frame.e.name) ?? 0) + Math.max(0, (frame.e.dur ?? 0) - frame.childUs));
    for (const e of list) {
      while (stack.length > 0 && stack[stack.length - 1]!.e.ts + (stack[stack.length - 1]!.e.dur ?? 0) <= e.ts) close(stack.pop()!);
      const parent = stack[stack.length - 1];
      if (parent !== undefined) parent.childUs += e.dur ?? 0;
      stack.push({ e, childUs: 0 });
    }
    while (stack.length > 0) close(stack.pop()!);
  }
  return { byThread, spanUs: maxTs - minTs };
}

function report(events: readonly TraceEvent[], seconds: number): string {
  const { byThread } = selfTimes(events);
  const lines: string[] = [];
  const rows = [...byThread].map(([label, totals]) => ({ label, totals, sum: [...totals.values()].reduce((a, b) => a + b, 0) })).sort((a, b) => b.sum - a.sum);
  let grand = 0;
  for (const row of rows) grand += row.sum;
  lines.push(`all threads: ${(grand / 1000 / seconds).toFixed(0)} ms/s of CPU-ish (self time of traced events)`);
  for (const row of rows.slice(0, Number(process.env.THREADS ?? 16))) {
    lines.push(`== ${row.label}: ${(row.sum / 1000 / seconds).toFixed(0)} ms/s`);
    for (const [name, us] of [...row.totals].sort((a, b) => b[1] - a[1]).slice(0, 10)) lines.push(`   ${(us / 1000 / seconds).toFixed(1).padStart(7)} ms/s  ${name}`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { app, browser, cluster, leader, follower, page } = await openWriterCluster('trace', env('PORT', 5231), env('PEER_PORT', 9131), env('TICK', 2000), IN_FLIGHT);
  try {
    const cdp = await cluster.context.newCDPSession(page);
    // CONFIGS: ';'-separated runs, each a ','-separated list of CSS selectors hidden (display:
    // none) in every tab for that run: which panel's drawing costs what. '' = nothing hidden.
    const configs = (process.env.CONFIGS ?? '').split(';');
    for (const config of configs) {
      const selectors = config.split(',').map((x) => x.trim()).filter((x) => x !== '');
      const css = selectors.length === 0 ? '' : `${selectors.join(',')} { display: none !important; }`;
      for (const p of cluster.pages) {
        await p.evaluate((text) => {
          let style = document.getElementById('bench-hide');
          if (style === null) {
            style = document.createElement('style');
            style.id = 'bench-hide';
            document.head.appendChild(style);
          }
          style.textContent = text;
        }, css);
      }
      let result = '';
      const started = performance.now();
      const events = await collectTrace(cdp, async () => {
        if (OPS === 0) {
          await new Promise((resolve) => setTimeout(resolve, 5000));
          result = 'idle 5 s';
        } else {
          const load = await setDataLoadInTab(page, OPS, IN_FLIGHT, 100, 100);
          result = `${OPS} setData x${IN_FLIGHT}: ${load.opsPerSecond.toFixed(0)} ops/s, p50 ${load.p50Ms.toFixed(1)} ms`;
        }
      });
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(`\n##### hidden: ${config === '' ? '(nothing)' : config}\nleader ${leader}, writer tab ${follower}: ${result}; traced ${seconds.toFixed(1)} s, ${events.length} events\n`);
      process.stdout.write(`${report(events, seconds)}\n`);
    }
    // Closing three tabs with live peers and the app takes minutes; the numbers are out.
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
