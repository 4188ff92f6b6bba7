import { describe, expect, it } from 'vitest';
import { Prng } from '../prng';
import { makeZxid, type ServerId, type Zxid } from '../types';
import { FastLeaderElection, type FleEffect, type FleNotification, type ServerState } from './fle';
import { MajorityQuorumVerifier } from './quorum';
import type { Vote } from './vote-order';

interface InFlight {
  at: number;
  seq: number;
  from: ServerId;
  to: ServerId;
  notification: FleNotification;
}

/**
 * A tiny synchronous message pump: per-server FLE machines, a delivery queue ordered by time, and
 * ticks at each machine's deadline. Like QuorumCnxManager, it keeps the last message for a peer
 * that is down and delivers it when that peer starts; everything else sent to a down peer is lost.
 */
class Pump {
  readonly nodes = new Map<ServerId, FastLeaderElection>();
  readonly up = new Set<ServerId>();
  readonly decisions = new Map<ServerId, { state: ServerState; vote: Vote; atMs: number }>();
  readonly log: string[] = [];
  private queue: InFlight[] = [];
  private readonly parked = new Map<string, InFlight>();
  private seq = 0;
  now = 0;

  constructor(
    readonly quorum: MajorityQuorumVerifier,
    private readonly delayMs: (from: ServerId, to: ServerId) => number = () => 1,
  ) {
    for (const sid of [...quorum.voters, ...quorum.observers]) {
      this.nodes.set(sid, new FastLeaderElection({ myId: sid, quorum }));
    }
  }

  node(sid: ServerId): FastLeaderElection {
    const n = this.nodes.get(sid);
    if (!n) throw new Error(`no server ${sid}`);
    return n;
  }

  start(sid: ServerId, lastLoggedZxid: Zxid = 0n, currentEpoch = 0): void {
    this.up.add(sid);
    this.decisions.delete(sid);
    for (const [key, m] of [...this.parked]) {
      if (m.to !== sid) continue;
      this.parked.delete(key);
      this.queue.push({ ...m, at: this.now + this.delayMs(m.from, sid), seq: this.seq++ });
    }
    this.apply(sid, this.node(sid).handle({ type: 'start', nowMs: this.now, lastLoggedZxid, currentEpoch }));
  }

  crash(sid: ServerId): void {
    this.up.delete(sid);
    this.decisions.delete(sid);
    this.nodes.set(sid, new FastLeaderElection({ myId: sid, quorum: this.quorum }));
  }

  /** Runs events in time order until `untilMs` (inclusive); bounded to catch livelock. */
  runUntil(untilMs: number): void {
    for (let steps = 0; steps < 100_000; steps++) {
      const next = this.nextEventTime();
      if (next === null || next > untilMs) {
        this.now = untilMs;
        return;
      }
      this.now = next;
      const msgIndex = this.queue.findIndex((m) => m.at === next);
      if (msgIndex >= 0) {
        const [m] = this.queue.splice(msgIndex, 1);
        if (this.up.has(m!.to)) {
          this.apply(m!.to, this.node(m!.to).handle({ type: 'notification', nowMs: this.now, from: m!.from, notification: m!.notification }));
        } else {
          this.parked.set(`${m!.from}->${m!.to}`, m!);
        }
        continue;
      }
      for (const sid of [...this.up].sort((a, b) => a - b)) {
        const deadline = this.node(sid).nextDeadlineMs();
        if (deadline !== null && deadline <= this.now) this.apply(sid, this.node(sid).handle({ type: 'tick', nowMs: this.now }));
      }
    }
    throw new Error('pump: too many steps');
  }

  private nextEventTime(): number | null {
    let best: number | null = null;
    for (const m of this.queue) if (best === null || m.at < best) best = m.at;
    for (const sid of this.up) {
      const d = this.node(sid).nextDeadlineMs();
      if (d !== null && (best === null || d < best)) best = d;
    }
    return best;
  }

