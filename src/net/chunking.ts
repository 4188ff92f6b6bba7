// Splitting frames for message channels with a small message limit. Browser WebRTC data channels
// are only reliable across browsers for messages under about 16 KiB (the SCTP limit peers agree
// on), so a SNAP or a big PROPOSAL is sent as several chunks and reassembled on the other side.
// The channel is ordered and reliable, so the chunks of one frame arrive back to back.
//
// Chunk layout: u8 flags (1 = first, 2 = last) | [u32 total frame length, first chunk only] | bytes

/** Safe per-message size for data channels, header included (below the ~16,300 byte limit). */
export const DATA_CHANNEL_MAX_CHUNK_BYTES = 16_000;
/** Largest frame a Reassembler accepts by default: a 16 MiB SNAP plus framing slack. */
export const DEFAULT_MAX_REASSEMBLED_BYTES = 16 * 1024 * 1024 + 1024;

const FIRST = 1;
const LAST = 2;
const FIRST_HEADER_BYTES = 5;
const HEADER_BYTES = 1;

export class ChunkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChunkError';
  }
}

export function chunkFrames(frame: Uint8Array, maxChunkBytes = DATA_CHANNEL_MAX_CHUNK_BYTES): Uint8Array[] {
  if (!Number.isSafeInteger(maxChunkBytes) || maxChunkBytes <= FIRST_HEADER_BYTES) {
    throw new RangeError(`maxChunkBytes must be an integer > ${FIRST_HEADER_BYTES}: ${maxChunkBytes}`);
  }
  if (frame.length > 0xffffffff) throw new RangeError(`frame of ${frame.length} bytes is too large to chunk`);
  const chunks: Uint8Array[] = [];
  let offset = 0;
  do {
    const first = offset === 0;
    const header = first ? FIRST_HEADER_BYTES : HEADER_BYTES;
    const take = Math.min(maxChunkBytes - header, frame.length - offset);
    const last = offset + take === frame.length;
    const chunk = new Uint8Array(header + take);
    chunk[0] = (first ? FIRST : 0) | (last ? LAST : 0);
    if (first) new DataView(chunk.buffer).setUint32(1, frame.length);
    chunk.set(frame.subarray(offset, offset + take), header);
    chunks.push(chunk);
    offset += take;
  } while (offset < frame.length);
  return chunks;
}

/** Rebuilds frames from chunks. After a ChunkError the partial frame is gone and it starts afresh. */
export class Reassembler {
  private frame: Uint8Array | null = null;
  private filled = 0;

  constructor(private readonly maxFrameBytes = DEFAULT_MAX_REASSEMBLED_BYTES) {}

  /** True while a frame is partly received. */
  get busy(): boolean {
    return this.frame !== null;
  }

  /** The completed frame, or null while more chunks are needed. */
  push(chunk: Uint8Array): Uint8Array | null {
    try {
      return this.accept(chunk);
    } catch (error) {
      this.frame = null;
      throw error;
    }
  }

  private accept(chunk: Uint8Array): Uint8Array | null {
    if (chunk.length < HEADER_BYTES) throw new ChunkError('empty chunk');
    const flags = chunk[0] as number;
    if ((flags & ~(FIRST | LAST)) !== 0) throw new ChunkError(`bad chunk flags ${flags}`);
    if (flags & FIRST) this.start(chunk);
    else if (this.frame === null) throw new ChunkError('continuation chunk without a first chunk');
    const frame = this.frame as Uint8Array;
    const body = chunk.subarray(flags & FIRST ? FIRST_HEADER_BYTES : HEADER_BYTES);
    if (this.filled + body.length > frame.length) throw new ChunkError('chunks exceed the announced frame length');
    frame.set(body, this.filled);
    this.filled += body.length;
    if (!(flags & LAST)) return null;
    if (this.filled !== frame.length) throw new ChunkError(`frame ended at ${this.filled} of ${frame.length} bytes`);
    this.frame = null;
    return frame;
  }

  private start(chunk: Uint8Array): void {
    if (this.frame !== null) throw new ChunkError('first chunk while a frame is incomplete');
    if (chunk.length < FIRST_HEADER_BYTES) throw new ChunkError('truncated first chunk');
    const total = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength).getUint32(1);
    if (total > this.maxFrameBytes) throw new ChunkError(`frame of ${total} bytes exceeds ${this.maxFrameBytes}`);
    this.frame = new Uint8Array(total);
    this.filled = 0;
  }
}
