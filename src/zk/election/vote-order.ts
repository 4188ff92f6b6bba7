// The FLE total order on votes (Apache FastLeaderElection.totalOrderPredicate): a higher peer
// epoch wins, then a higher last zxid, then a higher server id. A candidate that carries no
// weight in the quorum (an observer) never wins. The election epoch is not part of the order.

import type { ServerId, Zxid } from '../types';

export interface Vote {
  /** Proposed leader. */
  leader: ServerId;
  /** Last logged zxid of the proposed leader. */
  zxid: Zxid;
  /** currentEpoch of the proposed leader. */
  peerEpoch: number;
  /** Election round (logicalclock) in which the vote was cast. */
  electionEpoch: number;
}

export interface VoteWeights {
  weight(sid: ServerId): number;
}

/** Every server counts, as Apache QuorumMaj.getWeight does (it returns 1 for any id). */
export const EQUAL_WEIGHTS: VoteWeights = { weight: () => 1 };

/** True when `newVote` should replace `currentVote`. */
export function voteBeats(
  newVote: Pick<Vote, 'leader' | 'zxid' | 'peerEpoch'>,
  currentVote: Pick<Vote, 'leader' | 'zxid' | 'peerEpoch'>,
  weights: VoteWeights = EQUAL_WEIGHTS,
): boolean {
  if (weights.weight(newVote.leader) === 0) return false;
  if (newVote.peerEpoch !== currentVote.peerEpoch) return newVote.peerEpoch > currentVote.peerEpoch;
  if (newVote.zxid !== currentVote.zxid) return newVote.zxid > currentVote.zxid;
  return newVote.leader > currentVote.leader;
}

/** The vote no other beats (first one among equals); null for an empty list. */
export function bestVote<V extends Pick<Vote, 'leader' | 'zxid' | 'peerEpoch'>>(
  votes: readonly V[],
  weights: VoteWeights = EQUAL_WEIGHTS,
): V | null {
  let best: V | null = null;
  for (const vote of votes) {
    if (weights.weight(vote.leader) === 0) continue;
    if (best === null || voteBeats(vote, best, weights)) best = vote;
  }
  return best;
}
