// Length-prefixed framing: every packet is a 4-byte big-endian length then that many bytes.
import { JUTE_MAX_BUFFER, JuteError } from './jute-io';
import { fourLetterWordFromInt, TELNET_CLOSE_INT } from './four-letter-word';
import type { FourLetterWord } from './four-letter-word';

export function encodeFrame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + payload.length);
  new DataView(out.buffer).setInt32(0, payload.length);
  out.set(payload, 4);
  return out;
}

/** A declared frame length that the peer must be disconnected for. */
export class FrameError extends JuteError {
  readonly declaredLength: number;
  constructor(declaredLength: number, maxFrameBytes: number) {
    super(`frame length ${declaredLength} is negative or exceeds jute.maxbuffer=${maxFrameBytes}`);
    this.name = 'FrameError';
    this.declaredLength = declaredLength;
  }
}

export interface FrameDecoderOptions {
  /** Largest accepted payload; NIOServerCnxn rejects len > jute.maxbuffer (0xfffff). */
  maxFrameBytes?: number;
  /** Server side: treat a first length field spelling a 4lw (or telnet close) as that command. */
  detectFourLetterWords?: boolean;
}

export type FirstWord = FourLetterWord | 'telnet close';

/**
 * Accumulates stream bytes and yields complete frame payloads. After a FrameError the decoder
 * stays failed. With detectFourLetterWords, a command in the very first 4 bytes stops framing:
 * `fourLetterWord` is set and later bytes (stmk's mask) collect in `remainder()`.
 */
export class FrameDecoder {
  readonly maxFrameBytes: number;
  private readonly detectFourLetterWords: boolean;
  private buf = new Uint8Array(0);
  private start = 0;
  private end = 0;
  private sawFirstLength = false;
  private failure: FrameError | null = null;
  fourLetterWord: FirstWord | null = null;

  constructor(options: FrameDecoderOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? JUTE_MAX_BUFFER;
    this.detectFourLetterWords = options.detectFourLetterWords ?? false;
  }

  /** Bytes buffered but not yet returned as a frame. */
  get bufferedBytes(): number {
    return this.end - this.start;
  }

  push(bytes: Uint8Array): Uint8Array[] {
    if (this.failure !== null) throw this.failure;
    this.append(bytes);
    if (this.fourLetterWord !== null) return [];
    const frames: Uint8Array[] = [];
    while (this.bufferedBytes >= 4) {
      const length = new DataView(this.buf.buffer, this.start, 4).getInt32(0);
      if (this.checkFirstWord(length)) return frames;
      if (length < 0 || length > this.maxFrameBytes) {
        this.failure = new FrameError(length, this.maxFrameBytes);
        throw this.failure;
      }
      if (this.bufferedBytes < 4 + length) break;
      frames.push(this.buf.slice(this.start + 4, this.start + 4 + length));
      this.start += 4 + length;
    }
    return frames;
  }

  /** After a 4lw was detected: the bytes that followed it. */
  remainder(): Uint8Array {
    return this.buf.slice(this.start, this.end);
  }

  private checkFirstWord(length: number): boolean {
    if (this.sawFirstLength) return false;
    this.sawFirstLength = true;
    if (!this.detectFourLetterWords) return false;
    const word = length === TELNET_CLOSE_INT ? 'telnet close' : fourLetterWordFromInt(length);
    if (word === null) return false;
    this.fourLetterWord = word;
    this.start += 4;
    return true;
  }

  private append(bytes: Uint8Array): void {
    if (this.start === this.end) this.start = this.end = 0;
    if (this.end + bytes.length > this.buf.length) this.makeRoom(bytes.length);
    this.buf.set(bytes, this.end);
    this.end += bytes.length;
  }

  /** Compacts, growing geometrically, so total copying stays linear in the bytes received. */
  private makeRoom(extra: number): void {
    const needed = this.bufferedBytes + extra;
    if (needed <= this.buf.length) {
      this.buf.copyWithin(0, this.start, this.end);
    } else {
      const grown = new Uint8Array(Math.max(needed, this.buf.length * 2, 64));
      grown.set(this.buf.subarray(this.start, this.end));
      this.buf = grown;
    }
    this.end -= this.start;
    this.start = 0;
  }
}
