import { runSeed } from './run-seed';
const r = await runSeed({ seed: Number(process.argv[2]), servers: Number(process.argv[3] ?? 3), onLine: (l) => console.log(l) });
console.log(r.ok, r.stats, r.violations);
