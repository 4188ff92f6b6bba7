// `npx tsx bench/tabs-profile.ts`: CPU profiles of every thread that runs our code in a 3-tab
// cluster (each tab's page and its server's dedicated worker) while a follower tab writes
// (OPS setData, IN_FLIGHT at a time), to find what a write costs where. Prints each thread's busy
// time and its top functions by self time; writes the .cpuprofile files to OUT_DIR (/tmp).
// Workers are reached through the browser's CDP target list (Target.attachToTarget, non-flat,
// messages via Target.sendMessageToTarget): Playwright opens CDP sessions for pages only.
// Env: OPS (3000; 0 = idle for 8 s), IN_FLIGHT (32), TICK (2000), PORT/PEER_PORT (5229/9129), OUT_DIR (/tmp).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CDPSession } from 'playwright-core';
import { openWriterCluster, setDataLoadInTab } from './tabs-browser';

process.env.BENCH_MINIFY = '0';
const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const OPS = env('OPS', 3000);
const IN_FLIGHT = env('IN_FLIGHT', 32);
const OUT_DIR = process.env.OUT_DIR ?? '/tmp';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

/** A CDP session to one worker target, through the browser session's Target domain. */
class TargetSession {
  private nextId = 1;
  private readonly waiting = new Map<number, (result: unknown) => void>();
  private constructor(private readonly browser: CDPSession, readonly sessionId: string) {}

  static async attach(browser: CDPSession, targetId: string, sessions: Map<string, TargetSession>): Promise<TargetSession> {
    const { sessionId } = (await browser.send('Target.attachToTarget', { targetId, flatten: false })) as { sessionId: string };
    const session = new TargetSession(browser, sessionId);
    sessions.set(sessionId, session);
    return session;
  }

  receive(message: string): void {
    const parsed = JSON.parse(message) as { id?: number; result?: unknown };
    if (parsed.id !== undefined) this.waiting.get(parsed.id)?.(parsed.result);
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      void this.browser.send('Target.sendMessageToTarget', { sessionId: this.sessionId, message: JSON.stringify({ id, method, params }) });
    });
  }
}

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

async function main(): Promise<void> {
  const { app, browser, cluster, leader, follower, page } = await openWriterCluster('prof', env('PORT', 5229), env('PEER_PORT', 9129), env('TICK', 2000), IN_FLIGHT);
  try {

    const root = await browser.newBrowserCDPSession();
    const sessions = new Map<string, TargetSession>();
    root.on('Target.receivedMessageFromTarget', (event: { sessionId: string; message: string }) => sessions.get(event.sessionId)?.receive(event.message));
    const { targetInfos } = (await root.send('Target.getTargets')) as { targetInfos: Array<{ targetId: string; type: string; url: string }> };
    const workers = targetInfos.filter((t) => t.type === 'worker');
    const threads: Array<{ label: string; start(): Promise<void>; stop(): Promise<CpuProfile> }> = [];
    for (const w of workers) {
      const s = await TargetSession.attach(root, w.targetId, sessions);
      threads.push({
        label: `worker ${w.url.slice(-40)}`,
        start: async () => { await s.send('Profiler.enable'); await s.send('Profiler.setSamplingInterval', { interval: 200 }); await s.send('Profiler.start'); },
        stop: async () => ((await s.send('Profiler.stop')) as { profile: CpuProfile }).profile,
      });
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
    await cluster.close();
  } finally {
    await browser.close();
    await app.stop();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
