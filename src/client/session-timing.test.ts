import { describe, it, expect } from 'vitest';
import { pingDelayMs, sessionTiming } from './session-timing';

describe('session timing (ClientCnxn)', () => {
  it('derives read and connect timeouts with integer division', () => {
    expect(sessionTiming(30_000, 3)).toEqual({ readTimeoutMs: 20_000, connectTimeoutMs: 10_000 });
    expect(sessionTiming(4_000, 3)).toEqual({ readTimeoutMs: 2_666, connectTimeoutMs: 1_333 });
  });

  it('pings at readTimeout/2, minus the 1 s margin for longer timeouts, at most every 10 s', () => {
    expect(pingDelayMs(1_000)).toBe(500);
    expect(pingDelayMs(2_000)).toBe(1_000);
    expect(pingDelayMs(2_666)).toBe(1_001);
    expect(pingDelayMs(20_000)).toBe(9_000);
    expect(pingDelayMs(40_000)).toBe(10_001);
  });
});
