// The write path of each role. Leader: prep -> propose (log + PROPOSAL) -> quorum -> commit ->
// apply. Learner: forward as REQUEST -> the leader's COMMIT (or INFORM) -> apply, the local client
// answered when its own txn applies here (CommitProcessor matches committed txns with the pending
// requests of the session by cxid).
import { decodeRequest, encodeRequest, type KnownClientRequest } from '../../jute';
import { JuteReader, JuteWriter } from '../../jute/jute-io';
import { OpCode } from '../../jute/opcodes';
import type { RequestPacket } from '../../jute/quorum-messages';
import { Code } from '../errors';
import type { WriteRequest } from '../pipeline';
import type { TxnOrigin } from '../server/commit-queue';
import { toWriteRequest } from '../server/write-requests';
import type { ConnectionId, Id, ServerId, SessionId, Zxid } from '../types';
import type { Leader } from './leader';
import type { Learner } from './learner';
import type { Connection, QueuedRequest } from '../server/connection';
import { handleFrames } from '../server/frames';
import { finishSessionInit } from '../server/handshake';
import { drainQueue } from '../server/request-frames';
import type { ServerCore, WriteRoute } from '../server/server-core';
import { encodeTxn } from '../../jute/txn-codec';
import { opName } from '../server/op-names';
import type { Txn } from '../txn';

/** Bound on writes of this server waiting for their commit. */
const MAX_PENDING_LOCAL = 100_000;

/** The leader's own clients' writes, by zxid, until they commit. */
export class LeaderRoute implements WriteRoute {
  private readonly origins = new Map<Zxid, TxnOrigin>();
  private readonly syncs: Array<{ zxid: Zxid; connection: ConnectionId; entry: QueuedRequest }> = [];

  constructor(
    private readonly core: ServerCore,
    private readonly leader: Leader,
    /** This server: the owner of the sessions its own clients use (Apache's ServerCnxn.me). */
    private readonly myId: ServerId,
  ) {}

  /** LeaderZooKeeperServer.revalidateSession: a client reconnected here, the session is ours now. */
  reopened(sessionId: SessionId): void {
    this.core.sessions.setOwner(sessionId, this.myId);
  }

  /** checkSession for this server's reads, pings and syncs (Apache runs them through prep here). */
  checkSession(sessionId: SessionId): Code {
    return this.core.sessions.check(sessionId, this.myId);
  }

  /** Leader.processSync for its own clients: answer once everything proposed so far commits. */
  sync(conn: Connection, entry: QueuedRequest): boolean {
    if (this.leader.outstandingProposals === 0) return false;
    if (this.syncs.length >= MAX_PENDING_LOCAL) throw new Error('leader: too many syncs waiting');
    this.syncs.push({ zxid: this.leader.lastProposedZxid, connection: conn.id, entry });
    return true;
  }

  /** After a txn applied here: syncs waiting for it may answer. */
  committed(zxid: Zxid): void {
    while (this.syncs.length > 0 && (this.syncs[0] as { zxid: Zxid }).zxid <= zxid) {
      const { connection, entry } = this.syncs.shift() as { connection: ConnectionId; entry: QueuedRequest };
      answerSync(this.core, connection, entry);
    }
  }

  submit(sessionId: SessionId, cxid: number, request: WriteRequest, authIds: readonly Id[], origin: TxnOrigin): void {
    const { txn, bytes } = this.core.prepTxn(sessionId, cxid, request, authIds, this.myId);
    if (this.origins.size >= MAX_PENDING_LOCAL) throw new Error('leader: too many local writes in flight');
    this.origins.set(txn.header.zxid, origin);
    this.leader.propose(txn, bytes);
  }

  /**
   * A REQUEST from learner `from`: same prep, with that learner as the request's owner (a session
   * another server owns fails SessionMoved as an error txn); the reply is the learner's business.
   */
  submitForwarded(packet: RequestPacket, from: ServerId): void {
    const core = this.core;
    const request = forwardedWrite(core, packet);
    const prepped =
      'err' in request
        ? errorTxn(core, packet.sessionId, packet.cxid, request.err)
        : core.prepTxn(packet.sessionId, packet.cxid, request, packet.authIds, from);
    this.leader.propose(prepped.txn, prepped.bytes);
  }

  takeOrigin(zxid: Zxid): TxnOrigin {
    const origin = this.origins.get(zxid);
    this.origins.delete(zxid);
    return origin ?? { kind: 'internal' };
  }
}

/** A learner's clients' writes, per session in cxid order, until their txns apply here. */
export class LearnerRoute implements WriteRoute {
  private readonly pending = new Map<SessionId, Array<{ cxid: number; origin: TxnOrigin }>>();
  private count = 0;
  private readonly revalidations: Array<{ connection: ConnectionId; sessionId: SessionId; timeoutMs: number }> = [];
  private readonly syncs: Array<{ connection: ConnectionId; entry: QueuedRequest }> = [];

  constructor(
    private readonly core: ServerCore,
    private readonly learner: Learner,
  ) {}

  revalidate(conn: Connection, sessionId: SessionId, timeoutMs: number): boolean {
    if (this.revalidations.length >= MAX_PENDING_LOCAL) return false;
    if (!this.learner.forward({ kind: 'revalidate', zxid: 0n, sessionId, timeoutMs })) return false;
    this.revalidations.push({ connection: conn.id, sessionId, timeoutMs });
    return true;
  }

