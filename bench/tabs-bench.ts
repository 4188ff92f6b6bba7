// `npx tsx bench/tabs-bench.ts`: the browser cluster (3 tabs of headless Chromium, one server per
// tab, IndexedDB storage, WebRTC between tabs) side by side with our 3-server Node ensemble and a
// 3-server Apache ZooKeeper 3.8 ensemble, in one run. Writes bench/results/tabs.md.
//   1. setData 100 B at 1/8/32 in flight. Tabs: the load runs inside a follower's page through
//      the tab's own client session (window.__zootabs, src/ui/main.tsx). Node/Apache: one
//      node-zookeeper-client session on a follower (bench/throughput.ts).
//   2. Failover at tickTime 200 and 2000 (initLimit 10, syncLimit 5, as the app uses): tabs: click
//      "Kill server <leader>" in the leader's tab -> first ack of a write issued after the click by
//      a writer in another tab (every 10 ms). Node/Apache: kill -9 (bench/ensemble-failover.ts).
//   3. Reload with TXNS txns in the log: tabs: reload a follower's page -> its session connected
//      and a getData succeeds. Node/Apache: kill -9 a follower, spawn it -> getData on it succeeds.
// Env: TXNS (100000), TRIALS (3), WRITE_OPS (3000), ONLY=throughput,failover,reload, ENSEMBLES=ours,apache
//      (which ensembles run beside the tabs), WRITE_IN_FLIGHT (256 per tab, reload's writes), SAVE=0
//      (print the report, do not write bench/results/tabs.md),
//      PORT/PEER_PORT for the app (5218/9118). Ensemble ports are picked free.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { apacheUnavailableReason, Ensemble, type EnsembleKind, type EnsembleTiming } from '../src/compat/ensemble-cluster';
import { runFailoverTrial } from './ensemble-failover';
import { connect, prepareKeys, runClosedLoop, writeOp, type LoadResult } from './load';
import { median } from './restart';
import { waitServing } from './server-process';
import { LOAD_VALUES_PER_READ } from '../src/storage/idb-storage';
import { SNAPSHOT_AFTER_REPLAY_TXNS } from '../src/zk/zab/replica';
import { hiddenSection, TABS_RESULTS_PATH as RESULTS } from './tabs-results';
import { runThroughput } from './throughput';
import {
  ackCount, clickKill, clickRestart, firstAckAfter, idbReadProbe, installReloadSampler, launchBrowser, openTabCluster, prepareKeysInTab,
  reloadMarks, setDataLoadInTab, setDataLoadInTabs, startApp, startWriterInTab, stateOf, stopWriterInTab, waitLeader, waitSession, type TabCluster,
} from './tabs-browser';
import type { Browser, Page } from 'playwright-core';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const TXNS = env('TXNS', 100_000);
const TRIALS = env('TRIALS', 3);
const WRITE_OPS = env('WRITE_OPS', 3_000);
const WARMUP_OPS = 300;
/** Writes (8 in flight) each freshly started system takes before its first cell (JIT, caches). */
const START_WARMUP_WRITES = env('START_WARMUP_WRITES', 2_000);
const IN_FLIGHTS = [1, 8, 32] as const;
const KEYS = 100;
const PAYLOAD_BYTES = 100;
const APP_PORT = env('PORT', 5218);
const APP_PEER_PORT = env('PEER_PORT', 9118);
const ONLY = (process.env.ONLY ?? 'throughput,failover,reload').split(',');
const SAVE = process.env.SAVE !== '0';
const KINDS = (process.env.ENSEMBLES ?? 'ours,apache').split(',').filter((k) => k !== '') as EnsembleKind[];

