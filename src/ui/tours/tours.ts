// The two guided tours: seed scenarios 1 and 2 of docs/zookeeper.md, played on real servers.
import type { Tour, TourCondition, TourId } from './tour-model';

const ALL = [1, 2, 3, 4, 5];

function states(spec: Record<number, 'LOOKING' | 'LEADING' | 'FOLLOWING'>): TourCondition {
  return { kind: 'all', of: Object.entries(spec).map(([myid, state]) => ({ kind: 'state', myid: Number(myid), state })) };
}

const INTRO_NOTHING_RUNS =
  'This tab holds a five-server ensemble (server.1 .. server.5) with fresh, empty databases, and no server is running yet. ' +
  'A quorum is a majority of the voters: 3 of 5. Every step below runs real servers (one Web Worker each), and only when you click Next step.';

export const TOUR_1: Tour = {
  id: 1,
  name: 'Tour 1: five servers start one after another',
  summary: 'Servers 1 and 2 stay LOOKING without a quorum; 3 brings the quorum and leads; 4 and 5 follow although their ids are higher.',
  size: 5,
  steps: [
    {
      title: 'A five-server ensemble, nothing running',
      explanation: `${INTRO_NOTHING_RUNS} The cards show each server; none is up, the quorum line says 0 of 5.`,
      actions: [],
      done: { kind: 'none-running' },
    },
    {
      title: 'Server 1 starts',
      explanation:
        'Server 1 starts with an empty database: epoch 0, last zxid 0x0. It enters Fast Leader Election (FLE) as LOOKING and votes for itself, (0, 0x0, 1). ' +
        'Nobody answers: 1 of 5 is no quorum, so it stays LOOKING. A server of an ensemble never leads alone.',
      actions: [{ kind: 'start', myid: 1 }],
      done: states({ 1: 'LOOKING' }),
    },
    {
      title: 'Server 2 starts: still no quorum',
      explanation:
        'Server 2 starts, also empty, and votes (0, 0x0, 2). Server 1 compares: same epoch, same zxid, higher sid, so it changes its vote to 2 (the cards\' vote line: 2 @ 0x0). ' +
        'Two votes for server 2 are not a quorum of 5 (3 are needed): both stay LOOKING.',
      actions: [{ kind: 'start', myid: 2 }],
      done: states({ 1: 'LOOKING', 2: 'LOOKING' }),
    },
    {
      title: 'Server 3 starts: a quorum, and 3 leads',
      explanation:
        'Server 3 starts. Now 3 of 5 servers are up: a quorum. FLE: votes are compared by (epoch, zxid, sid); all have epoch 0 and zxid 0, so the highest sid among the quorum, 3, wins. ' +
        'Servers 1 and 2 switch their votes to 3; with 3 votes agreeing, 3 becomes LEADING, 1 and 2 FOLLOWING, and the leader opens epoch 1 (zxids 0x1000000xx). ' +
        'The Election view (tab above the cluster) shows this round and why 3 beat 2: "same epoch, same zxid, higher sid".',
      actions: [{ kind: 'start', myid: 3 }],
      done: states({ 3: 'LEADING', 1: 'FOLLOWING', 2: 'FOLLOWING' }),
    },
    {
      title: 'Server 4 starts and follows',
      explanation:
        'Server 4 starts LOOKING with the vote (0, 0x0, 4), which would beat 3 by sid. But the others answer with the votes they settled on: leader 3, and they are FOLLOWING or LEADING, not LOOKING. ' +
        'In FLE a LOOKING server that sees a quorum already following a leader joins that leader. So 4 becomes FOLLOWING of 3 despite its higher id, and syncs from the leader.',
      actions: [{ kind: 'start', myid: 4 }],
      done: states({ 3: 'LEADING', 4: 'FOLLOWING' }),
    },
    {
      title: 'Server 5 starts and follows',
      explanation:
        'Server 5 does the same: it hears that a quorum follows 3 and follows too. The ensemble is complete: one leader, four followers. ' +
        'A leader is replaced only when it fails or loses its quorum; a server with a higher id never takes over a working leader.',
      actions: [{ kind: 'start', myid: 5 }],
      done: states({ 3: 'LEADING', 1: 'FOLLOWING', 2: 'FOLLOWING', 4: 'FOLLOWING', 5: 'FOLLOWING' }),
    },
  ],
};

/** Writes until the leader's zxid counter reaches this, as in the seed scenario (server 4 at 7). */
const COUNTER_BEFORE_CUT = 7;

