import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkError, Reassembler } from './chunking';
import { isPacked, packFrames, PACKED_FLAG, unpackFrames } from './frame-packing';

/** What a receiver does: packed messages split, chunks reassembled. */
function receive(messages: readonly Uint8Array[], maxFrameBytes = 1 << 20): Uint8Array[] {
  const reassembler = new Reassembler(maxFrameBytes);
  const frames: Uint8Array[] = [];
  for (const message of messages) {
    if (isPacked(message)) frames.push(...unpackFrames(message, maxFrameBytes));
    else {
      const frame = reassembler.push(message);
      if (frame !== null) frames.push(frame);
    }
  }
  return frames;
}

const bytes = (n: number, fill = 7): Uint8Array => new Uint8Array(n).fill(fill);

describe('packFrames', () => {
  it('puts small frames in one message and keeps their order', () => {
    const frames = [bytes(10, 1), bytes(20, 2), bytes(30, 3)];
    const messages = packFrames(frames, 1000);
    expect(messages).toHaveLength(1);
    expect(messages[0]![0]).toBe(PACKED_FLAG);
    expect(receive(messages)).toEqual(frames);
  });

  it('sends a lone frame as an ordinary chunk', () => {
    const messages = packFrames([bytes(10)], 1000);
    expect(messages).toHaveLength(1);
    expect(isPacked(messages[0]!)).toBe(false);
    expect(receive(messages)).toEqual([bytes(10)]);
  });

  it('chunks a frame too big to share a message, between packed neighbours', () => {
    const frames = [bytes(10, 1), bytes(12, 2), bytes(2500, 3), bytes(5, 4), bytes(6, 5)];
    const messages = packFrames(frames, 1000);
    expect(messages.every((m) => m.length <= 1000)).toBe(true);
    expect(receive(messages)).toEqual(frames);
  });

  it('starts a new message when the next frame would not fit', () => {
    const frames = Array.from({ length: 10 }, (_, i) => bytes(300, i));
    const messages = packFrames(frames, 1000);
    expect(messages.length).toBeGreaterThan(3);
    expect(messages.every((m) => m.length <= 1000)).toBe(true);
    expect(receive(messages)).toEqual(frames);
  });

  it('round-trips any frames at any message limit', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 40 }), fc.integer({ min: 16, max: 600 }), (frames, max) => {
        const messages = packFrames(frames, max);
        expect(messages.every((m) => m.length <= max)).toBe(true);
        expect(receive(messages)).toEqual(frames);
      }),
    );
  });
});

describe('unpackFrames', () => {
  it('refuses lengths that overrun the message, as ChunkError', () => {
    const message = packFrames([bytes(4), bytes(4)], 100)[0]!;
    expect(() => unpackFrames(message.subarray(0, message.length - 1), 100)).toThrow(ChunkError);
    expect(() => unpackFrames(Uint8Array.of(PACKED_FLAG, 0, 0), 100)).toThrow(ChunkError);
    expect(() => unpackFrames(Uint8Array.of(PACKED_FLAG), 100)).toThrow(ChunkError);
  });

  it('refuses a frame above the size limit', () => {
    const message = packFrames([bytes(50), bytes(4)], 100)[0]!;
    expect(() => unpackFrames(message, 40)).toThrow(/exceeds 40/);
  });

  it('never throws anything but ChunkError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (raw) => {
        const message = Uint8Array.of(PACKED_FLAG, ...raw);
        try {
          unpackFrames(message, 1000);
        } catch (error) {
          expect(error).toBeInstanceOf(ChunkError);
        }
      }),
    );
  });
});
