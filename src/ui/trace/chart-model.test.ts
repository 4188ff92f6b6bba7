import { describe, expect, it } from 'vitest';
import type { TraceBody, TraceEvent } from '../../zk/trace';
import { commitRate, electionSpans } from './chart-model';

const at = (server: number, body: TraceBody, atMs: number): TraceEvent => ({ ...body, server, atMs }) as TraceEvent;

describe('commitRate', () => {
  it('counts commits per second and fills empty seconds', () => {
    const rate = commitRate([at(1, { type: 'commit', zxid: 1n }, 1000), at(1, { type: 'commit', zxid: 2n }, 1999), at(1, { type: 'commit', zxid: 3n }, 3500)]);
    expect(rate).toEqual([
      { startMs: 1000, commits: 2 },
      { startMs: 2000, commits: 0 },
      { startMs: 3000, commits: 1 },
    ]);
    expect(commitRate([])).toEqual([]);
  });
});

describe('electionSpans', () => {
  it('measures from the first LOOKING to the next LEADING', () => {
    const spans = electionSpans([
      at(1, { type: 'state', from: 'FOLLOWING', to: 'LOOKING', epoch: 1 }, 100),
      at(2, { type: 'state', from: 'FOLLOWING', to: 'LOOKING', epoch: 1 }, 150),
      at(2, { type: 'state', from: 'LOOKING', to: 'LEADING', epoch: 1 }, 900),
      at(1, { type: 'state', from: 'LOOKING', to: 'FOLLOWING', epoch: 2 }, 950),
    ]);
    expect(spans).toEqual([{ startMs: 100, durationMs: 800, leader: 2 }]);
  });
});
