// Binary encoding of PeerMessage (quorum-messages.ts). Our own compact layout, built from jute
// primitives (big-endian ints and longs, int-length-prefixed buffers and vectors):
//
//   u8 version (=1) | u8 kind code | body
//
// kind code 0 is an FLE notification; a quorum packet uses Apache's Leader.java type number,
// except the leader's REVALIDATE answer, which sets the high bit (0x86) because its payload differs.
// Notification body: u8 state, leader, zxid, electionEpoch, peerEpoch, sid (all longs),
//   u8 hasConfigVersion, [configVersion long]   (Apache's order, plus sid).
// Quorum packet body: zxid long, then the type's fields (see writeQuorumBody).
// Decoding is strict: unknown codes, truncation, trailing bytes, out-of-range values and booleans
// other than 0/1 are all JuteErrors, so a corrupted frame never turns into a plausible message.

import type { Id } from '../zk/types';
import { JuteError, JuteReader, JuteWriter } from './jute-io';
import type { OpCode } from './opcodes';
import {
  QUORUM_PACKET_TYPE,
  QuorumPacketType,
  type NotificationMessage,
  type PeerMessage,
  type QuorumPacket,
  type ServerState,
  type SessionTouch,
} from './quorum-messages';

export * from './quorum-messages';

export const PEER_MESSAGE_VERSION = 1;
/**
 * Default largest encoded message. SNAP carries a whole snapshot, so this is what bounds the data
 * tree a learner can be synced with in one message; every other kind is far smaller (a PROPOSAL
 * is bounded by jute.maxbuffer on the client side).
 */
export const DEFAULT_MAX_PEER_MESSAGE_BYTES = 16 * 1024 * 1024;

export interface PeerMessageCodecOptions {
  /** Largest accepted encoded size in bytes (default DEFAULT_MAX_PEER_MESSAGE_BYTES). */
  maxMessageBytes?: number;
}

const NOTIFICATION_CODE = 0;
const REVALIDATE_REPLY_CODE = 0x80 | QuorumPacketType.REVALIDATE;
/** Apache's QuorumPeer.ServerState ordinal order. */
const STATES: readonly ServerState[] = ['LOOKING', 'FOLLOWING', 'LEADING', 'OBSERVING'];

type QuorumKind = QuorumPacket['kind'];
const KIND_BY_CODE = new Map<number, QuorumKind>();
for (const [kind, type] of Object.entries(QUORUM_PACKET_TYPE) as Array<[QuorumKind, number]>) {
  if (kind !== 'revalidateReply') KIND_BY_CODE.set(type, kind);
}
KIND_BY_CODE.set(REVALIDATE_REPLY_CODE, 'revalidateReply');

function kindCode(kind: QuorumKind): number {
  return kind === 'revalidateReply' ? REVALIDATE_REPLY_CODE : QUORUM_PACKET_TYPE[kind];
}

function maxBytesOf(options: PeerMessageCodecOptions): number {
  const max = options.maxMessageBytes ?? DEFAULT_MAX_PEER_MESSAGE_BYTES;
  if (!Number.isSafeInteger(max) || max < 2) throw new JuteError(`bad maxMessageBytes ${max}`);
  return max;
}

// ---------- encoding ----------

export function encodePeerMessage(message: PeerMessage, options: PeerMessageCodecOptions = {}): Uint8Array {
  const maxBytes = maxBytesOf(options);
  if (typeof message !== 'object' || message === null) throw new JuteError('peer message is not an object');
  const w = new JuteWriter();
  w.raw(Uint8Array.of(PEER_MESSAGE_VERSION));
  if (message.kind === 'notification') {
    w.raw(Uint8Array.of(NOTIFICATION_CODE));
    writeNotification(w, message);
  } else {
    if (!(message.kind in QUORUM_PACKET_TYPE)) throw new JuteError(`unknown peer message kind ${String(message.kind)}`);
    w.raw(Uint8Array.of(kindCode(message.kind)));
    w.long(message.zxid);
    writeQuorumBody(w, message);
  }
  if (w.size > maxBytes) throw new JuteError(`${message.kind} message of ${w.size} bytes exceeds ${maxBytes}`);
  return w.toBytes();
}

