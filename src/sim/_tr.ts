import { readFileSync } from 'node:fs';
import { parseScript } from './scripts/golden';
import { ScriptInterpreter } from './scripts/interpreter';
import { quorumFactory } from './server-factory';
const script = parseScript(readFileSync('src/sim/scripts/testdata/quorum-truncate.txt', 'utf8'));
const it = new ScriptInterpreter(1, quorumFactory({ faults: { unsafeSkipTruncate: true } }));
for (const b of script) { console.log('> ' + b.command); for (const l of await it.run(b.command)) console.log(l); }
