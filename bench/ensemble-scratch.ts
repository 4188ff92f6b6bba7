import { Ensemble, type EnsembleKind } from '../src/compat/ensemble-cluster';
import { connect, prepareKeys, runClosedLoop, writeOp } from './load';
const kind = (process.argv[2] ?? 'ours') as EnsembleKind;
const prof = process.argv.includes('--prof');
const e = await Ensemble.create({ kind, size: 3, timing: { tickTimeMs: 2000, initLimit: 10, syncLimit: 5 },
  ...(prof && kind === 'ours' ? { launcher: { label: 'p', command: (cfg: string) => ({ file: process.execPath, args: ['--cpu-prof', '--cpu-prof-dir=/tmp/ensprof', '--import', 'tsx', 'src/node/zk-main.ts', cfg] }) } } : {}) });
await e.startAll();
try {
  const leader = await e.waitQuorum(60_000);
  const follower = e.members.find((m) => m.id !== leader)!.id;
  console.log('leader', leader, 'client on follower', follower);
  const c = await connect(e.connectString([follower]));
  const payload = Buffer.alloc(100, 0x61);
  await prepareKeys(c, 100, payload);
  for (const inFlight of [1, 8, 32]) {
    await runClosedLoop(300, inFlight, writeOp(c, 100, payload));
    const r = await runClosedLoop(3000, inFlight, writeOp(c, 100, payload));
    console.log(kind, 'write x' + inFlight, Math.round(r.opsPerSecond), 'ops/s p50', r.p50Ms.toFixed(2), 'p99', r.p99Ms.toFixed(2));
  }
  c.close();
} finally {
  for (const id of e.running()) { const p = (e as any).processes.get(id); await p.stop(); }
  await e.stopAll();
}
process.exit(0);
