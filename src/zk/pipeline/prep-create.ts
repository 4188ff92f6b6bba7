// pRequest2TxnCreate: create, create2, createContainer, createTTL. Check order is Apache's.
import { fixupAcl } from '../acl/fixup-acl';
import {
  CONTAINER_EPHEMERAL_OWNER,
  EphemeralType,
  ephemeralTypeOf,
  isValidTtl,
  ttlToEphemeralOwner,
} from '../datatree/ephemeral-type';
import { validatePath } from '../datatree/path-validation';
import { createPersistedStat } from '../datatree/persisted-stat';
import { Code } from '../errors';
import { OpCode } from '../../jute/opcodes';
import type { TxnBody } from '../txn';
import { Perms, type ACL } from '../types';
import { deriveRecord } from './change-record';
import { createModeFromFlag, sequenceSuffix, type CreateModeInfo } from './create-mode';
import { checkQuota } from './quota-check';
import { existsInOverlay, fail, recordForPath, requirePerm, requireSession, type PrepContext } from './prep-context';
import type { CreateRequest } from './requests';

export function prepCreate(ctx: PrepContext, request: CreateRequest): TxnBody {
  const ttl = request.op === OpCode.createTTL ? (request.ttl ?? -1n) : -1n;
  const mode = createModeFromFlag(request.flags) ?? fail(Code.BadArguments, request.path);
  validateCreateRequest(ctx, request.path, mode, ttl);
  const parentPath = parentForCreate(request.path);
  const acl = fixupAcl(request.acl, ctx.authIds);
  if (acl === Code.InvalidACL) fail(Code.InvalidACL, request.path);
  const parent = recordForPath(ctx, parentPath);
  requirePerm(ctx, parent, Perms.CREATE, request.path);
  const path = mode.sequential ? request.path + sequenceSuffix(parent.stat.cversion) : request.path;
  if (validatePath(path) !== null) fail(Code.BadArguments, path);
  if (existsInOverlay(ctx, path)) fail(Code.NodeExists, path);
  if (ephemeralTypeOf(parent.stat.ephemeralOwner, ctx.tree.extendedTypesEnabled) === EphemeralType.NORMAL) {
    fail(Code.NoChildrenForEphemerals, path);
  }
  const newCversion = (parent.stat.cversion + 1) | 0;
  checkQuota(ctx, path, null, request.data, 1);
  const txn = createTxn(request, path, acl, newCversion, mode, ttl);
  const owner = ephemeralOwnerFor(ctx, mode, ttl);
  ctx.changes.add(
    deriveRecord(parent, ctx.zxid, { childCountDelta: 1, stat: { cversion: newCversion, pzxid: ctx.zxid } }),
  );
  ctx.changes.add({
    zxid: ctx.zxid,
    path,
    stat: createPersistedStat(ctx.zxid, BigInt(ctx.nowMs), owner),
    childCount: 0,
    acl,
    data: request.data,
  });
  return txn;
}

/** validateCreateRequest: TTL needs extended types, TTL values must be in range, then the session. */
function validateCreateRequest(ctx: PrepContext, path: string, mode: CreateModeInfo, ttl: bigint): void {
  if (mode.ttl && !ctx.tree.extendedTypesEnabled) fail(Code.Unimplemented, path);
  if (mode.ttl ? !isValidTtl(ttl) : ttl >= 0n) fail(Code.BadArguments, path);
  requireSession(ctx, mode.ephemeral ? 'global' : 'any');
}

/** validatePathForCreate: only a '/' and no NUL are checked before the ACL checks. */
function parentForCreate(path: string): string {
  const lastSlash = path.lastIndexOf('/');
  if (lastSlash === -1 || path.includes('\u0000')) fail(Code.BadArguments, path);
  return path.substring(0, lastSlash);
}

function createTxn(
  request: CreateRequest,
  path: string,
  acl: ACL[],
  parentCVersion: number,
  mode: CreateModeInfo,
  ttl: bigint,
): TxnBody {
  const data = request.data;
  if (request.op === OpCode.createContainer) return { type: OpCode.createContainer, path, data, acl, parentCVersion };
  if (request.op === OpCode.createTTL) return { type: OpCode.createTTL, path, data, acl, parentCVersion, ttlMs: ttl };
  return { type: OpCode.create, path, data, acl, ephemeral: mode.ephemeral, parentCVersion };
}

function ephemeralOwnerFor(ctx: PrepContext, mode: CreateModeInfo, ttl: bigint): bigint {
  if (mode.container) return CONTAINER_EPHEMERAL_OWNER;
  if (mode.ttl) return ttlToEphemeralOwner(ttl);
  if (mode.ephemeral) return ctx.sessionId;
  return 0n;
}
