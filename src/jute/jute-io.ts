// Jute binary archive: big-endian ints/longs, 1-byte booleans, length-prefixed buffers, UTF-8
// strings and vectors (length -1 means null), exactly as org.apache.jute.Binary{In,Out}putArchive.

/** Every decoding failure (truncated input, absurd length, bad value) is a JuteError. */
export class JuteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JuteError';
  }
}

/** jute.maxbuffer default (BinaryInputArchive.maxBuffer). */
export const JUTE_MAX_BUFFER = 0xfffff;
/** Field-length sanity limit: maxBuffer + extraMaxBuffer (which defaults to maxBuffer). */
export const DEFAULT_MAX_FIELD_LENGTH = JUTE_MAX_BUFFER * 2;

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const INITIAL_CAPACITY = 256;

const utf8Encoder = new TextEncoder();
// Not fatal: Java's new String(bytes, UTF_8) also replaces malformed sequences with U+FFFD.
const utf8Decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

export class JuteWriter {
  private bytes: Uint8Array;
  private view: DataView;
  private length = 0;

  constructor(initialCapacity = INITIAL_CAPACITY) {
    this.bytes = new Uint8Array(Math.max(8, initialCapacity));
    this.view = new DataView(this.bytes.buffer);
  }

  get size(): number {
    return this.length;
  }

  int(value: number): this {
    if (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) {
      throw new JuteError(`not a 32-bit int: ${value}`);
    }
    this.reserve(4);
    this.view.setInt32(this.length, value);
    this.length += 4;
    return this;
  }

  long(value: bigint): this {
    if (typeof value !== 'bigint' || value < INT64_MIN || value > INT64_MAX) {
      throw new JuteError(`not a 64-bit long: ${String(value)}`);
    }
    this.reserve(8);
    this.view.setBigInt64(this.length, value);
    this.length += 8;
    return this;
  }

  bool(value: boolean): this {
    this.reserve(1);
    this.bytes[this.length++] = value ? 1 : 0;
    return this;
  }

  /** Length-prefixed bytes; null is written as length -1. */
  buffer(value: Uint8Array | null): this {
    if (value === null) return this.int(-1);
    this.int(value.length);
    this.raw(value);
    return this;
  }

  /** UTF-8 string; null is written as length -1. */
  ustring(value: string | null): this {
    if (value === null) return this.int(-1);
    return this.buffer(utf8Encoder.encode(value));
  }

  /** Vector: count then items; null is written as count -1. */
  vector<T>(items: readonly T[] | null, writeItem: (w: JuteWriter, item: T) => void): this {
    if (items === null) return this.int(-1);
    this.int(items.length);
    for (const item of items) writeItem(this, item);
    return this;
  }

  /** Bytes with no length prefix (frame payloads, nested pre-encoded data). */
  raw(value: Uint8Array): this {
    this.reserve(value.length);
    this.bytes.set(value, this.length);
    this.length += value.length;
    return this;
  }

  /** A copy of the bytes written so far. */
  toBytes(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }
}

export interface JuteReaderOptions {
  /** Largest accepted buffer/string byte length or vector count. */
  maxLength?: number;
}

export class JuteReader {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private pos = 0;
  readonly maxLength: number;

  constructor(bytes: Uint8Array, options: JuteReaderOptions = {}) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.maxLength = options.maxLength ?? DEFAULT_MAX_FIELD_LENGTH;
  }

  get offset(): number {
    return this.pos;
  }
  get remaining(): number {
    return this.bytes.length - this.pos;
  }
  atEnd(): boolean {
    return this.pos >= this.bytes.length;
  }

  int(): number {
    this.need(4, 'int');
    const value = this.view.getInt32(this.pos);
    this.pos += 4;
    return value;
  }

  long(): bigint {
    this.need(8, 'long');
    const value = this.view.getBigInt64(this.pos);
    this.pos += 8;
    return value;
  }

  /** Java's readBoolean: any non-zero byte is true. */
  bool(): boolean {
    this.need(1, 'boolean');
    return this.bytes[this.pos++] !== 0;
  }

  bufferOrNull(): Uint8Array | null {
    const length = this.length('buffer');
    if (length === null) return null;
    return this.rawBytes(length);
  }

  /**
   * A buffer where null (-1) reads as empty: for fields where Java never cares (passwords, auth,
   * SASL tokens). znode data must use bufferOrNull: ZooKeeper keeps null data apart from empty.
   */
  buffer(): Uint8Array {
    return this.bufferOrNull() ?? new Uint8Array(0);
  }

  ustringOrNull(): string | null {
    const length = this.length('ustring');
    if (length === null) return null;
    const start = this.pos;
    this.pos += length;
    return utf8Decoder.decode(this.bytes.subarray(start, this.pos));
  }

  /** A string where null (-1) reads as ''. Server-side validation then rejects it as a bad path. */
  ustring(): string {
    return this.ustringOrNull() ?? '';
  }

  vectorOrNull<T>(readItem: (r: JuteReader) => T): T[] | null {
    const count = this.length('vector');
    if (count === null) return null;
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(readItem(this));
    return items;
  }

  /** A vector where null (-1) reads as []. */
  vector<T>(readItem: (r: JuteReader) => T): T[] {
    return this.vectorOrNull(readItem) ?? [];
  }

  /** Exactly `length` bytes, copied. */
  rawBytes(length: number): Uint8Array {
    this.need(length, 'bytes');
    const out = this.bytes.slice(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  /** Everything not yet read, copied. */
  rest(): Uint8Array {
    return this.rawBytes(this.remaining);
  }

  /** Throws unless every byte was consumed (for formats we own, like the txn log). */
  expectEnd(what: string): void {
    if (this.remaining !== 0) throw new JuteError(`${this.remaining} trailing bytes after ${what}`);
  }

  /**
   * Reads a length/count prefix. -1 is null; other negatives, lengths over maxLength, and
   * lengths over what is left are rejected up front, so no huge allocation or long loop happens.
   * Every vector element is at least one byte, so `remaining` also bounds vector counts.
   */
  private length(what: string): number | null {
    const length = this.int();
    if (length === -1) return null;
    if (length < 0 || length > this.maxLength) {
      throw new JuteError(`unreasonable ${what} length ${length}`);
    }
    if (length > this.remaining) {
      throw new JuteError(`${what} length ${length} exceeds ${this.remaining} remaining bytes`);
    }
    return length;
  }

  private need(count: number, what: string): void {
    if (count > this.remaining) {
      throw new JuteError(`read past end: ${what} needs ${count} bytes at offset ${this.pos}, ${this.remaining} left`);
    }
  }
}

/** A record's binary layout: how to write it and read it back. */
export interface RecordCodec<T> {
  write(w: JuteWriter, value: T): void;
  read(r: JuteReader): T;
}

export function encodeRecord<T>(codec: RecordCodec<T>, value: T): Uint8Array {
  const w = new JuteWriter();
  codec.write(w, value);
  return w.toBytes();
}

/** Decodes one record; trailing bytes are ignored, as Java's deserialize ignores them. */
export function decodeRecord<T>(codec: RecordCodec<T>, bytes: Uint8Array, options?: JuteReaderOptions): T {
  return codec.read(new JuteReader(bytes, options));
}
