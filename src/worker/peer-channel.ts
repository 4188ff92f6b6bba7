// The part of RTCDataChannel the server worker's peer transport uses. An RTCDataChannel created by
// the page and transferred to the worker fits it as is; tests (and the BroadcastChannel fallback for
// tabs of one browser) supply their own objects of this shape.

export type ChannelState = 'connecting' | 'open' | 'closing' | 'closed';
export type ChannelEventType = 'open' | 'message' | 'close' | 'error' | 'bufferedamountlow';

export interface DataChannelLike {
  readonly label: string;
  readonly readyState: ChannelState;
  readonly bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  binaryType: string;
  send(data: Uint8Array<ArrayBuffer>): void;
  close(): void;
  addEventListener(type: ChannelEventType, listener: (event: { data?: unknown }) => void): void;
  removeEventListener(type: ChannelEventType, listener: (event: { data?: unknown }) => void): void;
}

/** Bytes of a message event, or null if it is not binary (a text message is a bad frame here). */
export function messageBytes(data: unknown): Uint8Array | null {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return null;
}
