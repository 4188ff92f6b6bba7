// A tiny wire-level client for tests: frames requests with the jute encoder and decodes what the
// server sends on one connection (ConnectResponse first, then replies by xid and notifications).
import {
  FrameDecoder,
  decodeConnectResponse,
  decodeNotification,
  decodeReplyHeader,
  decodeResponse,
  encodeConnectRequest,
  encodeFrame,
  encodeRequest,
  type ConnectResponse,
  type KnownClientRequest,
  type ReplyHeader,
  type ResponseOp,
  type WatcherEvent,
} from '../../jute';
import { OpCode, Xid } from '../../jute/opcodes';
import type { SessionId, Zxid } from '../types';

export type Received =
  | { kind: 'connect'; response: ConnectResponse }
  | { kind: 'reply'; header: ReplyHeader; op: number; response: unknown }
  | { kind: 'notification'; zxid: Zxid; event: WatcherEvent };

export interface ConnectOptions {
  sessionId?: SessionId;
  passwd?: Uint8Array;
  timeoutMs?: number;
  lastZxidSeen?: Zxid;
  readOnly?: boolean;
}

export class TestClient {
  private nextXid = 1;
  private readonly opByXid = new Map<number, number>();
  private readonly decoder = new FrameDecoder({ maxFrameBytes: 64 * 1024 * 1024 });
  private connected = false;
  readonly received: Received[] = [];

  connectFrame(options: ConnectOptions = {}): Uint8Array {
    return encodeFrame(
      encodeConnectRequest({
        protocolVersion: 0,
        lastZxidSeen: options.lastZxidSeen ?? 0n,
        timeoutMs: options.timeoutMs ?? 30_000,
        sessionId: options.sessionId ?? 0n,
        passwd: options.passwd ?? new Uint8Array(16),
        readOnly: options.readOnly ?? false,
      }),
    );
  }

  /** Frames a request with the next xid (or the special xid of ping/auth/setWatches). */
  frame(request: KnownClientRequest, xid?: number): { xid: number; bytes: Uint8Array } {
    const useXid = xid ?? specialXid(request.op) ?? this.nextXid++;
    this.opByXid.set(useXid, request.op);
    return { xid: useXid, bytes: encodeFrame(encodeRequest({ xid: useXid }, request)) };
  }

  /** Feeds bytes the server sent on this connection; returns what they decoded to. */
  receive(bytes: Uint8Array): Received[] {
    const out: Received[] = [];
    for (const payload of this.decoder.push(bytes)) out.push(this.decode(payload));
    this.received.push(...out);
    return out;
  }

  private decode(payload: Uint8Array): Received {
    if (!this.connected) {
      this.connected = true;
      return { kind: 'connect', response: decodeConnectResponse(payload) };
    }
    const header = decodeReplyHeader(payload);
    if (header.xid === Xid.NOTIFICATION) {
      const n = decodeNotification(payload);
      return { kind: 'notification', zxid: n.zxid, event: n.event };
    }
    const op = this.opByXid.get(header.xid) ?? OpCode.ping;
    this.opByXid.delete(header.xid);
    const decoded = decodeResponse(op as ResponseOp, payload);
    return { kind: 'reply', header, op, response: decoded.response };
  }
}

function specialXid(op: number): number | undefined {
  if (op === OpCode.ping) return Xid.PING;
  if (op === OpCode.auth) return Xid.AUTH;
  if (op === OpCode.setWatches || op === OpCode.setWatches2) return Xid.SET_WATCHES;
  return undefined;
}
