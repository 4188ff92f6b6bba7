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
import type { Id, SessionId, Zxid } from '../types';
import type { Leader } from './leader';
import type { Learner } from './learner';
import type { QuorumServerCore, WriteRoute } from './quorum-core';

/** Bound on writes of this server waiting for their commit. */
const MAX_PENDING_LOCAL = 100_000;

/** The leader's own clients' writes, by zxid, until they commit. */
export class LeaderRoute implements WriteRoute {
  private readonly origins = new Map<Zxid, TxnOrigin>();

  constructor(
    private readonly core: QuorumServerCore,
    private readonly leader: Leader,
  ) {}

  submit(sessionId: SessionId, cxid: number, request: WriteRequest, authIds: readonly Id[], origin: TxnOrigin): void {
    const { txn, bytes } = this.core.prepTxn(sessionId, cxid, request, authIds);
    if (this.origins.size >= MAX_PENDING_LOCAL) throw new Error('leader: too many local writes in flight');
    this.origins.set(txn.header.zxid, origin);
    this.leader.propose(txn, bytes);
  }

  /** A REQUEST from a learner: same prep, the reply is the learner's business. */
  submitForwarded(packet: RequestPacket): void {
    const core = this.core;
    const request = forwardedWrite(core, packet);
    const prepped =
      'err' in request
        ? core.errorTxn(packet.sessionId, packet.cxid, request.err)
        : core.prepTxn(packet.sessionId, packet.cxid, request, packet.authIds);
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

  constructor(
    private readonly core: QuorumServerCore,
    private readonly learner: Learner,
  ) {}

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
function forwardedWrite(core: QuorumServerCore, packet: RequestPacket): WriteRequest | { err: Code } {
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
