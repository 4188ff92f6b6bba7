import { describe, it, expect } from 'vitest';
import type { QuorumPeer } from '../quorum-peer';
import type { ServerId } from '../types';
import { Ensemble } from './test-ensemble';

const TICK_MS = 2000;
const SYNC_LIMIT_TICKS = 5;
const SYNC_LIMIT_MS = SYNC_LIMIT_TICKS * TICK_MS;

/** When server `id` last entered `state`, by the trace. */
function enteredAt(e: Ensemble, id: number, state: string): number {
  const t = e.tracesOf('state', id).filter((s) => s.to === state).at(-1);
  if (t === undefined) throw new Error(`server ${id} never ${state}`);
  return t.atMs;
}

/**
 * SIGSTOP in virtual time: the frozen servers take no input (their clock stops too) and what is sent
 * to them is lost; unlike a crash, no link goes down, so only silence can reveal the freeze.
 */
function freeze(e: Ensemble, ...ids: ServerId[]): () => void {
  const frozen = ids.map((id) => {
    const node = e.nodes.get(id);
    if (node === undefined || node.peer === null) throw new Error(`server ${id} is not up`);
    const peer: QuorumPeer = node.peer;
    node.peer = null;
    return { node, peer };
  });
  return () => {
    for (const { node, peer } of frozen) node.peer = peer;
  };
}

/** Last packet `to` received from `from` at or before `atMs`. */
function lastHeardAt(e: Ensemble, to: number, from: number, atMs: number): number {
  const heard = e.tracesOf('msg.received', to).filter((t) => t.from === from && t.atMs <= atMs).at(-1);
  if (heard === undefined) throw new Error(`server ${to} never heard from ${from}`);
  return heard.atMs;
}

/** Advances in 1 ms steps until `done`, so the moment something happens is measured to the ms. */
function runMsSteps(e: Ensemble, done: () => boolean, maxMs: number): void {
  for (let waited = 0; !done(); waited++) {
    if (waited >= maxMs) throw new Error(`not reached within ${maxMs} ms`);
    e.advance(1, 1);
  }
}

describe('failover timing', () => {
  // Offsets into a tick: the old, tick-rounded limits were late by up to a tick, by a different
  // amount at each offset; an exact limit is late by exactly 1 ms (silent for *more* than the limit).
  for (const offsetMs of [0, 730, 1999]) {
    it(`followers of a frozen leader go LOOKING exactly syncLimit x tickTime after its last packet (freeze ${offsetMs} ms into a tick)`, () => {
      const e = new Ensemble({ voters: [1, 2, 3], tickTimeMs: TICK_MS, quorum: { syncLimitTicks: SYNC_LIMIT_TICKS } });
      e.start(1, 2, 3);
      const leader = e.stable(60_000);
      const followers = [1, 2, 3].filter((id) => id !== leader);
      e.advance(3 * TICK_MS + offsetMs);
      const frozenAtMs = e.nowMs;
      freeze(e, leader);
      runMsSteps(e, () => followers.every((id) => e.peer(id).state !== 'FOLLOWING'), 3 * SYNC_LIMIT_MS);
      for (const id of followers) {
        const heardMs = lastHeardAt(e, id, leader, frozenAtMs);
        expect(frozenAtMs - heardMs).toBeLessThan(TICK_MS); // the leader pings every tick
        expect(enteredAt(e, id, 'LOOKING') - heardMs).toBe(SYNC_LIMIT_MS + 1);
      }
    });
  }

  it('a leader whose followers froze steps down exactly syncLimit x tickTime after the last packet of the quorum', () => {
    const e = new Ensemble({ voters: [1, 2, 3], tickTimeMs: TICK_MS, quorum: { syncLimitTicks: SYNC_LIMIT_TICKS } });
    e.start(1, 2, 3);
    const leader = e.stable(60_000);
    const followers = [1, 2, 3].filter((id) => id !== leader);
    e.advance(2 * TICK_MS + 1234);
    const frozenAtMs = e.nowMs;
    freeze(e, ...followers);
    runMsSteps(e, () => e.peer(leader).state !== 'LEADING', 3 * SYNC_LIMIT_MS);
    // Losing either follower loses the quorum: the first silence past the limit ends the leadership.
    const firstSilentMs = Math.min(...followers.map((id) => lastHeardAt(e, leader, id, frozenAtMs)));
    expect(enteredAt(e, leader, 'LOOKING') - firstSilentMs).toBe(SYNC_LIMIT_MS + 1);
  });

  it('a thawed leader whose followers gave up steps down on its first clock, before taking any input', () => {
    const e = new Ensemble({ voters: [1, 2, 3], tickTimeMs: TICK_MS, quorum: { syncLimitTicks: SYNC_LIMIT_TICKS } });
    e.start(1, 2, 3);
    const leader = e.stable(60_000);
    e.advance(TICK_MS + 500);
    const thaw = freeze(e, leader);
    e.advance(SYNC_LIMIT_MS + 300);
    thaw();
    const thawedAtMs = e.nowMs;
    e.feed(leader, { kind: 'clock', nowMs: e.nowMs });
    e.drain();
    expect(e.peer(leader).state).not.toBe('LEADING');
    expect(enteredAt(e, leader, 'LOOKING')).toBe(thawedAtMs);
    // It proposed nothing after the thaw: no txn of its old epoch can reach anyone's log.
    expect(e.tracesOf('msg.sent', leader).filter((t) => t.kind === 'proposal' && t.atMs >= thawedAtMs)).toEqual([]);
  });

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
