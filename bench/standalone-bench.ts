// `npm run bench`: ours vs Apache ZooKeeper standalone, side by side on this machine, in one run.
//   npm run bench                     full run (~3-5 min), writes bench/results/standalone.md
//   npm run bench -- --quick          small op counts, 10k-txn restart (smoke test; writes nothing)
//   npm run bench -- --profile        also runs ours under --cpu-prof and prints the hotspots in src/
//   npm run bench -- --profile-only   only the profiled run of ours (add --quick for fewer ops)
// Each server starts fresh from the same zoo.cfg settings in its own temp dataDir and port. Servers
// run one after the other (never both at once) and all are killed when this exits.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { findFreePort, apacheVersion } from '../scripts/apache/apache-zk.mjs';
import { renderReport, type RestartRow } from './report';
import { DEFAULT_RESTART_PLAN, median, type PreparedLog, prepareLog, type RestartPlan, timeRestart } from './restart';
import {
  apacheLauncher,
  type Launcher,
  oursBundleLauncher,
  oursNpmLauncher,
  oursTsxLauncher,
  REPO_ROOT,
  type ServerProcess,
  spawnServer,
  waitServing,
  writeZooCfg,
} from './server-process';
import { type CellResult, DEFAULT_PLAN, runThroughput, type ThroughputPlan } from './throughput';
import { summarizeProfile } from './cpuprofile-top';

const flag = (name: string): boolean => process.argv.includes(`--${name}`);
const note = (line: string): void => void process.stdout.write(`${line}\n`);

interface Started {
  label: string;
  connectString: string;
  server: ServerProcess;
}

/** A fresh server in its own dir (temp dataDir, free port, default snapCount). */
async function startFresh(launcher: Launcher, dir: string): Promise<Started> {
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  const port = await findFreePort();
  const cfgPath = writeZooCfg(dir, { dataDir: path.join(dir, 'data'), clientPort: port });
  const server = spawnServer(launcher, cfgPath, path.join(dir, 'server.log'));
  const connectString = `127.0.0.1:${port}`;
  const startMs = await waitServing(server, connectString);
  note(`${launcher.label}: serving on ${port} after ${Math.round(startMs)} ms (fresh dataDir)`);
  return { label: launcher.label, connectString, server };
}

/** Both servers up at once, loaded one at a time; SIGTERM at the end so a --cpu-prof run writes its profile. */
async function throughputFor(launchers: Launcher[], root: string, plan: ThroughputPlan): Promise<CellResult[][]> {
  const started: Started[] = [];
  try {
    for (const [i, launcher] of launchers.entries()) started.push(await startFresh(launcher, path.join(root, `throughput-${i}`)));
    const results = await runThroughput(started, plan, note);
    return started.map((s) => results.get(s.label)!);
  } finally {
    for (const s of started) await s.server.stop();
  }
}

/** Prepares each launcher's log, then times restarts trial by trial, taking turns (order alternating). */
async function restartRows(groups: Array<{ prepareWith: Launcher; launchers: Launcher[] }>, root: string, plan: RestartPlan): Promise<RestartRow[][]> {
  const prepared: PreparedLog[] = [];
  for (const [g, group] of groups.entries()) {
    const log = await prepareLog(group.prepareWith, path.join(root, `restart-${g}`), await findFreePort(), plan);
    note(`${group.prepareWith.label}: wrote ${plan.txns} txns in ${log.writeSeconds.toFixed(1)} s (${Math.round(plan.txns / log.writeSeconds)} txn/s), killed -9`);
    prepared.push(log);
  }
  const runs = groups.flatMap((group, g) => group.launchers.map((launcher) => ({ g, launcher, allMs: [] as number[] })));
  const port = await findFreePort();
  for (let trial = 0; trial < plan.trials; trial++) {
    const order = trial % 2 === 0 ? runs : [...runs].reverse();
    for (const run of order) {
      const ms = await timeRestart(run.launcher, prepared[run.g]!, path.join(root, `restart-${run.g}`), port, trial, plan);
      note(`  restart ${run.launcher.label}, trial ${trial}: ${Math.round(ms)} ms`);
      run.allMs.push(ms);
    }
  }
  return groups.map((_, g) => runs.filter((run) => run.g === g).map((run) => ({ label: run.launcher.label, medianMs: median(run.allMs), allMs: run.allMs })));
}

