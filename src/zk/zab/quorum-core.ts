// The standalone server core with its write path made switchable: on a leader a write is prepped
// and proposed, on a learner it is forwarded to the leader, and while no role serves there is no
// write path at all. Everything client-facing (connections, sessions here, watches, reads,
// replies) stays the core's. (A subclass until the shared client part is split out of ServerCore.)
import { encodeTxn } from '../../jute/txn-codec';
import { OpCode } from '../../jute/opcodes';
import { Code } from '../errors';
import { prep, type WriteRequest } from '../pipeline';
import { ServerCore } from '../server/server-core';
import type { TxnOrigin } from '../server/commit-queue';
import { opName } from '../server/op-names';
import type { Txn } from '../txn';
import type { Id, SessionId } from '../types';

export interface WriteRoute {
  submit(sessionId: SessionId, cxid: number, request: WriteRequest, authIds: readonly Id[], origin: TxnOrigin): void;
}

export class QuorumServerCore extends ServerCore {
  route: WriteRoute | null = null;

  /** Requests reach this only from a serving role; the return value is unused by every caller. */
  override submitWrite(sessionId: SessionId, cxid: number, request: WriteRequest, authIds: readonly Id[], origin: TxnOrigin): Txn {
    if (this.route === null) {
      this.trace({ type: 'warn', message: `write ${opName(request.op)} dropped: not serving` });
    } else {
      this.route.submit(sessionId, cxid, request, authIds, origin);
    }
    return NOT_PREPPED;
  }

  /** PrepRequestProcessor on the leader: the txn for a request with the next zxid. */
  prepTxn(sessionId: SessionId, cxid: number, request: WriteRequest, authIds: readonly Id[]): { txn: Txn; bytes: Uint8Array } {
    const zxid = this.lastAssignedZxid + 1n;
    const result = prep(
      {
        tree: this.tree,
        changes: this.changes,
        sessionId,
        authIds,
        zxid,
        nowMs: this.nowMs,
        checkSession: (id) => this.sessionCheck(id),
      },
      request,
    );
    this.lastAssignedZxid = zxid;
    const txn: Txn = { header: { sessionId, cxid, zxid, timeMs: this.nowMs, type: result.headerType }, body: result.txn };
    const path = 'path' in request ? request.path : undefined;
    this.trace({ type: 'txn', zxid, sessionId, op: opName(request.op), ...(path === undefined ? {} : { path }), ...(result.ok ? {} : { err: result.err }) });
    for (const message of result.quotaWarnings) this.trace({ type: 'warn', message });
    return { txn, bytes: encodeTxn(txn) };
  }

  /** An error txn for a forwarded request the leader could not even decode. */
  errorTxn(sessionId: SessionId, cxid: number, err: Code): { txn: Txn; bytes: Uint8Array } {
    const zxid = this.lastAssignedZxid + 1n;
    this.lastAssignedZxid = zxid;
    const txn: Txn = { header: { sessionId, cxid, zxid, timeMs: this.nowMs, type: OpCode.error }, body: { type: OpCode.error, err } };
    this.trace({ type: 'txn', zxid, sessionId, op: opName(OpCode.error), err });
    return { txn, bytes: encodeTxn(txn) };
  }

  /** SessionTracker.checkSession: unknown or closing sessions are expired. */
  private sessionCheck(sessionId: SessionId): Code {
    if (sessionId === 0n) return Code.OK;
    const session = this.sessions.get(sessionId);
    return session === undefined || session.closing ? Code.SessionExpired : Code.OK;
  }
}

const NOT_PREPPED: Txn = {
  header: { sessionId: 0n, cxid: 0, zxid: -1n, timeMs: 0, type: OpCode.error },
  body: { type: OpCode.error, err: Code.OK },
};
