// What a server currently is, as its client port and four-letter words see it: standalone, or a
// quorum role (leader, follower, observer) with the extra figures Apache's 4lw print for it; null
// while a quorum server does not serve (LOOKING, or a learner still syncing with its leader).

export interface LeaderFourLetterInfo {
  /** Leader.getProposalStats (bytes; -1 before the first proposal). */
  proposalSizes: { last: number; min: number; max: number };
  learners: number;
  syncedFollowers: number;
  syncedNonVotingFollowers: number;
  syncedObservers: number;
  pendingSyncs: number;
  uptimeMs: number;
}

export interface ServingRole {
  /** ServerStats.getServerState: standalone, leader, follower, observer. */
  mode: 'standalone' | 'leader' | 'follower' | 'observer';
  /** QuorumPeer.getDetailedPeerState, e.g. "following - broadcast" (quorum roles only). */
  detailedState?: string;
  leader?: LeaderFourLetterInfo;
}

export const STANDALONE_ROLE: ServingRole = { mode: 'standalone' };

/** AbstractFourLetterCommand.ZK_NOT_SERVING. */
export const ZK_NOT_SERVING = 'This ZooKeeper instance is not currently serving requests';

/** Lines `srvr` and `stat` add for a leader. */
export function quorumStatLines(role: ServingRole): string {
  const s = role.leader?.proposalSizes;
  return s === undefined ? '' : `Proposal sizes last/min/max: ${s.last}/${s.min}/${s.max}\n`;
}

/** QuorumZooKeeperServer / LeaderZooKeeperServer.dumpMonitorValues rows `mntr` adds. */
export function quorumMonitorRows(role: ServingRole): Array<[string, string | number]> {
  if (role.detailedState === undefined) return [];
  const rows: Array<[string, string | number]> = [['peer_state', role.detailedState]];
  const l = role.leader;
  if (l !== undefined) {
    rows.push(
      ['learners', l.learners],
      ['synced_followers', l.syncedFollowers],
      ['synced_non_voting_followers', l.syncedNonVotingFollowers],
      ['synced_observers', l.syncedObservers],
      ['pending_syncs', l.pendingSyncs],
      ['leader_uptime', l.uptimeMs],
      ['last_proposal_size', l.proposalSizes.last],
      ['max_proposal_size', l.proposalSizes.max],
      ['min_proposal_size', l.proposalSizes.min],
    );
  }
  return rows;
}