function writeNotification(w: JuteWriter, n: NotificationMessage): void {
  const state = STATES.indexOf(n.state);
  if (state < 0) throw new JuteError(`unknown server state ${String(n.state)}`);
  w.raw(Uint8Array.of(state));
  writeSafeLong(w, n.leader, 'leader');
  w.long(n.zxid);
  writeSafeLong(w, n.electionEpoch, 'electionEpoch');
  writeSafeLong(w, n.peerEpoch, 'peerEpoch');
  writeSafeLong(w, n.sid, 'sid');
  writeFlag(w, n.configVersion !== undefined);
  if (n.configVersion !== undefined) w.long(n.configVersion);
}

function writeQuorumBody(w: JuteWriter, p: QuorumPacket): void {
  switch (p.kind) {
    case 'followerInfo':
    case 'observerInfo':
      writeSafeLong(w, p.sid, 'sid');
      w.int(p.protocolVersion).long(p.configVersion);
      return;
    case 'leaderInfo':
      w.int(p.protocolVersion);
      return;
    case 'ackEpoch':
      w.int(p.currentEpoch);
      return;
    case 'diff':
    case 'trunc':
    case 'upToDate':
    case 'ack':
    case 'commit':
    case 'sync':
      return;
    case 'snap':
      writeBytes(w, p.snapshot, 'snapshot');
      return;
    case 'newLeader':
      writeBytes(w, p.config, 'config');
      return;
    case 'proposal':
    case 'inform':
      writeBytes(w, p.txn, 'txn');
      return;
    case 'ping':
      writeList(w, p.sessions, 'sessions', writeSessionTouch);
      return;
    case 'request':
      w.long(p.sessionId).int(p.cxid).int(p.type);
      writeBytes(w, p.request, 'request');
      writeList(w, p.authIds, 'authIds', writeId);
      return;
    case 'revalidate':
      w.long(p.sessionId).int(p.timeoutMs);
      return;
    case 'revalidateReply':
      w.long(p.sessionId);
      writeFlag(w, p.valid);
      return;
  }
}

function writeSafeLong(w: JuteWriter, value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new JuteError(`${what} is not a safe integer: ${value}`);
  w.long(BigInt(value));
}

function writeFlag(w: JuteWriter, value: boolean): void {
  if (typeof value !== 'boolean') throw new JuteError(`not a boolean: ${String(value)}`);
  w.raw(Uint8Array.of(value ? 1 : 0));
}

function writeBytes(w: JuteWriter, value: Uint8Array, what: string): void {
  if (!(value instanceof Uint8Array)) throw new JuteError(`${what} is not a Uint8Array`);
  w.buffer(value);
}

function writeList<T>(w: JuteWriter, items: readonly T[], what: string, writeItem: (w: JuteWriter, item: T) => void): void {
  if (!Array.isArray(items)) throw new JuteError(`${what} is not an array`);
  w.vector(items, writeItem);
}

function writeSessionTouch(w: JuteWriter, touch: SessionTouch): void {
  w.long(touch.sessionId).int(touch.timeoutMs);
}

function writeId(w: JuteWriter, id: Id): void {
  if (typeof id.scheme !== 'string' || typeof id.id !== 'string') throw new JuteError('auth id fields must be strings');
  w.ustring(id.scheme).ustring(id.id);
}

// ---------- decoding ----------

export function decodePeerMessage(bytes: Uint8Array, options: PeerMessageCodecOptions = {}): PeerMessage {
  const maxBytes = maxBytesOf(options);
  if (!(bytes instanceof Uint8Array)) throw new JuteError('peer message is not a Uint8Array');
  if (bytes.length > maxBytes) throw new JuteError(`peer message of ${bytes.length} bytes exceeds ${maxBytes}`);
  const r = new JuteReader(bytes, { maxLength: maxBytes });
  const version = readU8(r, 'version');
  if (version !== PEER_MESSAGE_VERSION) throw new JuteError(`unsupported peer message version ${version}`);
  const code = readU8(r, 'kind');
  const message = code === NOTIFICATION_CODE ? readNotification(r) : readQuorumPacket(r, code);
  r.expectEnd(message.kind);
  return message;
}

export type TryDecodeResult = { ok: true; message: PeerMessage } | { ok: false; reason: string };

/** For hosts that drop and count bad frames instead of handling exceptions. */
export function tryDecodePeerMessage(bytes: Uint8Array, options: PeerMessageCodecOptions = {}): TryDecodeResult {
  try {
    return { ok: true, message: decodePeerMessage(bytes, options) };
  } catch (error) {
    if (error instanceof JuteError) return { ok: false, reason: error.message };
    throw error;
  }
}

