import { describe, it, expect } from 'vitest';
import { initialSessionId } from './session-id';
import { APACHE_SUPER_SECRET, sessionPassword } from './session-password';
import { negotiateSessionTimeoutMs } from './timeout';
import { ExpiryQueue } from './expiry-queue';
import { SessionTable } from './session-table';
import { decodeSessions, encodeSessions } from './session-serializer';
import { javaDateString } from './java-date';

function int32le(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset).getInt32(offset, true);
}

describe('session ids', () => {
  it('puts the start time at bit 16 and the server id in the top byte', () => {
    expect(initialSessionId(1, 0)).toBe(0x10000n);
    expect(initialSessionId(0x1234, 3)).toBe((3n << 56n) | (0x1234n << 16n));
  });

  it('keeps only the low 40 bits of the time', () => {
    const t = 2 ** 41 + 5;
    expect(initialSessionId(t, 0)).toBe(5n << 16n);
  });

  it('rejects bad input', () => {
    expect(() => initialSessionId(-1, 0)).toThrow(RangeError);
    expect(() => initialSessionId(0, 300)).toThrow(RangeError);
  });
});

describe('session passwords', () => {
  it('follow java.util.Random: seed 0 gives nextInt() -1155484576, -723955400, ...', () => {
    const p = sessionPassword(APACHE_SUPER_SECRET); // id ^ secret = 0
    expect(p).toHaveLength(16);
    expect(int32le(p, 0)).toBe(-1155484576);
    expect(int32le(p, 4)).toBe(-723955400);
    expect(int32le(p, 8)).toBe(1033096058);
    expect(int32le(p, 12)).toBe(-1690734402);
  });

  it('differ per session and are stable', () => {
    expect(sessionPassword(1n)).toEqual(sessionPassword(1n));
    expect(sessionPassword(1n)).not.toEqual(sessionPassword(2n));
  });
});

describe('timeout negotiation', () => {
  it('clamps into [min, max]', () => {
    expect(negotiateSessionTimeoutMs(100, 4000, 40000)).toBe(4000);
    expect(negotiateSessionTimeoutMs(10000, 4000, 40000)).toBe(10000);
    expect(negotiateSessionTimeoutMs(99999, 4000, 40000)).toBe(40000);
  });
});

describe('ExpiryQueue', () => {
  it('rounds to the next interval and expires whole buckets', () => {
    const q = new ExpiryQueue<string>(1000, 0);
    expect(q.roundToNextInterval(0)).toBe(1000);
    expect(q.roundToNextInterval(999)).toBe(1000);
    expect(q.roundToNextInterval(1000)).toBe(2000);
    expect(q.update('a', 3000, 100)).toBe(4000);
    expect(q.update('b', 3000, 900)).toBe(4000);
    expect(q.update('b', 3000, 950)).toBeNull(); // same bucket: no change
    expect(q.update('c', 3000, 1100)).toBe(5000);
    expect(q.poll(3999)).toEqual([]);
    expect(q.poll(4000)).toEqual([['a', 'b']]);
    expect(q.poll(4500)).toEqual([]);
    expect(q.poll(5000)).toEqual([['c']]);
    expect(q.size()).toBe(0);
  });

  it('a touch moves an element to a later bucket', () => {
    const q = new ExpiryQueue<string>(1000, 0);
    q.update('a', 2000, 0);
    q.update('a', 2000, 1500);
    expect(q.poll(3000)).toEqual([]);
    expect(q.poll(4000)).toEqual([['a']]);
  });

  it('catches up over a long clock jump in one poll, oldest first', () => {
    const q = new ExpiryQueue<number>(10, 0);
    q.update(1, 100, 0);
    q.update(2, 50, 0);
    expect(q.poll(1_000_000)).toEqual([[2], [1]]);
    expect(q.nextExpiryMs()).toBe(1_000_010);
  });

  it('removed elements do not expire', () => {
    const q = new ExpiryQueue<string>(1000, 0);
    q.update('a', 1000, 0);
    q.remove('a');
    expect(q.poll(10_000)).toEqual([]);
  });
});

describe('SessionTable', () => {
  const options = { tickTimeMs: 2000, serverId: 1, startMs: 10_000 };

  it('allocates increasing ids from the start value and never reuses one in use', () => {
    const t = new SessionTable(options);
    const first = t.allocateId();
    expect(first).toBe(initialSessionId(10_000, 1));
    t.track(first + 1n, 4000, 10_000);
    expect(t.allocateId()).toBe(first + 2n);
  });

  it('expires an untouched session at its bucket and marks it closing', () => {
    const t = new SessionTable(options);
    const id = t.allocateId();
    const s = t.track(id, 4000, 10_500); // 14500 -> bucket 16000
    expect(s.expiresAtMs).toBe(16_000);
    expect(t.expire(15_999)).toEqual([]);
    expect(t.expire(16_000)).toEqual([id]);
    expect(t.get(id)?.closing).toBe(true);
    expect(t.touch(id, 16_001)).toBe(false);
    expect(t.remove(id)?.sessionId).toBe(id);
    expect(t.has(id)).toBe(false);
  });

  it('touch postpones expiry', () => {
    const t = new SessionTable(options);
    const id = t.allocateId();
    t.track(id, 4000, 10_000);
    expect(t.touch(id, 13_000)).toBe(true);
    expect(t.expire(16_000)).toEqual([]);
    expect(t.expire(18_000)).toEqual([id]);
  });

  it('checks passwords; id 0 never matches', () => {
    const t = new SessionTable(options);
    const id = t.allocateId();
    t.track(id, 4000, 10_000);
    expect(t.checkPassword(id, t.passwordFor(id))).toBe(true);
    expect(t.checkPassword(id, new Uint8Array(16))).toBe(false);
    expect(t.checkPassword(0n, t.passwordFor(0n))).toBe(false);
  });

  it('dumps buckets like SessionTracker.dumpSessions', () => {
    const t = new SessionTable({ tickTimeMs: 2000, serverId: 0, startMs: 0 });
    t.track(0x10n, 4000, 0);
    expect(t.dumpText()).toBe('Session Sets (1)/(1):\n1 expire at Thu Jan 01 00:00:06 UTC 1970:\n\t0x10\n');
  });
});

describe('snapshot sessions', () => {
  it('round trips and rejects garbage', () => {
    const records = [
      { sessionId: 0x1000001n, timeoutMs: 4000 },
      { sessionId: -5n, timeoutMs: 30000 },
    ];
    const bytes = encodeSessions(records);
    expect(bytes.length).toBe(4 + 2 * 12);
    expect(decodeSessions(bytes)).toEqual(records);
    expect(() => decodeSessions(new Uint8Array([0x7f, 0, 0, 0]))).toThrow();
  });
});

describe('java date', () => {
  it('formats like Date.toString in UTC', () => {
    expect(javaDateString(0)).toBe('Thu Jan 01 00:00:00 UTC 1970');
    expect(javaDateString(1784296525000)).toBe('Fri Jul 17 13:55:25 UTC 2026');
  });
});
