// Frames after the handshake (NIOServerCnxn.readRequest -> ZooKeeperServer.processPacket): auth
// at once, writes into prep and the log, everything else queued behind the connection's earlier
// requests and answered from the tree when its turn comes.
import { decodeRequest, JuteError, JuteRequestError, type ClientRequest, type RequestHeader } from '../../jute';
import { OpCode } from '../../jute/opcodes';
import { Code } from '../errors';
import { digestAuthIds } from '../acl';
import type { ServerCore } from './server-core';
import { MAX_QUEUED_PER_CONNECTION, type Connection, type QueuedRequest } from './connection';
import { executeRead } from './read-ops';
import { toWriteRequest } from './write-requests';
import { isWriteOp, opName } from './op-names';
import { hex } from '../types';

export function handleRequestFrame(core: ServerCore, conn: Connection, payload: Uint8Array): void {
  let header: RequestHeader;
  let request: ClientRequest | null = null;
  try {
    const decoded = decodeRequest(payload, { maxLength: core.config.maxBufferBytes });
    header = decoded.header;
    request = decoded.request;
  } catch (e) {
    if (e instanceof JuteRequestError) {
      header = e.header;
    } else if (e instanceof JuteError) {
      core.trace({ type: 'warn', message: `connection ${conn.id}: undecodable request: ${e.message}` });
      core.closeConnection(conn);
      return;
    } else {
      throw e;
    }
  }
  const path = request !== null && 'path' in request && typeof request.path === 'string' ? request.path : undefined;
  core.trace({ type: 'request', sessionId: conn.sessionId, cxid: header.xid, op: opName(header.type), ...(path === undefined ? {} : { path }) });
  if (header.type === OpCode.auth) {
    handleAuth(core, conn, header, request);
    return;
  }
  // ZooKeeperServer.submitRequest touches the session first; a closing or unknown one drops the request.
  if (!core.sessions.touch(conn.sessionId, core.nowMs)) {
    core.trace({ type: 'warn', message: `Dropping request ${opName(header.type)}: no live session ${conn.sessionId}` });
    return;
  }
  if (conn.queue.length >= MAX_QUEUED_PER_CONNECTION) {
    core.trace({ type: 'warn', message: `connection ${conn.id}: more than ${MAX_QUEUED_PER_CONNECTION} requests queued, closing` });
    core.closeConnection(conn);
    return;
  }
  const entry = enqueue(core, conn, header, request);
  if (entry !== null) drainQueue(core, conn);
}

function enqueue(core: ServerCore, conn: Connection, header: RequestHeader, request: ClientRequest | null): QueuedRequest | null {
  const entry: QueuedRequest = {
    header,
    request: request ?? { op: 'unknown', type: header.type },
    authIds: [...conn.authIds],
    receivedAtMs: core.nowMs,
    kind: 'read',
    reply: null,
    closeAfter: false,
  };
  conn.queue.push(entry);
  if (request === null) {
    // The header decoded but the body did not: Apache answers MarshallingError.
    answer(entry, Code.MarshallingError, core);
  } else if (request.op === 'unknown' || request.op === OpCode.sasl) {
    // UnimplementedRequestProcessor: answer, then close.
    answer(entry, Code.Unimplemented, core);
    entry.closeAfter = true;
  } else if (isWriteOp(request.op)) {
    submit(core, conn, entry, request);
  } else if (sessionMovedAway(core, conn)) {
    // The leader's prep checks the owner of reads too; FinalRequestProcessor then drops the connection.
    answer(entry, Code.SessionMoved, core);
  } else if (request.op === OpCode.sync && core.writeRoute?.sync?.(conn, entry) === true) {
    // A learner's sync waits for the leader to flush what it has proposed (like a write).
    entry.kind = 'write';
  }
  return entry;
}

function sessionMovedAway(core: ServerCore, conn: Connection): boolean {
  return core.writeRoute?.checkSession?.(conn.sessionId) === Code.SessionMoved;
}

