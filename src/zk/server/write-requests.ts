// Bridges the wire and the pipeline for txn requests: a decoded jute request becomes the
// pipeline's WriteRequest, and an applied txn becomes the reply FinalRequestProcessor sends.
import type { ClientRequest, MultiOp as JuteMultiOp, MultiResult } from '../../jute';
import { OpCode } from '../../jute/opcodes';
import { Code } from '../errors';
import type { Stat } from '../types';
import type { ApplyResult, MultiOp, OpApplyResult, WriteRequest } from '../pipeline';

/** The pipeline request for a txn op, or an error code to answer at once. */
export function toWriteRequest(request: ClientRequest): WriteRequest | { err: Code } {
  switch (request.op) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.delete:
    case OpCode.setData:
    case OpCode.setACL:
    case OpCode.check:
      return toMultiOp(request) ?? { err: Code.MarshallingError };
    case OpCode.createTTL:
      return toMultiOp(request) ?? { err: Code.MarshallingError };
    case OpCode.multi: {
      const ops: MultiOp[] = [];
      for (const op of request.ops) {
        const mapped = toMultiOp(op);
        // A read op inside a multi: PrepRequestProcessor rejects the whole request.
        if (mapped === null || mapped.op === OpCode.setACL) return { err: Code.MarshallingError };
        ops.push(mapped);
      }
      return { op: OpCode.multi, ops };
    }
    case OpCode.closeSession:
      return { op: OpCode.closeSession };
    case OpCode.reconfig:
      // Standalone servers have reconfig disabled (reconfigEnabled=false).
      return { err: Code.ReconfigDisabled };
    default:
      return { err: Code.Unimplemented };
  }
}

type SingleWrite = MultiOp | Extract<WriteRequest, { op: OpCode.setACL }>;

function toMultiOp(op: JuteMultiOp | ClientRequest): SingleWrite | null {
  switch (op.op) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
      return { op: op.op, path: op.path, data: op.data, acl: op.acl, flags: op.flags };
    case OpCode.createTTL:
      return { op: op.op, path: op.path, data: op.data, acl: op.acl, flags: op.flags, ttl: op.ttlMs };
    case OpCode.delete:
      return { op: OpCode.delete, path: op.path, version: op.version };
    case OpCode.setData:
      return { op: OpCode.setData, path: op.path, data: op.data, version: op.version };
    case OpCode.check:
      return { op: OpCode.check, path: op.path, version: op.version };
    case OpCode.setACL:
      return 'acl' in op && 'version' in op ? { op: OpCode.setACL, path: op.path, acl: op.acl, version: op.version } : null;
    default:
      return null;
  }
}

const ZERO_STAT: Stat = {
  czxid: 0n,
  mzxid: 0n,
  ctime: 0n,
  mtime: 0n,
  version: 0,
  cversion: 0,
  aversion: 0,
  ephemeralOwner: 0n,
  dataLength: 0,
  numChildren: 0,
  pzxid: 0n,
};

export interface WriteReply {
  err: number;
  response: object | null;
}

/**
 * FinalRequestProcessor's reply for an applied txn, shaped by the op the client asked for
 * (create vs create2 decide CreateResponse vs Create2Response). A multi always answers err 0 with
 * per-op results; an error txn answers its code without a body.
 */
export function writeReply(requestOp: number, requestOps: readonly JuteMultiOp[] | null, result: ApplyResult): WriteReply {
  if (result.type === OpCode.error) return { err: result.err, response: null };
  if (requestOp === OpCode.multi) {
    const results = (result.multi ?? []).map((sub, i) => multiResult(requestOps?.[i]?.op ?? sub.type, sub));
    return { err: Code.OK, response: { results } };
  }
  if (result.err !== Code.OK) return { err: result.err, response: null };
  switch (requestOp) {
    case OpCode.create:
      return { err: 0, response: { path: result.path ?? '' } };
    case OpCode.create2:
    case OpCode.createTTL:
    case OpCode.createContainer:
      return { err: 0, response: { path: result.path ?? '', stat: result.stat ?? ZERO_STAT } };
    case OpCode.setData:
    case OpCode.setACL:
    case OpCode.check:
      return { err: 0, response: { stat: result.stat ?? ZERO_STAT } };
    default:
      return { err: 0, response: null };
  }
}

function multiResult(requestOp: number, sub: OpApplyResult): MultiResult {
  if (sub.type === OpCode.error) return { op: OpCode.error, err: sub.err };
  if (sub.err !== Code.OK) return { op: OpCode.error, err: sub.err };
  switch (requestOp) {
    case OpCode.create:
      return { op: OpCode.create, path: sub.path ?? '' };
    case OpCode.create2:
    case OpCode.createTTL:
    case OpCode.createContainer:
      return { op: OpCode.create2, path: sub.path ?? '', stat: sub.stat ?? ZERO_STAT };
    case OpCode.delete:
    case OpCode.deleteContainer:
      return { op: OpCode.delete };
    case OpCode.setData:
      return { op: OpCode.setData, stat: sub.stat ?? ZERO_STAT };
    default:
      return { op: OpCode.check };
  }
}
