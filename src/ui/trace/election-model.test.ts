import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../zk/trace';
import { beatsReason, electionRounds, tupleText } from './election-model';

function vote(server: number, to: number, leader: number, zxid: bigint, electionEpoch: number, peerEpoch = 1): TraceEvent {
  return { type: 'vote.sent', server, atMs: 0, to, leader, zxid, electionEpoch, peerEpoch };
}

describe('beatsReason', () => {
  it('explains a win by sid when epoch and zxid tie', () => {
    expect(beatsReason({ leader: 3, zxid: 0x100000008n, peerEpoch: 1 }, { leader: 2, zxid: 0x100000008n, peerEpoch: 1 })).toBe(
      'server 3 beats server 2: same epoch 1, same zxid 0x100000008, higher sid',
    );
  });
  it('explains a win by zxid and by epoch', () => {
    expect(beatsReason({ leader: 1, zxid: 9n, peerEpoch: 1 }, { leader: 2, zxid: 8n, peerEpoch: 1 })).toBe(
      'server 1 beats server 2: same epoch 1, higher zxid 0x9 vs 0x8',
    );
    expect(beatsReason({ leader: 1, zxid: 0n, peerEpoch: 2 }, { leader: 3, zxid: 9n, peerEpoch: 1 })).toBe('server 1 beats server 3: higher epoch 2 vs 1');
  });
  it('says so when the order is the other way', () => {
    expect(beatsReason({ leader: 1, zxid: 0n, peerEpoch: 1 }, { leader: 2, zxid: 0n, peerEpoch: 1 })).toMatch(/^server 1 does not beat server 2/);
  });
});

describe('electionRounds', () => {
  it('groups by election epoch, finds the majority winner and explains it', () => {
    const rounds = electionRounds([
      vote(2, 3, 2, 5n, 2),
      vote(3, 2, 3, 5n, 2),
      vote(2, 3, 3, 5n, 2),
      vote(1, 2, 1, 0n, 1),
    ]);
    expect(rounds.map((r) => r.electionEpoch)).toEqual([1, 2]);
    const round = rounds[1]!;
    expect(round.finalVotes).toEqual({ 2: 3, 3: 3 });
    expect(round.winner).toBe(3);
    expect(round.reasons).toEqual(['server 3 beats server 2: same epoch 1, same zxid 0x5, higher sid']);
    expect(tupleText(round.notifications[0]!)).toBe('(1, 0x5, 2)');
  });
  it('is empty without votes', () => {
    expect(electionRounds([])).toEqual([]);
  });
});
