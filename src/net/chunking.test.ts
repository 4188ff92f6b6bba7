import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkError, chunkFrames, DATA_CHANNEL_MAX_CHUNK_BYTES, Reassembler } from './chunking';

describe('chunkFrames / Reassembler', () => {
  it('round-trips frames of any size through chunks within the limit', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 5 }), fc.integer({ min: 6, max: 64 }), (frames, max) => {
        const r = new Reassembler();
        const out: Uint8Array[] = [];
        for (const frame of frames) {
          const chunks = chunkFrames(frame, max);
          expect(chunks.every((c) => c.length <= max)).toBe(true);
          expect(chunks.length).toBe(frame.length <= max - 5 ? 1 : 1 + Math.ceil((frame.length - (max - 5)) / (max - 1)));
          for (const chunk of chunks) {
            const done = r.push(chunk);
            if (done !== null) out.push(done);
          }
        }
        expect(out).toEqual(frames);
      }),
    );
  });

  it('keeps a 16 MiB snapshot under the data channel limit', () => {
    const frame = new Uint8Array(16 * 1024 * 1024).fill(7);
    const chunks = chunkFrames(frame);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(DATA_CHANNEL_MAX_CHUNK_BYTES);
    const r = new Reassembler();
    let result: Uint8Array | null = null;
    for (const c of chunks) result = r.push(c);
    expect(result?.length).toBe(frame.length);
    expect(result?.every((b) => b === 7)).toBe(true);
  });

  it('rejects broken chunk sequences and recovers on the next frame', () => {
    const r = new Reassembler(100);
    const [first, second] = chunkFrames(new Uint8Array(20), 12);
    expect(() => r.push(second as Uint8Array)).toThrow(ChunkError);
    r.push(first as Uint8Array);
    expect(() => r.push(first as Uint8Array)).toThrow(/incomplete/);
    expect(r.busy).toBe(false);
    expect(() => r.push(chunkFrames(new Uint8Array(101))[0] as Uint8Array)).toThrow(/exceeds 100/);
    expect(() => r.push(Uint8Array.of(3, 0, 0, 0, 2, 1))).toThrow(/ended at 1 of 2/);
    expect(() => r.push(Uint8Array.of(3, 0, 0, 0, 1, 1, 2))).toThrow(/exceed/);
    expect(() => r.push(Uint8Array.of(8))).toThrow(/flags/);
    expect(() => r.push(new Uint8Array(0))).toThrow(/empty/);
    expect(r.push(Uint8Array.of(3, 0, 0, 0, 1, 9))).toEqual(Uint8Array.of(9));
  });

  it('fuzz: arbitrary chunks only ever yield frames or ChunkError', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 12 }), { maxLength: 10 }), (chunks) => {
        const r = new Reassembler(64);
        for (const c of chunks) {
          try {
            r.push(c);
          } catch (error) {
            expect(error).toBeInstanceOf(ChunkError);
          }
        }
      }),
    );
  });

  it('rejects a chunk size that cannot carry data', () => {
    expect(() => chunkFrames(new Uint8Array(1), 5)).toThrow(RangeError);
  });
});