function readNotification(r: JuteReader): NotificationMessage {
  const stateCode = readU8(r, 'state');
  const state = STATES[stateCode];
  if (state === undefined) throw new JuteError(`unknown server state code ${stateCode}`);
  const leader = readSafeLong(r, 'leader');
  const zxid = r.long();
  const electionEpoch = readSafeLong(r, 'electionEpoch');
  const peerEpoch = readSafeLong(r, 'peerEpoch');
  const sid = readSafeLong(r, 'sid');
  const message: NotificationMessage = { kind: 'notification', leader, zxid, electionEpoch, state, sid, peerEpoch };
  if (readFlag(r, 'hasConfigVersion')) message.configVersion = r.long();
  return message;
}

function readQuorumPacket(r: JuteReader, code: number): QuorumPacket {
  const kind = KIND_BY_CODE.get(code);
  if (kind === undefined) throw new JuteError(`unknown peer message kind code ${code}`);
  const zxid = r.long();
  switch (kind) {
    case 'followerInfo':
    case 'observerInfo': {
      const sid = readSafeLong(r, 'sid');
      const protocolVersion = r.int();
      return { kind, zxid, sid, protocolVersion, configVersion: r.long() };
    }
    case 'leaderInfo':
      return { kind, zxid, protocolVersion: r.int() };
    case 'ackEpoch':
      return { kind, zxid, currentEpoch: r.int() };
    case 'diff':
    case 'trunc':
    case 'upToDate':
    case 'ack':
    case 'commit':
    case 'sync':
      return { kind, zxid };
    case 'snap':
      return { kind, zxid, snapshot: readBytes(r, 'snapshot') };
    case 'newLeader':
      return { kind, zxid, config: readBytes(r, 'config') };
    case 'proposal':
    case 'inform':
      return { kind, zxid, txn: readBytes(r, 'txn') };
    case 'ping':
      return { kind, zxid, sessions: readList(r, 'sessions', readSessionTouch) };
    case 'request':
      return readRequest(r, zxid);
    case 'revalidate': {
      const sessionId = r.long();
      return { kind, zxid, sessionId, timeoutMs: r.int() };
    }
    case 'revalidateReply': {
      const sessionId = r.long();
      return { kind, zxid, sessionId, valid: readFlag(r, 'valid') };
    }
  }
}

function readRequest(r: JuteReader, zxid: bigint): QuorumPacket {
  const sessionId = r.long();
  const cxid = r.int();
  const type = r.int() as OpCode;
  const request = readBytes(r, 'request');
  const authIds = readList(r, 'authIds', readId);
  return { kind: 'request', zxid, sessionId, cxid, type, request, authIds };
}

function readU8(r: JuteReader, what: string): number {
  if (r.remaining < 1) throw new JuteError(`read past end: ${what} byte at offset ${r.offset}`);
  return r.rawBytes(1)[0] as number;
}

function readFlag(r: JuteReader, what: string): boolean {
  const value = readU8(r, what);
  if (value > 1) throw new JuteError(`${what} flag byte is ${value}, not 0 or 1`);
  return value === 1;
}

function readSafeLong(r: JuteReader, what: string): number {
  const value = r.long();
  if (value < BigInt(Number.MIN_SAFE_INTEGER) || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new JuteError(`${what} ${value} does not fit a safe integer`);
  }
  return Number(value);
}

function readBytes(r: JuteReader, what: string): Uint8Array {
  const value = r.bufferOrNull();
  if (value === null) throw new JuteError(`${what} is null`);
  return value;
}

function readList<T>(r: JuteReader, what: string, readItem: (r: JuteReader) => T): T[] {
  const items = r.vectorOrNull(readItem);
  if (items === null) throw new JuteError(`${what} is null`);
  return items;
}

function readSessionTouch(r: JuteReader): SessionTouch {
  const sessionId = r.long();
  return { sessionId, timeoutMs: r.int() };
}

// Strict, unlike jute's lenient strings: a format we own has no reason to carry malformed UTF-8,
// and strictness keeps decoding canonical (what decodes re-encodes to the same bytes).
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function readStrictString(r: JuteReader, what: string): string {
  const bytes = readBytes(r, what);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new JuteError(`${what} is not valid UTF-8`);
  }
}

function readId(r: JuteReader): Id {
  const scheme = readStrictString(r, 'auth scheme');
  return { scheme, id: readStrictString(r, 'auth id') };
}
