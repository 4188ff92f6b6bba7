import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JuteError, JuteReader, JuteWriter } from './jute-io';
import { bytes, fromHex, hexOf, int32, int64, text } from './test-arbitraries';

describe('JuteWriter', () => {
  it('writes big-endian ints, longs and 1-byte booleans', () => {
    const w = new JuteWriter(1).int(-2).long(0x0102030405060708n).bool(true).bool(false);
    expect(hexOf(w.toBytes())).toBe('fffffffe' + '0102030405060708' + '01' + '00');
  });

  it('writes null buffer, string and vector as length -1', () => {
    const w = new JuteWriter().buffer(null).ustring(null).vector(null, () => undefined);
    expect(hexOf(w.toBytes())).toBe('ffffffff'.repeat(3));
  });

  it('writes strings as UTF-8 with a byte-length prefix', () => {
    expect(hexOf(new JuteWriter().ustring('/é').toBytes())).toBe('00000003' + '2fc3a9');
  });

  it('grows past its initial capacity', () => {
    const big = new Uint8Array(10_000).fill(7);
    const out = new JuteWriter(8).buffer(big).int(1).toBytes();
    expect(out.length).toBe(4 + 10_000 + 4);
    expect(out[5000]).toBe(7);
  });

  it('rejects ints and longs out of range instead of wrapping', () => {
    expect(() => new JuteWriter().int(2 ** 31)).toThrow(JuteError);
    expect(() => new JuteWriter().int(1.5)).toThrow(JuteError);
    expect(() => new JuteWriter().long(1n << 63n)).toThrow(JuteError);
  });
});

describe('JuteReader', () => {
  it('round-trips every primitive', () => {
    fc.assert(
      fc.property(int32, int64, fc.boolean(), bytes, text, fc.array(int32, { maxLength: 5 }), (i, l, b, buf, s, v) => {
        const w = new JuteWriter().int(i).long(l).bool(b).buffer(buf).ustring(s);
        w.vector(v, (ww, x) => ww.int(x));
        const r = new JuteReader(w.toBytes());
        expect(r.int()).toBe(i);
        expect(r.long()).toBe(l);
        expect(r.bool()).toBe(b);
        expect(r.buffer()).toEqual(buf);
        expect(r.ustring()).toBe(s);
        expect(r.vector((rr) => rr.int())).toEqual(v);
        expect(r.atEnd()).toBe(true);
      }),
    );
  });

  it('reads -1 lengths as null, or as empty in the non-null readers', () => {
    const nulls = fromHex('ffffffff'.repeat(6));
    const r = new JuteReader(nulls);
    expect(r.bufferOrNull()).toBeNull();
    expect(r.ustringOrNull()).toBeNull();
    expect(r.vectorOrNull((rr) => rr.int())).toBeNull();
    expect(r.buffer()).toEqual(new Uint8Array(0));
    expect(r.ustring()).toBe('');
    expect(r.vector((rr) => rr.int())).toEqual([]);
  });

  it('treats any non-zero boolean byte as true, like DataInput.readBoolean', () => {
    expect(new JuteReader(fromHex('7f')).bool()).toBe(true);
  });

  it('throws JuteError on reads past the end', () => {
    expect(() => new JuteReader(fromHex('000000')).int()).toThrow(JuteError);
    expect(() => new JuteReader(fromHex('00000000000000')).long()).toThrow(JuteError);
    expect(() => new JuteReader(new Uint8Array(0)).bool()).toThrow(JuteError);
    expect(() => new JuteReader(fromHex('00000005 0102')).buffer()).toThrow(JuteError);
  });

  it('rejects negative lengths other than -1 and lengths over the limit', () => {
    expect(() => new JuteReader(fromHex('fffffffe')).buffer()).toThrow(/unreasonable/);
    expect(() => new JuteReader(fromHex('7fffffff')).ustring()).toThrow(/unreasonable/);
    const r = new JuteReader(fromHex('00000004 61626364'), { maxLength: 3 });
    expect(() => r.ustring()).toThrow(JuteError);
  });

  it('rejects a vector count larger than the bytes left, before allocating', () => {
    const r = new JuteReader(fromHex('000f0000 00000001'));
    expect(() => r.vector((rr) => rr.int())).toThrow(/exceeds/);
  });

  it('reads from a subarray view at a non-zero offset', () => {
    const backing = fromHex('ffff 0000002a');
    expect(new JuteReader(backing.subarray(2)).int()).toBe(42);
  });

  it('expectEnd reports trailing bytes', () => {
    const r = new JuteReader(fromHex('00000001 00'));
    r.int();
    expect(() => r.expectEnd('x')).toThrow(/1 trailing/);
  });
});
