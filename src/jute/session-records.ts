// Connection-level records: connect handshake, request/reply headers, watch events, auth,
// watch re-registration after reconnect (SetWatches/SetWatches2) and SASL tokens.
import type { EventType, KeeperState, SessionId, Zxid } from '../zk/types';
import type { RecordCodec } from './jute-io';
import { readStringList, writeStringList } from './data-records';

/** First packet of a connection (no RequestHeader). `readOnly` is absent from pre-3.4 clients. */
export interface ConnectRequest {
  protocolVersion: number;
  lastZxidSeen: Zxid;
  timeoutMs: number;
  sessionId: SessionId;
  passwd: Uint8Array;
  readOnly?: boolean;
}

/** Server's answer to ConnectRequest. Write `readOnly` only if the client sent it (ProtocolManager). */
export interface ConnectResponse {
  protocolVersion: number;
  timeoutMs: number;
  sessionId: SessionId;
  passwd: Uint8Array;
  readOnly?: boolean;
}

export interface RequestHeader {
  xid: number;
  /** An OpCode, but kept as number: unknown values must survive decoding. */
  type: number;
}

export interface ReplyHeader {
  xid: number;
  zxid: Zxid;
  err: number;
}

export interface WatcherEvent {
  type: EventType;
  state: KeeperState;
  path: string;
}

export interface AuthPacket {
  type: number;
  scheme: string;
  auth: Uint8Array;
}

export interface SetWatches {
  relativeZxid: Zxid;
  dataWatches: string[];
  existWatches: string[];
  childWatches: string[];
}

export interface SetWatches2 extends SetWatches {
  persistentWatches: string[];
  persistentRecursiveWatches: string[];
}

/** GetSASLRequest and SetSASLResponse share this shape. */
export interface SaslToken {
  token: Uint8Array;
}

export const ConnectRequestCodec: RecordCodec<ConnectRequest> = {
  write(w, v) {
    w.int(v.protocolVersion).long(v.lastZxidSeen).int(v.timeoutMs).long(v.sessionId).buffer(v.passwd);
    if (v.readOnly !== undefined) w.bool(v.readOnly);
  },
  read(r) {
    const req: ConnectRequest = {
      protocolVersion: r.int(),
      lastZxidSeen: r.long(),
      timeoutMs: r.int(),
      sessionId: r.long(),
      passwd: r.buffer(),
    };
    if (!r.atEnd()) req.readOnly = r.bool();
    return req;
  },
};

export const ConnectResponseCodec: RecordCodec<ConnectResponse> = {
  write(w, v) {
    w.int(v.protocolVersion).int(v.timeoutMs).long(v.sessionId).buffer(v.passwd);
    if (v.readOnly !== undefined) w.bool(v.readOnly);
  },
  read(r) {
    const rsp: ConnectResponse = {
      protocolVersion: r.int(),
      timeoutMs: r.int(),
      sessionId: r.long(),
      passwd: r.buffer(),
    };
    if (!r.atEnd()) rsp.readOnly = r.bool();
    return rsp;
  },
};

export const RequestHeaderCodec: RecordCodec<RequestHeader> = {
  write(w, v) {
    w.int(v.xid).int(v.type);
  },
  read(r) {
    return { xid: r.int(), type: r.int() };
  },
};

export const ReplyHeaderCodec: RecordCodec<ReplyHeader> = {
  write(w, v) {
    w.int(v.xid).long(v.zxid).int(v.err);
  },
  read(r) {
    return { xid: r.int(), zxid: r.long(), err: r.int() };
  },
};

export const WatcherEventCodec: RecordCodec<WatcherEvent> = {
  write(w, v) {
    w.int(v.type).int(v.state).ustring(v.path);
  },
  read(r) {
    return { type: r.int() as EventType, state: r.int() as KeeperState, path: r.ustring() };
  },
};

export const AuthPacketCodec: RecordCodec<AuthPacket> = {
  write(w, v) {
    w.int(v.type).ustring(v.scheme).buffer(v.auth);
  },
  read(r) {
    return { type: r.int(), scheme: r.ustring(), auth: r.buffer() };
  },
};

export const SetWatchesCodec: RecordCodec<SetWatches> = {
  write(w, v) {
    w.long(v.relativeZxid);
    writeStringList(w, v.dataWatches);
    writeStringList(w, v.existWatches);
    writeStringList(w, v.childWatches);
  },
  read(r) {
    return {
      relativeZxid: r.long(),
      dataWatches: readStringList(r),
      existWatches: readStringList(r),
      childWatches: readStringList(r),
    };
  },
};

export const SetWatches2Codec: RecordCodec<SetWatches2> = {
  write(w, v) {
    SetWatchesCodec.write(w, v);
    writeStringList(w, v.persistentWatches);
    writeStringList(w, v.persistentRecursiveWatches);
  },
  read(r) {
    const base = SetWatchesCodec.read(r);
    return { ...base, persistentWatches: readStringList(r), persistentRecursiveWatches: readStringList(r) };
  },
};

export const SaslTokenCodec: RecordCodec<SaslToken> = {
  write(w, v) {
    w.buffer(v.token);
  },
  read(r) {
    return { token: r.buffer() };
  },
};

export type GetSASLRequest = SaslToken;
export type SetSASLResponse = SaslToken;
