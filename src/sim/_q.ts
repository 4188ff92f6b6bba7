import { runSeed } from './run-seed';
const n = Number(process.argv[2] ?? 5); const servers = Number(process.argv[3] ?? 3);
const t0 = performance.now();
for (let seed = 1; seed <= n; seed++) {
  const s0 = performance.now();
  const r = await runSeed({ seed, servers });
  console.log(seed, r.ok, JSON.stringify(r.stats), (performance.now() - s0).toFixed(0) + 'ms', r.warnings.join(';'));
  for (const v of r.violations.slice(0, 5)) console.log('  VIOLATION', v.checker, v.atMs, v.message.slice(0, 400));
}
console.log('total', (performance.now() - t0).toFixed(0));
