import { runSeed } from './run-seed';
import { ackBeforeDurable } from './broken-servers';
import { standaloneFactory } from './server-factory';
const r = await runSeed({ seed: 1, factory: ackBeforeDurable(standaloneFactory), onLine: (l) => { if (/reply|log|applied|disk/.test(l)) console.log(l); } });
console.log(r.ok, r.stats);
