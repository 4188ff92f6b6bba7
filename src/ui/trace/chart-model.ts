// Series for the charts: commits per second (leaders' commit events, per one-second bucket) and
// the length of each election (first server to go LOOKING until a server goes LEADING).
import type { TraceEvent } from '../../zk/trace';
import type { ServerId } from '../../zk/types';
import { viewOfEvents, type TraceModel } from './trace-model';

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

/** The folded state: commits per second (the last RATE_BUCKETS_MAX seconds) and election spans. */
export interface ChartState {
  counts: Map<number, number>;
  lastSecond: number;
  spans: ElectionSpan[];
  /** When the election under way began (first server LOOKING), or null. */
  lookingSinceMs: number | null;
}

export interface ChartsView {
  rate: RateBucket[];
  elections: ElectionSpan[];
}

export const chartModel: TraceModel<ChartState, ChartsView> = {
  empty: () => ({ counts: new Map(), lastSecond: -Infinity, spans: [], lookingSinceMs: null }),
  clone: (s) => ({ ...s, counts: new Map(s.counts), spans: [...s.spans] }),
  fold(s, events, from) {
    let changed = false;
    for (let i = from; i < events.length; i++) {
      const e = events[i] as TraceEvent;
      if (e.type === 'commit') {
        changed = true;
        countCommit(s, Math.floor(e.atMs / 1000));
      } else if (e.type === 'state') {
        changed = true;
        foldState(s, e);
      }
    }
    return changed;
  },
  view: (s) => ({ rate: rateOf(s), elections: [...s.spans] }),
};

function countCommit(s: ChartState, second: number): void {
  s.counts.set(second, (s.counts.get(second) ?? 0) + 1);
  if (second <= s.lastSecond) return;
  s.lastSecond = second;
  // Only the last RATE_BUCKETS_MAX seconds are drawn: older ones are dropped as time moves on.
  for (const key of s.counts.keys()) if (key <= second - RATE_BUCKETS_MAX) s.counts.delete(key);
}

function foldState(s: ChartState, e: Extract<TraceEvent, { type: 'state' }>): void {
  if (e.to === 'LOOKING' && s.lookingSinceMs === null) s.lookingSinceMs = e.atMs;
  else if (e.to === 'LEADING' && s.lookingSinceMs !== null) {
    s.spans.push({ startMs: s.lookingSinceMs, durationMs: Math.max(0, e.atMs - s.lookingSinceMs), leader: e.server });
    if (s.spans.length > ELECTIONS_MAX) s.spans.shift();
    s.lookingSinceMs = null;
  }
}

function rateOf(s: ChartState): RateBucket[] {
  if (s.counts.size === 0) return [];
  const first = Math.max(Math.min(...s.counts.keys()), s.lastSecond - RATE_BUCKETS_MAX + 1);
  const out: RateBucket[] = [];
  for (let second = first; second <= s.lastSecond; second++) out.push({ startMs: second * 1000, commits: s.counts.get(second) ?? 0 });
  return out;
}

/** Commits per second over the last RATE_BUCKETS_MAX seconds of the trace; empty seconds are zeros. */
export function commitRate(events: readonly TraceEvent[]): RateBucket[] {
  return viewOfEvents(chartModel, events).rate;
}

export function electionSpans(events: readonly TraceEvent[]): ElectionSpan[] {
  return viewOfEvents(chartModel, events).elections;
}
