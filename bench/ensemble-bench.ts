// `npm run bench:ensemble`: ours vs Apache ZooKeeper 3.8, 3-server ensembles on 127.0.0.1, side by
// side in one run, from the same zoo.cfg settings.
//   npm run bench:ensemble               full run (~6-10 min), writes bench/results/ensemble.md
//   npm run bench:ensemble -- --quick    fewer ops, 1 failover trial, tickTime=200 only (writes nothing)
//   ... -- --only-failover | --only-throughput
// 1. Throughput: setData/getData of 100 B on 100 keys at 1/8/32 in flight, one session on a follower
//    of each ensemble (tickTime=2000); both ensembles up at once, loaded one at a time, taking turns.
// 2. Failover: leader kill -9 and leader SIGSTOP, at tickTime=2000 and 200 (initLimit=10,
//    syncLimit=5), a client writing every 10 ms; 3 trials each (ours and Apache alternating), median
//    of fault -> first acknowledged write issued after the fault.
// Every process started here is killed when this exits, however it exits.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apacheVersion } from '../scripts/apache/apache-zk.mjs';
import { apacheUnavailableReason, Ensemble, type EnsembleKind, type EnsembleTiming } from '../src/compat/ensemble-cluster';
import { type Fault, type FailoverTrial, runFailoverTrial } from './ensemble-failover';
import { type FailoverRow, renderEnsembleReport } from './ensemble-report';
import { REPO_ROOT } from './server-process';
import { type CellResult, DEFAULT_PLAN, runThroughput, type ThroughputPlan } from './throughput';

const flag = (name: string): boolean => process.argv.includes(`--${name}`);
const note = (line: string): void => void process.stdout.write(`${line}\n`);
const KINDS: readonly EnsembleKind[] = ['ours', 'apache'];
const QUORUM_TIMEOUT_MS = 90_000;

const timingAt = (tickTimeMs: number): EnsembleTiming => ({ tickTimeMs, initLimit: 10, syncLimit: 5 });

async function startEnsemble(kind: EnsembleKind, timing: EnsembleTiming): Promise<Ensemble> {
  const ensemble = await Ensemble.create({ kind, size: 3, timing });
  const t0 = performance.now();
  await ensemble.startAll();
  const leader = await ensemble.waitQuorum(QUORUM_TIMEOUT_MS);
  note(`${ensemble.label} ensemble (tickTime=${timing.tickTimeMs}) serving after ${Math.round(performance.now() - t0)} ms, leader ${leader}, dir ${ensemble.dir}`);
  return ensemble;
}

async function throughput(plan: ThroughputPlan): Promise<Map<EnsembleKind, CellResult[]>> {
  const ensembles: Ensemble[] = [];
  try {
    for (const kind of KINDS) ensembles.push(await startEnsemble(kind, timingAt(2000)));
    const targets = [];
    for (const ensemble of ensembles) {
      const leader = await ensemble.waitQuorum(QUORUM_TIMEOUT_MS);
      const follower = ensemble.members.map((m) => m.id).find((id) => id !== leader)!;
      targets.push({ label: ensemble.options.kind, connectString: ensemble.connectString([follower]) });
    }
    const results = await runThroughput(targets, plan, note);
    return new Map(KINDS.map((kind) => [kind, results.get(kind)!]));
  } finally {
    for (const ensemble of ensembles) await ensemble.stopAll();
  }
}

async function failover(ticks: readonly number[], trials: number): Promise<FailoverRow[]> {
  const rows: FailoverRow[] = [];
  let trialCounter = 0;
  for (const tickTimeMs of ticks) {
    const ensembles = new Map<EnsembleKind, Ensemble>();
    try {
      for (const kind of KINDS) ensembles.set(kind, await startEnsemble(kind, timingAt(tickTimeMs)));
      for (const fault of ['kill', 'stop'] as const satisfies readonly Fault[]) {
        const row: FailoverRow = { fault, tickTimeMs, ours: [], apache: [] };
        for (let trial = 0; trial < trials; trial++) {
          const order = trialCounter % 2 === 0 ? KINDS : [...KINDS].reverse();
          for (const kind of order) {
            const result = await runTrialOrRestart(ensembles, kind, tickTimeMs, fault, `/ft${trialCounter}`);
            (kind === 'ours' ? row.ours : row.apache).push(result);
            note(
              `  ${kind} ${fault} tickTime=${tickTimeMs} trial ${trial + 1}: write ok after ${Math.round(result.firstWriteMs)} ms ` +
                `(noticed ${fmt(result.noticedMs)}, leader ${result.newLeader} serving ${fmt(result.leaderServingMs)}, both ${fmt(result.quorumServingMs)}; ` +
                `leader was ${result.oldLeader}; reconnects ${result.clientReconnects})${result.problems.length > 0 ? ` PROBLEMS: ${result.problems.join('; ')}` : ''}`,
            );
          }
          trialCounter++;
        }
        rows.push(row);
      }
    } finally {
      for (const ensemble of ensembles.values()) await ensemble.stopAll();
    }
  }
  return rows;
}

const fmt = (value: number | null): string => (value === null ? 'n/a' : `${Math.round(value)} ms`);

