import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../zk/trace';
import { isTraceEventOf } from './trace-wire';

const good: TraceEvent[] = [
  { type: 'vote.received', from: 2, leader: 3, zxid: 0x100000008n, electionEpoch: 1, peerEpoch: 1, state: 'LOOKING', server: 1, atMs: 5 },
  { type: 'applied', zxid: 7n, op: 'setData', paths: ['/a'], server: 1, atMs: 5 },
  { type: 'msg.sent', to: 2, kind: 'ping', bytes: 12, server: 1, atMs: 5 },
  { type: 'msg.sent', to: 2, kind: 'proposal', zxid: 9n, bytes: 120, server: 1, atMs: 5 },
  { type: 'sync.mode', learner: 3, mode: 'TRUNC+DIFF', fromZxid: 1n, toZxid: 4n, source: 'disk', server: 1, atMs: 5 },
  { type: 'session.closed', sessionId: 0x1234n, reason: 'expire', server: 1, atMs: 5 },
];

describe('isTraceEventOf', () => {
  it('takes well-formed events of the given server', () => {
    for (const event of good) expect(isTraceEventOf(event, 1)).toBe(true);
  });

  it("refuses another server's events, unknown types and missing or mistyped fields", () => {
    const vote = good[0]!;
    expect(isTraceEventOf(vote, 2)).toBe(false);
    expect(isTraceEventOf({ ...vote, type: 'nope' }, 1)).toBe(false);
    expect(isTraceEventOf({ ...vote, type: 'toString' }, 1)).toBe(false);
    expect(isTraceEventOf({ ...vote, zxid: '8' }, 1)).toBe(false);
    expect(isTraceEventOf({ ...vote, zxid: undefined }, 1)).toBe(false);
    expect(isTraceEventOf({ ...vote, state: 'BOSS' }, 1)).toBe(false);
    expect(isTraceEventOf({ ...vote, atMs: Number.NaN }, 1)).toBe(false);
    expect(isTraceEventOf({ ...good[1]!, paths: ['/a', 3] }, 1)).toBe(false);
    expect(isTraceEventOf({ ...good[3]!, zxid: 9 }, 1)).toBe(false);
    expect(isTraceEventOf({ type: 'warn', message: 'x'.repeat(5000), server: 1, atMs: 1 }, 1)).toBe(false);
    expect(isTraceEventOf(null, 1)).toBe(false);
    expect(isTraceEventOf([vote], 1)).toBe(false);
  });
});
