import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32';
import { decodeLogRecord, encodeLogRecord, encodeLogRecords, LOG_RECORD_HEADER_BYTES, scanLogRecords } from './log-record';
import { entries, entry } from './storage-contract';

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });
});

describe('log records', () => {
  it('round-trips a batch, zxids beyond 2^32 included', () => {
    const batch = [entry(0xffffffffn, 3), entry(0x100000000n, 0), entry(0xfedcba9876543210n, 40)];
    const scan = scanLogRecords(encodeLogRecords(batch));
    expect(scan.entries).toEqual(batch);
    expect(scan.warning).toBeNull();
    expect(scan.entryOffsets[1]).toBe(LOG_RECORD_HEADER_BYTES + batch[0]!.bytes.length);
  });

  it('stops at a torn tail at every cut point and says where', () => {
    const batch = entries(1, 4);
    const bytes = encodeLogRecords(batch);
    const ends = scanLogRecords(bytes).entryOffsets.slice(1).concat(bytes.length);
    for (let cut = 0; cut < bytes.length; cut++) {
      const scan = scanLogRecords(bytes.subarray(0, cut));
      const whole = ends.filter((end) => end <= cut).length;
      expect(scan.entries).toEqual(batch.slice(0, whole));
      expect(scan.validEndOffset).toBe(whole === 0 ? 0 : ends[whole - 1]);
      if (cut === scan.validEndOffset) expect(scan.warning).toBeNull();
      else expect(scan.warning).toMatch(new RegExp(`^cut ${cut - scan.validEndOffset} bytes of torn log tail after `));
    }
  });

  it('detects any single flipped bit', () => {
    const batch = entries(1, 3);
    const bytes = encodeLogRecords(batch);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length * 8 - 1 }), (bit) => {
        const damaged = bytes.slice();
        damaged[bit >> 3]! ^= 1 << (bit & 7);
        const scan = scanLogRecords(damaged, { label: 'log.1' });
        const hit = scan.entryOffsets.length;
        expect(scan.entries).toEqual(batch.slice(0, hit));
        expect(scan.warning).toContain('log.1');
        expect(scan.validEndOffset).toBeLessThanOrEqual(bit >> 3);
      }),
    );
  });

  it('names the last good zxid and rejects out-of-order records', () => {
    const bytes = encodeLogRecords([entry(0x100000005n), entry(0x100000004n)]);
    const scan = scanLogRecords(bytes);
    expect(scan.entries.map((item) => item.zxid)).toEqual([0x100000005n]);
    expect(scan.warning).toMatch(/^cut \d+ bytes of torn log tail after 0x100000005 \(zxid 0x100000004 out of order/);
    expect(scanLogRecords(encodeLogRecords([entry(3n)]), { afterZxid: 3n }).entries).toEqual([]);
  });

  it('rejects an absurd length without reading past the buffer', () => {
    const bytes = encodeLogRecord(entry(1n));
    new DataView(bytes.buffer).setUint32(0, 0xffffffff);
    expect(scanLogRecords(bytes).warning).toContain('bad record length');
  });

  it('decodes a single record exactly', () => {
    const item = entry(0x200000001n, 5);
    const record = encodeLogRecord(item);
    expect(decodeLogRecord(record)).toEqual(item);
    expect(decodeLogRecord(record.subarray(0, record.length - 1))).toBeNull();
    const extra = new Uint8Array(record.length + 1);
    extra.set(record);
    expect(decodeLogRecord(extra)).toBeNull();
  });
});
