// Server -> client packets after the handshake: ReplyHeader then (on success) the op's record.
// Notifications are ReplyHeader{xid -1, zxid, 0} + WatcherEvent.
import { JuteError, JuteReader, JuteWriter } from './jute-io';
import type { JuteReaderOptions, RecordCodec } from './jute-io';
import { OpCode, Xid } from './opcodes';
import {
  Create2ResponseCodec,
  CreateResponseCodec,
  ErrorResponseCodec,
  GetACLResponseCodec,
  GetAllChildrenNumberResponseCodec,
  GetChildren2ResponseCodec,
  GetChildrenResponseCodec,
  GetDataResponseCodec,
  GetEphemeralsResponseCodec,
  StatResponseCodec,
  SyncResponseCodec,
  WhoAmIResponseCodec,
} from './response-records';
import type {
  Create2Response,
  CreateResponse,
  ErrorResponse,
  GetACLResponse,
  GetAllChildrenNumberResponse,
  GetChildren2Response,
  GetChildrenResponse,
  GetDataResponse,
  GetEphemeralsResponse,
  StatResponse,
  SyncResponse,
  WhoAmIResponse,
} from './response-records';
import { MultiResponseCodec } from './multi';
import type { MultiResponse } from './multi';
import { ReplyHeaderCodec, SaslTokenCodec, WatcherEventCodec } from './session-records';
import type { ReplyHeader, SaslToken, WatcherEvent } from './session-records';
import type { Zxid } from '../zk/types';

/** Success body of each op's reply, as FinalRequestProcessor builds it; null = no body. */
export interface ResponseMap {
  [OpCode.create]: CreateResponse;
  [OpCode.create2]: Create2Response;
  [OpCode.createTTL]: Create2Response;
  [OpCode.createContainer]: Create2Response;
  [OpCode.delete]: null;
  [OpCode.deleteContainer]: null;
  [OpCode.exists]: StatResponse;
  [OpCode.getData]: GetDataResponse;
  [OpCode.setData]: StatResponse;
  [OpCode.getACL]: GetACLResponse;
  [OpCode.setACL]: StatResponse;
  [OpCode.getChildren]: GetChildrenResponse;
  [OpCode.getChildren2]: GetChildren2Response;
  [OpCode.sync]: SyncResponse;
  [OpCode.check]: StatResponse;
  [OpCode.multi]: MultiResponse;
  [OpCode.multiRead]: MultiResponse;
  [OpCode.reconfig]: GetDataResponse;
  [OpCode.checkWatches]: null;
  [OpCode.removeWatches]: null;
  [OpCode.addWatch]: ErrorResponse;
  [OpCode.getEphemerals]: GetEphemeralsResponse;
  [OpCode.getAllChildrenNumber]: GetAllChildrenNumberResponse;
  [OpCode.whoAmI]: WhoAmIResponse;
  [OpCode.sasl]: SaslToken;
  [OpCode.ping]: null;
  [OpCode.auth]: null;
  [OpCode.setWatches]: null;
  [OpCode.setWatches2]: null;
  [OpCode.closeSession]: null;
}
export type ResponseOp = keyof ResponseMap;
export type ResponseOf<O extends ResponseOp> = ResponseMap[O];

const RESPONSE_CODECS: { [O in ResponseOp]: RecordCodec<NonNullable<ResponseMap[O]>> | null } = {
  [OpCode.create]: CreateResponseCodec,
  [OpCode.create2]: Create2ResponseCodec,
  [OpCode.createTTL]: Create2ResponseCodec,
  [OpCode.createContainer]: Create2ResponseCodec,
  [OpCode.delete]: null,
  [OpCode.deleteContainer]: null,
  [OpCode.exists]: StatResponseCodec,
  [OpCode.getData]: GetDataResponseCodec,
  [OpCode.setData]: StatResponseCodec,
  [OpCode.getACL]: GetACLResponseCodec,
  [OpCode.setACL]: StatResponseCodec,
  [OpCode.getChildren]: GetChildrenResponseCodec,
  [OpCode.getChildren2]: GetChildren2ResponseCodec,
  [OpCode.sync]: SyncResponseCodec,
  [OpCode.check]: StatResponseCodec,
  [OpCode.multi]: MultiResponseCodec,
  [OpCode.multiRead]: MultiResponseCodec,
  [OpCode.reconfig]: GetDataResponseCodec,
  [OpCode.checkWatches]: null,
  [OpCode.removeWatches]: null,
  [OpCode.addWatch]: ErrorResponseCodec,
  [OpCode.getEphemerals]: GetEphemeralsResponseCodec,
  [OpCode.getAllChildrenNumber]: GetAllChildrenNumberResponseCodec,
  [OpCode.whoAmI]: WhoAmIResponseCodec,
  [OpCode.sasl]: SaslTokenCodec,
  [OpCode.ping]: null,
  [OpCode.auth]: null,
  [OpCode.setWatches]: null,
  [OpCode.setWatches2]: null,
  [OpCode.closeSession]: null,
};

function codecFor(op: number): RecordCodec<object> | null {
  return (RESPONSE_CODECS as Partial<Record<number, RecordCodec<object> | null>>)[op] ?? null;
}

/**
 * ReplyHeader + body. Pass response null for errors (err != 0) and body-less ops; the body is
 * written only when one is given and the op has a body record.
 */
export function encodeResponse<O extends ResponseOp>(
  header: ReplyHeader,
  op: O,
  response: ResponseOf<O> | null,
): Uint8Array {
  const w = new JuteWriter();
  ReplyHeaderCodec.write(w, header);
  const codec = codecFor(op);
  if (codec !== null && response !== null) codec.write(w, response);
  return w.toBytes();
}

export interface DecodedResponse<O extends ResponseOp> {
  header: ReplyHeader;
  /** null when header.err != 0 (the Java client never reads a body then) or the op has none. */
  response: ResponseOf<O> | null;
}

/** Decodes a reply to a request of type `op` (the client remembers the op per xid). */
export function decodeResponse<O extends ResponseOp>(
  op: O,
  bytes: Uint8Array,
  options?: JuteReaderOptions,
): DecodedResponse<O> {
  const r = new JuteReader(bytes, options);
  const header = ReplyHeaderCodec.read(r);
  const codec = codecFor(op);
  if (codec === null || header.err !== 0) return { header, response: null };
  return { header, response: codec.read(r) as ResponseOf<O> };
}

/** Just the ReplyHeader: lets the client route by xid (-1 notification, -2 ping, -4 auth, ...). */
export function decodeReplyHeader(bytes: Uint8Array): ReplyHeader {
  return ReplyHeaderCodec.read(new JuteReader(bytes));
}

export interface Notification {
  zxid: Zxid;
  event: WatcherEvent;
}

/** A watch notification: ReplyHeader{xid -1, zxid of the event (-1 if none), err 0} + WatcherEvent. */
export function encodeNotification(event: WatcherEvent, zxid: Zxid = -1n): Uint8Array {
  const w = new JuteWriter();
  ReplyHeaderCodec.write(w, { xid: Xid.NOTIFICATION, zxid, err: 0 });
  WatcherEventCodec.write(w, event);
  return w.toBytes();
}

export function decodeNotification(bytes: Uint8Array, options?: JuteReaderOptions): Notification {
  const r = new JuteReader(bytes, options);
  const header = ReplyHeaderCodec.read(r);
  if (header.xid !== Xid.NOTIFICATION) throw new JuteError(`not a notification: xid ${header.xid}`);
  return { zxid: header.zxid, event: WatcherEventCodec.read(r) };
}
