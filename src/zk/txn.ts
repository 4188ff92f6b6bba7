// Transactions as ZooKeeper logs them (zookeeper.jute: TxnHeader + one txn record).
// The core produces them in prep, logs them, and applies them with one apply function.
import type { ACL, Millis, SessionId, Zxid } from './types';
import { OpCode } from '../jute/opcodes';

/** znode data as Apache keeps it: a null byte[] (created/set without data) is not empty data. */
export type ZnodeData = Uint8Array | null;

export interface TxnHeader {
  sessionId: SessionId; // jute: clientId
  cxid: number;
  zxid: Zxid;
  /** Leader-stamped time, so every replica computes the same ctime/mtime. */
  timeMs: Millis;
  type: OpCode;
}

export type TxnBody =
  | { type: OpCode.create; path: string; data: ZnodeData; acl: ACL[]; ephemeral: boolean; parentCVersion: number }
  | { type: OpCode.createContainer; path: string; data: ZnodeData; acl: ACL[]; parentCVersion: number }
  | { type: OpCode.createTTL; path: string; data: ZnodeData; acl: ACL[]; parentCVersion: number; ttlMs: bigint }
  | { type: OpCode.delete; path: string }
  | { type: OpCode.deleteContainer; path: string }
  | { type: OpCode.setData; path: string; data: ZnodeData; version: number }
  | { type: OpCode.setACL; path: string; acl: ACL[]; version: number }
  | { type: OpCode.check; path: string; version: number }
  | { type: OpCode.createSession; timeoutMs: number }
  | { type: OpCode.closeSession; paths2Delete: string[] }
  | { type: OpCode.error; err: number }
  | { type: OpCode.multi; txns: TxnBody[] };

export interface Txn {
  header: TxnHeader;
  body: TxnBody;
}