  /** The leader's answer: finish the handshake, then handle what the client sent meanwhile. */
  revalidated(sessionId: SessionId, valid: boolean): void {
    const index = this.revalidations.findIndex((r) => r.sessionId === sessionId);
    if (index < 0) return;
    const { connection, timeoutMs } = this.revalidations.splice(index, 1)[0] as { connection: ConnectionId; timeoutMs: number };
    const core = this.core;
    const conn = core.connections.get(connection);
    if (conn === undefined || conn.phase !== 'awaitingSession' || conn.sessionId !== sessionId) return;
    // The local replica of the session table must know it too, or its requests would be dropped.
    const ok = valid && core.sessions.touch(sessionId, core.nowMs, timeoutMs);
    finishSessionInit(core, conn, ok, true);
    // finishSessionInit opened (or closed) the connection; the frames held meanwhile go now.
    if ((conn.phase as string) === 'open') handleFrames(core, conn, conn.held.splice(0));
  }

  sync(conn: Connection, entry: QueuedRequest): boolean {
    if (this.syncs.length >= MAX_PENDING_LOCAL) return false;
    if (!this.learner.forward({ kind: 'sync', zxid: 0n })) return false;
    this.syncs.push({ connection: conn.id, entry });
    return true;
  }

  /** The leader flushed: the oldest waiting sync answers (Learner's pendingSyncs). */
  synced(): void {
    const head = this.syncs.shift();
    if (head !== undefined) answerSync(this.core, head.connection, head.entry);
  }

  submit(sessionId: SessionId, cxid: number, request: WriteRequest, authIds: readonly Id[], origin: TxnOrigin): void {
    const packet = forwardPacket(sessionId, cxid, request, authIds, origin);
    if (packet === null || !this.learner.forward(packet)) {
      this.core.trace({ type: 'warn', message: `cannot forward ${OpCode[request.op] ?? request.op} of session ${sessionId}` });
      return;
    }
    if (this.count >= MAX_PENDING_LOCAL) throw new Error('learner: too many local writes in flight');
    const queue = this.pending.get(sessionId) ?? [];
    queue.push({ cxid, origin });
    this.pending.set(sessionId, queue);
    this.count++;
  }

  takeOrigin(sessionId: SessionId, cxid: number): TxnOrigin {
    const queue = this.pending.get(sessionId);
    const head = queue?.[0];
    if (queue === undefined || head === undefined || head.cxid !== cxid) return { kind: 'internal' };
    queue.shift();
    this.count--;
    if (queue.length === 0) this.pending.delete(sessionId);
    return head.origin;
  }
}

/** Learner.request: sessionId, cxid, type and the request record as the client sent it. */
function forwardPacket(sessionId: SessionId, cxid: number, request: WriteRequest, authIds: readonly Id[], origin: TxnOrigin): RequestPacket | null {
  let type: OpCode;
  let record: Uint8Array;
  if (request.op === OpCode.createSession) {
    type = OpCode.createSession;
    record = new JuteWriter().int(request.timeoutMs).toBytes();
  } else if (request.op === OpCode.closeSession) {
    type = OpCode.closeSession;
    record = new Uint8Array(0);
  } else if (origin.kind === 'request') {
    type = origin.entry.header.type as OpCode;
    // The record is what follows the 8-byte RequestHeader (xid, type).
    record = encodeRequest({ xid: cxid }, origin.entry.request as KnownClientRequest).subarray(8);
  } else {
    return null;
  }
  return { kind: 'request', zxid: 0n, sessionId, cxid, type, request: record, authIds: [...authIds] };
}

/** The leader's side of forwardPacket, with the session bookkeeping prep expects done first. */
function forwardedWrite(core: ServerCore, packet: RequestPacket): WriteRequest | { err: Code } {
  if (packet.type === OpCode.createSession) {
    const reader = new JuteReader(packet.request);
    if (reader.remaining < 4) return { err: Code.MarshallingError };
    const timeoutMs = reader.int();
    // PrepRequestProcessor: sessionTracker.trackSession(id, timeout) makes it a global session.
    core.sessions.track(packet.sessionId, timeoutMs, core.nowMs);
    return { op: OpCode.createSession, timeoutMs };
  }
  if (packet.type === OpCode.closeSession) {
    core.sessions.setClosing(packet.sessionId);
    core.closeReasons.set(packet.sessionId, 'close');
    return { op: OpCode.closeSession };
  }
  const header = new JuteWriter().int(packet.cxid).int(packet.type).toBytes();
  const bytes = new Uint8Array(header.length + packet.request.length);
  bytes.set(header);
  bytes.set(packet.request, header.length);
  try {
    const decoded = decodeRequest(bytes, { maxLength: core.config.maxBufferBytes });
    return toWriteRequest(decoded.request);
  } catch {
    return { err: Code.MarshallingError };
  }
}

function answerSync(core: ServerCore, connection: ConnectionId, entry: QueuedRequest): void {
  const path = 'path' in entry.request && typeof entry.request.path === 'string' ? entry.request.path : '/';
  entry.reply = { err: Code.OK, zxid: core.lastProcessedZxid, response: { path } };
  const conn = core.connections.get(connection);
  if (conn !== undefined) drainQueue(core, conn);
}

/** An error txn for a forwarded request the leader could not even decode (it still takes a zxid). */
function errorTxn(core: ServerCore, sessionId: SessionId, cxid: number, err: Code): { txn: Txn; bytes: Uint8Array } {
  const zxid = core.lastAssignedZxid + 1n;
  core.lastAssignedZxid = zxid;
  const txn: Txn = { header: { sessionId, cxid, zxid, timeMs: core.nowMs, type: OpCode.error }, body: { type: OpCode.error, err } };
  core.trace({ type: 'txn', zxid, sessionId, op: opName(OpCode.error), err });
  return { txn, bytes: encodeTxn(txn) };
}
