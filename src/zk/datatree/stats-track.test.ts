import { describe, expect, it } from 'vitest';
import { formatStatsTrack, parseStatsTrack, trackByteHardLimit, trackBytes, trackCount, trackCountHardLimit, withValue } from './stats-track';

describe('StatsTrack text', () => {
  it('parses and formats both generations', () => {
    const old = parseStatsTrack('count=10,bytes=-1');
    expect([trackCount(old), trackBytes(old), trackCountHardLimit(old)]).toEqual([10n, -1n, -1n]);
    expect(formatStatsTrack(old)).toBe('count=10,bytes=-1');
    const hard = parseStatsTrack('count=-1,bytes=10=;countHardLimit=3');
    expect([trackCount(hard), trackBytes(hard), trackCountHardLimit(hard), trackByteHardLimit(hard)]).toEqual([-1n, 10n, 3n, -1n]);
    expect(formatStatsTrack(hard)).toBe('count=-1,bytes=10=;countHardLimit=3');
    expect(formatStatsTrack(withValue(hard, 'byteHardLimit', 7n))).toBe('count=-1,bytes=10=;byteHardLimit=7;countHardLimit=3');
    expect(trackCount(parseStatsTrack(''))).toBe(-1n);
  });
});
