// The one apply function (DataTree.processTxn) that standalone, leader, followers and log replay
// share: mutates the tree from the header's zxid and time and never throws. A txn that does not
// fit the tree (e.g. a replayed create) yields Apache's error code in the result instead.
import type { WatchTrigger } from '../datatree/data-node';
import type { DataTree } from '../datatree/data-tree';
import { CONTAINER_EPHEMERAL_OWNER, isValidTtl, ttlToEphemeralOwner } from '../datatree/ephemeral-type';
import { parentOf } from '../datatree/path-validation';
import { Code } from '../errors';
import { OpCode } from '../../jute/opcodes';
import type { Txn, TxnBody, TxnHeader } from '../txn';
import type { ApplyResult, OpApplyResult } from './apply-result';

export function apply(tree: DataTree, txn: Txn): ApplyResult {
  const triggers: WatchTrigger[] = [];
  const result: ApplyResult = {
    type: txn.header.type,
    err: Code.OK,
    sessionId: txn.header.sessionId,
    cxid: txn.header.cxid,
    zxid: txn.header.zxid,
    triggers,
  };
  Object.assign(result, applyBody(tree, txn.header, txn.header.type, txn.body, triggers, result));
  return result;
}

type Outcome = Pick<OpApplyResult, 'err' | 'path' | 'stat'>;

function applyBody(
  tree: DataTree,
  header: TxnHeader,
  type: OpCode,
  body: TxnBody,
  triggers: WatchTrigger[],
  top: ApplyResult | null,
): Outcome {
  const outcome = applyOne(tree, header, body, triggers, top);
  // A replayed create that meets its node (fuzzy snapshot) still advances the parent's
  // cversion/pzxid, as Apache does for plain `create` headers.
  if (type === OpCode.create && body.type === OpCode.create && outcome.err === Code.NodeExists) {
    const err = tree.setCversionPzxid(parentOf(body.path), body.parentCVersion, header.zxid);
    if (err !== Code.OK) return { ...outcome, err };
  }
  return outcome;
}

function applyOne(tree: DataTree, header: TxnHeader, body: TxnBody, triggers: WatchTrigger[], top: ApplyResult | null): Outcome {
  const zxid = header.zxid;
  const timeMs = BigInt(Math.trunc(header.timeMs));
  switch (body.type) {
    case OpCode.create:
      return created(tree, body.path, tree.createNode(body.path, body.data, body.acl, body.ephemeral ? header.sessionId : 0n, body.parentCVersion, zxid, timeMs, triggers));
    case OpCode.createContainer:
      return created(tree, body.path, tree.createNode(body.path, body.data, body.acl, CONTAINER_EPHEMERAL_OWNER, body.parentCVersion, zxid, timeMs, triggers));
    case OpCode.createTTL:
      if (!isValidTtl(body.ttlMs)) return { err: Code.BadArguments, path: body.path };
      return created(tree, body.path, tree.createNode(body.path, body.data, body.acl, ttlToEphemeralOwner(body.ttlMs), body.parentCVersion, zxid, timeMs, triggers));
    case OpCode.delete:
    case OpCode.deleteContainer:
      return { err: tree.deleteNode(body.path, zxid, triggers), path: body.path };
    case OpCode.setData:
      return statOutcome(body.path, tree.setData(body.path, body.data, body.version, zxid, timeMs, triggers));
    case OpCode.setACL:
      return statOutcome(body.path, tree.setAcl(body.path, body.acl, body.version));
    case OpCode.closeSession: {
      const deleted = tree.killSession(header.sessionId, zxid, body.paths2Delete, triggers);
      if (top !== null) top.deletedEphemerals = deleted;
      return { err: Code.OK };
    }
    case OpCode.error:
      return { err: body.err };
    case OpCode.check:
      return { err: Code.OK, path: body.path };
    case OpCode.createSession:
      return { err: Code.OK };
    case OpCode.multi:
      return applyMulti(tree, header, body.txns, triggers, top);
  }
}

function created(tree: DataTree, path: string, err: Code): Outcome {
  if (err !== Code.OK) return { err, path };
  return { err, path, stat: tree.statOf(path) ?? undefined };
}

function statOutcome(path: string, outcome: ReturnType<DataTree['setData']>): Outcome {
  return typeof outcome === 'number' ? { err: outcome, path } : { err: Code.OK, path, stat: outcome };
}

const MULTI_OP_TYPES = new Set<OpCode>([
  OpCode.create,
  OpCode.create2,
  OpCode.createTTL,
  OpCode.createContainer,
  OpCode.delete,
  OpCode.deleteContainer,
  OpCode.setData,
  OpCode.error,
  OpCode.check,
]);

/**
 * DataTree's multi: if any op is an error, every other op becomes an error too: code 0 before the
 * first error, RuntimeInconsistency after it. Ops apply one by one (prep guaranteed atomicity).
 */
function applyMulti(tree: DataTree, header: TxnHeader, txns: readonly TxnBody[], triggers: WatchTrigger[], top: ApplyResult | null): Outcome {
  const results: OpApplyResult[] = [];
  if (top !== null) top.multi = results;
  const failed = txns.some((t) => t.type === OpCode.error);
  let postFailed = false;
  let err: Code = Code.OK;
  for (const sub of txns) {
    // Apache stops at an op type a multi cannot hold (IOException), keeping what it did so far.
    if (!MULTI_OP_TYPES.has(sub.type)) break;
    if (sub.type === OpCode.error) postFailed = true;
    const effective: TxnBody =
      failed && sub.type !== OpCode.error ? { type: OpCode.error, err: postFailed ? Code.RuntimeInconsistency : Code.OK } : sub;
    const outcome = applyBody(tree, header, effective.type, effective, triggers, null);
    results.push({ type: effective.type, ...outcome });
    if (outcome.err !== Code.OK && err === Code.OK) err = outcome.err;
  }
  return { err };
}
