// Client-side glue to the jute codec: request payloads with a patchable xid, and reply bodies.
import { encodeRequest, type KnownClientRequest } from '../jute/requests';
import { decodeResponse, type ResponseOp } from '../jute/responses';
import type { GetDataResponse } from '../jute/response-records';

export type WireRequest = KnownClientRequest;

/** RequestHeader + body. The xid can be replaced later (it is given at send time, as in Java). */
export function encodePacket(xid: number, request: WireRequest): Uint8Array {
  return encodeRequest({ xid }, request);
}

/** Overwrites the RequestHeader's xid (the payload's first 4 bytes). */
export function patchXid(payload: Uint8Array, xid: number): void {
  new DataView(payload.buffer, payload.byteOffset, 4).setInt32(0, xid);
}

/** getData's reply; data is null when the server sent length -1 (a node with null data). */
export type GetDataReply = GetDataResponse;

/** Decodes the success body of a reply to `op` (the frame still starts with the ReplyHeader). */
export function decodeReplyBody(op: number, frame: Uint8Array): unknown {
  return decodeResponse(op as ResponseOp, frame).response;
}
