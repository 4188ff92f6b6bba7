import { describe, expect, it } from 'vitest';
import { BLOCKING_APPEND_MAX_MS, BlockingAppendPolicy } from './blocking-append-policy';

describe('BlockingAppendPolicy', () => {
  it('blocks while writes are fast', () => {
    const policy = new BlockingAppendPolicy();
    expect(policy.blocking).toBe(true);
    for (let i = 0; i < 100; i++) policy.record(0.08);
    expect(policy.blocking).toBe(true);
  });

  it('moves to the thread pool when writes get slow, and back when they are fast again', () => {
    const policy = new BlockingAppendPolicy();
    policy.record(8); // one 8 ms fsync: smoothed 1.6 ms
    expect(policy.blocking).toBe(false);
    let fastWrites = 0;
    while (!policy.blocking) {
      policy.record(0.1);
      fastWrites++;
    }
    expect(fastWrites).toBeGreaterThan(1);
    expect(fastWrites).toBeLessThan(20);
  });

  it('a single slightly slow write does not switch', () => {
    const policy = new BlockingAppendPolicy();
    for (let i = 0; i < 10; i++) policy.record(0.1);
    policy.record(BLOCKING_APPEND_MAX_MS * 2);
    expect(policy.blocking).toBe(true);
  });

  it('ignores nonsense durations', () => {
    const policy = new BlockingAppendPolicy();
    policy.record(Number.NaN);
    policy.record(-5);
    expect(policy.blocking).toBe(true);
  });
});
