import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../zk/trace';
import { TRACE_BATCH_MAX } from './protocol';
import { TRACE_BACKLOG_MAX, TraceBatcher } from './trace-batcher';

const event = (n: number): TraceEvent => ({ type: 'commit', zxid: BigInt(n), server: 1, atMs: n });

function setup() {
  const posted: TraceEvent[][] = [];
  const pending: Array<() => void> = [];
  const batcher = new TraceBatcher({ post: (events) => posted.push(events), schedule: (fn) => pending.push(fn) });
  const runPending = () => pending.splice(0).forEach((fn) => fn());
  return { batcher, posted, pending, runPending };
}

describe('TraceBatcher', () => {
  it('posts a burst as one batch on the next turn', () => {
    const { batcher, posted, pending, runPending } = setup();
    for (let i = 0; i < 10; i++) batcher.push(event(i));
    expect(posted).toHaveLength(0);
    expect(pending).toHaveLength(1);
    runPending();
    expect(posted).toHaveLength(1);
    expect(posted[0]?.map((e) => e.atMs)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('splits large backlogs into bounded batches', () => {
    const { batcher, posted, runPending } = setup();
    for (let i = 0; i < TRACE_BATCH_MAX + 1; i++) batcher.push(event(i));
    runPending();
    expect(posted.map((b) => b.length)).toEqual([TRACE_BATCH_MAX, 1]);
  });

  it('drops the oldest events beyond the backlog bound and says so', () => {
    const { batcher, posted, runPending } = setup();
    for (let i = 0; i < TRACE_BACKLOG_MAX + 5; i++) batcher.push(event(i));
    runPending();
    const first = posted[0]?.[0];
    expect(first).toMatchObject({ type: 'warn', message: '5 trace events dropped (page too slow)' });
    expect(posted[0]?.[1]?.atMs).toBe(5);
    expect(posted.flat().filter((e) => e.type === 'commit')).toHaveLength(TRACE_BACKLOG_MAX);
  });
});
