// Series for the charts: commits per second (leaders' commit events, per one-second bucket) and
// the length of each election (first server to go LOOKING until a server goes LEADING).
import type { TraceEvent } from '../../zk/trace';
import type { ServerId } from '../../zk/types';

export interface RateBucket {
  /** Start of the second (host ms). */
  startMs: number;
  commits: number;
}

export interface ElectionSpan {
  startMs: number;
  durationMs: number;
  leader: ServerId;
}

export const RATE_BUCKETS_MAX = 120;
export const ELECTIONS_MAX = 50;

/** Commits per second over the last RATE_BUCKETS_MAX seconds of the trace; empty seconds are zeros. */
export function commitRate(events: readonly TraceEvent[]): RateBucket[] {
  const counts = new Map<number, number>();
  let last = -Infinity;
  for (const e of events) {
    if (e.type !== 'commit') continue;
    const second = Math.floor(e.atMs / 1000);
    counts.set(second, (counts.get(second) ?? 0) + 1);
    last = Math.max(last, second);
  }
  if (counts.size === 0) return [];
  const first = Math.max(Math.min(...counts.keys()), last - RATE_BUCKETS_MAX + 1);
  const out: RateBucket[] = [];
  for (let s = first; s <= last; s++) out.push({ startMs: s * 1000, commits: counts.get(s) ?? 0 });
  return out;
}

export function electionSpans(events: readonly TraceEvent[]): ElectionSpan[] {
  const spans: ElectionSpan[] = [];
  let startMs: number | null = null;
  for (const e of events) {
    if (e.type !== 'state') continue;
    if (e.to === 'LOOKING' && startMs === null) startMs = e.atMs;
    else if (e.to === 'LEADING' && startMs !== null) {
      spans.push({ startMs, durationMs: Math.max(0, e.atMs - startMs), leader: e.server });
      if (spans.length > ELECTIONS_MAX) spans.shift();
      startMs = null;
    }
  }
  return spans;
}
