// The client port of a quorum server: connections are accepted at any time, but while the server
// does not serve (LOOKING, or a learner still syncing) a ConnectRequest closes the connection, as
// Apache's does when its ZooKeeperServer is not running. Four-letter words always answer; those
// that need a running server say "This ZooKeeper instance is not currently serving requests".
import { FrameError } from '../../jute/framing';
import { JuteError } from '../../jute/jute-io';
import { Connection } from '../server/connection';
import { fourLetterView } from '../server/four-letter-view';
import { fourLetterWordAllowed, notWhitelistedText, runFourLetterWord } from '../server/four-letter';
import { handleFrames } from '../server/frames';
import type { ServerCore } from '../server/server-core';
import type { ConnectionId } from '../types';

export const ZK_NOT_SERVING = 'This ZooKeeper instance is not currently serving requests';

/** What the 4lw report about the quorum role (null while not serving). */
export interface PeerRoleView {
  /** ServerStats.getServerState: leader, follower, observer. */
  mode: 'leader' | 'follower' | 'observer';
  /** QuorumPeer.getDetailedPeerState, e.g. "following - broadcast". */
  detailedState: string;
  /** Leader only: Proposal sizes last/min/max and the learner counts mntr prints. */
  leader?: {
    proposalSizes: { last: number; min: number; max: number };
    learners: number;
    syncedFollowers: number;
    syncedNonVotingFollowers: number;
    syncedObservers: number;
    pendingSyncs: number;
    uptimeMs: number;
  };
}

const textEncoder = new TextEncoder();

export function openClientConnection(core: ServerCore, id: ConnectionId, remoteAddress: string): void {
  const existing = core.connections.get(id);
  if (existing !== undefined) core.closeConnection(existing);
  const conn = new Connection(id, remoteAddress, core.nowMs, core.config.maxBufferBytes);
  const max = core.config.maxClientCnxns;
  if (max > 0) {
    let fromHost = 0;
    for (const c of core.connections.values()) if (c.host === conn.host) fromHost++;
    if (fromHost >= max) {
      core.trace({ type: 'warn', message: `Too many connections from ${conn.host} - max is ${max}` });
      core.emit({ kind: 'connection.close', connection: id });
      return;
    }
  }
  core.connections.set(id, conn);
}

export function clientConnectionData(core: ServerCore, id: ConnectionId, bytes: Uint8Array, role: PeerRoleView | null): void {
  const conn = core.connections.get(id);
  if (conn === undefined) return;
  let frames: Uint8Array[];
  try {
    frames = conn.decoder.push(bytes);
  } catch (e) {
    if (!(e instanceof JuteError)) throw e;
    const detail = e instanceof FrameError ? `Len error ${e.declaredLength}` : e.message;
    core.trace({ type: 'warn', message: `connection ${conn.id} from ${conn.remoteAddress}: ${detail}, closing` });
    core.closeConnection(conn);
    return;
  }
  const word = conn.decoder.fourLetterWord;
  if (word !== null) {
    core.stats.packetsReceived++;
    conn.stats.packetsReceived++;
    if (word !== 'telnet close') {
      core.trace({ type: 'request', sessionId: 0n, cxid: 0, op: `4lw:${word}` });
      const text = fourLetterText(core, conn, word, role);
      if (text.length > 0) core.sendRaw(conn, textEncoder.encode(text));
    }
    core.closeConnection(conn);
    return;
  }
  if (frames.length === 0) return;
  if (role === null) {
    core.trace({ type: 'warn', message: `connection ${conn.id}: ZooKeeperServer not running, closing` });
    core.closeConnection(conn);
    return;
  }
  handleFrames(core, conn, frames);
}

function fourLetterText(core: ServerCore, conn: Connection, word: string, role: PeerRoleView | null): string {
  if (!fourLetterWordAllowed(word, core.config.fourLetterWords)) return notWhitelistedText(word);
  if (role === null) {
    if (word === 'ruok' || word === 'envi' || word === 'gtmk' || word === 'stmk') {
      return runFourLetterWord(word, { ...fourLetterView(core, conn), serverState: 'not serving' });
    }
    return word === 'isro' ? 'null' : `${ZK_NOT_SERVING}\n`;
  }
  const view = { ...fourLetterView(core, conn), serverState: role.mode };
  let text = runFourLetterWord(word, view);
  const leader = role.leader;
  if ((word === 'srvr' || word === 'stat') && leader !== undefined) {
    const s = leader.proposalSizes;
    text += `Proposal sizes last/min/max: ${s.last}/${s.min}/${s.max}\n`;
  }
  if (word === 'mntr') text += mntrQuorumRows(role);
  return text;
}

/** QuorumZooKeeperServer / LeaderZooKeeperServer.dumpMonitorValues. */
function mntrQuorumRows(role: PeerRoleView): string {
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
  return rows.map(([k, v]) => `zk_${k}\t${v}\n`).join('');
}
