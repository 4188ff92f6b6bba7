// `npx tsx bench/tabs-diagnose.ts`: where a write's time goes in a 3-tab cluster. Runs OPS setData
// one at a time (IN_FLIGHT=1 by default) in a follower tab, then reads the servers' trace events
// from that tab's trace store (every tab records every server's events) and prints, per stage, the
// median and p90 of the ms since the client's request reached its server:
//   request -> REQUEST sent -> leader got it -> proposal -> leader durable / follower got PROPOSAL
//   -> follower durable -> ACK sent -> leader ack -> commit -> follower got COMMIT -> applied -> reply.
// Event times are each worker's Date.now() (one browser: one clock). Env: OPS (300), IN_FLIGHT (1),
// TICK (2000), PORT/PEER_PORT (5219/9119), HIDE=1 (the other tabs do not render).
import { launchBrowser, openTabCluster, prepareKeysInTab, setDataLoadInTab, startApp, waitLeader } from './tabs-browser';


const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const OPS = env('OPS', 300);
const IN_FLIGHT = env('IN_FLIGHT', 1);
const TICK = env('TICK', 2000);

type Wire = Record<string, unknown> & { type: string; server: number; atMs: number };

const READ_TRACE_JS = `(() => window.__zootabs.trace.getState().events.map((e) => {
  const out = {};
  for (const [k, v] of Object.entries(e)) out[k] = typeof v === 'bigint' ? v.toString() : v;
  return out;
}))()`;

function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
}

interface Stages { [stage: string]: number }

/** For each committed setData of the follower's session: the time of each stage, ms after the request. */
function stagesPerWrite(events: Wire[], leader: number, follower: number, sinceMs: number): Stages[] {
  const mine = events.filter((e) => e.atMs >= sinceMs);
  const first = <T extends Wire>(pred: (e: Wire) => boolean): T | undefined => mine.find(pred) as T | undefined;
  const replies = mine.filter((e) => e.type === 'reply' && e.server === follower && e.op === 'setData');
  const result: Stages[] = [];
  for (const reply of replies) {
    const zxid = reply.zxid as string;
    const cxid = reply.cxid as number;
    const request = first((e) => e.type === 'request' && e.server === follower && e.cxid === cxid && e.sessionId === reply.sessionId);
    if (request === undefined) continue;
    const t0 = request.atMs;
    const at = (pred: (e: Wire) => boolean): number | undefined => {
      const hit = mine.find((e) => e.atMs >= t0 && pred(e));
      return hit === undefined ? undefined : hit.atMs - t0;
    };
    const durableAt = (server: number) => at((e) => e.type === 'log.durable' && e.server === server && BigInt(e.toZxid as string) >= BigInt(zxid));
    const stages: Stages = {};
    const put = (name: string, v: number | undefined) => { if (v !== undefined) stages[name] = v; };
    put('REQUEST sent', at((e) => e.type === 'msg.sent' && e.server === follower && e.kind === 'request'));
    put('leader got REQUEST', at((e) => e.type === 'msg.received' && e.server === leader && e.kind === 'request'));
    put('leader txn', at((e) => e.type === 'txn' && e.server === leader && e.zxid === zxid));
    put('leader durable', durableAt(leader));
    put('follower got PROPOSAL', at((e) => e.type === 'msg.received' && e.server === follower && e.kind === 'proposal' && e.zxid === zxid));
    put('follower durable', durableAt(follower));
    put('leader ack', at((e) => e.type === 'ack' && e.server === leader && e.zxid === zxid && e.from !== leader));
    put('leader commit', at((e) => e.type === 'commit' && e.server === leader && e.zxid === zxid));
    put('follower got COMMIT', at((e) => e.type === 'msg.received' && e.server === follower && e.kind === 'commit' && e.zxid === zxid));
    put('follower applied', at((e) => e.type === 'applied' && e.server === follower && e.zxid === zxid));
    put('reply', reply.atMs - t0);
    result.push(stages);
  }
  return result;
}

async function main(): Promise<void> {
  const app = await startApp(env('PORT', 5219), env('PEER_PORT', 9119));
  const browser = await launchBrowser();
  try {
    const cluster = await openTabCluster(browser, app.baseUrl, `diag-${Date.now().toString(36)}`, TICK);
    const leader = await waitLeader(cluster, 60_000);
    const follower = [1, 2, 3].find((id) => id !== leader)!;
    const page = cluster.pages[follower - 1]!;
    // HIDE=1: the other two tabs stop rendering (display: none), an approximation of background
    // tabs, which do not paint: how much of a write's cost is the other tabs' drawing.
    if (process.env.HIDE === '1') {
      for (const other of cluster.pages) if (other !== page) await other.evaluate('document.body.style.display = "none"');
    }
    await prepareKeysInTab(page, 100, 100);
    await setDataLoadInTab(page, 100, IN_FLIGHT, 100, 100);
    const sinceMs = Date.now();
    const load = await setDataLoadInTab(page, OPS, IN_FLIGHT, 100, 100);
    // The page's client measures from its call to its promise: the part outside the server's trace.
    // Each tab records its own server's events; merge the three.
    const events = (await Promise.all(cluster.pages.map((p) => p.evaluate(READ_TRACE_JS) as Promise<Wire[]>))).flat().sort((a, b) => a.atMs - b.atMs);
    const counts: Record<string, number> = {};
    for (const e of events.filter((x) => x.atMs >= sinceMs)) { const k = `${e.server}:${e.type}${e.kind === undefined ? '' : `:${String(e.kind)}`}`; counts[k] = (counts[k] ?? 0) + 1; }
    process.stdout.write(`${events.length} events; since load: ${JSON.stringify(counts)}\n`);
    const perWrite = stagesPerWrite(events as Wire[], leader, follower, sinceMs);
    process.stdout.write(`leader ${leader}, follower ${follower}; ${OPS} setData x${IN_FLIGHT}: ${load.opsPerSecond.toFixed(0)} ops/s, client p50 ${load.p50Ms.toFixed(1)} ms; ${perWrite.length} writes traced\n`);
    const names = [...new Set(perWrite.flatMap((s) => Object.keys(s)))];
    for (const name of names) {
      const values = perWrite.map((s) => s[name]).filter((v): v is number => v !== undefined);
      process.stdout.write(`  ${name.padEnd(24)} p50 ${quantile(values, 0.5).toFixed(0).padStart(5)}  p90 ${quantile(values, 0.9).toFixed(0).padStart(5)}  (n=${values.length})\n`);
    }
    // The slowest writes, stage by stage: where a tail stall sits.
    const slowest = [...perWrite].sort((a, b) => (b.reply ?? 0) - (a.reply ?? 0)).slice(0, 5);
    for (const stages of slowest) process.stdout.write(`  slow: ${Object.entries(stages).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
    // As in tabs-trace.ts: closing three tabs with live peers can take minutes (one run here did
    // not end in 55); the numbers are out.
    process.exit(0);
  } finally {
    await browser.close();
    await app.stop();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});


