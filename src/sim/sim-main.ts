// The simulator's command line.
//   npm run sim -- --seeds 300            seeds 1..300 (--from S to start elsewhere, --random for a random start)
//   npm run sim -- --seed 42              replay one seed, printing its readable trace
//   options: --servers N (1 = standalone), --ticks T (safety phase, in 50 ms host ticks), --jobs J,
//            --storm (heavy fixed weather instead of the seed's draw)
// Exits non-zero on any violation, printing the failing seed and the command that replays it.
// (Wall-clock time and Math.random are used here only for the CLI's own reporting and --random.)
import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { runSeed, type SeedOptions, type SeedResult } from './run-seed';
import { STORM_PLAN } from './fault-plan';
import { CLOCK_INTERVAL_MS } from './sim-server';

interface CliOptions {
  seed: number | null;
  seeds: number;
  from: number;
  servers: number;
  safetyMs: number | undefined;
  jobs: number;
  workerRange: [number, number] | null;
  storm: boolean;
}

function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = { seed: null, seeds: 0, from: 1, servers: 1, safetyMs: undefined, jobs: Math.min(2, availableParallelism()), workerRange: null, storm: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): number => {
      const raw = argv[++i];
      const n = Number(raw);
      if (raw === undefined || !Number.isInteger(n)) throw new Error(`${flag} needs an integer, got ${raw}`);
      return n;
    };
    switch (flag) {
      case '--seed': options.seed = value(); break;
      case '--seeds': options.seeds = value(); break;
      case '--from': options.from = value(); break;
      case '--random': options.from = 1 + Math.floor(Math.random() * 1_000_000_000); break;
      case '--servers': options.servers = value(); break;
      case '--ticks': options.safetyMs = value() * CLOCK_INTERVAL_MS; break;
      case '--safety-ms': options.safetyMs = value(); break;
      case '--jobs': options.jobs = Math.max(1, value()); break;
      case '--worker': options.workerRange = [value(), value()]; break;
      case '--storm': options.storm = true; break;
      default: throw new Error(`unknown option ${flag} (see the top of src/sim/sim-main.ts)`);
    }
  }
  if (options.seed === null && options.seeds <= 0 && options.workerRange === null) options.seeds = 100;
  return options;
}

function replayCommand(options: CliOptions, seed: number): string {
  const extra = [
    options.servers !== 1 ? `--servers ${options.servers}` : '',
    options.safetyMs !== undefined ? `--safety-ms ${options.safetyMs}` : '',
    options.storm ? '--storm' : '',
  ];
  return ['npm run sim -- --seed', String(seed), ...extra].filter((s) => s.length > 0).join(' ');
}

function seedOptions(options: CliOptions, seed: number): SeedOptions {
  return { seed, servers: options.servers, safetyMs: options.safetyMs, ...(options.storm ? { plan: STORM_PLAN } : {}) };
}

function summarize(result: SeedResult): string {
  const s = result.stats;
  return `seed ${result.seed}: ${result.ok ? 'ok' : 'FAILED'} (${s.operations} ops, ${s.pendingOperations} pending, ${s.commits} commits, ${s.acknowledgedWrites} acked, ${s.faults} faults, ${s.watchEvents} watch events, ${s.virtualMs} virtual ms)`;
}

async function replayOne(options: CliOptions, seed: number): Promise<number> {
  const result = await runSeed({ ...seedOptions(options, seed), onLine: (line) => console.log(line) });
  console.log('');
  console.log(summarize(result));
  for (const warning of result.warnings) console.log(`warning: ${warning}`);
  for (const v of result.violations) console.log(`VIOLATION [${v.checker}] at ${v.atMs}ms: ${v.message}`);
  if (result.suppressedViolations > 0) console.log(`... ${result.suppressedViolations} more violations`);
  return result.ok ? 0 : 1;
}

/** Child process: runs a seed range, one JSON line per seed. */
async function workerMain(options: CliOptions, [first, last]: [number, number]): Promise<void> {
  for (let seed = first; seed <= last; seed++) {
    const result = await runSeed(seedOptions(options, seed));
    process.stdout.write(JSON.stringify({ seed, ok: result.ok, summary: summarize(result), violations: result.violations, warnings: result.warnings }) + '\n');
  }
}

interface SeedLine {
  seed: number;
  ok: boolean;
  summary: string;
  violations: SeedResult['violations'];
  warnings: string[];
}

function runRange(options: CliOptions, first: number, last: number, onLine: (line: SeedLine) => void): Promise<void> {
  const args = ['--worker', String(first), String(last), '--servers', String(options.servers)];
  if (options.safetyMs !== undefined) args.push('--safety-ms', String(options.safetyMs));
  if (options.storm) args.push('--storm');
  return new Promise((resolve, reject) => {
    const child = fork(process.argv[1]!, args, { execArgv: process.execArgv, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const text = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (text.startsWith('{')) onLine(JSON.parse(text) as SeedLine);
      }
    });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker for seeds ${first}..${last} exited with ${code}`))));
  });
}

async function runMany(options: CliOptions): Promise<number> {
  const first = options.from;
  const last = options.from + options.seeds - 1;
  const startedAt = performance.now();
  const failures: SeedLine[] = [];
  let done = 0;
  let warnings = 0;
  const onLine = (line: SeedLine): void => {
    done++;
    warnings += line.warnings.length;
    if (!line.ok) {
      failures.push(line);
      console.log(line.summary);
      for (const v of line.violations) console.log(`  VIOLATION [${v.checker}] at ${v.atMs}ms: ${v.message.split('\n').join('\n    ')}`);
      console.log(`  replay: ${replayCommand(options, line.seed)}`);
    } else if (done % 50 === 0) {
      console.log(`${done}/${options.seeds} seeds done`);
    }
  };
  const jobs = Math.min(options.jobs, options.seeds);
  const per = Math.ceil(options.seeds / jobs);
  const ranges: Array<[number, number]> = [];
  for (let start = first; start <= last; start += per) ranges.push([start, Math.min(last, start + per - 1)]);
  await Promise.all(ranges.map(([a, b]) => runRange(options, a, b, onLine)));
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  console.log(`${done} seeds (${first}..${last}), ${options.servers} server(s), ${jobs} job(s): ${failures.length} failed, ${warnings} warnings, ${seconds}s`);
  if (failures.length > 0) {
    console.log(`failing seeds: ${failures.map((f) => f.seed).sort((a, b) => a - b).join(' ')}`);
    console.log(`replay the first: ${replayCommand(options, Math.min(...failures.map((f) => f.seed)))}`);
    return 1;
  }
  return done === options.seeds ? 0 : 1;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.workerRange !== null) {
    await workerMain(options, options.workerRange);
    return;
  }
  const code = options.seed !== null ? await replayOne(options, options.seed) : await runMany(options);
  process.exitCode = code;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 2;
});
