// Measures the two ways a server worker can use a WebRTC data channel (docs/browser-platform.md):
//   transfer: the page transfers the RTCDataChannel to the worker, which sends and receives itself;
//   relay:    the channel stays on the page and every frame crosses page<->worker by postMessage;
// plus two baselines on the page itself: our transport with no worker ('page'), and peerjs' own
// DataConnection with 'raw' and 'binary' serialization (no worker, no chunking of ours).
// Two pages in separate browser contexts of one Chromium, real PeerServer + Vite (scripts/start.mjs).
//
//   npx tsx bench/channel-transfer.ts            (ROUNDS=3 PING=2000 FLOOD=20000 to change)
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';

const PORT = Number(process.env.PORT ?? 5391);
const PEER_PORT = Number(process.env.PEER_PORT ?? 9391);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const PING = Number(process.env.PING ?? 2000);
const FLOOD = Number(process.env.FLOOD ?? 20000);
const BULK = Number(process.env.BULK ?? 1000);
const DESIGNS = (process.env.DESIGNS ?? 'transfer,relay,page,peerjs-raw,peerjs-binary').split(',');
const BASE = `http://127.0.0.1:${PORT}`;

interface Result {
  p50Ms?: number;
  p99Ms?: number;
  meanMs?: number;
  msgsPerSec?: number;
  mbPerSec?: number;
}
type Row = { design: string; round: number; ping: Result; flood: Result; bulk: Result };

async function startServer(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    env: { ...process.env, PORT: String(PORT), PEER_PORT: String(PEER_PORT) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on("data", (d) => process.stderr.write(`[server] ${d}`));
  child.stdout?.on("data", (d) => { if (process.env.VERBOSE) process.stderr.write(`[server] ${d}`); });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${BASE}/e2e/fixtures/transport.html`)).ok) return child;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error('server did not start');
}

async function openFixture(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto(`${BASE}/e2e/fixtures/transport.html`);
  await page.waitForFunction(() => window.zt?.ready === true);
  return page;
}

async function measureDesign(browser: Browser, design: 'transfer' | 'relay' | 'page', round: number): Promise<Row> {
  const cluster = `bench-${design}-${round}-${Date.now().toString(36)}`;
  const a = await openFixture(browser);
  const b = await openFixture(browser);
  try {
    const ja = await a.evaluate(([c, m]) => window.zt.join(c, 3, m as 'transfer'), [cluster, design] as const);
    const jb = await b.evaluate(([c, m]) => window.zt.join(c, 3, m as 'transfer'), [cluster, design] as const);
    const up = await Promise.all([
      a.evaluate((p) => window.zt.rpc({ op: 'waitUp', peer: p, timeoutMs: 20_000 }), jb.myid),
      b.evaluate((p) => window.zt.rpc({ op: 'waitUp', peer: p, timeoutMs: 20_000 }), ja.myid),
    ]);
    if (!up.every(Boolean)) throw new Error(`${design}: link did not come up`);
    const ping = (await a.evaluate(([p, n]) => window.zt.rpc({ op: 'ping', peer: p!, count: n!, sizeBytes: 64 }), [jb.myid, PING])) as Result;
    const flood = (await a.evaluate(([p, n]) => window.zt.rpc({ op: 'flood', peer: p!, count: n!, sizeBytes: 64 }), [jb.myid, FLOOD])) as Result;
    const bulk = (await a.evaluate(([p, n]) => window.zt.rpc({ op: 'flood', peer: p!, count: n!, sizeBytes: 15_000 }), [jb.myid, BULK])) as Result;
    return { design, round, ping, flood, bulk };
  } finally {
    await a.context().close();
    await b.context().close();
  }
}

async function measurePeerjs(browser: Browser, serialization: 'raw' | 'binary', round: number): Promise<Row> {
  const cluster = `bench-pj-${serialization}-${round}-${Date.now().toString(36)}`;
  const a = await openFixture(browser);
  const b = await openFixture(browser);
  try {
    await a.evaluate((c) => window.zt.join(c, 3, 'page'), cluster);
    const jb = await b.evaluate((c) => window.zt.join(c, 3, 'page'), cluster);
    await b.evaluate(() => window.zt.peerjsEcho());
    const r = await a.evaluate(([p, s, n, f]) => window.zt.peerjsBench(p as number, s as 'raw', n as number, f as number, 64), [jb.myid, serialization, PING, FLOOD] as const);
    const bulk = await a.evaluate(([p, s, f]) => window.zt.peerjsBench(p as number, s as 'raw', 10, f as number, 15_000), [jb.myid, serialization, BULK] as const);
    return { design: `peerjs-${serialization}`, round, ping: r.ping, flood: r.flood, bulk: bulk.flood };
  } finally {
    await a.context().close();
    await b.context().close();
  }
}

/** A Vite reload (someone edited a source file) destroys the page mid-measurement: measure again. */
async function retryOnce<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    console.error(`measurement failed (${String(error).split('\n')[0]}); retrying once`);
    return run();
  }
}

const f = (n: number | undefined, digits = 2): string => (n === undefined ? '-' : n.toFixed(digits));

function median(values: number[]): number {
  const s = [...values].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)] as number;
}

async function main(): Promise<void> {
  const server = await startServer();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const rows: Row[] = [];
  try {
    // Warm Vite's transform cache so the first measured page load is not the slow one.
    const warm = await openFixture(browser);
    await warm.context().close();
    for (let round = 1; round <= ROUNDS; round++) {
      for (const design of ['transfer', 'relay', 'page'] as const) {
        if (DESIGNS.includes(design)) rows.push(await retryOnce(() => measureDesign(browser, design, round)));
      }
      for (const s of ['raw', 'binary'] as const) {
        if (DESIGNS.includes(`peerjs-${s}`)) rows.push(await retryOnce(() => measurePeerjs(browser, s, round)));
      }
      for (const row of rows.filter((r) => r.round === round)) {
        console.log(
          `round ${round} ${row.design.padEnd(14)} rtt p50 ${f(row.ping.p50Ms, 3)} ms p99 ${f(row.ping.p99Ms, 3)} ms | ` +
            `64B ${f(row.flood.msgsPerSec, 0)} msg/s | 15KB ${f(row.bulk.mbPerSec, 1)} MB/s`,
        );
      }
    }
  } finally {
    await browser.close();
    server.kill('SIGTERM');
  }
  console.log(`\nmedians over ${ROUNDS} rounds (ping ${PING} x 64 B sequential; flood ${FLOOD} x 64 B pipelined; bulk ${BULK} x 15,000 B):`);
  console.log('design         | rtt p50 ms | rtt p99 ms | 64 B msg/s | 15 KB MB/s');
  for (const design of [...new Set(rows.map((r) => r.design))]) {
    const rs = rows.filter((r) => r.design === design);
    console.log(
      `${design.padEnd(14)} | ${f(median(rs.map((r) => r.ping.p50Ms ?? NaN)), 3).padStart(10)} | ${f(median(rs.map((r) => r.ping.p99Ms ?? NaN)), 3).padStart(10)} | ` +
        `${f(median(rs.map((r) => r.flood.msgsPerSec ?? NaN)), 0).padStart(10)} | ${f(median(rs.map((r) => r.bulk.mbPerSec ?? NaN)), 1).padStart(10)}`,
    );
  }
  if (process.env.JSON) console.log(JSON.stringify(rows, null, 1));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
