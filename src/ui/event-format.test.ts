import { describe, expect, it } from 'vitest';
import { eventCategory, eventSummary } from './event-format';

describe('event formatting', () => {
  it('summarizes txns and watch firings with hex zxids and session ids', () => {
    const txn = { type: 'txn', zxid: 5n, sessionId: 0x1a2n, op: 'create', path: '/a', server: 1, atMs: 0 } as const;
    expect(eventCategory(txn)).toBe('txn');
    expect(eventSummary(txn)).toBe('0x5 create /a by 0x1a2');
    const fired = { type: 'watch.fired', sessionId: 1n, path: '/a', kind: 'child', event: 'NodeChildrenChanged', zxid: 6n, server: 1, atMs: 0 } as const;
    expect(eventCategory(fired)).toBe('watch');
    expect(eventSummary(fired)).toBe('NodeChildrenChanged /a -> 0x1 (child) at 0x6');
  });

  it('falls back to JSON with hex bigints for replication events', () => {
    const ack = { type: 'ack', zxid: 0x100000001n, from: 2, server: 1, atMs: 0 } as const;
    expect(eventCategory(ack)).toBe('quorum');
    expect(eventSummary(ack)).toContain('"zxid":"0x100000001"');
  });
});
