// Client -> server packets after the handshake: RequestHeader then the op's record.
import { JuteError, JuteReader, JuteWriter } from './jute-io';
import type { JuteReaderOptions } from './jute-io';
import { OpCode } from './opcodes';
import {
  AddWatchRequestCodec,
  CheckVersionRequestCodec,
  CreateRequestCodec,
  CreateTTLRequestCodec,
  DeleteRequestCodec,
  GetEphemeralsRequestCodec,
  PathRequestCodec,
  PathWatchRequestCodec,
  ReconfigRequestCodec,
  SetACLRequestCodec,
  SetDataRequestCodec,
  WatchesRequestCodec,
} from './op-records';
import type {
  AddWatchRequest,
  CheckVersionRequest,
  CreateRequest,
  CreateTTLRequest,
  DeleteRequest,
  GetEphemeralsRequest,
  PathRequest,
  PathWatchRequest,
  ReconfigRequest,
  SetACLRequest,
  SetDataRequest,
  WatchesRequest,
} from './op-records';
import { MultiRequestCodec } from './multi';
import type { MultiRequest } from './multi';
import { AuthPacketCodec, RequestHeaderCodec, SaslTokenCodec, SetWatches2Codec, SetWatchesCodec } from './session-records';
import type { AuthPacket, RequestHeader, SaslToken, SetWatches, SetWatches2 } from './session-records';
import type { RecordCodec } from './jute-io';

type Req<O extends OpCode, R> = { op: O } & R;
type Empty = Record<never, never>;

/** Every request a client may send, keyed by op. getConfig is a getData of /zookeeper/config. */
export type ClientRequest =
  | Req<OpCode.create | OpCode.create2 | OpCode.createContainer, CreateRequest>
  | Req<OpCode.createTTL, CreateTTLRequest>
  | Req<OpCode.delete, DeleteRequest>
  | Req<OpCode.exists | OpCode.getData | OpCode.getChildren | OpCode.getChildren2, PathWatchRequest>
  | Req<OpCode.setData, SetDataRequest>
  | Req<OpCode.getACL | OpCode.sync | OpCode.getAllChildrenNumber | OpCode.deleteContainer, PathRequest>
  | Req<OpCode.setACL, SetACLRequest>
  | Req<OpCode.check, CheckVersionRequest>
  | Req<OpCode.multi | OpCode.multiRead, MultiRequest>
  | Req<OpCode.reconfig, ReconfigRequest>
  | Req<OpCode.checkWatches | OpCode.removeWatches, WatchesRequest>
  | Req<OpCode.addWatch, AddWatchRequest>
  | Req<OpCode.getEphemerals, GetEphemeralsRequest>
  | Req<OpCode.auth, AuthPacket>
  | Req<OpCode.setWatches, SetWatches>
  | Req<OpCode.setWatches2, SetWatches2>
  | Req<OpCode.sasl, SaslToken>
  | Req<OpCode.ping | OpCode.closeSession | OpCode.whoAmI, Empty>
  | { op: 'unknown'; type: number };

export type KnownClientRequest = Exclude<ClientRequest, { op: 'unknown' }>;

/** Body record of each known op; null = the op has no body. */
const REQUEST_CODECS: Partial<Record<OpCode, RecordCodec<object> | null>> = {
  [OpCode.create]: CreateRequestCodec,
  [OpCode.create2]: CreateRequestCodec,
  [OpCode.createContainer]: CreateRequestCodec,
  [OpCode.createTTL]: CreateTTLRequestCodec,
  [OpCode.delete]: DeleteRequestCodec,
  [OpCode.exists]: PathWatchRequestCodec,
  [OpCode.getData]: PathWatchRequestCodec,
  [OpCode.getChildren]: PathWatchRequestCodec,
  [OpCode.getChildren2]: PathWatchRequestCodec,
  [OpCode.setData]: SetDataRequestCodec,
  [OpCode.getACL]: PathRequestCodec,
  [OpCode.sync]: PathRequestCodec,
  [OpCode.getAllChildrenNumber]: PathRequestCodec,
  // DeleteContainerRequest writes its path as a buffer: the same bytes as a ustring.
  [OpCode.deleteContainer]: PathRequestCodec,
  [OpCode.setACL]: SetACLRequestCodec,
  [OpCode.check]: CheckVersionRequestCodec,
  [OpCode.multi]: MultiRequestCodec,
  [OpCode.multiRead]: MultiRequestCodec,
  [OpCode.reconfig]: ReconfigRequestCodec,
  [OpCode.checkWatches]: WatchesRequestCodec,
  [OpCode.removeWatches]: WatchesRequestCodec,
  [OpCode.addWatch]: AddWatchRequestCodec,
  [OpCode.getEphemerals]: GetEphemeralsRequestCodec,
  [OpCode.auth]: AuthPacketCodec,
  [OpCode.setWatches]: SetWatchesCodec,
  [OpCode.setWatches2]: SetWatches2Codec,
  [OpCode.sasl]: SaslTokenCodec,
  [OpCode.ping]: null,
  [OpCode.closeSession]: null,
  [OpCode.whoAmI]: null,
};

/** A request whose header decoded but whose body did not; the server can still answer `header.xid`. */
export class JuteRequestError extends JuteError {
  readonly header: RequestHeader;
  constructor(header: RequestHeader, cause: JuteError) {
    super(`bad body for op ${header.type} xid ${header.xid}: ${cause.message}`);
    this.name = 'JuteRequestError';
    this.header = header;
  }
}

export interface DecodedRequest {
  header: RequestHeader;
  request: ClientRequest;
}

/**
 * Decodes one frame payload (after the handshake). A bad header throws JuteError; a bad body throws
 * JuteRequestError (carrying the header). Unknown ops decode to { op: 'unknown' }. Trailing
 * bytes are ignored, as Java does.
 */
export function decodeRequest(bytes: Uint8Array, options?: JuteReaderOptions): DecodedRequest {
  const r = new JuteReader(bytes, options);
  const header = RequestHeaderCodec.read(r);
  const codec = REQUEST_CODECS[header.type as OpCode];
  if (codec === undefined) return { header, request: { op: 'unknown', type: header.type } };
  try {
    const body = codec === null ? {} : codec.read(r);
    return { header, request: { ...body, op: header.type } as ClientRequest };
  } catch (e) {
    if (e instanceof JuteError) throw new JuteRequestError(header, e);
    throw e;
  }
}

/**
 * Encodes RequestHeader + body (no frame length prefix). The header's type is request.op; a
 * header.type that disagrees is a bug and throws.
 */
export function encodeRequest(header: { xid: number; type?: number }, request: KnownClientRequest): Uint8Array {
  const codec = REQUEST_CODECS[request.op];
  if (codec === undefined) throw new JuteError(`op ${request.op} is not a client request`);
  if (header.type !== undefined && header.type !== request.op) {
    throw new JuteError(`header type ${header.type} != request op ${request.op}`);
  }
  const w = new JuteWriter();
  RequestHeaderCodec.write(w, { xid: header.xid, type: request.op });
  if (codec !== null) codec.write(w, request);
  return w.toBytes();
}
