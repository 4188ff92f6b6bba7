// What the clock drives: session expiry by bucket (SessionTrackerImpl.run) and the periodic
// container/TTL sweep (ContainerManager). Both only submit txns; apply does the rest.
import { OpCode } from '../../jute/opcodes';
import { containerCandidates, deleteContainerRequest } from '../pipeline';
import type { ServerCore } from './server-core';

/** ContainerManager's default maxPerMinute: a bound on deletes per sweep. */
const MAX_CLEANUPS_PER_SWEEP = 10_000;

export function onClock(core: ServerCore): void {
  expireSessions(core);
  if (core.nowMs >= core.nextContainerCheckMs) {
    sweepContainers(core);
    const interval = core.containerCheckIntervalMs;
    // Skip missed intervals rather than sweeping once per interval after a long pause.
    core.nextContainerCheckMs = core.nowMs + interval - ((core.nowMs - core.nextContainerCheckMs) % interval);
  }
}

function expireSessions(core: ServerCore): void {
  for (const sessionId of core.sessions.expire(core.nowMs)) {
    core.closeReasons.set(sessionId, 'expire');
    // ZooKeeperServer.expire -> close(sessionId): a closeSession request with cxid 0 and no connection.
    core.submitWrite(sessionId, 0, { op: OpCode.closeSession }, [], { kind: 'internal' });
  }
}

function sweepContainers(core: ServerCore): void {
  const candidates = containerCandidates(core.tree, core.nowMs, {
    maxNeverUsedIntervalMs: core.containerMaxNeverUsedIntervalMs,
  });
  let issued = 0;
  for (const path of candidates) {
    if (issued >= MAX_CLEANUPS_PER_SWEEP) break;
    if (core.cleanupInFlight.has(path)) continue;
    core.cleanupInFlight.add(path);
    core.submitWrite(0n, 0, deleteContainerRequest(path), [], { kind: 'internal', cleanupPath: path });
    issued++;
  }
}
