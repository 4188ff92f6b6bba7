import { describe, it, expect } from 'vitest';
import { makeZxid } from '../types';
import { DurableImage } from './durable-image';

const z = (i: number): bigint => makeZxid(1, i);
const entry = (i: number, size = 10) => ({ zxid: z(i), bytes: new Uint8Array(size) });

describe('DurableImage: the txn log kept for syncing learners', () => {
  it('without a snapshot the whole log is the txn log and its size is unlimited (0)', () => {
    const image = new DurableImage(null, [entry(1), entry(2)]);
    expect(image.txnLog().map((e) => e.zxid)).toEqual([z(1), z(2)]);
    expect(image.txnLogSizeLimitBytes()).toBe(0);
  });

  it('a snapshot keeps the entries it covers, up to snapshotSizeFactor x its size, oldest dropped first', () => {
    const image = new DurableImage(null, [], 0.5);
    for (let i = 1; i <= 10; i++) image.append(entry(i));
    image.snapshotTaken({ zxid: z(8), bytes: new Uint8Array(100) }); // limit 50 bytes: 5 entries
    expect(image.txnLogSizeLimitBytes()).toBe(50);
    expect(image.retainedLogBytes).toBe(50);
    expect(image.txnLog().map((e) => e.zxid)).toEqual([4, 5, 6, 7, 8, 9, 10].map(z));
    expect(image.entriesAfter(-1n).map((e) => e.zxid)).toEqual([z(9), z(10)]); // TRUNC/reload view unchanged
    image.append(entry(11));
    expect(image.txnLog().at(-1)?.zxid).toBe(z(11));
    // A TRUNC above the snapshot keeps the kept entries.
    expect(image.truncateAfter(z(9))).toBe(true);
    expect(image.txnLog().map((e) => e.zxid)).toEqual([4, 5, 6, 7, 8, 9].map(z));
  });

  it('a SNAP replaces everything, kept entries included', () => {
    const image = new DurableImage(null, [entry(1), entry(2)], 1);
    image.snapshotTaken({ zxid: z(2), bytes: new Uint8Array(100) });
    expect(image.txnLog()).toHaveLength(2);
    image.replace({ zxid: makeZxid(2, 5), bytes: new Uint8Array(10) });
    expect(image.txnLog()).toEqual([]);
    expect(image.retainedLogBytes).toBe(0);
  });

  it('a negative factor disables txn-log sync and keeps nothing', () => {
    const image = new DurableImage(null, [entry(1), entry(2)], -1);
    expect(image.txnLogSizeLimitBytes()).toBe(-1);
    image.snapshotTaken({ zxid: z(2), bytes: new Uint8Array(100) });
    expect(image.retainedLogBytes).toBe(0);
    expect(() => new DurableImage(null, [], Number.NaN)).toThrow(RangeError);
  });
});
