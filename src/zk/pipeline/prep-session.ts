// createSession and closeSession in pRequest2Txn.
import { JavaHashSet, javaCopyCapacity } from '../datatree/java-hash-set';
import { OpCode } from '../../jute/opcodes';
import type { TxnBody } from '../txn';
import { deletedRecord, deriveRecord } from './change-record';
import { parentForDelete, recordForPath, type PrepContext } from './prep-context';
import type { CreateSessionRequest } from './requests';

export function prepCreateSession(request: CreateSessionRequest): TxnBody {
  return { type: OpCode.createSession, timeoutMs: request.timeoutMs };
}

/**
 * The session's ephemerals as they will be once everything in flight applies: the tree's, minus
 * in-flight deletes, plus in-flight ephemeral creates. Each gets a delete record, and its parent
 * a pzxid bump (Apache does that part only with digests enabled, its default). The server must
 * also mark the session closing.
 */
export function prepCloseSession(ctx: PrepContext): TxnBody {
  const owner = BigInt.asIntN(64, ctx.sessionId);
  const fromTree = ctx.tree.getEphemerals(ctx.sessionId);
  // Apache iterates a clone of the tree's HashSet; keep that order for the txn and its deletes.
  const paths = new JavaHashSet(javaCopyCapacity(fromTree.length));
  for (const path of fromTree) paths.add(path);
  for (const change of ctx.changes.records()) {
    if (change.stat === null) paths.delete(change.path);
    else if (change.stat.ephemeralOwner === owner) paths.add(change.path);
  }
  const paths2Delete = [...paths.toArray()];
  for (const path of paths2Delete) {
    const parent = recordForPath(ctx, parentForDelete(ctx, path));
    ctx.changes.add(deriveRecord(parent, ctx.zxid, { stat: { pzxid: ctx.zxid } }));
    ctx.changes.add(deletedRecord(ctx.zxid, path, 0));
  }
  return { type: OpCode.closeSession, paths2Delete };
}