function answer(entry: QueuedRequest, err: number, core: ServerCore): void {
  entry.kind = 'answered';
  entry.reply = { err, zxid: core.lastProcessedZxid, response: null };
}

function submit(core: ServerCore, conn: Connection, entry: QueuedRequest, request: ClientRequest): void {
  const write = toWriteRequest(request);
  if ('err' in write) {
    answer(entry, write.err, core);
    return;
  }
  if (write.op === OpCode.closeSession) {
    // PrepRequestProcessor marks the session closing: later requests of it are dropped.
    core.sessions.setClosing(conn.sessionId);
    core.closeReasons.set(conn.sessionId, 'close');
    entry.closeAfter = true;
  }
  entry.kind = 'write';
  core.submitWrite(conn.sessionId, entry.header.xid, write, entry.authIds, { kind: 'request', connection: conn.id, entry });
}

/**
 * Answers queued requests from the head while they can be answered: a write waits for its txn,
 * and everything behind it waits too (FIFO per connection).
 */
export function drainQueue(core: ServerCore, conn: Connection): void {
  while (conn.phase === 'open') {
    const entry = conn.queue[0];
    if (entry === undefined) return;
    if (entry.kind === 'write' && entry.reply === null) return;
    conn.queue.shift();
    if (entry.reply?.err === Code.SessionMoved) {
      // FinalRequestProcessor: SessionMoved is a connection-level error; no reply, the
      // connection closes (ZOOKEEPER-710), and the client reconnects where its session is now.
      core.trace({ type: 'warn', message: `session ${hex(conn.sessionId)} moved to another server: closing connection ${conn.id}` });
      core.closeConnection(conn);
      return;
    }
    if (entry.kind === 'read') answerRead(core, conn, entry);
    else if (entry.reply !== null) core.sendReply(conn, entry, entry.reply.err, entry.reply.zxid, entry.reply.response);
    if (entry.closeAfter) {
      core.closeConnection(conn);
      return;
    }
  }
}

function answerRead(core: ServerCore, conn: Connection, entry: QueuedRequest): void {
  if (entry.header.type === OpCode.ping) {
    core.sendReply(conn, entry, 0, core.lastProcessedZxid, null);
    return;
  }
  const outcome = executeRead(
    { tree: core.tree, watches: core.watches, sessionId: conn.sessionId, authIds: entry.authIds },
    entry.request,
  );
  for (const w of outcome.watchesSet) core.trace({ type: 'watch.set', sessionId: conn.sessionId, path: w.path, kind: w.kind });
  for (const r of outcome.watchesRemoved) core.trace({ type: 'watch.removed', sessionId: r.sessionId, path: r.path, kind: r.kind });
  // SetWatches: the missed events go out before the reply, as DataTree.setWatches sends them.
  core.deliver(outcome.deliveries, null);
  core.sendReply(conn, entry, outcome.err, core.lastProcessedZxid, outcome.response);
}

/**
 * Auth packets are handled on arrival (processPacket): digest adds the digest id (and super when it
 * matches superDigest), ip re-adds the address; any other scheme fails: AuthFailed, then close.
 */
function handleAuth(core: ServerCore, conn: Connection, header: RequestHeader, request: ClientRequest | null): void {
  if (request === null || request.op !== OpCode.auth) {
    core.closeConnection(conn);
    return;
  }
  let ok = true;
  if (request.scheme === 'digest') {
    const authData = new TextDecoder().decode(request.auth);
    for (const id of digestAuthIds(authData, core.config.superDigest)) conn.addAuthId(id);
  } else if (request.scheme === 'ip') {
    conn.addAuthId({ scheme: 'ip', id: conn.host });
  } else {
    ok = false;
  }
  // Answered outside the request pipeline: no latency stats, zxid 0 (ReplyHeader(xid, 0, code)).
  core.sendBareReply(conn, header.xid, OpCode.auth, 0n, ok ? Code.OK : Code.AuthFailed);
  if (!ok) {
    core.stats.authFailedCount++;
    core.closeConnection(conn);
  }
}
