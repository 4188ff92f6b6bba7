// Scratch: one tabs failover with a timeline of the three tabs' trace events + client debug logs.
import { launchBrowser, openTabCluster, startApp, waitLeader, waitSession, startWriterInTab, ackCount, clickKill, firstAckAfter, stopWriterInTab, clickRestart, stateOf } from './tabs-browser';

const TICK = Number(process.env.TICK ?? 2000);
const TRIALS = Number(process.env.TRIALS ?? 2);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const READ_TRACE_JS = `(() => window.__zootabs.trace.getState().events.map((e) => {
  const out = {};
  for (const [k, v] of Object.entries(e)) out[k] = typeof v === 'bigint' ? v.toString() : v;
  return out;
}))()`;

async function main() {
  const app = await startApp(5312, 9312);
  const browser = await launchBrowser();
  try {
    const cluster = await openTabCluster(browser, app.baseUrl, `diag${Date.now() % 100000}`, TICK);
    const logs: Array<{ at: number; tab: number; text: string }> = [];
    cluster.pages.forEach((p, i) => p.on('console', (m) => { const t = m.text(); if (t.includes('[tunnel]')) { const m2 = /\b(1\d{12})\b/.exec(t); logs.push({ at: m2 ? Number(m2[1]) : Date.now(), tab: i + 1, text: t }); } }));
    for (const p of cluster.pages) await p.evaluate('globalThis.__ZT_DEBUG_TUNNEL = true');
    for (let trial = 0; trial < TRIALS; trial++) {
      logs.length = 0;
      const leader = await waitLeader(cluster, 120_000);
      const writer = [1, 2, 3].find((id) => id !== leader)!;
      const other = [1, 2, 3].find((id) => id !== leader && id !== writer)!;
      const wp = cluster.pages[writer - 1]!;
      await waitSession(wp, 60_000);
      await startWriterInTab(wp, `/diag${trial}`);
      while ((await ackCount(wp)) < 20) await sleep(50);
      const killAt = await clickKill(cluster.pages[leader - 1]!, leader);
      let ack: { ackedAt: number; errors: number } | null = null;
      while ((ack = await firstAckAfter(wp, killAt)) === null) await sleep(20);
      await sleep(300);
      await stopWriterInTab(wp);
      console.log(`\n=== trial ${trial}: leader ${leader} killed, writer tab ${writer}, other ${other}: ${Math.round(ack.ackedAt - killAt)} ms`);
      const events = (await wp.evaluate(READ_TRACE_JS)) as Array<Record<string, unknown> & { atMs: number; server: number; type: string }>;
      const rel = (t: number) => String(Math.round(t - killAt)).padStart(6);
      const lines: Array<[number, string]> = [];
      for (const e of events) {
        if (e.atMs < killAt - 50 || e.atMs > ack.ackedAt + 50) continue;
        if ((e.type === 'msg.sent' || e.type === 'msg.received') && (e.kind === 'PING' )) continue;
        if (e.type === 'request' || e.type === 'reply' || e.type === 'applied' || e.type === 'log.append' || e.type === 'txn' || e.type === 'watch.set' || e.type === 'watch.fired') {
          if (!(e.type === 'reply' && e.server === writer) && !(e.type === 'request' && e.server === writer)) continue;
        }
        const { atMs, server, type, ...rest } = e;
        lines.push([atMs, `${rel(atMs)} s${server} ${type} ${JSON.stringify(rest)}`]);
      }
      for (const l of logs) if (l.at >= killAt - 50 && l.at <= ack.ackedAt + 50) lines.push([l.at, `${rel(l.at)} tab${l.tab} ${l.text}`]);
      lines.sort((a, b) => a[0] - b[0]);
      for (const [, l] of lines) console.log(l);
      const lp = cluster.pages[leader - 1]!;
      if ((await stateOf(lp, leader)) === 'KILLED') await clickRestart(lp, leader);
      await waitLeader(cluster, 120_000);
      await sleep(1000);
    }
    await cluster.close();
  } finally {
    await browser.close();
    await app.stop();
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
