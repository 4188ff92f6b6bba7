import { runSeed } from './run-seed';
import { ackBeforeDurable, dropLastTxnOnRecovery } from './broken-servers';
import { standaloneFactory } from './server-factory';
import { drawFaultPlan } from './fault-plan';
for (const [name, factory] of [['ack', ackBeforeDurable(standaloneFactory)], ['drop', dropLastTxnOnRecovery(standaloneFactory)]] as const) {
  let caught = 0;
  for (let seed = 1; seed <= 10; seed++) {
    const r = await runSeed({ seed, factory });
    if (!r.ok) caught++;
    console.log(name, seed, r.ok, r.violations.slice(0, 3).map((v) => v.checker + ': ' + v.message.split('\n')[0]).join(' | '));
  }
  console.log(name, 'caught', caught);
}