  private apply(sid: ServerId, effects: FleEffect[]): void {
    for (const e of effects) {
      if (e.type === 'send') {
        this.queue.push({ at: this.now + this.delayMs(sid, e.to), seq: this.seq++, from: sid, to: e.to, notification: e.notification });
      } else {
        this.decisions.set(sid, { state: e.state, vote: e.vote, atMs: this.now });
        this.log.push(`${this.now}: ${sid} ${e.state} leader=${e.vote.leader}`);
      }
    }
  }

  leaders(): ServerId[] {
    return [...this.decisions].filter(([, d]) => d.state === 'LEADING').map(([sid]) => sid);
  }
  stateOf(sid: ServerId): ServerState | undefined {
    return this.decisions.get(sid)?.state;
  }
}

const five = () => new MajorityQuorumVerifier({ voters: [1, 2, 3, 4, 5] });

describe('FastLeaderElection seed scenarios', () => {
  it('seed 1: five empty servers started 1..5: 1 and 2 stay LOOKING, 3 leads, 4 and 5 follow', () => {
    const pump = new Pump(five());
    pump.start(1);
    pump.runUntil(1000);
    pump.start(2);
    pump.runUntil(2000);
    expect(pump.node(1).state).toBe('LOOKING');
    expect(pump.node(2).state).toBe('LOOKING');
    expect(pump.node(1).proposal.leader).toBe(2);
    pump.start(3);
    pump.runUntil(3000);
    expect(pump.stateOf(3)).toBe('LEADING');
    expect(pump.stateOf(1)).toBe('FOLLOWING');
    expect(pump.stateOf(2)).toBe('FOLLOWING');
    pump.start(4);
    pump.runUntil(4000);
    pump.start(5);
    pump.runUntil(5000);
    for (const sid of [1, 2, 4, 5]) {
      expect(pump.stateOf(sid)).toBe('FOLLOWING');
      expect(pump.decisions.get(sid)!.vote.leader).toBe(3);
    }
    expect(pump.leaders()).toEqual([3]);
    // 4 and 5 joined an established leader: no finalizeWait needed, they decide on the replies
    expect(pump.decisions.get(4)!.atMs).toBeLessThan(3000 + 1000 + 10);
  });

  it('seed 1: 3 decides only after finalizeWait (200 ms) of quiet', () => {
    const pump = new Pump(five());
    pump.start(1);
    pump.start(2);
    pump.runUntil(100);
    pump.start(3);
    pump.runUntil(100 + 150);
    expect(pump.stateOf(3)).toBeUndefined();
    pump.runUntil(100 + 300);
    expect(pump.stateOf(3)).toBe('LEADING');
  });

  it('seed 2: with 3 and 5 down, survivors (1,8,1), (1,8,2), (1,7,4) elect 2', () => {
    const pump = new Pump(five());
    for (const sid of [1, 2, 3, 4, 5]) {
      pump.start(sid);
      pump.runUntil(pump.now + 1000);
    }
    expect(pump.leaders()).toEqual([3]);
    pump.crash(3);
    pump.crash(5);
    pump.start(1, makeZxid(1, 8), 1);
    pump.start(2, makeZxid(1, 8), 1);
    pump.start(4, makeZxid(1, 7), 1);
    pump.runUntil(pump.now + 2000);
    expect(pump.stateOf(2)).toBe('LEADING');
    expect(pump.stateOf(1)).toBe('FOLLOWING');
    expect(pump.stateOf(4)).toBe('FOLLOWING');
    expect(pump.decisions.get(4)!.vote).toEqual({ leader: 2, zxid: makeZxid(1, 8), peerEpoch: 1, electionEpoch: 2 });
  });

  it('seed 2 holds whatever the delivery delays', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const prng = new Prng(seed);
      const pump = new Pump(five(), () => prng.int(1, 80));
      pump.start(1, makeZxid(1, 8), 1);
      pump.start(2, makeZxid(1, 8), 1);
      pump.start(4, makeZxid(1, 7), 1);
      pump.runUntil(5000);
      expect(pump.leaders(), `seed ${seed}`).toEqual([2]);
      expect(pump.stateOf(1)).toBe('FOLLOWING');
      expect(pump.stateOf(4)).toBe('FOLLOWING');
    }
  });

  it('all five start together with random delays below finalizeWait: one leader, 5, everyone agrees', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const prng = new Prng(seed * 7919);
      const pump = new Pump(five(), () => prng.int(1, 50));
      for (const sid of [3, 1, 5, 2, 4]) pump.start(sid);
      pump.runUntil(5000);
      expect(pump.leaders(), `seed ${seed}`).toEqual([5]);
      for (const sid of [1, 2, 3, 4]) expect(pump.decisions.get(sid)?.vote.leader, `seed ${seed} sid ${sid}`).toBe(5);
    }
  });
});

