import { describe, expect, it } from 'vitest';
import { decodeSnapshotFrame, encodeSnapshotFrame } from './snapshot-frame';

describe('snapshot frame', () => {
  const snapshot = { zxid: 0x300000007n, bytes: new TextEncoder().encode('tree') };

  it('round-trips and checks the expected zxid', () => {
    const frame = encodeSnapshotFrame(snapshot);
    expect(decodeSnapshotFrame(frame, snapshot.zxid)).toEqual({ ok: true, snapshot });
    expect(decodeSnapshotFrame(frame, 1n).ok).toBe(false);
  });

  it('rejects every truncation and every flipped byte', () => {
    const frame = encodeSnapshotFrame(snapshot);
    for (let length = 0; length < frame.length; length++) {
      expect(decodeSnapshotFrame(frame.subarray(0, length)).ok).toBe(false);
    }
    for (let index = 0; index < frame.length; index++) {
      const damaged = frame.slice();
      damaged[index]! ^= 0x5a;
      expect(decodeSnapshotFrame(damaged).ok).toBe(false);
    }
  });
});
