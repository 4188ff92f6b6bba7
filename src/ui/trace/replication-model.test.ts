import { describe, expect, it } from 'vitest';
import type { TraceBody, TraceEvent } from '../../zk/trace';
import { quorumOf, replicationView } from './replication-model';

const at = (server: number, body: TraceBody): TraceEvent => ({ ...body, server, atMs: 0 }) as TraceEvent;

describe('replicationView', () => {
  it('tracks the leader, proposals with acks and commits, commit points and sync modes', () => {
    const view = replicationView([
      at(3, { type: 'state', from: 'LOOKING', to: 'LEADING', epoch: 1 }),
      at(3, { type: 'sync.mode', learner: 1, mode: 'DIFF', fromZxid: 0n, toZxid: 0x100000002n, source: 'disk' }),
      at(3, { type: 'sync.mode', learner: 2, mode: 'SNAP', fromZxid: 0n, toZxid: 0x100000002n }),
      at(3, { type: 'msg.sent', to: 1, kind: 'proposal', zxid: 0x100000003n, bytes: 10 }),
      at(3, { type: 'msg.sent', to: 2, kind: 'proposal', zxid: 0x100000003n, bytes: 10 }),
      at(3, { type: 'ack', zxid: 0x100000003n, from: 3 }),
      at(3, { type: 'ack', zxid: 0x100000003n, from: 1 }),
      at(3, { type: 'commit', zxid: 0x100000003n }),
      at(3, { type: 'msg.sent', to: 1, kind: 'proposal', zxid: 0x100000004n, bytes: 10 }),
      at(1, { type: 'applied', zxid: 0x100000003n, op: 'create', paths: ['/x'] }),
    ]);
    expect(view.leader).toBe(3);
    expect(view.proposals).toEqual([
      { zxid: 0x100000003n, acks: [3, 1], committed: true },
      { zxid: 0x100000004n, acks: [], committed: false },
    ]);
    expect(view.commitPoints).toEqual({ 3: 0x100000003n, 1: 0x100000003n });
    expect(view.syncs.map((s) => `${s.learner}:${s.mode}:${s.source}`)).toEqual(['1:DIFF:disk', '2:SNAP:null']);
  });
  it('forgets proposals of a leader that stepped down', () => {
    const view = replicationView([
      at(3, { type: 'state', from: 'LOOKING', to: 'LEADING', epoch: 1 }),
      at(3, { type: 'msg.sent', to: 1, kind: 'proposal', zxid: 5n, bytes: 1 }),
      at(3, { type: 'state', from: 'LEADING', to: 'LOOKING', epoch: 1 }),
    ]);
    expect(view.leader).toBeNull();
    expect(quorumOf(3)).toBe(2);
    expect(quorumOf(4)).toBe(3);
  });
});
