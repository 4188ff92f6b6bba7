import { Ensemble, FAST_TIMING } from '../src/compat/ensemble-cluster';
import { ContinuousWriter } from '../src/compat/ensemble-writer';
import { verifyWrites } from '../src/compat/ensemble-verify';
const e = await Ensemble.create({ kind: 'ours', size: 3, timing: FAST_TIMING });
await e.startAll();
try {
  await e.waitQuorum(60_000);
  const w = new ContinuousWriter({ connectString: e.connectString(), root: '/m', inFlight: 2, intervalMs: 2 });
  await w.prepare(); w.start(); await w.waitFor(() => w.ackedCount >= 30, 10000, 'x'); await w.stop();
  // Mutations: a lost create, wrong data, a lost setData (version claims), FIFO hole
  const recs = w.records;
  const c = recs.find((r) => r.kind === 'create' && r.status === 'acked')!; c.createdPath = '/m/n99999';
  const s = recs.filter((r) => r.kind === 'setData' && r.status === 'acked').at(-1)!; s.data = 'zzz';
  const q = recs.find((r) => r.kind === 'sequential' && r.status === 'acked')!; q.data = 'other';
  console.log((await verifyWrites(w, e.connectString([1]))).problems);
  w.close();
} finally { await e.stopAll(); }
process.exit(0);
