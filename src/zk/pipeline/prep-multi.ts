// multi in pRequestHelper: every op is prepped against the overlay with the multi's zxid; the first
// failure turns that op into an ErrorTxn with its code, every later op into
// ErrorTxn(RuntimeInconsistency), and rolls back the overlay records this multi added. The ops
// before the failure keep their txns here; apply reports them as errors with code 0 (OK).
import { Code } from '../errors';
import { OpCode } from '../../jute/opcodes';
import type { TxnBody } from '../txn';
import type { ChangeRecord } from './change-record';
import { PrepFailure, type PrepContext } from './prep-context';
import type { MultiOp, MultiRequest } from './requests';

export function prepMulti(ctx: PrepContext, request: MultiRequest, prepOp: (op: MultiOp) => TxnBody): TxnBody {
  const pending = ctx.changes.pendingFor(pathsToRestore(request.ops));
  const txns: TxnBody[] = [];
  let failed = false;
  for (const op of request.ops) {
    if (failed) {
      txns.push({ type: OpCode.error, err: Code.RuntimeInconsistency });
      continue;
    }
    try {
      txns.push(prepOp(op));
    } catch (error) {
      if (!(error instanceof PrepFailure)) throw error;
      failed = true;
      txns.push({ type: OpCode.error, err: error.code });
      rollback(ctx, pending);
    }
  }
  return { type: OpCode.multi, txns };
}

function rollback(ctx: PrepContext, pending: Map<string, ChangeRecord>): void {
  ctx.changes.rollback(ctx.zxid, pending);
}

/** getPendingChanges: each op's path and its parent (ZOOKEEPER-1624: sequential names). */
function pathsToRestore(ops: readonly MultiOp[]): string[] {
  const paths: string[] = [];
  for (const op of ops) {
    paths.push(op.path);
    const lastSlash = op.path.lastIndexOf('/');
    if (lastSlash === -1 || op.path.includes('\u0000')) continue;
    paths.push(op.path.substring(0, lastSlash));
  }
  return paths;
}
