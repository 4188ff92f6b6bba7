import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeFrame, FrameDecoder, FrameError } from './framing';
import { FOUR_LETTER_WORDS, fourLetterWord, fourLetterWordInt } from './four-letter-word';
import { fromHex, hexOf } from './test-arbitraries';

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('encodeFrame', () => {
  it('prefixes a 4-byte big-endian length', () => {
    expect(hexOf(encodeFrame(new Uint8Array([1, 2, 3])))).toBe('00000003010203');
    expect(hexOf(encodeFrame(new Uint8Array(0)))).toBe('00000000');
  });
});

describe('FrameDecoder', () => {
  const payloads = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array(300).fill(9), new Uint8Array([4])];
  const stream = concat(payloads.map(encodeFrame));

  it('yields the same frames for a split at every byte position', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const d = new FrameDecoder();
      const frames = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
      expect(frames).toEqual(payloads);
      expect(d.bufferedBytes).toBe(0);
    }
  });

  it('yields the same frames when fed one byte at a time', () => {
    const d = new FrameDecoder();
    const frames: Uint8Array[] = [];
    for (const b of stream) frames.push(...d.push(new Uint8Array([b])));
    expect(frames).toEqual(payloads);
  });

  it('yields the same frames for arbitrary chunkings', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (ps, cuts) => {
        const s = concat(ps.map(encodeFrame));
        const points = [...new Set(cuts.map((c) => c % (s.length + 1)))].sort((a, b) => a - b);
        const d = new FrameDecoder();
        const frames: Uint8Array[] = [];
        let prev = 0;
        for (const p of [...points, s.length]) {
          frames.push(...d.push(s.subarray(prev, p)));
          prev = p;
        }
        expect(frames).toEqual(ps);
      }),
    );
  });

  it('returned frames are copies, unaffected by later pushes', () => {
    const d = new FrameDecoder();
    const [first] = d.push(concat([encodeFrame(new Uint8Array([1])), fromHex('0000')]));
    d.push(fromHex('0001 ff'));
    expect(first).toEqual(new Uint8Array([1]));
  });

  it('throws FrameError on a negative length and stays failed', () => {
    const d = new FrameDecoder();
    expect(() => d.push(fromHex('ffffffff'))).toThrow(FrameError);
    expect(() => d.push(encodeFrame(new Uint8Array(1)))).toThrow(FrameError);
  });

  it('rejects lengths over jute.maxbuffer (0xfffff) but accepts exactly that', () => {
    expect(() => new FrameDecoder().push(fromHex('00100000'))).toThrow(FrameError);
    expect(new FrameDecoder().push(fromHex('000fffff'))).toEqual([]);
    expect(() => new FrameDecoder({ maxFrameBytes: 10 }).push(fromHex('0000000b'))).toThrow(/exceeds/);
  });

  it('emits frames preceding a bad length before failing on the next push', () => {
    const d = new FrameDecoder({ maxFrameBytes: 4 });
    expect(() => d.push(concat([encodeFrame(new Uint8Array([1])), fromHex('00000005')]))).toThrow(FrameError);
  });
});

describe('four-letter words', () => {
  it('recognises every known command from its bytes', () => {
    for (const word of FOUR_LETTER_WORDS) {
      expect(fourLetterWord(new TextEncoder().encode(word))).toBe(word);
    }
    expect(fourLetterWordInt('ruok')).toBe(0x72756f6b);
    expect(fourLetterWord(new TextEncoder().encode('nope'))).toBeNull();
    expect(fourLetterWord(new TextEncoder().encode('ruo'))).toBeNull();
  });

  it('a decoder with detection stops on a 4lw in the first 4 bytes, even split', () => {
    const d = new FrameDecoder({ detectFourLetterWords: true });
    expect(d.push(new TextEncoder().encode('st'))).toEqual([]);
    expect(d.fourLetterWord).toBeNull();
    expect(d.push(new TextEncoder().encode('mk\u0000\u0000'))).toEqual([]);
    expect(d.fourLetterWord).toBe('stmk');
    d.push(fromHex('000000000001'));
    expect(hexOf(d.remainder())).toBe('0000000000000001');
  });

  it('detects telnet close', () => {
    const d = new FrameDecoder({ detectFourLetterWords: true });
    d.push(fromHex('fff4fffd'));
    expect(d.fourLetterWord).toBe('telnet close');
  });

  it('only the first length field can be a 4lw, and only with detection on', () => {
    const ruok = new TextEncoder().encode('ruok');
    expect(() => new FrameDecoder().push(ruok)).toThrow(FrameError);
    const d = new FrameDecoder({ detectFourLetterWords: true });
    expect(d.push(encodeFrame(new Uint8Array([1])))).toHaveLength(1);
    expect(() => d.push(ruok)).toThrow(FrameError);
    expect(d.fourLetterWord).toBeNull();
  });
});
