import { runSeed } from './run-seed';
import { ackBeforeDurable } from './broken-servers';
import { standaloneFactory } from './server-factory';
import { CALM_PLAN } from './fault-plan';
const plan = { ...CALM_PLAN, latencyMsMax: 10, crashProbability: 0.1, loseUnsyncedProbability: 1, restartDelayMsMin: 50, restartDelayMsMax: 500, storageDelayMsMin: 5, storageDelayMsMax: 60 };
let caught = 0;
for (let seed = 1; seed <= 10; seed++) {
  const r = await runSeed({ seed, factory: ackBeforeDurable(standaloneFactory), plan, localDurabilityCheck: false });
  const good = await runSeed({ seed, plan });
  if (!r.ok) caught++;
  console.log(seed, r.ok, good.ok, [...new Set(r.violations.map((v) => v.checker))].join(","));
}
console.log('caught', caught);
import { dropWatchNotifications } from './broken-servers';
for (let seed = 1; seed <= 5; seed++) {
  const r = await runSeed({ seed, factory: dropWatchNotifications(standaloneFactory) });
  console.log('watch', seed, r.ok, [...new Set(r.violations.map((v) => v.checker))].join(','), r.violations[0]?.message);
}
