// FinalRequestProcessor for a durable batch: apply each txn in zxid order with the shared apply,
// fire its watches (events go out before the reply that shows the change), answer its origin,
// and take a snapshot when enough txns have gone by.
import { OpCode } from '../../jute/opcodes';
import { Code } from '../errors';
import { EventType, type Zxid } from '../types';
import { apply, type ApplyResult } from '../pipeline';
import type { Txn } from '../txn';
import { opName } from './op-names';
import type { Batch, PendingTxn } from './commit-queue';
import type { ServerCore } from './server-core';
import { drainQueue } from './request-frames';
import { finishSessionInit } from './handshake';
import { handleFrames } from './frames';
import { writeReply } from './write-requests';
import { encodeServerSnapshot } from './snapshot';

export function applyDurableBatch(core: ServerCore, batch: Batch): void {
  const last = batch.txns[batch.txns.length - 1];
  if (last !== undefined) core.trace({ type: 'log.durable', toZxid: last.txn.header.zxid });
  for (const pending of batch.txns) applyCommitted(core, pending);
  snapshotIfDue(core, batch.txns.length);
}

/** Counts applied txns and takes a snapshot once enough have gone by; returns the one taken. */
export function snapshotIfDue(core: ServerCore, appliedCount: number): { zxid: Zxid; bytes: Uint8Array } | null {
  core.txnsSinceSnapshot += appliedCount;
  return core.txnsSinceSnapshot >= core.snapshotThreshold ? takeSnapshot(core) : null;
}

/** Applies one txn to the tree and the session table; shared by live serving and recovery. */
export function applyTxnState(core: ServerCore, txn: Txn): ApplyResult {
  const result = apply(core.tree, txn);
  const { zxid, sessionId, type } = txn.header;
  core.changes.applied(zxid);
  if (zxid > core.lastProcessedZxid) core.lastProcessedZxid = zxid;
  if (zxid > core.lastAssignedZxid) core.lastAssignedZxid = zxid;
  if (type === OpCode.createSession && txn.body.type === OpCode.createSession) {
    if (!core.sessions.has(sessionId)) core.sessions.track(sessionId, txn.body.timeoutMs, core.nowMs);
    core.sessions.commit(sessionId);
  } else if (type === OpCode.closeSession) {
    core.sessions.remove(sessionId);
  }
  return result;
}

/**
 * FinalRequestProcessor for one committed txn: apply, fire its watches, answer its origin. The
 * standalone server calls it once the txn is durable, a quorum server once it is committed.
 */
export function applyCommitted(core: ServerCore, pending: PendingTxn): void {
  const { txn, origin } = pending;
  const result = applyTxnState(core, txn);
  // Applied or failed (e.g. the container got a child meanwhile): a later sweep may ask again.
  if (origin.kind === 'internal' && origin.cleanupPath !== undefined) core.cleanupInFlight.delete(origin.cleanupPath);
  const paths = result.triggers.filter((t) => t.type !== EventType.NodeChildrenChanged).map((t) => t.path);
  if (result.path !== undefined && result.err === 0) paths.unshift(result.path);
  core.trace({ type: 'applied', zxid: txn.header.zxid, op: opName(txn.header.type), paths: [...new Set(paths)] });
  for (const trigger of result.triggers) {
    core.deliver(core.watches.trigger(trigger.path, trigger.type, trigger.zxid), trigger.acl);
  }
  if (txn.header.type === OpCode.closeSession) endSession(core, txn);
  if (origin.kind === 'createSession') {
    const conn = core.connections.get(origin.connection);
    if (conn === undefined || conn.phase !== 'awaitingSession') return;
    core.trace({ type: 'session.created', sessionId: txn.header.sessionId, timeoutMs: conn.timeoutMs });
    core.stats.latency.add(core.nowMs - origin.receivedAtMs);
    conn.stats.recordResponse(0, txn.header.zxid, 'SESS', origin.receivedAtMs, core.nowMs);
    finishSessionInit(core, conn, true);
    const held = conn.held.splice(0);
    handleFrames(core, conn, held);
    return;
  }
  if (origin.kind === 'request') {
    const conn = core.connections.get(origin.connection);
    const request = origin.entry.request;
    const reply = writeReply(origin.entry.header.type, request.op === OpCode.multi ? request.ops : null, result);
    // A multi with a SessionMoved op is SessionMoved as a whole (FinalRequestProcessor throws it).
    const err = isSessionMoved(result) ? Code.SessionMoved : reply.err;
    origin.entry.reply = { err, zxid: txn.header.zxid, response: reply.response };
    if (conn !== undefined) drainQueue(core, conn);
  }
}

function isSessionMoved(result: ApplyResult): boolean {
  return result.err === Code.SessionMoved || (result.multi ?? []).some((sub) => sub.err === Code.SessionMoved);
}

/** After closeSession applied: the session is gone; its watches go and its connection closes. */
function endSession(core: ServerCore, txn: Txn): void {
  const sessionId = txn.header.sessionId;
  const reason = core.closeReasons.get(sessionId) ?? 'close';
  core.closeReasons.delete(sessionId);
  for (const removed of core.watches.removeSession(sessionId)) {
    core.trace({ type: 'watch.removed', sessionId, path: removed.path, kind: removed.kind });
  }
  core.trace({ type: 'session.closed', sessionId, reason });
  // An expired session may still have a connection: Apache closes it (the client sees Expired on reconnect).
  for (const conn of core.connections.values()) {
    if (conn.sessionId !== sessionId) continue;
    const closingByRequest = conn.queue.some((e) => e.closeAfter && e.header.type === OpCode.closeSession);
    if (!closingByRequest) core.closeConnection(conn);
  }
}

/** Snapshots the applied state now (storage.snapshot effect) and restarts the snapCount count. */
export function takeSnapshot(core: ServerCore): { zxid: Zxid; bytes: Uint8Array } {
  const zxid = core.lastProcessedZxid;
  const bytes = encodeServerSnapshot(zxid, core.sessions.committedRecords(), core.tree);
  core.emit({ kind: 'storage.snapshot', zxid, bytes });
  core.trace({ type: 'snapshot', zxid });
  core.txnsSinceSnapshot = 0;
  core.snapshotThreshold = core.rollSnapshotThreshold();
  return { zxid, bytes };
}
