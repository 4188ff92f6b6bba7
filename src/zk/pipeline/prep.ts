// The prep stage (PrepRequestProcessor.pRequest): request + outstanding changes -> txn.
// On success the overlay holds the txn's effects; the server then logs the txn (header: its
// sessionId, cxid, ctx.zxid, ctx.nowMs, headerType) and later calls apply() and
// changes.applied(zxid). A failed request still yields an ErrorTxn, which Apache logs and
// commits like any txn (it consumes the zxid); a failed op inside a multi does not fail the multi.
import { Code } from '../errors';
import { OpCode } from '../../jute/opcodes';
import type { TxnBody } from '../txn';
import { prepCreate } from './prep-create';
import { prepDelete, prepDeleteContainer } from './prep-delete';
import { PrepFailure, type PrepContext } from './prep-context';
import { prepMulti } from './prep-multi';
import { prepCloseSession, prepCreateSession } from './prep-session';
import { prepCheck, prepSetAcl, prepSetData } from './prep-update';
import type { MultiOp, WriteRequest } from './requests';

export type PrepInput = Omit<PrepContext, 'quotaWarnings'>;

export type PrepResult =
  | { ok: true; headerType: OpCode; txn: TxnBody; quotaWarnings: string[] }
  | { ok: false; err: Code; headerType: OpCode.error; txn: { type: OpCode.error; err: Code }; quotaWarnings: string[] };

export function prep(input: PrepInput, request: WriteRequest): PrepResult {
  const ctx: PrepContext = { ...input, quotaWarnings: [] };
  try {
    const txn = prepRequest(ctx, request);
    return { ok: true, headerType: request.op, txn, quotaWarnings: ctx.quotaWarnings };
  } catch (error) {
    // Apache answers MarshallingError for anything that is not a KeeperException.
    const err = error instanceof PrepFailure ? error.code : Code.MarshallingError;
    return { ok: false, err, headerType: OpCode.error, txn: { type: OpCode.error, err }, quotaWarnings: ctx.quotaWarnings };
  }
}

function prepRequest(ctx: PrepContext, request: WriteRequest): TxnBody {
  switch (request.op) {
    case OpCode.multi:
      return prepMulti(ctx, request, (op) => prepOne(ctx, op));
    case OpCode.setACL:
      return prepSetAcl(ctx, request);
    case OpCode.createSession:
      return prepCreateSession(request);
    case OpCode.closeSession:
      return prepCloseSession(ctx);
    default:
      return prepOne(ctx, request);
  }
}

function prepOne(ctx: PrepContext, op: MultiOp): TxnBody {
  switch (op.op) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
      return prepCreate(ctx, op);
    case OpCode.delete:
      return prepDelete(ctx, op);
    case OpCode.deleteContainer:
      return prepDeleteContainer(ctx, op);
    case OpCode.setData:
      return prepSetData(ctx, op);
    case OpCode.check:
      return prepCheck(ctx, op);
  }
}
