// Client-side glue to the jute codec: request payloads with a patchable xid, and reply bodies.
import { JuteReader } from '../jute/jute-io';
import { OpCode } from '../jute/opcodes';
import { StatCodec } from '../jute/data-records';
import { encodeRequest, type KnownClientRequest } from '../jute/requests';
import { decodeResponse, type ResponseOp } from '../jute/responses';
import { ReplyHeaderCodec } from '../jute/session-records';
import type { Stat } from '../zk/types';

export type WireRequest = KnownClientRequest;

/** RequestHeader + body. The xid can be replaced later (it is given at send time, as in Java). */
export function encodePacket(xid: number, request: WireRequest): Uint8Array {
  return encodeRequest({ xid }, request);
}

/** Overwrites the RequestHeader's xid (the payload's first 4 bytes). */
export function patchXid(payload: Uint8Array, xid: number): void {
  new DataView(payload.buffer, payload.byteOffset, 4).setInt32(0, xid);
}

/**
 * Java sends a null byte[] as length -1 and a server stores and returns it as null (zkCli prints
 * "null"). The jute request types say Uint8Array; JuteWriter.buffer writes null as -1.
 */
export function wireData(data: Uint8Array | null): Uint8Array {
  return data as Uint8Array;
}

export interface GetDataReply {
  data: Uint8Array | null;
  stat: Stat;
}

/** Decodes the success body of a reply to `op` (the frame still starts with the ReplyHeader). */
export function decodeReplyBody(op: number, frame: Uint8Array): unknown {
  if (op === OpCode.getData) return decodeGetData(frame);
  return decodeResponse(op as ResponseOp, frame).response;
}

// getData keeps null data apart from empty data, which the generic record reader merges.
function decodeGetData(frame: Uint8Array): GetDataReply {
  const r = new JuteReader(frame);
  ReplyHeaderCodec.read(r);
  const data = r.bufferOrNull();
  return { data, stat: StatCodec.read(r) };
}
