// delete and deleteContainer in pRequest2Txn.
import { EphemeralType, ephemeralTypeOf } from '../datatree/ephemeral-type';
import { Code } from '../errors';
import { OpCode } from '../../jute/opcodes';
import type { TxnBody } from '../txn';
import { Perms } from '../types';
import { deletedRecord, deriveRecord, type ChangeRecord } from './change-record';
import { checkAndIncVersion, fail, parentForDelete, recordForPath, requirePerm, requireSession, type PrepContext } from './prep-context';
import type { DeleteContainerRequest, DeleteRequest } from './requests';

export function prepDelete(ctx: PrepContext, request: DeleteRequest): TxnBody {
  requireSession(ctx);
  const path = request.path;
  const parentPath = parentForDelete(ctx, path);
  const parent = recordForPath(ctx, parentPath);
  requirePerm(ctx, parent, Perms.DELETE, path);
  const node = recordForPath(ctx, path);
  checkAndIncVersion(node.stat.version, request.version, path);
  if (node.childCount > 0) fail(Code.NotEmpty, path);
  recordDeletion(ctx, parent, path);
  return { type: OpCode.delete, path };
}

/** No session or ACL check: the server's ContainerManager issues it. Only session ephemerals are refused. */
export function prepDeleteContainer(ctx: PrepContext, request: DeleteContainerRequest): TxnBody {
  const path = request.path;
  const parentPath = parentForDelete(ctx, path);
  const node = recordForPath(ctx, path);
  if (node.childCount > 0) fail(Code.NotEmpty, path);
  if (ephemeralTypeOf(node.stat.ephemeralOwner, ctx.tree.extendedTypesEnabled) === EphemeralType.NORMAL) {
    fail(Code.BadVersion, path);
  }
  const parent = recordForPath(ctx, parentPath);
  recordDeletion(ctx, parent, path);
  return { type: OpCode.deleteContainer, path };
}

function recordDeletion(ctx: PrepContext, parent: ChangeRecord, path: string): void {
  ctx.changes.add(deriveRecord(parent, ctx.zxid, { childCountDelta: -1, stat: { pzxid: ctx.zxid } }));
  ctx.changes.add(deletedRecord(ctx.zxid, path, -1));
}
