// Majority quorums over the voting members (participants); observers learn but never count.
// Mirrors Apache QuorumMaj, except that weight() is 0 for non-voters: Apache filters those out
// separately (validVoter), and folding the rule in here keeps the vote order self-contained.

import type { ServerId } from '../types';

export interface QuorumVerifier {
  readonly voters: ReadonlySet<ServerId>;
  readonly observers: ReadonlySet<ServerId>;
  /** 1 for a voter, 0 for an observer or unknown server. */
  weight(sid: ServerId): number;
  isVoter(sid: ServerId): boolean;
  /** True when the voters among `sids` are a strict majority of all voters. */
  containsQuorum(sids: Iterable<ServerId>): boolean;
}

export interface QuorumMembers {
  voters: Iterable<ServerId>;
  observers?: Iterable<ServerId>;
}

export class MajorityQuorumVerifier implements QuorumVerifier {
  readonly voters: ReadonlySet<ServerId>;
  readonly observers: ReadonlySet<ServerId>;
  /** Smallest number of voters that is a quorum. */
  readonly quorumSize: number;
  /** How many voters may fail while a quorum remains: 3 -> 1, 5 -> 2, 2 -> 0. */
  readonly faultTolerance: number;

  constructor(members: QuorumMembers) {
    this.voters = toSidSet(members.voters, 'voter');
    this.observers = toSidSet(members.observers ?? [], 'observer');
    if (this.voters.size === 0) throw new Error('quorum: at least one voter is required');
    for (const sid of this.observers) {
      if (this.voters.has(sid)) throw new Error(`quorum: server ${sid} cannot be both voter and observer`);
    }
    this.quorumSize = Math.floor(this.voters.size / 2) + 1;
    this.faultTolerance = this.voters.size - this.quorumSize;
  }

  weight(sid: ServerId): number {
    return this.voters.has(sid) ? 1 : 0;
  }

  isVoter(sid: ServerId): boolean {
    return this.voters.has(sid);
  }

  containsQuorum(sids: Iterable<ServerId>): boolean {
    const counted = new Set<ServerId>();
    for (const sid of sids) if (this.voters.has(sid)) counted.add(sid);
    return counted.size >= this.quorumSize;
  }
}

function toSidSet(sids: Iterable<ServerId>, role: string): Set<ServerId> {
  const out = new Set<ServerId>();
  for (const sid of sids) {
    if (!Number.isSafeInteger(sid) || sid < 0) throw new Error(`quorum: ${role} id must be a non-negative integer, got ${sid}`);
    if (out.has(sid)) throw new Error(`quorum: ${role} ${sid} listed twice`);
    out.add(sid);
  }
  return out;
}
