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

  it('summarizes replication events with hex zxids, peer traffic in its own category', () => {
    const ack = { type: 'ack', zxid: 0x100000001n, from: 2, server: 1, atMs: 0 } as const;
    expect(eventCategory(ack)).toBe('quorum');
    expect(eventSummary(ack)).toBe('0x100000001 from 2');
    const sent = { type: 'msg.sent', to: 3, kind: 'proposal', zxid: 0x100000002n, bytes: 90, server: 1, atMs: 0 } as const;
    expect(eventCategory(sent)).toBe('traffic');
    expect(eventSummary(sent)).toBe('proposal -> 3 0x100000002 (90 B)');
  });

  it('falls back to JSON with hex bigints for events without a summary', () => {
    const event = { type: 'log.durable', toZxid: 0x10n, server: 1, atMs: 0 } as const;
    expect(eventSummary({ ...event, type: 'snapshot', zxid: 0x10n } as never)).toBe('at 0x10');
    const odd = { type: 'unknown-kind', zxid: 0x100000001n, server: 1, atMs: 0 } as unknown as Parameters<typeof eventSummary>[0];
    expect(eventSummary(odd)).toContain('"zxid":"0x100000001"');
  });
});