/** One trial; if the ensemble cannot be brought back afterwards, it is replaced by a fresh one. */
async function runTrialOrRestart(ensembles: Map<EnsembleKind, Ensemble>, kind: EnsembleKind, tickTimeMs: number, fault: Fault, root: string): Promise<FailoverTrial> {
  const ensemble = ensembles.get(kind)!;
  try {
    return await runFailoverTrial(ensemble, fault, root);
  } catch (error) {
    note(`  ${kind} ${fault} tickTime=${tickTimeMs}: trial failed (${String(error).split('\n')[0]}); logs in ${ensemble.dir}; starting a fresh ensemble`);
    await ensemble.stopAll(true);
    ensembles.set(kind, await startEnsemble(kind, timingAt(tickTimeMs)));
    return { fault, oldLeader: -1, newLeader: null, firstWriteMs: Number.NaN, noticedMs: null, leaderServingMs: null, quorumServingMs: null, clientReconnects: 0, problems: [`trial failed: ${String(error).split('\n')[0]}`] };
  }
}

function machineLine(): string {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const javaVersion = (java.stderr || java.stdout || 'java: unknown').split('\n')[0]!.trim();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `nproc ${os.availableParallelism()} (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}; node ${process.version}; ${javaVersion}; Apache ZooKeeper ${apacheVersion()} (Debian package)`;
}

const loadAvg = (): string => os.loadavg().map((v) => v.toFixed(1)).join(' / ');

async function main(): Promise<void> {
  const missing = apacheUnavailableReason();
  if (missing !== null) throw new Error(`the ensemble benchmark compares with Apache, which cannot run here: ${missing}`);
  const quick = flag('quick');
  const plan: ThroughputPlan = quick
    ? { ...DEFAULT_PLAN, warmupOps: 200, writeOps: 1_000, readOps: 1_000 }
    : { ...DEFAULT_PLAN, warmupOps: 500, startWarmupWrites: 3_000, writeOps: 5_000, readOps: 5_000 };
  const ticks = quick ? [200] : [2000, 200];
  const trials = quick ? 1 : 3;
  const startedAt = new Date().toISOString();
  const loadAtStart = loadAvg();
  const machine = machineLine();
  const t0 = performance.now();
  note(`# ensemble bench (${quick ? 'quick' : 'full'})\n${machine}\nload average (1/5/15 min) ${loadAtStart}\n`);

  let cells = new Map<EnsembleKind, CellResult[]>([['ours', []], ['apache', []]]);
  if (!flag('only-failover')) {
    note('## throughput (tickTime=2000, client on a follower)');
    cells = await throughput(plan);
  }
  let rows: FailoverRow[] = [];
  if (!flag('only-throughput')) {
    note('\n## failover');
    rows = await failover(ticks, trials);
  }
  const minutes = ((performance.now() - t0) / 60_000).toFixed(1);
  const markdown = renderEnsembleReport({
    date: startedAt,
    machine,
    loadAverage: `${loadAtStart} (1/5/15 min) at start, ${loadAvg()} at end, on ${os.availableParallelism()} CPUs`,
    ours: cells.get('ours')!,
    apache: cells.get('apache')!,
    failover: rows,
    notes: [
      'The machine is shared with other engineers\' test runs (see the load average): numbers are noisy; compare within one run, not across runs.',
      'Same zoo.cfg for both (tickTime, initLimit=10, syncLimit=5, server.N=127.0.0.1:quorumPort:electionPort;127.0.0.1:clientPort, fresh temp dataDirs). Ours: `node --import tsx src/node/zk-main.ts zoo.cfg` per server. Apache: Debian 3.8.0 `java -Xmx256m ... QuorumPeerMain zoo.cfg`. The client is node-zookeeper-client for both.',
      `Throughput: one session on a follower (writes are forwarded to the leader), closed loop, ${plan.startWarmupWrites ?? 0} writes (8 in flight) to warm each freshly started ensemble before its first cell, ${plan.warmupOps} warm-up ops then ${plan.writeOps} setData or ${plan.readOps} getData of ${plan.payloadBytes} B on ${plan.keys} keys per cell; both ensembles up at once, loaded one at a time; each cell runs in two halves (ours then Apache, then Apache then ours, each with its warm-up), merged.`,
      `Failover: ${trials} trials per cell (ours and Apache alternating who goes first), median. The writer issues one setData/create at a time, 10 ms apart, with the two followers as its connect string (spinDelay 50 ms); the time is from the signal to the first acknowledgement of a write issued after it. After each trial the old leader is restarted (kill) or SIGCONT'ed (stop) and all three must serve again before the next trial.`,
      'Server-side breakdown: "survivor stops serving" = first srvr on a survivor that is not leader/follower (or already shows a new epoch); "new leader serves" = first srvr of the new leader saying leader under a new epoch; "both serve" = both survivors serving under the new epoch; the rest up to "client write ok" is the client reconnecting (its spinDelay, its session re-establishment) and the write round trip.',
      `Run time: ${minutes} min.`,
    ],
  });
  note(`\n${markdown}`);
  if (!quick) {
    const resultsDir = path.join(REPO_ROOT, 'bench', 'results');
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(path.join(resultsDir, 'ensemble.md'), markdown);
    note(`written to ${path.join(resultsDir, 'ensemble.md')}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