describe('FastLeaderElection details', () => {
  it('2 servers cannot elect with one of them down (2 tolerate none)', () => {
    const pump = new Pump(new MajorityQuorumVerifier({ voters: [1, 2] }));
    pump.start(2);
    pump.runUntil(10_000);
    expect(pump.node(2).state).toBe('LOOKING');
    pump.start(1); // 2's parked last notification reaches 1 as soon as it connects
    pump.runUntil(10_500);
    expect(pump.leaders()).toEqual([2]);
    expect(pump.stateOf(1)).toBe('FOLLOWING');
  });

  it('backs off the notification retry exponentially up to 60 s', () => {
    const fle = new FastLeaderElection({ myId: 1, quorum: five() });
    const first = fle.handle({ type: 'start', nowMs: 0, lastLoggedZxid: 0n, currentEpoch: 0 });
    expect(first.filter((e) => e.type === 'send').map((e) => (e.type === 'send' ? e.to : 0))).toEqual([2, 3, 4, 5]);
    const deadlines: number[] = [];
    for (let i = 0; i < 12; i++) {
      const at = fle.nextDeadlineMs()!;
      deadlines.push(at);
      const resent = fle.handle({ type: 'tick', nowMs: at });
      expect(resent.length).toBe(4);
    }
    const gaps = deadlines.map((d, i) => d - (i === 0 ? 0 : deadlines[i - 1]!));
    expect(gaps.slice(0, 6)).toEqual([200, 400, 800, 1600, 3200, 6400]);
    expect(gaps.slice(-2)).toEqual([60_000, 60_000]);
    expect(fle.handle({ type: 'tick', nowMs: deadlines.at(-1)! + 1 })).toEqual([]);
  });

  it('ignores notifications from an older round but answers the laggard with its own vote', () => {
    const fle = new FastLeaderElection({ myId: 1, quorum: five() });
    fle.handle({ type: 'start', nowMs: 0, lastLoggedZxid: 5n, currentEpoch: 1 });
    fle.handle({ type: 'start', nowMs: 1, lastLoggedZxid: 5n, currentEpoch: 1 }); // round 2
    const out = fle.handle({
      type: 'notification',
      nowMs: 2,
      from: 4,
      notification: { leader: 4, zxid: 99n, peerEpoch: 1, electionEpoch: 1, state: 'LOOKING' },
    });
    expect(out).toEqual([
      { type: 'send', to: 4, notification: { leader: 1, zxid: 5n, peerEpoch: 1, electionEpoch: 2, state: 'LOOKING' } },
    ]);
    expect(fle.proposal.leader).toBe(1);
  });

  it('a higher round resets the proposal against its own initial vote and re-broadcasts', () => {
    const fle = new FastLeaderElection({ myId: 1, quorum: five() });
    fle.handle({ type: 'start', nowMs: 0, lastLoggedZxid: 5n, currentEpoch: 1 });
    fle.handle({
      type: 'notification',
      nowMs: 1,
      from: 3,
      notification: { leader: 3, zxid: 9n, peerEpoch: 1, electionEpoch: 1, state: 'LOOKING' },
    });
    expect(fle.proposal.leader).toBe(3);
    const out = fle.handle({
      type: 'notification',
      nowMs: 1,
      from: 2,
      notification: { leader: 2, zxid: 3n, peerEpoch: 1, electionEpoch: 7, state: 'LOOKING' },
    });
    expect(fle.logicalClock).toBe(7);
    expect(fle.proposal).toEqual({ leader: 1, zxid: 5n, peerEpoch: 1, electionEpoch: 7 });
    expect(out.length).toBe(4);
  });

  it('a decided server answers a LOOKING peer with its decided vote and state', () => {
    const pump = new Pump(new MajorityQuorumVerifier({ voters: [1, 2, 3] }));
    pump.start(1);
    pump.start(2);
    pump.runUntil(1000);
    expect(pump.leaders()).toEqual([2]);
    const out = pump.node(2).handle({
      type: 'notification',
      nowMs: 1001,
      from: 3,
      notification: { leader: 3, zxid: 0n, peerEpoch: 0, electionEpoch: 1, state: 'LOOKING' },
    });
    expect(out).toEqual([
      { type: 'send', to: 3, notification: { leader: 2, zxid: 0n, peerEpoch: 0, electionEpoch: 1, state: 'LEADING' } },
    ]);
  });

  it('does not follow a quorum of FOLLOWING votes until the leader itself says LEADING (checkLeader)', () => {
    const fle = new FastLeaderElection({ myId: 5, quorum: five() });
    fle.handle({ type: 'start', nowMs: 0, lastLoggedZxid: 0n, currentEpoch: 0 });
    const following = (from: number) =>
      fle.handle({
        type: 'notification',
        nowMs: 1,
        from,
        notification: { leader: 3, zxid: 0n, peerEpoch: 0, electionEpoch: 4, state: 'FOLLOWING' },
      });
    following(1);
    following(2);
    following(4);
    expect(fle.state).toBe('LOOKING');
    const out = fle.handle({
      type: 'notification',
      nowMs: 2,
      from: 3,
      notification: { leader: 3, zxid: 0n, peerEpoch: 0, electionEpoch: 4, state: 'LEADING' },
    });
    expect(out).toEqual([{ type: 'decided', state: 'FOLLOWING', vote: { leader: 3, zxid: 0n, peerEpoch: 0, electionEpoch: 4 } }]);
    expect(fle.logicalClock).toBe(4); // adopted from outofelection
  });

  it('observers never vote, never lead, and end up OBSERVING the elected leader', () => {
    const quorum = new MajorityQuorumVerifier({ voters: [1, 2, 3], observers: [9] });
    const pump = new Pump(quorum);
    pump.start(9, makeZxid(5, 5), 5); // the observer's higher state must not matter
    pump.start(1);
    pump.start(2);
    pump.start(3);
    pump.runUntil(10_000);
    expect(pump.leaders()).toEqual([3]);
    expect(pump.stateOf(9)).toBe('OBSERVING');
    expect(pump.decisions.get(9)!.vote.leader).toBe(3);
  });

  it('an observer alone with one voter does not make a quorum', () => {
    const quorum = new MajorityQuorumVerifier({ voters: [1, 2, 3], observers: [9] });
    const pump = new Pump(quorum);
    pump.start(9);
    pump.start(3);
    pump.runUntil(20_000);
    expect(pump.leaders()).toEqual([]);
    expect(pump.node(3).state).toBe('LOOKING');
  });

  it('a notification that does not beat the proposal during finalizeWait is dropped and restarts the wait', () => {
    const fle = new FastLeaderElection({ myId: 3, quorum: new MajorityQuorumVerifier({ voters: [1, 2, 3] }) });
    fle.handle({ type: 'start', nowMs: 0, lastLoggedZxid: 0n, currentEpoch: 0 });
    const looking = (from: number, leader: number, nowMs: number) =>
      fle.handle({ type: 'notification', nowMs, from, notification: { leader, zxid: 0n, peerEpoch: 0, electionEpoch: 1, state: 'LOOKING' } });
    looking(1, 3, 10); // 1 and 3 agree on 3: quorum of 3 -> finalizeWait until 210
    expect(fle.nextDeadlineMs()).toBe(210);
    looking(2, 2, 100); // worse vote: dropped, wait restarts
    expect(fle.nextDeadlineMs()).toBe(300);
    expect(fle.handle({ type: 'tick', nowMs: 299 })).toEqual([]);
    const out = fle.handle({ type: 'tick', nowMs: 300 });
    expect(out).toEqual([{ type: 'decided', state: 'LEADING', vote: { leader: 3, zxid: 0n, peerEpoch: 0, electionEpoch: 1 } }]);
  });

  it('during finalizeWait only a better vote is looked at: even FOLLOWING/LEADING news is dropped', () => {
    const fle = new FastLeaderElection({ myId: 3, quorum: new MajorityQuorumVerifier({ voters: [1, 2, 3] }) });
    fle.handle({ type: 'start', nowMs: 0, lastLoggedZxid: 0n, currentEpoch: 0 });
    fle.handle({ type: 'notification', nowMs: 1, from: 1, notification: { leader: 3, zxid: 0n, peerEpoch: 0, electionEpoch: 1, state: 'LOOKING' } });
    expect(fle.nextDeadlineMs()).toBe(201);
    for (const [from, state] of [[2, 'LEADING'], [1, 'FOLLOWING']] as const) {
      const out = fle.handle({ type: 'notification', nowMs: 2, from, notification: { leader: 2, zxid: 0n, peerEpoch: 0, electionEpoch: 1, state } });
      expect(out).toEqual([]);
    }
    expect(fle.state).toBe('LOOKING');
    expect(fle.handle({ type: 'tick', nowMs: 202 })[0]).toMatchObject({ type: 'decided', state: 'LEADING' });
  });

  it('a better vote during finalizeWait cancels the decision', () => {
    const fle = new FastLeaderElection({ myId: 1, quorum: new MajorityQuorumVerifier({ voters: [1, 2, 3] }) });
    fle.handle({ type: 'start', nowMs: 0, lastLoggedZxid: 0n, currentEpoch: 0 });
    fle.handle({ type: 'notification', nowMs: 1, from: 2, notification: { leader: 2, zxid: 0n, peerEpoch: 0, electionEpoch: 1, state: 'LOOKING' } });
    expect(fle.nextDeadlineMs()).toBe(201); // {1,2} agree on 2
    fle.handle({ type: 'notification', nowMs: 50, from: 3, notification: { leader: 3, zxid: 0n, peerEpoch: 0, electionEpoch: 1, state: 'LOOKING' } });
    expect(fle.proposal.leader).toBe(3);
    expect(fle.state).toBe('LOOKING');
    expect(fle.nextDeadlineMs()).toBe(250); // {1,3} agree on 3 now
  });

  it('drops malformed notifications and rejects time going backwards', () => {
    const fle = new FastLeaderElection({ myId: 1, quorum: five() });
    fle.handle({ type: 'start', nowMs: 10, lastLoggedZxid: 0n, currentEpoch: 0 });
    const bad = { leader: 2, zxid: 1, peerEpoch: 0, electionEpoch: 1, state: 'LOOKING' } as unknown as FleNotification;
    expect(fle.handle({ type: 'notification', nowMs: 11, from: 2, notification: bad })).toEqual([]);
    expect(fle.malformedCount).toBe(1);
    expect(() => fle.handle({ type: 'tick', nowMs: 5 })).toThrow(/backwards/);
    expect(() => new FastLeaderElection({ myId: 8, quorum: five() })).toThrow(/neither voter nor observer/);
  });
});
