// What the page's cluster view shows about one quorum server, read from the running QuorumPeer's
// read-only views plus what only the worker knows (links, freeze, the vote it last sent).
import type { QuorumPeer } from '../zk/quorum-peer';
import { STATUS_PATHS_MAX, type QuorumStatus, type ServerStatus } from './protocol';
import { sameStatus } from './server-status';

export interface QuorumStatusExtras {
  connectionCount: number;
  vote: QuorumStatus['vote'];
  links: QuorumStatus['links'];
  frozen: boolean;
  buffered: number;
}

export function readQuorumStatus(peer: QuorumPeer, extras: QuorumStatusExtras): ServerStatus {
  let connectedSessions = 0;
  for (const conn of peer.serverCore.connections.values()) if (conn.sessionId !== 0n) connectedSessions++;
  const epochs = peer.epochs;
  return {
    state: peer.state,
    epoch: epochs.current,
    lastZxid: peer.lastProcessedZxid,
    nodeCount: peer.tree.nodeCount(),
    sessionCount: peer.sessions.size(),
    watchCount: peer.watches.count(),
    connectionCount: extras.connectionCount,
    containerPaths: peer.tree.containers().slice(0, STATUS_PATHS_MAX),
    ttlPaths: peer.tree.ttls().slice(0, STATUS_PATHS_MAX),
    quorum: {
      leaderId: peer.leaderId,
      serving: peer.isServing,
      acceptedEpoch: epochs.accepted,
      vote: extras.vote,
      connectedSessions,
      links: extras.links,
      frozen: extras.frozen,
      buffered: extras.buffered,
    },
  };
}

export function sameQuorumStatus(a: ServerStatus | null, b: ServerStatus): boolean {
  if (!sameStatus(a, b) || a === null) return false;
  const x = a.quorum;
  const y = b.quorum;
  if (x === undefined || y === undefined) return x === y;
  return (
    x.leaderId === y.leaderId &&
    x.serving === y.serving &&
    x.acceptedEpoch === y.acceptedEpoch &&
    x.vote?.leader === y.vote?.leader &&
    x.vote?.zxid === y.vote?.zxid &&
    x.vote?.electionEpoch === y.vote?.electionEpoch &&
    x.connectedSessions === y.connectedSessions &&
    x.frozen === y.frozen &&
    x.buffered === y.buffered &&
    x.links.length === y.links.length &&
    x.links.every((l, i) => l.peer === y.links[i]?.peer && l.up === y.links[i]?.up)
  );
}
