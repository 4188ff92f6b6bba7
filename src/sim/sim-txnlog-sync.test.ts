// The simulator with a tiny committed log, so learners that fall behind are synced from the
// leader's txn log (DIFF from disk) instead of its committed log, under every fault the seeds
// draw. The checkers (commit chain, replicas agree, acknowledged writes, linearizability) must
// find nothing, and the disk path must actually have been taken.
import { describe, expect, it } from 'vitest';
import { runSeed, type SeedResult } from './run-seed';
import { quorumFactory } from './server-factory';
import { STORM_PLAN } from './fault-plan';

function failures(results: readonly SeedResult[]): string[] {
  return results.flatMap((r) => r.violations.map((v) => `seed ${r.seed} [${v.checker}] ${v.message}`));
}

describe('simulator: sync from the txn log', () => {
  it('3-server seeds with committedLogCount 2: no violation, and some learners got a DIFF from disk', async () => {
    const results: SeedResult[] = [];
    let diskSyncs = 0;
    const factory = quorumFactory({ committedLogCount: 2 });
    for (let seed = 1; seed <= 12; seed++) {
      const onLine = (line: string): void => {
        if (/ sync s\d+ DIFF .* from disk/.test(line)) diskSyncs++;
      };
      results.push(await runSeed({ seed, servers: 3, factory, onLine }));
    }
    for (let seed = 1; seed <= 4; seed++) {
      const onLine = (line: string): void => {
        if (/ sync s\d+ DIFF .* from disk/.test(line)) diskSyncs++;
      };
      results.push(await runSeed({ seed, servers: 3, factory, plan: STORM_PLAN, onLine }));
    }
    expect(failures(results)).toEqual([]);
    expect(diskSyncs).toBeGreaterThan(0);
  }, 300_000);
});
