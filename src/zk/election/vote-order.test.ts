import { describe, expect, it } from 'vitest';
import { makeZxid, type Zxid } from '../types';
import { MajorityQuorumVerifier } from './quorum';
import { bestVote, voteBeats, type Vote } from './vote-order';

/** (peerEpoch, zxid, sid) as the seeds write votes. */
const v = (peerEpoch: number, zxid: Zxid | number, leader: number, electionEpoch = 1): Vote => ({
  leader,
  zxid: typeof zxid === 'bigint' ? zxid : BigInt(zxid),
  peerEpoch,
  electionEpoch,
});

const fiveVoters = new MajorityQuorumVerifier({ voters: [1, 2, 3, 4, 5] });
const withObserver = new MajorityQuorumVerifier({ voters: [1, 2, 3], observers: [9] });
const LONG_MIN = -(1n << 63n);

interface Row {
  name: string;
  next: Vote;
  current: Vote;
  quorum?: MajorityQuorumVerifier;
  want: boolean;
}

const rows: Row[] = [
  { name: 'higher epoch wins', next: v(2, 0, 1), current: v(1, 0, 1), want: true },
  { name: 'lower epoch loses', next: v(1, 0, 5), current: v(2, 0, 1), want: false },
  { name: 'higher epoch wins despite lower zxid', next: v(2, 1, 1), current: v(1, 100, 1), want: true },
  { name: 'higher epoch wins despite lower sid', next: v(2, 5, 1), current: v(1, 5, 5), want: true },
  { name: 'lower epoch loses despite higher zxid and sid', next: v(1, 99, 5), current: v(2, 0, 1), want: false },
  { name: 'same epoch, higher zxid wins', next: v(1, 8, 1), current: v(1, 7, 4), want: true },
  { name: 'same epoch, lower zxid loses despite higher sid', next: v(1, 7, 4), current: v(1, 8, 2), want: false },
  { name: 'same epoch and zxid, higher sid wins', next: v(1, 8, 2), current: v(1, 8, 1), want: true },
  { name: 'same epoch and zxid, lower sid loses', next: v(1, 8, 1), current: v(1, 8, 2), want: false },
  { name: 'identical vote does not beat itself', next: v(1, 8, 2), current: v(1, 8, 2), want: false },
  { name: 'election epoch is not part of the order', next: v(1, 8, 2, 1), current: v(1, 8, 2, 7), want: false },
  { name: 'election epoch does not help a lower vote', next: v(1, 8, 1, 9), current: v(1, 8, 2, 1), want: false },
  { name: 'empty state: higher sid wins', next: v(0, 0, 3), current: v(0, 0, 2), want: true },
  { name: 'full 64-bit zxids compare as bigint', next: v(1, makeZxid(0xffffffff, 2), 1), current: v(1, makeZxid(0xffffffff, 1), 9), want: true },
  { name: 'zxid counter rollover into next epoch compares higher', next: v(1, makeZxid(2, 0), 1), current: v(1, makeZxid(1, 0xffffffff), 2), want: true },
  { name: 'observer never wins, even with a higher epoch', next: v(5, 99, 9), current: v(1, 0, 1), quorum: withObserver, want: false },
  { name: 'voter beats an observer candidate', next: v(0, 0, 1), current: v(5, 99, 9), quorum: withObserver, want: false },
  { name: 'unknown server id carries no weight', next: v(3, 0, 42), current: v(1, 0, 1), quorum: fiveVoters, want: false },
  {
    name: "any voter beats an observer's initial (Long.MIN_VALUE) vote",
    next: v(0, 0, 1),
    current: { leader: Number.MIN_SAFE_INTEGER, zxid: LONG_MIN, peerEpoch: Number.MIN_SAFE_INTEGER, electionEpoch: 1 },
    quorum: withObserver,
    want: true,
  },
  { name: 'seed 2: server 2 (1,8,2) beats server 4 (1,7,4)', next: v(1, makeZxid(1, 8), 2), current: v(1, makeZxid(1, 7), 4), want: true },
  { name: 'seed 2: server 4 (1,7,4) does not beat server 1 (1,8,1)', next: v(1, makeZxid(1, 7), 4), current: v(1, makeZxid(1, 8), 1), want: false },
];

describe('voteBeats (FastLeaderElection.totalOrderPredicate)', () => {
  it('has at least 15 rows', () => expect(rows.length).toBeGreaterThanOrEqual(15));
  for (const row of rows) {
    it(row.name, () => {
      expect(voteBeats(row.next, row.current, row.quorum)).toBe(row.want);
    });
  }

  it('is a strict order: irreflexive, asymmetric and total on distinct (epoch, zxid, sid)', () => {
    const votes: Vote[] = [];
    for (const e of [0, 1, 2]) for (const z of [0, 7, 8]) for (const s of [1, 2, 4]) votes.push(v(e, z, s));
    for (const a of votes) {
      expect(voteBeats(a, a)).toBe(false);
      for (const b of votes) {
        if (a === b) continue;
        expect(voteBeats(a, b) !== voteBeats(b, a)).toBe(true);
      }
    }
  });
});

describe('seed scenarios on the vote order', () => {
  it('survivors (1,8,1), (1,8,2), (1,7,4): server 2 wins', () => {
    const survivors = [v(1, makeZxid(1, 8), 1), v(1, makeZxid(1, 8), 2), v(1, makeZxid(1, 7), 4)];
    expect(bestVote(survivors, fiveVoters)?.leader).toBe(2);
    expect(fiveVoters.containsQuorum([1, 2, 4])).toBe(true);
  });

  it('five empty servers started 1..5: 2 is best of {1,2} but has no quorum; 3 has one when it starts third', () => {
    const started = (n: number) => Array.from({ length: n }, (_, i) => v(0, 0, i + 1));
    expect(bestVote(started(2))?.leader).toBe(2);
    expect(fiveVoters.containsQuorum([1, 2])).toBe(false);
    expect(bestVote(started(3))?.leader).toBe(3);
    expect(fiveVoters.containsQuorum([1, 2, 3])).toBe(true);
  });

  it('bestVote ignores observers and handles the empty list', () => {
    expect(bestVote([v(9, 9, 9), v(0, 0, 1)], withObserver)?.leader).toBe(1);
    expect(bestVote([])).toBeNull();
  });
});
