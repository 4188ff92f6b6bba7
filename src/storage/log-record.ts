// Framed log records: [payloadLength u32][crc32 u32][zxid u64][payload], big-endian.
// The CRC covers the length, zxid and payload, so a torn write or a flipped bit anywhere in a record
// is caught. Pure (no Node or DOM APIs): file storage and IndexedDB storage both use it.
import { hex, type Zxid } from '../zk/types';
import { crc32Update } from './crc32';
import type { LogEntry } from './storage';

export const LOG_RECORD_HEADER_BYTES = 16;
/** Sanity bound on one txn: far above jute.maxbuffer, far below a garbage length. */
export const LOG_RECORD_PAYLOAD_BYTES_MAX = 64 * 1024 * 1024;

export interface LogScanResult {
  /** Whole records in order, payloads copied out of the scanned buffer. */
  entries: LogEntry[];
  /** Byte offset of each entry's record in the scanned buffer. */
  entryOffsets: number[];
  /** Bytes [0, validEndOffset) are whole records (or the caller's header before `startOffset`). */
  validEndOffset: number;
  /** Null when the buffer ends exactly after a whole record. */
  warning: string | null;
}

export interface LogScanOptions {
  /** Where the first record starts (after a file header). Default 0. */
  startOffset?: number;
  /** Zxid of the record before this buffer (previous file): records must come after it. */
  afterZxid?: Zxid | null;
  /** Names the buffer in warnings, e.g. a file name. */
  label?: string;
  /**
   * false: entry bytes are views into `bytes` (no copy per entry). Only for a buffer nobody else
   * holds or changes (an IndexedDB value just read); never for a Node Buffer from a pool.
   */
  copy?: boolean;
}

function recordCrc(bytes: Uint8Array, offset: number, payloadLength: number): number {
  const lengthCrc = crc32Update(0, bytes, offset, offset + 4);
  return crc32Update(lengthCrc, bytes, offset + 8, offset + LOG_RECORD_HEADER_BYTES + payloadLength);
}

/**
 * A plain Uint8Array copy. Not `.slice()`: on a Node Buffer that returns a view sharing memory, so
 * an entry would keep the whole file buffer alive and change with it.
 */
export function copyBytes(bytes: Uint8Array, start = 0, end = bytes.length): Uint8Array {
  return new Uint8Array(bytes.subarray(start, end));
}

export function logRecordBytes(entry: LogEntry): number {
  return LOG_RECORD_HEADER_BYTES + entry.bytes.length;
}

/** Encodes a batch into one buffer, so one append is one write. */
export function encodeLogRecords(entries: readonly LogEntry[]): Uint8Array {
  let total = 0;
  for (const entry of entries) total += logRecordBytes(entry);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const entry of entries) {
    const length = entry.bytes.length;
    if (length > LOG_RECORD_PAYLOAD_BYTES_MAX) {
      throw new RangeError(`log entry ${hex(entry.zxid)} is ${length} bytes, max ${LOG_RECORD_PAYLOAD_BYTES_MAX}`);
    }
    view.setUint32(offset, length);
    view.setBigUint64(offset + 8, BigInt.asUintN(64, entry.zxid));
    out.set(entry.bytes, offset + LOG_RECORD_HEADER_BYTES);
    view.setUint32(offset + 4, recordCrc(out, offset, length));
    offset += LOG_RECORD_HEADER_BYTES + length;
  }
  return out;
}

export function encodeLogRecord(entry: LogEntry): Uint8Array {
  return encodeLogRecords([entry]);
}

/** The one wording every storage uses when it drops a damaged log tail. */
export function describeLogCut(cutBytes: number, afterZxid: Zxid | null, reason: string): string {
  const after = afterZxid === null ? 'the start of the log' : hex(afterZxid);
  return `cut ${cutBytes} bytes of torn log tail after ${after} (${reason})`;
}

type RecordCheck = { ok: true; entry: LogEntry; end: number } | { ok: false; reason: string };

function checkRecordAt(bytes: Uint8Array, offset: number, previous: Zxid | null, copy = true, view = viewOf(bytes)): RecordCheck {
  const remaining = bytes.length - offset;
  if (remaining < LOG_RECORD_HEADER_BYTES) return { ok: false, reason: `incomplete record header at byte ${offset}` };
  const length = view.getUint32(offset);
  if (length > LOG_RECORD_PAYLOAD_BYTES_MAX) return { ok: false, reason: `bad record length ${length} at byte ${offset}` };
  const end = offset + LOG_RECORD_HEADER_BYTES + length;
  if (end > bytes.length) return { ok: false, reason: `incomplete record at byte ${offset}` };
  if (view.getUint32(offset + 4) !== recordCrc(bytes, offset, length)) {
    return { ok: false, reason: `checksum mismatch at byte ${offset}` };
  }
  const zxid = view.getBigUint64(offset + 8);
  if (previous !== null && zxid <= previous) {
    return { ok: false, reason: `zxid ${hex(zxid)} out of order at byte ${offset}` };
  }
  const payloadStart = offset + LOG_RECORD_HEADER_BYTES;
  return { ok: true, entry: { zxid, bytes: copy ? copyBytes(bytes, payloadStart, end) : bytes.subarray(payloadStart, end) }, end };
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Reads records until the buffer ends or the first torn/corrupt/out-of-order record. Never throws. */
export function scanLogRecords(bytes: Uint8Array, options: LogScanOptions = {}): LogScanResult {
  const entries: LogEntry[] = [];
  const entryOffsets: number[] = [];
  let offset = options.startOffset ?? 0;
  let previous = options.afterZxid ?? null;
  const view = viewOf(bytes);
  while (offset < bytes.length) {
    const check = checkRecordAt(bytes, offset, previous, options.copy ?? true, view);
    if (!check.ok) {
      const reason = options.label === undefined ? check.reason : `${options.label}: ${check.reason}`;
      return { entries, entryOffsets, validEndOffset: offset, warning: describeLogCut(bytes.length - offset, previous, reason) };
    }
    entries.push(check.entry);
    entryOffsets.push(offset);
    previous = check.entry.zxid;
    offset = check.end;
  }
  return { entries, entryOffsets, validEndOffset: offset, warning: null };
}

/** Decodes a buffer that must hold exactly one whole record (IndexedDB values); null if damaged. */
export function decodeLogRecord(bytes: Uint8Array): LogEntry | null {
  const check = checkRecordAt(bytes, 0, null);
  if (!check.ok || check.end !== bytes.length) return null;
  return check.entry;
}
