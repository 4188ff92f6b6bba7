// What applying one txn produced (DataTree.ProcessTxnResult plus what the server needs next).
import type { WatchTrigger } from '../datatree/data-node';
import type { Code } from '../errors';
import type { OpCode } from '../../jute/opcodes';
import type { SessionId, Stat, Zxid } from '../types';

export interface OpApplyResult {
  /** The header type for the whole txn; for multi sub-results the op's type, or error. */
  type: OpCode;
  /** Code.OK or the error; for a multi, the first non-OK sub-result's. */
  err: Code;
  /** The created/changed path (creates: the final, sequential-suffixed name). */
  path?: string;
  /** Stat after create/setData/setACL (FinalRequestProcessor decides whether to send it). */
  stat?: Stat;
}

export interface ApplyResult extends OpApplyResult {
  sessionId: SessionId;
  cxid: number;
  zxid: Zxid;
  /** multi only: one entry per op (ops before a failed one: type error with err 0). */
  multi?: OpApplyResult[];
  /** Watch triggers in the order Apache's DataTree fires them. */
  triggers: WatchTrigger[];
  /** closeSession: the ephemerals actually deleted, in deletion order. */
  deletedEphemerals?: string[];
}
