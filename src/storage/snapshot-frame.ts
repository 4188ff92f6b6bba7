// Snapshot framing: header [magic "ZTSN" u32][version u32][zxid u64][payloadLength u32], the payload,
// then a trailer [crc32 u32 over header+payload][end magic "ZTSE" u32]. Like ZooKeeper's snapshot
// trailer, it lets a reader tell a whole snapshot from a torn or damaged one. Pure.
import { hex, type Zxid } from '../zk/types';
import { crc32Update } from './crc32';
import { copyBytes } from './log-record';
import type { SnapshotRecord } from './storage';

const SNAPSHOT_MAGIC = 0x5a54534e; // "ZTSN"
const SNAPSHOT_END_MAGIC = 0x5a545345; // "ZTSE"
const SNAPSHOT_VERSION = 1;
export const SNAPSHOT_HEADER_BYTES = 20;
export const SNAPSHOT_TRAILER_BYTES = 8;

export function encodeSnapshotFrame(snapshot: SnapshotRecord): Uint8Array {
  const payloadLength = snapshot.bytes.length;
  if (payloadLength > 0xffffffff) throw new RangeError(`snapshot ${hex(snapshot.zxid)} is too large`);
  const out = new Uint8Array(SNAPSHOT_HEADER_BYTES + payloadLength + SNAPSHOT_TRAILER_BYTES);
  const view = new DataView(out.buffer);
  view.setUint32(0, SNAPSHOT_MAGIC);
  view.setUint32(4, SNAPSHOT_VERSION);
  view.setBigUint64(8, BigInt.asUintN(64, snapshot.zxid));
  view.setUint32(16, payloadLength);
  out.set(snapshot.bytes, SNAPSHOT_HEADER_BYTES);
  const trailerAt = SNAPSHOT_HEADER_BYTES + payloadLength;
  view.setUint32(trailerAt, crc32Update(0, out, 0, trailerAt));
  view.setUint32(trailerAt + 4, SNAPSHOT_END_MAGIC);
  return out;
}

export type SnapshotDecodeResult = { ok: true; snapshot: SnapshotRecord } | { ok: false; reason: string };

/** Checks the frame whole; `expectedZxid` (from a file name or key) must match the header. */
export function decodeSnapshotFrame(bytes: Uint8Array, expectedZxid?: Zxid): SnapshotDecodeResult {
  if (bytes.length < SNAPSHOT_HEADER_BYTES + SNAPSHOT_TRAILER_BYTES) {
    return { ok: false, reason: `only ${bytes.length} bytes` };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== SNAPSHOT_MAGIC) return { ok: false, reason: 'bad magic' };
  if (view.getUint32(4) !== SNAPSHOT_VERSION) return { ok: false, reason: `unknown version ${view.getUint32(4)}` };
  const zxid = view.getBigUint64(8);
  const payloadLength = view.getUint32(16);
  const trailerAt = SNAPSHOT_HEADER_BYTES + payloadLength;
  if (trailerAt + SNAPSHOT_TRAILER_BYTES !== bytes.length) {
    return { ok: false, reason: `length ${bytes.length} does not match header (${payloadLength}-byte payload)` };
  }
  if (view.getUint32(trailerAt + 4) !== SNAPSHOT_END_MAGIC) return { ok: false, reason: 'missing end marker' };
  if (view.getUint32(trailerAt) !== crc32Update(0, bytes, 0, trailerAt)) return { ok: false, reason: 'checksum mismatch' };
  if (expectedZxid !== undefined && zxid !== expectedZxid) {
    return { ok: false, reason: `holds zxid ${hex(zxid)}, expected ${hex(expectedZxid)}` };
  }
  return { ok: true, snapshot: { zxid, bytes: copyBytes(bytes, SNAPSHOT_HEADER_BYTES, trailerAt) } };
}
