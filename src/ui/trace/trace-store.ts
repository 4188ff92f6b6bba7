// The recorded trace of the tab: every trace event the servers stream (pings left out), kept for
// the Election, Replication, Sessions, Charts and Timeline views and for export. Bounded: past
// TRACE_EVENTS_MAX the oldest events are folded into a baseline (what each server looked like at
// the cut), so the timeline can still reconstruct any point after it, and into the view models'
// summaries (src/ui/trace/trace-summaries.ts), each bounded by its own caps, so the views still
// show what the dropped events said. Memory is then bounded by the cap, whatever the trace's age.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TraceEvent } from '../../zk/trace';
import { foldServers, type ServerPoint } from './timeline-model';
import { foldSummaries, type TraceSummaries } from './trace-summaries';

export const TRACE_EVENTS_MAX = 50_000;
/** Compacting drops this many at once, so it happens rarely rather than on every batch. */
export const TRACE_COMPACT_CHUNK = 10_000;

export interface TraceState {
  events: TraceEvent[];
  /** Servers as they were just before events[0] (the compacted prefix folded in). */
  baseline: Record<number, ServerPoint>;
  /** The view models folded over the compacted prefix (undefined until the first compaction). */
  summaries: TraceSummaries | undefined;
  /** Events folded into the baseline so far. */
  compacted: number;
  /** 'live' records the running servers; 'imported' shows a loaded file and ignores live events. */
  source: 'live' | 'imported';
}

export type TraceStore = StoreApi<TraceState>;

export function createTraceStore(): TraceStore {
  return createStore<TraceState>()(() => ({ events: [], baseline: {}, summaries: undefined, compacted: 0, source: 'live' }));
}

export function recordTraces(store: TraceStore, events: readonly TraceEvent[], max = TRACE_EVENTS_MAX, chunk = TRACE_COMPACT_CHUNK): void {
  if (events.length === 0 || store.getState().source !== 'live') return;
  store.setState((s) => compact({ ...s, events: s.events.concat(events) }, max, chunk));
}

function compact(state: TraceState, max: number, chunk: number): TraceState {
  if (state.events.length <= max) return state;
  const cut = Math.min(state.events.length, state.events.length - max + chunk);
  const dropped = state.events.slice(0, cut);
  return {
    ...state,
    events: state.events.slice(cut),
    baseline: foldServers(state.baseline, dropped),
    summaries: foldSummaries(state.summaries, dropped),
    compacted: state.compacted + dropped.length,
  };
}

/** Replaces the recording by a loaded trace; live events are ignored from then on. */
export function loadTrace(store: TraceStore, events: TraceEvent[]): void {
  store.setState({ events, baseline: {}, summaries: undefined, compacted: 0, source: 'imported' });
}

/** Back to recording the running servers (starts empty). */
export function resumeLive(store: TraceStore): void {
  store.setState({ events: [], baseline: {}, summaries: undefined, compacted: 0, source: 'live' });
}
