import { runSeed } from './run-seed';
import { quorumFactory } from './server-factory';
import { STORM_PLAN } from './fault-plan';
for (const fault of ['unsafeAckBeforeDurable', 'unsafeSkipTruncate', 'unsafeCommitWithoutQuorum', 'unsafeSkipCurrentEpochPersist']) {
  let caught = 0; const checkers = new Map<string, number>(); let first = -1;
  for (let seed = 1; seed <= 40; seed++) {
    const r = await runSeed({ seed, servers: 3, plan: STORM_PLAN, factory: quorumFactory({ faults: { [fault]: true } }) });
    if (!r.ok) { caught++; if (first < 0) first = seed; }
    for (const c of new Set(r.violations.map((v) => v.checker))) checkers.set(c, (checkers.get(c) ?? 0) + 1);
  }
  console.log(fault, 'caught', caught, '/40 first', first, JSON.stringify([...checkers]));
}
let bad = 0;
for (let seed = 1; seed <= 40; seed++) { const r = await runSeed({ seed, servers: 3, plan: STORM_PLAN }); if (!r.ok) { bad++; console.log('correct server failed', seed, r.violations[0]); } }
console.log('correct under storm: failures', bad);
