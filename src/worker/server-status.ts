// What the page's server card shows, read from the running core's read-only views.
import type { StandaloneServer } from '../zk/standalone-server';
import { zxidEpoch } from '../zk/types';
import { STATUS_PATHS_MAX, type ServerStatus } from './protocol';

export function readServerStatus(server: StandaloneServer, connectionCount: number): ServerStatus {
  const lastZxid = server.lastProcessedZxid;
  return {
    state: 'STANDALONE',
    epoch: zxidEpoch(lastZxid),
    lastZxid,
    nodeCount: server.tree.nodeCount(),
    sessionCount: server.sessions.size(),
    watchCount: server.watches.count(),
    connectionCount,
    containerPaths: server.tree.containers().slice(0, STATUS_PATHS_MAX),
    ttlPaths: server.tree.ttls().slice(0, STATUS_PATHS_MAX),
  };
}

/** Cheap equality so an unchanged status is not re-posted every period. */
export function sameStatus(a: ServerStatus | null, b: ServerStatus): boolean {
  if (a === null) return false;
  return (
    a.state === b.state &&
    a.epoch === b.epoch &&
    a.lastZxid === b.lastZxid &&
    a.nodeCount === b.nodeCount &&
    a.sessionCount === b.sessionCount &&
    a.watchCount === b.watchCount &&
    a.connectionCount === b.connectionCount &&
    a.containerPaths.join('\n') === b.containerPaths.join('\n') &&
    a.ttlPaths.join('\n') === b.ttlPaths.join('\n')
  );
}