export const TOUR_2: Tour = {
  id: 2,
  name: 'Tour 2: leader 3 and server 5 fail, 2 takes over',
  summary: 'Survivors (1, 8, 1), (1, 8, 2), (1, 7, 4): the highest zxid wins, then the higher sid, so server 2 leads.',
  size: 5,
  steps: [
    {
      title: 'Seed scenario 2, nothing running',
      explanation:
        `${INTRO_NOTHING_RUNS} The tour builds the scenario: server 3 leads, servers 1 and 2 hold every write, server 4 misses the last one; then 3 and 5 fail and the survivors 1, 2, 4 elect a leader.`,
      actions: [],
      done: { kind: 'none-running' },
    },
    {
      title: 'Servers 1 to 5 start one after another: 3 leads',
      explanation:
        'As in tour 1: 1 and 2 stay LOOKING (no quorum), 3 brings the quorum and wins with the highest sid among (0, 0x0, sid), then 4 and 5 find a leader in place and follow it. ' +
        'Server 3 now leads epoch 1.',
      actions: [
        { kind: 'start', myid: 1 },
        { kind: 'start', myid: 2 },
        { kind: 'wait', until: states({ 1: 'LOOKING', 2: 'LOOKING' }) },
        { kind: 'start', myid: 3 },
        { kind: 'wait', until: states({ 3: 'LEADING' }) },
        { kind: 'start', myid: 4 },
        { kind: 'start', myid: 5 },
      ],
      done: states({ 3: 'LEADING', 1: 'FOLLOWING', 2: 'FOLLOWING', 4: 'FOLLOWING', 5: 'FOLLOWING' }),
    },
    {
      title: 'Writes: all five servers hold the same history',
      explanation:
        'The page\'s client session creates znodes /tour-w1, /tour-w2, ... Each write is a transaction: the leader gives it the next zxid (epoch 1 in the high 32 bits, a counter in the low 32 bits), ' +
        'proposes it, and commits it once a quorum (3 of 5, the leader included) has logged and ACKed it. Creating a session is a transaction too: the page\'s and zkCli\'s sessions took the first zxids. ' +
        `The tour writes until the counter reaches ${COUNTER_BEFORE_CUT}. Watch "last zxid" on the cards: all five end equal.`,
      actions: [{ kind: 'write-until', counter: COUNTER_BEFORE_CUT }],
      done: { kind: 'same-zxid', myids: ALL, minCounter: COUNTER_BEFORE_CUT },
    },
    {
      title: 'Server 4 is cut off',
      explanation:
        'Server 4 is partitioned away from all others: frames between it and them are dropped, as in a network split. It no longer hears the leader\'s pings; after syncLimit (5 ticks) ' +
        'it gives up on the leader and goes LOOKING, but alone it finds no quorum. The leader still has 4 of 5 (1, 2, 3, 5), a quorum, so the ensemble keeps serving. ' +
        '(A freeze would not do: a frozen server keeps its inputs and would log the proposal when it wakes.)',
      actions: [{ kind: 'isolate', myid: 4 }],
      done: states({ 4: 'LOOKING', 3: 'LEADING' }),
    },
    {
      title: 'One more write, without server 4',
      explanation:
        'One more write. The leader proposes it; 1, 2 and 5 ACK, which with the leader is 4 of 5 (3 needed), so it commits. Server 4 never sees it: its last zxid stays behind. ' +
        'This is the state of seed scenario 2: servers 1 and 2 at (1, 8), server 4 at (1, 7). The counters here are the real ones and may differ from 8 and 7 (sessions are transactions too), ' +
        'but the order is what matters: 1 and 2 equal, and ahead of 4.',
      actions: [{ kind: 'write', count: 1 }],
      done: { kind: 'all', of: [{ kind: 'same-zxid', myids: [1, 2], minCounter: COUNTER_BEFORE_CUT + 1 }, { kind: 'zxid-ahead', ahead: [1, 2], behind: 4 }] },
    },
    {
      title: 'Servers 3 and 5 fail: 2 leads',
      explanation:
        'The leader 3 and server 5 crash (their workers are killed) and, at the same moment, the partition heals. The survivors 1, 2 and 4 (3 of 5, still a quorum) all go LOOKING ' +
        'and vote with their (epoch, zxid, sid), recorded below. FLE compares the epoch first (all 1), then the zxid: 1 and 2 beat 4; then the sid: 2 beats 1. ' +
        'So 2 leads, 1 and 4 follow, and 4 first fetches the write it missed from its new leader. ' +
        'Open the Election view (tab above the cluster): the newest round says leader 2, and why: "server 2 beats server 1: same epoch 1, same zxid ..., higher sid".',
      actions: [
        { kind: 'record-tuples', myids: [1, 2, 4] },
        { kind: 'kill', myid: 3 },
        { kind: 'kill', myid: 5 },
        { kind: 'heal' },
      ],
      done: states({ 2: 'LEADING', 1: 'FOLLOWING', 4: 'FOLLOWING' }),
    },
  ],
};

export const TOURS: readonly Tour[] = [TOUR_1, TOUR_2];

export function tourById(id: TourId): Tour {
  return id === 1 ? TOUR_1 : TOUR_2;
}
