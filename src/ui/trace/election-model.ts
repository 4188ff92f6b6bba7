// Election rounds from the trace: the notifications each server sent in each round (electionEpoch)
// as (epoch, zxid, sid) tuples, whom each server votes for last, the winner, and why the winner's
// vote beats each other candidate's own vote (FLE's total order, decided by voteBeats).
import type { TraceEvent } from '../../zk/trace';
import { hex, type ServerId, type Zxid } from '../../zk/types';
import { voteBeats } from '../../zk/election/vote-order';
import { viewOfEvents, type TraceModel } from './trace-model';

export interface Notification {
  from: ServerId;
  to: ServerId;
  leader: ServerId;
  zxid: Zxid;
  peerEpoch: number;
  atMs: number;
}

export interface ElectionRound {
  electionEpoch: number;
  notifications: Notification[];
  /** Each sender's last vote in the round: myid -> proposed leader. */
  finalVotes: Record<number, ServerId>;
  /** Each server's vote for itself (its first proposal), the candidates. */
  candidates: Notification[];
  winner: ServerId | null;
  /** "server 3 beats server 2: same epoch 1, same zxid 0x100000008, higher sid", one per rival. */
  reasons: string[];
}

/** Notifications kept per round: a round rarely needs more than size² of them. */
export const ROUND_NOTIFICATIONS_MAX = 500;
/** Rounds kept (the oldest epochs go first); the view shows the newest few. */
export const ROUNDS_KEPT = 32;

/** The folded state: notifications per election epoch, at most ROUNDS_KEPT epochs. */
export interface ElectionState {
  byEpoch: Map<number, Notification[]>;
}

export const electionModel: TraceModel<ElectionState, ElectionRound[]> = {
  empty: () => ({ byEpoch: new Map() }),
  clone: (state) => ({ byEpoch: new Map([...state.byEpoch].map(([epoch, list]) => [epoch, [...list]])) }),
  fold(state, events, from) {
    let changed = false;
    for (let i = from; i < events.length; i++) {
      const e = events[i] as TraceEvent;
      if (e.type !== 'vote.sent') continue;
      changed = true;
      let list = state.byEpoch.get(e.electionEpoch);
      if (list === undefined) {
        list = [];
        state.byEpoch.set(e.electionEpoch, list);
        if (state.byEpoch.size > ROUNDS_KEPT) state.byEpoch.delete(Math.min(...state.byEpoch.keys()));
      }
      if (list.length < ROUND_NOTIFICATIONS_MAX) {
        list.push({ from: e.server, to: e.to, leader: e.leader, zxid: e.zxid, peerEpoch: e.peerEpoch, atMs: e.atMs });
      }
    }
    return changed;
  },
  view: (state) => [...state.byEpoch.entries()].sort(([a], [b]) => a - b).map(([epoch, list]) => roundOf(epoch, [...list])),
};

export function electionRounds(events: readonly TraceEvent[]): ElectionRound[] {
  return viewOfEvents(electionModel, events);
}

function roundOf(electionEpoch: number, notifications: Notification[]): ElectionRound {
  const finalVotes: Record<number, ServerId> = {};
  const candidates = new Map<ServerId, Notification>();
  for (const n of notifications) {
    finalVotes[n.from] = n.leader;
    if (n.leader === n.from && !candidates.has(n.from)) candidates.set(n.from, n);
  }
  const winner = majorityChoice(finalVotes);
  const winning = winner === null ? undefined : (candidates.get(winner) ?? [...notifications].reverse().find((n) => n.leader === winner));
  const reasons = winning === undefined ? [] : [...candidates.values()].filter((c) => c.from !== winning.leader).map((c) => beatsReason(winning, c));
  return { electionEpoch, notifications, finalVotes, candidates: [...candidates.values()], winner, reasons };
}

/** The leader most servers ended up voting for (ties: the higher id). */
function majorityChoice(finalVotes: Record<number, ServerId>): ServerId | null {
  const counts = new Map<ServerId, number>();
  for (const leader of Object.values(finalVotes)) counts.set(leader, (counts.get(leader) ?? 0) + 1);
  let best: ServerId | null = null;
  for (const [leader, count] of counts) {
    const bestCount = best === null ? -1 : (counts.get(best) ?? 0);
    if (count > bestCount || (count === bestCount && best !== null && leader > best)) best = leader;
  }
  return best;
}

type Tuple = Pick<Notification, 'leader' | 'zxid' | 'peerEpoch'>;

/** Why `winner` beats `rival` in FLE's order, or why it does not. */
export function beatsReason(winner: Tuple, rival: Tuple): string {
  const beats = voteBeats(winner, rival);
  const head = `server ${winner.leader} ${beats ? 'beats' : 'does not beat'} server ${rival.leader}`;
  if (winner.peerEpoch !== rival.peerEpoch) {
    const word = winner.peerEpoch > rival.peerEpoch ? 'higher' : 'lower';
    return `${head}: ${word} epoch ${winner.peerEpoch} vs ${rival.peerEpoch}`;
  }
  if (winner.zxid !== rival.zxid) {
    const word = winner.zxid > rival.zxid ? 'higher' : 'lower';
    return `${head}: same epoch ${winner.peerEpoch}, ${word} zxid ${hex(winner.zxid)} vs ${hex(rival.zxid)}`;
  }
  const word = winner.leader > rival.leader ? 'higher' : 'lower';
  return `${head}: same epoch ${winner.peerEpoch}, same zxid ${hex(winner.zxid)}, ${word} sid`;
}

export function tupleText(n: Tuple): string {
  return `(${n.peerEpoch}, ${hex(n.zxid)}, ${n.leader})`;
}
