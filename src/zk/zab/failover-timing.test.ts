import { describe, it, expect } from 'vitest';
import { Ensemble } from './test-ensemble';

const TICK_MS = 2000;

/** When server `id` last entered `state`, by the trace. */
function enteredAt(e: Ensemble, id: number, state: string): number {
  const t = e.tracesOf('state', id).filter((s) => s.to === state).at(-1);
  if (t === undefined) throw new Error(`server ${id} never ${state}`);
  return t.atMs;
}

describe('failover timing', () => {
  it('a FOLLOWERINFO that arrived while LOOKING is served as soon as the server leads, not a tick later', () => {
    // Server 2 waits longer before it trusts its vote, so server 1 decides (and sends FOLLOWERINFO) first.
    const e = new Ensemble({ voters: [1, 2, 3], tickTimeMs: TICK_MS, perServer: { 2: { finalizeWaitMs: 400 } } });
    e.start(1, 2, 3);
    expect(e.stable(60_000)).toBe(3);
    e.advance(TICK_MS / 2);
    const crashedAtMs = e.nowMs;
    e.crash(3);
    e.stable(60_000);
    expect(e.leaders()).toEqual([2]);
    const leadingAtMs = enteredAt(e, 2, 'LEADING');
    // The scenario: server 1 decided first, so its FOLLOWERINFO reached 2 while 2 was LOOKING.
    const early = e.tracesOf('msg.received', 2).filter((t) => t.kind === 'followerInfo' && t.atMs > crashedAtMs && t.atMs < leadingAtMs);
    expect(early.length).toBeGreaterThan(0);
    // 2 answers it at once: LEADERINFO goes out when it starts leading, not at its next tick.
    const leaderInfo = e.tracesOf('msg.sent', 2).find((t) => t.kind === 'leaderInfo' && t.atMs >= leadingAtMs);
    expect(leaderInfo?.atMs).toBeLessThanOrEqual(leadingAtMs + 10);
    const servingTrace = e.tracesOf('msg.received', 1).find((t) => t.kind === 'upToDate' && t.atMs >= leadingAtMs);
    expect(servingTrace).toBeDefined();
    expect((servingTrace?.atMs ?? Infinity) - leadingAtMs).toBeLessThan(TICK_MS / 2);
  });
});