/** Bundles zk-main.ts with esbuild so a restart can be timed without tsx's startup transform. */
async function bundleOurs(root: string): Promise<string> {
  const outfile = path.join(root, 'zk-main.bundle.mjs');
  await build({ entryPoints: [path.join(REPO_ROOT, 'src/node/zk-main.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'error' });
  return outfile;
}

function machineLine(): string {
  // `java -version` prints on stderr.
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const javaVersion = (java.stderr || java.stdout || 'java: unknown').split('\n')[0]!.trim();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `nproc ${os.availableParallelism()} (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}; node ${process.version}; ${javaVersion}; Apache ZooKeeper ${apacheVersion()} (Debian package)`;
}

async function profileOurs(root: string, plan: ThroughputPlan): Promise<void> {
  const profileDir = path.join(root, 'cpu-prof');
  mkdirSync(profileDir, { recursive: true });
  note('\n## Profiling ours (--cpu-prof) over the same throughput cells');
  await throughputFor([oursTsxLauncher(['--cpu-prof', `--cpu-prof-dir=${profileDir}`])], path.join(root, 'profiled'), plan);
  const files = readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error(`no .cpuprofile written in ${profileDir}`);
  note(summarizeProfile(path.join(profileDir, files[0]!), 25));
  note(`(profile kept at ${path.join(profileDir, files[0]!)}; open it in Chrome DevTools > Performance)`);
}

async function main(): Promise<void> {
  const quick = flag('quick');
  const plan: ThroughputPlan = quick ? { ...DEFAULT_PLAN, warmupOps: 200, writeOps: 500, readOps: 2_000 } : DEFAULT_PLAN;
  const restartPlan: RestartPlan = quick ? { ...DEFAULT_RESTART_PLAN, txns: 10_000, trials: 1 } : DEFAULT_RESTART_PLAN;
  const loadAtStart = os.loadavg()[0]!.toFixed(1);
  const root = mkdtempSync(path.join(os.tmpdir(), 'zootabs-bench-'));
  const machine = machineLine();
  note(`# standalone bench (${quick ? 'quick' : 'full'}), temp dir ${root}\n${machine}\n`);
  const tsx = oursTsxLauncher();
  if (flag('profile-only')) {
    await profileOurs(root, plan);
    return;
  }

  const [ours, apache] = await throughputFor([tsx, apacheLauncher], root, plan);

  const bundle = await bundleOurs(root);
  const [oursRestart, apacheRestarts] = await restartRows(
    [
      { prepareWith: tsx, launchers: [oursNpmLauncher, tsx, oursBundleLauncher(bundle)] },
      { prepareWith: apacheLauncher, launchers: [apacheLauncher] },
    ],
    root,
    restartPlan,
  );

  const markdown = renderReport({
    date: new Date().toISOString(),
    machine,
    ours: ours!,
    apache: apache!,
    restartTxns: restartPlan.txns,
    oursRestart: oursRestart!,
    apacheRestart: apacheRestarts![0]!,
    notes: [
      `Load average (1 min) at start ${loadAtStart}, at end ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} CPUs: other work on this machine makes the numbers noisy; compare within one run.`,
      `Client: node-zookeeper-client, one session, closed loop; per cell ${plan.warmupOps} warm-up ops, then ${plan.writeOps} writes or ${plan.readOps} reads; values of ${plan.payloadBytes} bytes on ${plan.keys} keys.`,
      'Servers: fresh temp dataDir (dataLogDir = dataDir), same zoo.cfg (tickTime=2000, default snapCount, 127.0.0.1), both up at once but loaded one at a time, each cell in two halves (ours then Apache, then Apache then ours); client and servers share the machine.',
      'Ours runs as `node --import tsx src/node/zk-main.ts zoo.cfg` for throughput (one process, same code as `npm run zk`). Apache: Debian 3.8.0, `java -Xmx256m ... ZooKeeperServerMain zoo.cfg`.',
      `Restart: ${restartPlan.txns} small setData txns written with snapCount=${restartPlan.snapCount} (no snapshot), kill -9, then ${restartPlan.trials} trials each (launchers taking turns) from a pristine copy of that dataDir; time from spawn until a new session's getData('/') succeeds. Apache/ours > 1 means ours restarts faster.`,
      'The restart rows for ours differ only in how the process starts: `npm run zk` (npm + tsx CLI + esbuild transform), `node --import tsx` (transform, no npm), and an esbuild bundle run by plain node (no transform): their difference is the startup overhead.',
    ],
  });
  note(`\n${markdown}`);
  if (!quick) {
    const resultsDir = path.join(REPO_ROOT, 'bench', 'results');
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(path.join(resultsDir, 'standalone.md'), markdown);
    note(`written to ${path.join(resultsDir, 'standalone.md')}`);
  }
  if (flag('profile')) await profileOurs(root, plan);
  if (!flag('keep')) rmSync(root, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