const note = (line: string): void => void process.stdout.write(`${line}\n`);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const timingAt = (tickTimeMs: number): EnsembleTiming => ({ tickTimeMs, initLimit: 10, syncLimit: 5 });
const loadAvg = (): string => os.loadavg().map((v) => v.toFixed(1)).join(' / ');
const fmt = (v: number | undefined, digits = 0): string => (v === undefined || Number.isNaN(v) ? 'n/a' : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
const uniqueName = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;

/** 'tabs': all three tabs drawing (three windows); 'tabs-bg': only the writer's (three tabs of one window). */
type System = 'tabs' | 'tabs-bg' | EnsembleKind;
interface WriteCell { inFlight: number; result: LoadResult }

async function startEnsemble(kind: EnsembleKind, tickTimeMs: number): Promise<Ensemble> {
  const ensemble = await Ensemble.create({ kind, size: 3, timing: timingAt(tickTimeMs) });
  await ensemble.startAll();
  const leader = await ensemble.waitQuorum(90_000);
  note(`  ${ensemble.label} ensemble (tickTime=${tickTimeMs}) up, leader ${leader}`);
  return ensemble;
}

const followerOf = (cluster: TabCluster, leader: number): number => [1, 2, 3].find((id) => id !== leader)!;

// ---- 1. throughput ----

async function writeCells(page: Page, label: string): Promise<WriteCell[]> {
  const cells: WriteCell[] = [];
  for (const inFlight of IN_FLIGHTS) {
    await setDataLoadInTab(page, WARMUP_OPS, inFlight, KEYS, PAYLOAD_BYTES);
    const result = await setDataLoadInTab(page, WRITE_OPS, inFlight, KEYS, PAYLOAD_BYTES);
    note(`  ${label} write x${inFlight}: ${Math.round(result.opsPerSecond)} ops/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms`);
    cells.push({ inFlight, result });
  }
  return cells;
}

/**
 * The cells twice: with all three tabs drawing (three windows side by side), then with only the
 * writer's tab drawing (three tabs of one window: the other two are background tabs, which do not
 * paint; approximated, as in bench/ui-bench.ts, by their body set to display: none, while their
 * pages still take every message and timer at full rate, which a real background tab would not).
 */
async function tabsThroughput(browser: Browser, baseUrl: string): Promise<{ drawing: WriteCell[]; background: WriteCell[] }> {
  const cluster = await openTabCluster(browser, baseUrl, uniqueName('bench-tp'), 2000);
  try {
    const leader = await waitLeader(cluster, 60_000);
    const page = cluster.pages[followerOf(cluster, leader) - 1]!;
    await prepareKeysInTab(page, KEYS, PAYLOAD_BYTES);
    await setDataLoadInTab(page, START_WARMUP_WRITES, 8, KEYS, PAYLOAD_BYTES);
    const drawing = await writeCells(page, 'tabs (3 drawing)');
    for (const other of cluster.pages) if (other !== page) await other.evaluate('document.body.style.display = "none"');
    const background = await writeCells(page, 'tabs (1 drawing)');
    return { drawing, background };
  } finally {
    await cluster.close();
  }
}

async function ensembleThroughput(): Promise<Map<EnsembleKind, WriteCell[]>> {
  const ensembles: Ensemble[] = [];
  try {
    for (const kind of KINDS) ensembles.push(await startEnsemble(kind, 2000));
    const targets = [];
    for (const ensemble of ensembles) {
      const leader = await ensemble.waitQuorum(90_000);
      const follower = ensemble.members.map((m) => m.id).find((id) => id !== leader)!;
      targets.push({ label: ensemble.options.kind, connectString: ensemble.connectString([follower]) });
    }
    const plan = { keys: KEYS, payloadBytes: PAYLOAD_BYTES, inFlights: IN_FLIGHTS, warmupOps: WARMUP_OPS, startWarmupWrites: START_WARMUP_WRITES, writeOps: WRITE_OPS, readOps: 0 };
    const results = await runThroughput(targets, plan, note);
    return new Map(KINDS.map((kind) => [kind, results.get(kind)!.filter((c) => c.kind === 'write').map((c) => ({ inFlight: c.inFlight, result: c.result }))]));
  } finally {
    for (const ensemble of ensembles) await ensemble.stopAll();
  }
}

// ---- 2. failover ----

/** One kill of the tab leader; returns click -> first ack of a write issued after the click (ms). */
async function tabsFailoverTrial(cluster: TabCluster, trial: number): Promise<number> {
  const leader = await waitLeader(cluster, 120_000);
  const writerId = followerOf(cluster, leader);
  const writerPage = cluster.pages[writerId - 1]!;
  await waitSession(writerPage, 60_000);
  await startWriterInTab(writerPage, `/ft${trial}`);
  try {
    const deadline = Date.now() + 30_000;
    while ((await ackCount(writerPage)) < 20) {
      if (Date.now() > deadline) throw new Error('writer: no 20 acks before the kill');
      await sleep(50);
    }
    const leaderPage = cluster.pages[leader - 1]!;
    const killAt = await clickKill(leaderPage, leader);
    const until = Date.now() + 120_000;
    for (;;) {
      const ack = await firstAckAfter(writerPage, killAt);
      if (ack !== null) {
        const ms = ack.ackedAt - killAt;
        note(`  tabs kill leader ${leader} (writer in tab ${writerId}): write ok after ${Math.round(ms)} ms (${ack.errors} failed writes)`);
        return ms;
      }
      if (Date.now() > until) throw new Error('no write acknowledged within 120 s of the kill');
      await sleep(20);
    }
  } finally {
    await stopWriterInTab(writerPage);
    const leaderPage = cluster.pages[leader - 1]!;
    if ((await stateOf(leaderPage, leader)) === 'KILLED') await clickRestart(leaderPage, leader);
  }
}

async function tabsFailover(browser: Browser, baseUrl: string, tickTimeMs: number): Promise<number[]> {
  const cluster = await openTabCluster(browser, baseUrl, uniqueName(`bench-fo${tickTimeMs}`), tickTimeMs);
  const times: number[] = [];
  try {
    for (let trial = 0; trial < TRIALS; trial++) {
      try {
        times.push(await tabsFailoverTrial(cluster, trial));
      } catch (error) {
        note(`  tabs failover tickTime=${tickTimeMs} trial ${trial + 1} failed: ${String(error).split('\n')[0]}`);
      }
      await waitLeader(cluster, 120_000).catch(() => undefined);
    }
  } finally {
    await cluster.close();
  }
  return times;
}

async function ensembleFailover(kind: EnsembleKind, tickTimeMs: number): Promise<number[]> {
  const ensemble = await startEnsemble(kind, tickTimeMs);
  const times: number[] = [];
  try {
    for (let trial = 0; trial < TRIALS; trial++) {
      try {
        const result = await runFailoverTrial(ensemble, 'kill', `/ft${trial}`);
        note(`  ${kind} kill -9 leader ${result.oldLeader} tickTime=${tickTimeMs}: write ok after ${Math.round(result.firstWriteMs)} ms${result.problems.length ? ` PROBLEMS ${result.problems.join('; ')}` : ''}`);
        times.push(result.firstWriteMs);
      } catch (error) {
        note(`  ${kind} failover trial failed: ${String(error).split('\n')[0]}`);
      }
    }
  } finally {
    await ensemble.stopAll();
  }
  return times;
}

// ---- 3. reload / restart with TXNS txns ----

/** The reload's steps, ms since navigation start (see bench/tabs-browser.ts RELOAD_SAMPLER_JS). */
type ReloadMarks = Record<string, number | string | null>;
interface ReloadResult { times: number[]; writeSeconds: number; marks?: ReloadMarks[]; idbProbe?: { entries: number; bytes: number; wholeMs: number; rangedMs: number } }

const WRITE_IN_FLIGHT = env('WRITE_IN_FLIGHT', 256);

async function tabsReload(browser: Browser, baseUrl: string): Promise<ReloadResult> {
  const clusterName = uniqueName('bench-reload');
  const cluster = await openTabCluster(browser, baseUrl, clusterName, 2000);
  try {
    const leader = await waitLeader(cluster, 60_000);
    const id = followerOf(cluster, leader);
    const page = cluster.pages[id - 1]!;
    await prepareKeysInTab(page, KEYS, 16);
    // Every tab writes at once through its own session (WRITE_IN_FLIGHT each): the cluster commits
    // and every server logs each txn as with one writer, only the client side is spread out.
    const t0 = performance.now();
    const chunk = 15_000;
    for (let done = KEYS + 2; done < TXNS; done += chunk) {
      await setDataLoadInTabs(cluster.pages, Math.min(chunk, TXNS - done), WRITE_IN_FLIGHT, KEYS, 16);
      note(`    tabs: ${Math.min(done + chunk, TXNS)} txns written (${Math.round((performance.now() - t0) / 1000)} s, load ${loadAvg()})`);
    }
    const writeSeconds = (performance.now() - t0) / 1000;
    await installReloadSampler(page);
    const times: number[] = [];
    const marks: ReloadMarks[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const started = performance.now();
      await page.reload({ waitUntil: 'commit' });
      await waitSession(page, 300_000);
      const ms = performance.now() - started;
      const m = await reloadMarks(page);
      marks.push(m);
      note(`  tabs reload of tab ${id} with ${TXNS} txns: serving after ${Math.round(ms)} ms (state ${await stateOf(page, id)}; load ${loadAvg()})`);
      note(`    steps (ms since navigation start): ${describeMarks(m)}`);
      times.push(ms);
      await waitLeader(cluster, 120_000).catch(() => undefined);
    }
    const idbProbe = await idbReadProbe(page, `${clusterName}|${id}`).catch((error: unknown) => {
      note(`    idb probe failed: ${String(error)}`);
      return undefined;
    });
    if (idbProbe !== undefined) note(`    raw IndexedDB read of the log from the page: ${idbProbe.entries} entries, ${idbProbe.bytes} B: one getAll ${Math.round(idbProbe.wholeMs)} ms, ranged getAll ${Math.round(idbProbe.rangedMs)} ms`);
    return { times, writeSeconds, marks, ...(idbProbe === undefined ? {} : { idbProbe }) };
  } finally {
    await cluster.close();
  }
}

const MARK_ORDER = ['script', 'domContentLoaded', 'load', 'boot', 'phase starting', 'phase waiting-for-lock', 'phase recovering', 'recovered', 'phase serving', 'state LOOKING', 'state FOLLOWING', 'session connected'];

function describeMarks(m: ReloadMarks, withLog = true): string {
  const steps = MARK_ORDER.filter((k) => typeof m[k] === 'number').map((k) => `${k} ${Math.round(m[k] as number)}`);
  return withLog ? `${steps.join(', ')} (log entries ${m['logEntries'] ?? '?'}, snapshot ${m['snapshotZxid'] ?? 'none'})` : steps.join(' -> ');
}

async function ensembleRestart(kind: EnsembleKind): Promise<ReloadResult> {
  const ensemble = await startEnsemble(kind, 2000);
  try {
    const leader = await ensemble.waitQuorum(90_000);
    const id = ensemble.members.map((m) => m.id).find((m) => m !== leader)!;
    const client = await connect(ensemble.connectString([id]));
    const payload = Buffer.alloc(16, 0x62);
    await prepareKeys(client, KEYS, payload);
    const t0 = performance.now();
    await runClosedLoop(TXNS - KEYS - 2, 256, writeOp(client, KEYS, payload));
    const writeSeconds = (performance.now() - t0) / 1000;
    client.close();
    const times: number[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      await ensemble.kill9(id);
      const proc = ensemble.start(id);
      const ms = await waitServing(proc, ensemble.connectString([id]));
      note(`  ${kind} restart of follower ${id} with ${TXNS} txns: serving after ${Math.round(ms)} ms`);
      times.push(ms);
      await ensemble.waitQuorum(90_000);
    }
    return { times, writeSeconds };
  } finally {
    await ensemble.stopAll();
  }
}

// ---- report ----

interface Results {
  throughput: Map<System, WriteCell[]>;
  failover: Map<number, Map<System, number[]>>;
  reload: Map<System, ReloadResult>;
}

const list = (xs: readonly number[]): string => xs.map((x) => fmt(x)).join(', ');

function throughputTable(r: Results): string[] {
  const rows = IN_FLIGHTS.map((inFlight) => {
    const cell = (s: System) => r.throughput.get(s)?.find((c) => c.inFlight === inFlight)?.result;
    const [t, b, o, a] = [cell('tabs'), cell('tabs-bg'), cell('ours'), cell('apache')];
    const lat = (x: LoadResult | undefined) => (x ? `${x.p50Ms.toFixed(2)} / ${x.p99Ms.toFixed(2)}` : 'n/a');
    const ratio = (x: LoadResult | undefined) => (x && a ? (x.opsPerSecond / a.opsPerSecond).toFixed(2) : 'n/a');
    return `| setData 100 B | ${inFlight} | ${fmt(t?.opsPerSecond)} | ${fmt(b?.opsPerSecond)} | ${fmt(o?.opsPerSecond)} | ${fmt(a?.opsPerSecond)} | **${ratio(t)} / ${ratio(b)}** | ${lat(t)} | ${lat(b)} | ${lat(o)} | ${lat(a)} |`;
  });
  return [
    '| workload | in flight | tabs ops/s, 3 drawing | tabs ops/s, 1 drawing | Node ensemble ops/s | Apache ops/s | tabs/Apache, 3 / 1 drawing (goal >= 0.5) | tabs p50 / p99 ms, 3 drawing | 1 drawing | Node p50 / p99 ms | Apache p50 / p99 ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ];
}

function failoverTable(r: Results): string[] {
  const rows = [...r.failover].map(([tick, m]) => {
    const [t, o, a] = [m.get('tabs') ?? [], m.get('ours') ?? [], m.get('apache') ?? []];
    const ratio = t.length && a.length ? (median(t) / median(a)).toFixed(2) : 'n/a';
    return `| leader killed | ${tick} ms | ${fmt(median(t))} (${list(t)}) | ${fmt(median(o))} (${list(o)}) | ${fmt(median(a))} (${list(a)}) | **${ratio}** |`;
  });
  return [
    '| fault -> next successful write, median (trials) | tickTime | tabs ms | Node ensemble ms | Apache ms | tabs/Apache (goal <= 1) |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
  ];
}

function reloadTable(r: Results): string[] {
  const row = (s: System, label: string) => {
    const x = r.reload.get(s);
    return x ? `| ${label} | ${fmt(median(x.times))} | ${list(x.times)} | ${fmt(x.writeSeconds, 1)} |` : `| ${label} | n/a | | |`;
  };
  return [
    `| restart with ${fmt(TXNS)} txns (follower of a 3-server ensemble) | median ms | trials ms | time to write them (s) |`,
    '|---|---:|---|---:|',
    row('tabs', 'tab reload (IndexedDB) -> its session connected + getData'),
    row('ours', 'Node server kill -9 + spawn -> session + getData'),
    row('apache', 'Apache server kill -9 + spawn -> session + getData'),
    ...reloadSteps(r.reload.get('tabs')),
  ];
}

/** Where each tab reload's time went: its steps, ms since the reload's navigation start. */
function reloadSteps(x: ReloadResult | undefined): string[] {
  if (x?.marks === undefined || x.marks.length === 0) return [];
  const probe = x.idbProbe === undefined ? [] : [
    '',
    `Raw read of that tab's IndexedDB log store from its page after the trials (all of it, also what the snapshots cover): ${fmt(x.idbProbe.entries)} values (one per append batch) holding the ${fmt(TXNS)} txns, ${fmt(x.idbProbe.bytes / 1e6, 1)} MB: one getAll ${fmt(x.idbProbe.wholeMs)} ms, getAll in ranges of 512 values ${fmt(x.idbProbe.rangedMs)} ms.`,
  ];
  return [
    '',
    "Tab reload, step by step (ms since the reload's navigation start, sampled in the page every 5 ms; \"recovering\" = the worker holds the database lock and opens IndexedDB, \"recovered\" = log and snapshot read and decoded, \"serving\" = txns replayed into the tree and the server started):",
    '',
    ...x.marks.map((m, i) => `- trial ${i + 1} (${m['logEntries'] ?? '?'} log entries after snapshot ${m['snapshotZxid'] === null || m['snapshotZxid'] === undefined ? 'none' : '0x' + BigInt(m['snapshotZxid']).toString(16)}): ${describeMarks(m, false)}`),
    ...probe,
  ];
}

function previousSection(heading: string): string | null {
  if (!existsSync(RESULTS)) return null;
  const text = readFileSync(RESULTS, 'utf8');
  const start = text.indexOf(`## ${heading}`);
  if (start < 0) return null;
  const end = text.indexOf('\n## ', start + 3);
  const body = text.slice(start, end < 0 ? undefined : end).trim();
  const header = (prefix: string): string => (text.split('\n').find((line) => line.startsWith(prefix)) ?? '').trim();
  const earlier = [header('Date: ').split('. Machine')[0], header('Load average')].filter((x) => x !== '').join('; ');
  const kept = `_(kept from an earlier run, not measured in the run dated above. Earlier run: ${earlier})_`;
  return body.includes('_(kept from an earlier run') ? body : `${body}\n\n${kept}`;
}

function section(heading: string, measured: boolean, body: () => string[]): string[] {
  if (!measured) {
    const previous = previousSection(heading);
    if (previous !== null) return [previous, ''];
  }
  return [`## ${heading}`, '', ...body(), ''];
}

function render(r: Results, meta: { date: string; loadStart: string; minutes: string }): string {
  return [
    '# Browser cluster benchmark: 3 tabs vs 3 Node servers vs 3 Apache servers',
    '',
    `Date: ${meta.date}. Machine: ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB; node ${process.version}; Chromium (/usr/bin/chromium, headless); Apache ZooKeeper 3.8.0 (Debian).  `,
    `Load average (1/5/15 min): ${meta.loadStart} at start, ${loadAvg()} at end (\`uptime\`), shared with other engineers' test runs: numbers are noisy. Run time ${meta.minutes} min. Generated by \`npx tsx bench/tabs-bench.ts\` (TXNS=${TXNS} TRIALS=${TRIALS} WRITE_OPS=${WRITE_OPS} ONLY=${ONLY.join(',')}). The app is a production build of the tree served with our PeerServer (see bench/tabs-browser.ts startApp).`,
    '',
    ...section('Write throughput (tickTime 2000, client on a follower)', r.throughput.size > 0, () => [
      ...throughputTable(r),
      '',
      `Closed loop; each freshly started system first takes ${fmt(START_WARMUP_WRITES)} writes (8 in flight) to warm up, then per cell ${WARMUP_OPS} warm-up then ${fmt(WRITE_OPS)} setData of ${PAYLOAD_BYTES} B on ${KEYS} keys per cell. Tabs: the loop runs in a follower tab's page through that tab's own client session (window.__zootabs.session(), the app's ZooKeeper client over the page<->worker MessagePort); the tab's server forwards writes to the leader tab over WebRTC; every server logs to IndexedDB. "3 drawing": all three tabs render the app (three windows side by side); "1 drawing": then the same cells with the other two tabs' body set to display: none (three tabs of one window, where background tabs do not paint; their pages still handle every message at full rate). Node/Apache: node-zookeeper-client over TCP to a follower; each cell runs in two halves, Node then Apache, then Apache then Node.`,
    ]),
    ...section('Failover (initLimit 10, syncLimit 5)', r.failover.size > 0, () => [
      ...failoverTable(r),
      '',
      'Tabs: a click on "Kill server <leader>" in the leader\'s own tab (click time taken in that page) -> first acknowledgement of a setData issued after the click by a writer in a follower tab (one write at a time, 10 ms apart, through that tab\'s own session, which only connects to its own server). Times are epoch ms from performance.timeOrigin + now() in each page. Node/Apache: kill -9 of the leader process, writer on the two followers (bench/ensemble-failover.ts). After each trial the killed server is restarted and a new stable leader awaited. Trials per cell: ' + TRIALS + ', median.',
    ]),
    ...section('Restart with a long log', r.reload.size > 0, () => [
      ...reloadTable(r),
      '',
      `Txns: ${KEYS + 1} creates, then setData of 16 B on ${KEYS} keys, ${fmt(TXNS)} in all (tabs: every tab writes through its own session at once, ${WRITE_IN_FLIGHT} in flight each; Node/Apache: one client, 256 in flight), default snapCount (100,000, randomized by half as ZooKeeper does, so a snapshot may cover part of the log). The restarted/reloaded member is a follower: "serving" includes loading its log and syncing with the leader. Tabs: page.reload() -> the page's session CONNECTED and getData('/') ok (includes page load, myid claim on the PeerServer, WebRTC links, IndexedDB replay, leader sync). Node/Apache: from spawn (bench/server-process.ts waitServing). Trials: ${TRIALS}, median. A tab or Node server whose startup replayed >= ${fmt(SNAPSHOT_AFTER_REPLAY_TXNS)} txns takes a snapshot once synced with the leader (as ZooKeeperServer.loadData snapshots after restoring; src/zk/zab/replica.ts), so trial 1 replays the log and later trials start from that snapshot; an Apache follower does not snapshot at startup and replays its log in every trial. IndexedDB holds one value per append batch, read ${LOAD_VALUES_PER_READ} values per getAll (src/storage/idb-storage.ts).`,
    ]),
    '## Hidden tabs',
    '',
    hiddenSection(),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const missing = apacheUnavailableReason();
  if (missing !== null) throw new Error(`Apache cannot run here: ${missing}`);
  const started = performance.now();
  const meta = { date: new Date().toISOString(), loadStart: loadAvg(), minutes: '' };
  note(`# tabs bench: TXNS=${TXNS} TRIALS=${TRIALS} WRITE_OPS=${WRITE_OPS}; load ${meta.loadStart}`);
  const results: Results = { throughput: new Map(), failover: new Map(), reload: new Map() };
  // Results so far go to the file after every section, so a run cut short still leaves numbers.
  const save = (): void => {
    meta.minutes = ((performance.now() - started) / 60_000).toFixed(1);
    if (SAVE) writeFileSync(RESULTS, render(results, meta));
  };
  const app = await startApp(APP_PORT, APP_PEER_PORT);
  const browser = await launchBrowser();
  try {
    if (ONLY.includes('throughput')) {
      note('## throughput');
      const tabs = await tabsThroughput(browser, app.baseUrl);
      results.throughput.set('tabs', tabs.drawing);
      results.throughput.set('tabs-bg', tabs.background);
      for (const [kind, cells] of await ensembleThroughput()) results.throughput.set(kind, cells);
      save();
    }
    if (ONLY.includes('failover')) {
      for (const tick of [200, 2000]) {
        note(`## failover tickTime=${tick}`);
        const m = new Map<System, number[]>();
        m.set('tabs', await tabsFailover(browser, app.baseUrl, tick));
        for (const kind of KINDS) m.set(kind, await ensembleFailover(kind, tick));
        results.failover.set(tick, m);
        save();
      }
    }
    if (ONLY.includes('reload')) {
      note(`## reload/restart with ${TXNS} txns`);
      results.reload.set('tabs', await tabsReload(browser, app.baseUrl));
      for (const kind of KINDS) results.reload.set(kind, await ensembleRestart(kind));
      save();
    }
  } finally {
    await browser.close();
    await app.stop();
  }
  save();
  if (SAVE) note(`\n${readFileSync(RESULTS, 'utf8')}\nwritten to ${RESULTS}`);
  else note(`\n${render(results, meta)}\n(SAVE=0: not written)`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
