// The peer protocol's messages: FLE notifications and ZAB quorum packets, as typed values.
// Quorum packets keep Apache's QuorumPacket shape {type, zxid, data} but with `data` decoded into
// named fields. The wire layout (quorum-packets.ts) is ours, not Apache's: we never talk to Apache
// servers on the quorum port, but the fields and their meaning are Apache's.

import type { ServerState } from '../zk/election/fle-messages';
import type { Id, ServerId, SessionId, Zxid } from '../zk/types';
import type { OpCode } from './opcodes';

export type { ServerState };

/** Apache Leader.java packet type constants (the value of QuorumPacket.type). */
export enum QuorumPacketType {
  REQUEST = 1,
  PROPOSAL = 2,
  ACK = 3,
  COMMIT = 4,
  PING = 5,
  REVALIDATE = 6,
  SYNC = 7,
  INFORM = 8,
  NEWLEADER = 10,
  FOLLOWERINFO = 11,
  UPTODATE = 12,
  DIFF = 13,
  TRUNC = 14,
  SNAP = 15,
  OBSERVERINFO = 16,
  LEADERINFO = 17,
  ACKEPOCH = 18,
}

/** Apache's protocol version sent in LEADERINFO / LearnerInfo (0x10000 since 3.4). */
export const ZAB_PROTOCOL_VERSION = 0x10000;

/**
 * FLE notification (FastLeaderElection.Notification / ToSend). Apache's wire order is
 * state, leader, zxid, electionEpoch, peerEpoch, version, config; the sender's sid comes from
 * the connection there, here it is carried in the message as well.
 */
export interface NotificationMessage {
  kind: 'notification';
  /** Proposed leader. Java long: any safe integer (Number.MIN_SAFE_INTEGER is "no server"). */
  leader: ServerId;
  /** Last logged zxid of the proposed leader. */
  zxid: Zxid;
  /** Election round (logicalclock); a Java long, restricted here to safe integers. */
  electionEpoch: number;
  state: ServerState;
  /** Sender. */
  sid: ServerId;
  /** currentEpoch of the proposed leader. */
  peerEpoch: number;
  /** Version of the sender's quorum configuration (Apache sends the whole config). */
  configVersion?: bigint;
}

/** LearnerInfo: FOLLOWERINFO / OBSERVERINFO, the learner's opening packet. */
export interface LearnerInfoPacket {
  kind: 'followerInfo' | 'observerInfo';
  /** makeZxid(acceptedEpoch, 0), as Apache's Learner.registerWithLeader sends it. */
  zxid: Zxid;
  sid: ServerId;
  protocolVersion: number;
  configVersion: bigint;
}

/** LEADERINFO: zxid = makeZxid(newEpoch, 0). */
export interface LeaderInfoPacket {
  kind: 'leaderInfo';
  zxid: Zxid;
  protocolVersion: number;
}

/** ACKEPOCH: zxid = the learner's last logged zxid; currentEpoch is -1 when it has none. */
export interface AckEpochPacket {
  kind: 'ackEpoch';
  zxid: Zxid;
  currentEpoch: number;
}

/** Packets that are just a type and a zxid (Apache sends data = null). */
export interface ZxidOnlyPacket {
  kind: 'diff' | 'trunc' | 'upToDate' | 'ack' | 'commit' | 'sync';
  zxid: Zxid;
}

/** SNAP: zxid = last zxid in the snapshot; Apache streams the snapshot after the packet. */
export interface SnapPacket {
  kind: 'snap';
  zxid: Zxid;
  snapshot: Uint8Array;
}

/** NEWLEADER: zxid = makeZxid(newEpoch, 0); config = the serialized quorum config (may be empty). */
export interface NewLeaderPacket {
  kind: 'newLeader';
  zxid: Zxid;
  config: Uint8Array;
}

/** PROPOSAL / INFORM: txn = encodeTxn(header, body) from txn-codec.ts. */
export interface TxnPacket {
  kind: 'proposal' | 'inform';
  zxid: Zxid;
  txn: Uint8Array;
}

export interface SessionTouch {
  sessionId: SessionId;
  timeoutMs: number;
}

/** PING: from the leader sessions is empty; a learner reports the sessions it saw activity on. */
export interface PingPacket {
  kind: 'ping';
  zxid: Zxid;
  sessions: SessionTouch[];
}

/** REQUEST: a client write forwarded by a learner, with the session's auth ids for ACL checks. */
export interface RequestPacket {
  kind: 'request';
  zxid: Zxid;
  sessionId: SessionId;
  cxid: number;
  type: OpCode;
  /** The request record as the client sent it (no header). */
  request: Uint8Array;
  authIds: Id[];
}

/** REVALIDATE from a learner: is this session (re)connecting with that timeout still valid? */
export interface RevalidatePacket {
  kind: 'revalidate';
  zxid: Zxid;
  sessionId: SessionId;
  timeoutMs: number;
}

/** REVALIDATE from the leader: the answer. Same Apache type, different payload. */
export interface RevalidateReplyPacket {
  kind: 'revalidateReply';
  zxid: Zxid;
  sessionId: SessionId;
  valid: boolean;
}

export type QuorumPacket =
  | LearnerInfoPacket
  | LeaderInfoPacket
  | AckEpochPacket
  | ZxidOnlyPacket
  | SnapPacket
  | NewLeaderPacket
  | TxnPacket
  | PingPacket
  | RequestPacket
  | RevalidatePacket
  | RevalidateReplyPacket;

export type PeerMessage = NotificationMessage | QuorumPacket;
export type PeerMessageKind = PeerMessage['kind'];

/** Apache's QuorumPacket.type for each of our quorum packet kinds. */
export const QUORUM_PACKET_TYPE: Readonly<Record<QuorumPacket['kind'], QuorumPacketType>> = {
  followerInfo: QuorumPacketType.FOLLOWERINFO,
  observerInfo: QuorumPacketType.OBSERVERINFO,
  leaderInfo: QuorumPacketType.LEADERINFO,
  ackEpoch: QuorumPacketType.ACKEPOCH,
  diff: QuorumPacketType.DIFF,
  trunc: QuorumPacketType.TRUNC,
  snap: QuorumPacketType.SNAP,
  newLeader: QuorumPacketType.NEWLEADER,
  upToDate: QuorumPacketType.UPTODATE,
  proposal: QuorumPacketType.PROPOSAL,
  ack: QuorumPacketType.ACK,
  commit: QuorumPacketType.COMMIT,
  inform: QuorumPacketType.INFORM,
  ping: QuorumPacketType.PING,
  request: QuorumPacketType.REQUEST,
  revalidate: QuorumPacketType.REVALIDATE,
  revalidateReply: QuorumPacketType.REVALIDATE,
  sync: QuorumPacketType.SYNC,
};

export function isQuorumPacket(message: PeerMessage): message is QuorumPacket {
  return message.kind !== 'notification';
}
