import { describe, expect, it } from 'vitest';
import { runSeed, type SeedResult } from './run-seed';
import { ackBeforeDurable, dropLastTxnOnRecovery, dropWatchNotifications } from './broken-servers';
import { standaloneFactory } from './server-factory';
import { CALM_PLAN, type FaultPlan } from './fault-plan';

const STANDALONE_SEEDS = 50;

function describeFailure(result: SeedResult): string {
  return result.violations.map((v) => `seed ${result.seed} [${v.checker}] ${v.message}`).join('\n');
}

/** Crashes that lose un-synced writes, on a slow disk: the weather that exposes early acks. */
const POWER_LOSS_PLAN: FaultPlan = {
  ...CALM_PLAN,
  latencyMsMax: 10,
  crashProbability: 0.1,
  loseUnsyncedProbability: 1,
  restartDelayMsMin: 50,
  restartDelayMsMax: 500,
  storageDelayMsMin: 5,
  storageDelayMsMax: 60,
};

describe('simulator, standalone server', () => {
  it(`finds no violation in seeds 1..${STANDALONE_SEEDS}`, async () => {
    const failures: string[] = [];
    let operations = 0;
    let faults = 0;
    for (let seed = 1; seed <= STANDALONE_SEEDS; seed++) {
      const result = await runSeed({ seed });
      operations += result.stats.operations;
      faults += result.stats.faults;
      if (!result.ok) failures.push(describeFailure(result));
    }
    expect(failures).toEqual([]);
    // The runs did real work under real weather.
    expect(operations).toBeGreaterThan(STANDALONE_SEEDS * 20);
    expect(faults).toBeGreaterThan(STANDALONE_SEEDS);
  }, 120_000);

  it('is deterministic: one seed, the same trace twice', async () => {
    const trace = async (): Promise<string[]> => {
      const lines: string[] = [];
      await runSeed({ seed: 12, onLine: (line) => lines.push(line) });
      return lines;
    };
    const first = await trace();
    const second = await trace();
    expect(first.length).toBeGreaterThan(100);
    expect(second).toEqual(first);
  });
});

describe('the checkers catch broken servers', () => {
  it('a server that acknowledges writes before they are durable (immediate check)', async () => {
    const result = await runSeed({ seed: 1, factory: ackBeforeDurable(standaloneFactory) });
    expect(result.ok).toBe(false);
    expect(result.violations.map((v) => v.checker)).toContain('acked-writes-survive');
  });

  it('the same server, caught by the end-to-end checks alone after power losses', async () => {
    const checkers = new Set<string>();
    let caught = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const broken = await runSeed({ seed, plan: POWER_LOSS_PLAN, factory: ackBeforeDurable(standaloneFactory), localDurabilityCheck: false });
      const correct = await runSeed({ seed, plan: POWER_LOSS_PLAN });
      expect(correct.violations).toEqual([]);
      if (!broken.ok) caught++;
      for (const v of broken.violations) checkers.add(v.checker);
    }
    expect(caught).toBeGreaterThanOrEqual(8);
    expect(checkers).toContain('committed-prefix');
    expect(checkers).toContain('linearizable');
    expect(checkers).toContain('acked-writes-survive');
  }, 60_000);

  it('a server that forgets its newest committed txn when it recovers', async () => {
    let caught = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const result = await runSeed({ seed, plan: POWER_LOSS_PLAN, factory: dropLastTxnOnRecovery(standaloneFactory) });
      if (!result.ok) caught++;
    }
    expect(caught).toBe(4);
  });

  it('a server that drops watch notifications', async () => {
    const result = await runSeed({ seed: 1, factory: dropWatchNotifications(standaloneFactory) });
    expect(result.ok).toBe(false);
    expect(result.violations.every((v) => v.checker === 'watch-events')).toBe(true);
  });
});
