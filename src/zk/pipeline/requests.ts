// Write requests as the prep stage sees them. The connection layer maps decoded jute records
// (CreateRequest, CreateTTLRequest, DeleteRequest, SetDataRequest, SetACLRequest,
// CheckVersionRequest, MultiOperationRecord, ConnectRequest, close) to these.
import { OpCode } from '../../jute/opcodes';
import type { ACL } from '../types';

export interface CreateRequest {
  op: OpCode.create | OpCode.create2 | OpCode.createContainer | OpCode.createTTL;
  path: string;
  /** null: a Java null byte[]; stored as null, apart from empty data. */
  data: Uint8Array | null;
  acl: ACL[];
  /** CreateMode flag as on the wire (may be invalid: prep answers BadArguments). */
  flags: number;
  /** Only read for createTTL (CreateTTLRequest.ttl); other ops use -1 as Apache does. */
  ttl?: bigint;
}

export interface DeleteRequest {
  op: OpCode.delete;
  path: string;
  version: number;
}

/** Issued by the server itself (container/TTL cleanup), from session 0. */
export interface DeleteContainerRequest {
  op: OpCode.deleteContainer;
  path: string;
}

export interface SetDataRequest {
  op: OpCode.setData;
  path: string;
  data: Uint8Array | null;
  version: number;
}

export interface SetAclRequest {
  op: OpCode.setACL;
  path: string;
  acl: ACL[];
  version: number;
}

export interface CheckVersionRequest {
  op: OpCode.check;
  path: string;
  version: number;
}

/** Ops a multi may carry (MultiOperationRecord's write ops). */
export type MultiOp = CreateRequest | DeleteRequest | DeleteContainerRequest | SetDataRequest | CheckVersionRequest;

export interface MultiRequest {
  op: OpCode.multi;
  ops: MultiOp[];
}

export interface CreateSessionRequest {
  op: OpCode.createSession;
  /** The negotiated timeout the session tracker granted. */
  timeoutMs: number;
}

export interface CloseSessionRequest {
  op: OpCode.closeSession;
}

export type WriteRequest =
  | CreateRequest
  | DeleteRequest
  | DeleteContainerRequest
  | SetDataRequest
  | SetAclRequest
  | CheckVersionRequest
  | MultiRequest
  | CreateSessionRequest
  | CloseSessionRequest;

/** First path a request names (for logs and multi rollback bookkeeping). */
export function requestPath(request: WriteRequest): string | null {
  return 'path' in request ? request.path : null;
}
