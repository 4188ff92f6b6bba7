import { Ensemble } from '../src/compat/ensemble-cluster';
import { connect, prepareKeys, runClosedLoop, writeOp } from './load';
process.env['ENSEMBLE_TRACE_ALL'] = '1';
const e = await Ensemble.create({ kind: 'ours', size: 3, timing: { tickTimeMs: 2000, initLimit: 10, syncLimit: 5 }, keepDir: true,
  launcher: { label: 't', command: (cfg: string) => ({ file: process.execPath, args: ['--import', 'tsx', 'bench/ensemble-trace-member.ts', cfg] }) } });
await e.startAll();
try {
  const leader = await e.waitQuorum(60_000);
  const follower = e.members.find((m) => m.id !== leader)!.id;
  console.log('leader', leader, 'client on follower', follower, e.dir);
  const c = await connect(e.connectString([follower]));
  const payload = Buffer.alloc(100, 0x61);
  await prepareKeys(c, 100, payload);
  const inFlight = Number(process.argv[2] ?? 32);
  const t0 = performance.timeOrigin + performance.now();
  const r = await runClosedLoop(1000, inFlight, writeOp(c, 100, payload));
  console.log('t0', t0, 'write x' + inFlight, Math.round(r.opsPerSecond), 'ops/s p50', r.p50Ms.toFixed(2), 'p99', r.p99Ms.toFixed(2));
  c.close();
} finally {
  await e.stopAll(true);
}
process.exit(0);
