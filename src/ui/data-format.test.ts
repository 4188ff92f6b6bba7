import { describe, expect, it } from 'vitest';
import { dataAsText, HEX_BYTES_MAX, hexDump, prettyJson, TEXT_CHARS_MAX } from './data-format';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('dataAsText', () => {
  it('says empty for null and zero-length data', () => {
    expect(dataAsText(null).kind).toBe('empty');
    expect(dataAsText(new Uint8Array()).kind).toBe('empty');
  });

  it('pretty-prints JSON objects and arrays', () => {
    expect(dataAsText(bytes('{"a":[1,2]}'))).toEqual({ kind: 'json', text: '{\n  "a": [\n    1,\n    2\n  ]\n}', truncated: false });
  });

  it('keeps markup as the literal text', () => {
    const payload = '<script>alert(1)</script>';
    expect(dataAsText(bytes(payload))).toEqual({ kind: 'text', text: payload, truncated: false });
  });

  it('leaves bare JSON scalars and broken JSON as text', () => {
    expect(dataAsText(bytes('42')).kind).toBe('text');
    expect(prettyJson('{"a":')).toBeNull();
  });

  it('flags binary data', () => {
    expect(dataAsText(new Uint8Array([0, 1, 2, 3, 0xff, 0xfe])).kind).toBe('binary');
  });

  it('cuts very long text', () => {
    const shown = dataAsText(bytes('x'.repeat(TEXT_CHARS_MAX + 10)));
    expect(shown.truncated).toBe(true);
    expect(shown.text.length).toBe(TEXT_CHARS_MAX);
  });
});

describe('hexDump', () => {
  it('prints offset, hex bytes in two groups and printable ASCII', () => {
    const { lines, truncated } = hexDump(bytes('hello world, hex!'));
    expect(truncated).toBe(false);
    expect(lines).toEqual([
      '00000000  68 65 6c 6c 6f 20 77 6f  72 6c 64 2c 20 68 65 78  |hello world, hex|',
      '00000010  21                                                |!|',
    ]);
  });

  it('shows non-printable bytes as dots and bounds the dump', () => {
    expect(hexDump(new Uint8Array([0, 0x41, 0x7f]))).toEqual({ lines: ['00000000  00 41 7f                                          |.A.|'], truncated: false });
    const big = hexDump(new Uint8Array(HEX_BYTES_MAX + 1));
    expect(big.truncated).toBe(true);
    expect(big.lines).toHaveLength(HEX_BYTES_MAX / 16);
  });
});
