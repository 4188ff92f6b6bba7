// The first frame of a connection: ConnectRequest (ZooKeeperServer.processConnectRequest).
// A new session goes through the log as a createSession txn; a reconnect is checked against the
// session table at once.
import { decodeConnectRequest, encodeConnectResponse, JuteError, type ConnectRequest } from '../../jute';
import { OpCode } from '../../jute/opcodes';
import { hex, type SessionId } from '../types';
import { negotiateSessionTimeoutMs } from '../session/timeout';
import { SESSION_PASSWORD_BYTES } from '../session/session-password';
import type { ServerCore } from './server-core';
import type { Connection } from './connection';

export function handleConnectFrame(core: ServerCore, conn: Connection, payload: Uint8Array): void {
  let request: ConnectRequest;
  try {
    request = decodeConnectRequest(payload, { maxLength: core.config.maxBufferBytes });
  } catch (e) {
    if (!(e instanceof JuteError)) throw e;
    core.trace({ type: 'warn', message: `connection ${conn.id}: bad ConnectRequest: ${e.message}` });
    core.closeConnection(conn);
    return;
  }
  conn.clientSentReadOnly = request.readOnly !== undefined;
  // A client that saw a newer zxid than ours must try another server (CLIENT_ZXID_AHEAD).
  if (request.lastZxidSeen > core.lastProcessedZxid) {
    core.trace({
      type: 'warn',
      message: `Refusing session(${hex(request.sessionId)}) request for client ${conn.remoteAddress} as it has seen zxid ${hex(request.lastZxidSeen)} our last zxid is ${hex(core.lastProcessedZxid)} client must try another server`,
    });
    core.closeConnection(conn);
    return;
  }
  const timeoutMs = negotiateSessionTimeoutMs(request.timeoutMs, core.config.minSessionTimeoutMs, core.config.maxSessionTimeoutMs);
  conn.timeoutMs = timeoutMs;
  if (request.sessionId === 0n) createSession(core, conn, timeoutMs);
  else reopenSession(core, conn, request.sessionId, request.passwd, timeoutMs);
}

function createSession(core: ServerCore, conn: Connection, timeoutMs: number): void {
  const sessionId = core.sessions.allocateId();
  core.sessions.track(sessionId, timeoutMs, core.nowMs);
  conn.sessionId = sessionId;
  conn.phase = 'awaitingSession';
  core.submitWrite(sessionId, 0, { op: OpCode.createSession, timeoutMs }, conn.authIds, {
    kind: 'createSession',
    connection: conn.id,
    receivedAtMs: core.nowMs,
  });
}

function reopenSession(core: ServerCore, conn: Connection, sessionId: SessionId, passwd: Uint8Array, timeoutMs: number): void {
  // The session moves here: any other connection still holding it is closed (CLIENT_RECONNECT).
  const previous = core.connectionOf(sessionId);
  if (previous !== undefined && previous !== conn) core.closeConnection(previous);
  conn.sessionId = sessionId;
  const passwordOk = core.sessions.checkPassword(sessionId, passwd);
  // A learner asks its leader, which owns the session's expiry (Learner.validateSession).
  if (passwordOk && core.writeRoute?.revalidate?.(conn, sessionId, timeoutMs) === true) {
    conn.phase = 'awaitingSession';
    return;
  }
  const valid = passwordOk && core.sessions.touch(sessionId, core.nowMs, timeoutMs);
  if (valid) core.writeRoute?.reopened?.(sessionId);
  if (!valid) {
    core.trace({ type: 'warn', message: `Invalid session ${hex(sessionId)} for client ${conn.remoteAddress}, probably expired` });
  }
  finishSessionInit(core, conn, valid);
}

/** Sends the ConnectResponse; an invalid session gets timeout 0, id 0 and a zero password, then the close. */
export function finishSessionInit(core: ServerCore, conn: Connection, valid: boolean, reconnect = conn.phase !== 'awaitingSession'): void {
  const response = encodeConnectResponse({
    protocolVersion: 0,
    timeoutMs: valid ? conn.timeoutMs : 0,
    sessionId: valid ? conn.sessionId : 0n,
    passwd: valid ? core.sessions.passwordFor(conn.sessionId) : new Uint8Array(SESSION_PASSWORD_BYTES),
    ...(conn.clientSentReadOnly ? { readOnly: false } : {}),
  });
  core.send(conn, response);
  if (!valid) {
    core.closeConnection(conn);
    return;
  }
  const session = core.sessions.get(conn.sessionId);
  if (session !== undefined) session.connection = conn.id;
  conn.phase = 'open';
  core.trace({ type: 'session.connected', sessionId: conn.sessionId, connection: conn.id, reconnect });
}
