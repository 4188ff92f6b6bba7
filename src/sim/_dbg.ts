import { runSeed } from './run-seed';
const r = await runSeed({ seed: Number(process.argv[2]), onLine: (l) => console.log(l) });
console.log(r.ok, r.stats, r.violations);
