import { runSeed } from './run-seed';
const seeds = Number(process.argv[2] ?? 5);
const verbose = process.argv[3] === 'v';
const t0 = performance.now();
for (let seed = 1; seed <= seeds; seed++) {
  const s0 = performance.now();
  const r = await runSeed({ seed, onLine: verbose ? (l) => console.log(l) : undefined });
  console.log(seed, r.ok, JSON.stringify(r.stats), (performance.now() - s0).toFixed(0) + 'ms', r.warnings.join(';'));
  for (const v of r.violations) console.log('  VIOLATION', v.checker, v.atMs, v.message);
}
console.log('total', (performance.now() - t0).toFixed(0));
