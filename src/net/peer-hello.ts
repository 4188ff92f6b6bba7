// The first frame of a peer connection: who is calling, in which protocol. Like Apache's
// QuorumCnxManager initial message (protocol version, sid, election address), in our own layout:
//   "ZTQP" | u8 version | i64 sid | u16 listen port (0 = not listening / unknown)

import type { ServerId } from '../zk/types';

export const PEER_HELLO_MAGIC = Uint8Array.of(0x5a, 0x54, 0x51, 0x50); // "ZTQP"
export const PEER_PROTOCOL_VERSION = 1;
export const PEER_HELLO_BYTES = 4 + 1 + 8 + 2;

export interface PeerHello {
  sid: ServerId;
  listenPort: number;
}

export function encodePeerHello(hello: PeerHello): Uint8Array {
  if (!Number.isSafeInteger(hello.sid)) throw new RangeError(`sid is not an integer: ${hello.sid}`);
  if (!Number.isInteger(hello.listenPort) || hello.listenPort < 0 || hello.listenPort > 0xffff) {
    throw new RangeError(`bad listen port ${hello.listenPort}`);
  }
  const out = new Uint8Array(PEER_HELLO_BYTES);
  out.set(PEER_HELLO_MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint8(4, PEER_PROTOCOL_VERSION);
  view.setBigInt64(5, BigInt(hello.sid));
  view.setUint16(13, hello.listenPort);
  return out;
}

/** The hello, or a reason why these bytes are not one. */
export function decodePeerHello(bytes: Uint8Array): PeerHello | string {
  if (bytes.length !== PEER_HELLO_BYTES) return `hello of ${bytes.length} bytes, expected ${PEER_HELLO_BYTES}`;
  if (!PEER_HELLO_MAGIC.every((b, i) => bytes[i] === b)) return 'bad magic';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(4);
  if (version !== PEER_PROTOCOL_VERSION) return `unsupported peer protocol version ${version}`;
  const sid = view.getBigInt64(5);
  if (sid < BigInt(Number.MIN_SAFE_INTEGER) || sid > BigInt(Number.MAX_SAFE_INTEGER)) return `sid ${sid} out of range`;
  return { sid: Number(sid), listenPort: view.getUint16(13) };
}
