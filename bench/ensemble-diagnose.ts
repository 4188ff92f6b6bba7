// Diagnosis: one failover of OUR 3-server ensemble with every member tracing (ensemble-trace-member.ts),
// then the survivors' election/sync trace printed relative to the fault, next to the client's view.
//   npx tsx bench/ensemble-diagnose.ts [kill|stop] [tickTimeMs=200]
import { readFileSync } from 'node:fs';
import { Ensemble } from '../src/compat/ensemble-cluster';
import { runFailoverTrial, type Fault } from './ensemble-failover';

const fault = (process.argv[2] ?? 'kill') as Fault;
const tickTimeMs = Number(process.argv[3] ?? 200);

async function main(): Promise<void> {
  const ensemble = await Ensemble.create({
    kind: 'ours',
    size: 3,
    timing: { tickTimeMs, initLimit: 10, syncLimit: 5 },
    keepDir: true,
    launcher: { label: 'ours (tracing)', command: (cfgPath) => ({ file: process.execPath, args: ['--import', 'tsx', 'bench/ensemble-trace-member.ts', cfgPath] }) },
  });
  try {
    await ensemble.startAll();
    await ensemble.waitQuorum(60_000);
    const faultWallMs = { value: 0 };
    const originalKill = ensemble.kill9.bind(ensemble);
    const originalFreeze = ensemble.freeze.bind(ensemble);
    ensemble.kill9 = async (id: number) => {
      faultWallMs.value ||= performance.timeOrigin + performance.now();
      return originalKill(id);
    };
    ensemble.freeze = (id: number) => {
      faultWallMs.value ||= performance.timeOrigin + performance.now();
      originalFreeze(id);
    };
    const trial = await runFailoverTrial(ensemble, fault, '/diag');
    console.log(JSON.stringify(trial));
    for (const m of ensemble.members) {
      if (m.id === trial.oldLeader) continue;
      console.log(`\n--- server ${m.id} (ms after the fault)`);
      for (const line of readFileSync(ensemble.logFile(m.id), 'utf8').split('\n')) {
        const match = /^\S+ (\d+(?:\.\d+)?) (.*)$/.exec(line);
        if (match === null) continue;
        const rel = Number(match[1]) - faultWallMs.value;
        if (rel < -50 || rel > trial.firstWriteMs + 300) continue;
        console.log(`${rel.toFixed(1).padStart(8)}  ${match[2]!.slice(0, 220)}`);
      }
    }
    console.log(`\nlogs: ${ensemble.dir}`);
  } finally {
    await ensemble.stopAll(true);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
