// The server state a four-letter word reads, assembled from the core.
import type { SessionId } from '../types';
import type { ServerCore } from './server-core';
import type { Connection } from './connection';
import type { ConnectionInfo, FourLetterView } from './four-letter';

export function fourLetterView(core: ServerCore, asking: Connection): FourLetterView {
  const role = core.roleView();
  const connections: ConnectionInfo[] = [...core.connections.values()].map((c) => ({
    remoteAddress: c.remoteAddress,
    interestOps: c === asking ? 0 : 1,
    queued: c.queue.length,
    stats: c.stats,
    sessionId: c.phase === 'open' ? c.sessionId : 0n,
    timeoutMs: c.timeoutMs,
  }));
  const ephemerals = new Map<SessionId, string[]>();
  for (const sessionId of core.tree.sessionsWithEphemerals()) ephemerals.set(sessionId, core.tree.getEphemerals(sessionId));
  return {
    config: core.config,
    stats: core.stats,
    nowMs: core.nowMs,
    startedAtMs: core.startedAtMs,
    serverState: role?.mode ?? 'standalone',
    serving: role !== null,
    ...(role === null || role.mode === 'standalone' ? {} : { role }),
    connections,
    outstandingRequests: [...core.connections.values()].reduce((n, c) => n + c.queue.length, 0),
    lastZxid: core.lastProcessedZxid,
    nodeCount: core.tree.nodeCount(),
    approximateDataSize: core.tree.cachedApproximateDataSize(),
    watches: core.watches,
    sessions: core.sessions,
    ephemerals,
    resetConnectionStats: () => {
      for (const c of core.connections.values()) c.stats.reset();
    },
  };
}
