// setData, setACL and check (version check) in pRequest2Txn.
import { fixupAcl } from '../acl/fixup-acl';
import { validatePath } from '../datatree/path-validation';
import { Code } from '../errors';
import { OpCode } from '../../jute/opcodes';
import type { TxnBody } from '../txn';
import { Perms } from '../types';
import { deriveRecord } from './change-record';
import { checkQuota } from './quota-check';
import { checkAndIncVersion, fail, recordForPath, requirePerm, requireSession, type PrepContext } from './prep-context';
import type { CheckVersionRequest, SetAclRequest, SetDataRequest } from './requests';

function requireValidPath(path: string): void {
  if (validatePath(path) !== null) fail(Code.BadArguments, path);
}

export function prepSetData(ctx: PrepContext, request: SetDataRequest): TxnBody {
  requireSession(ctx);
  const path = request.path;
  requireValidPath(path);
  const node = recordForPath(ctx, path);
  requirePerm(ctx, node, Perms.WRITE, path);
  checkQuota(ctx, path, node.data, request.data, 0);
  const version = checkAndIncVersion(node.stat.version, request.version, path);
  ctx.changes.add(
    deriveRecord(node, ctx.zxid, {
      stat: { version, mtime: BigInt(ctx.nowMs), mzxid: ctx.zxid },
      data: request.data,
    }),
  );
  return { type: OpCode.setData, path, data: request.data, version };
}

export function prepSetAcl(ctx: PrepContext, request: SetAclRequest): TxnBody {
  requireSession(ctx);
  const path = request.path;
  requireValidPath(path);
  const acl = fixupAcl(request.acl, ctx.authIds);
  if (acl === Code.InvalidACL) fail(Code.InvalidACL, path);
  const node = recordForPath(ctx, path);
  requirePerm(ctx, node, Perms.ADMIN, path);
  const version = checkAndIncVersion(node.stat.aversion, request.version, path);
  // Like Apache, the overlay keeps the old ACL: later in-flight requests are checked against it.
  ctx.changes.add(deriveRecord(node, ctx.zxid, { stat: { aversion: version } }));
  return { type: OpCode.setACL, path, acl, version };
}

/** The txn carries the incremented version; nothing changes in the overlay. */
export function prepCheck(ctx: PrepContext, request: CheckVersionRequest): TxnBody {
  requireSession(ctx);
  const path = request.path;
  requireValidPath(path);
  const node = recordForPath(ctx, path);
  requirePerm(ctx, node, Perms.READ, path);
  return { type: OpCode.check, path, version: checkAndIncVersion(node.stat.version, request.version, path) };
}
