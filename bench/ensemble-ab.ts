// A/B of our own ensemble write path: this tree against another checkout of ZooTabs (e.g. the last
// commit, from `git archive HEAD | tar -x -C /tmp/head` plus a node_modules link), both 3-server
// ensembles up at once and loaded in turns, like ensemble-bench. Apache is not involved, so two
// builds of ours can be compared under the same machine load.
//   npx tsx bench/ensemble-ab.ts /tmp/head [writeOps]
import path from 'node:path';
import os from 'node:os';
import type { Ensemble as EnsembleType } from '../src/compat/ensemble-cluster';
import { DEFAULT_PLAN, runThroughput } from './throughput';

type EnsembleModule = typeof import('../src/compat/ensemble-cluster');
const note = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const otherRoot = process.argv[2];
  if (otherRoot === undefined) throw new Error('usage: npx tsx bench/ensemble-ab.ts <other checkout> [writeOps]');
  const writeOps = Number(process.argv[3] ?? 3000);
  const here = (await import('../src/compat/ensemble-cluster')) as EnsembleModule;
  const other = (await import(path.resolve(otherRoot, 'src/compat/ensemble-cluster.ts'))) as EnsembleModule;
  note(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}`);
  const ensembles: EnsembleType[] = [];
  try {
    const targets = [];
    for (const [label, mod] of [['this tree', here], [otherRoot, other]] as const) {
      const ensemble = await mod.Ensemble.create({ kind: 'ours', size: 3, timing: { tickTimeMs: 2000, initLimit: 10, syncLimit: 5 } });
      ensembles.push(ensemble);
      await ensemble.startAll();
      const leader = await ensemble.waitQuorum(90_000);
      const follower = ensemble.members.map((m) => m.id).find((id) => id !== leader)!;
      targets.push({ label, connectString: ensemble.connectString([follower]) });
    }
    await runThroughput(targets, { ...DEFAULT_PLAN, warmupOps: 300, startWarmupWrites: 3_000, writeOps, readOps: 100, inFlights: [1, 8, 32] }, note);
  } finally {
    for (const ensemble of ensembles) await ensemble.stopAll();
  }
  note(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
