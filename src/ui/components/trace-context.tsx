// The trace recorder reaches the analysis views through context (one per tab).
import { createContext, useContext, useState } from 'react';
import { useStore } from 'zustand';
import { IncrementalView, type TraceModel } from '../trace/trace-model';
import type { TraceState, TraceStore } from '../trace/trace-store';

export const TraceContext = createContext<TraceStore | null>(null);

export function useTraceStore(): TraceStore {
  const store = useContext(TraceContext);
  if (store === null) throw new Error('TraceContext is missing: render inside <TraceContext.Provider>');
  return store;
}

export function useTraceState<T>(selector: (state: TraceState) => T): T {
  return useStore(useTraceStore(), selector);
}

/**
 * A view model of the recorded trace, folded incrementally: each update folds only the events
 * appended since, on top of `baseOf` (the model's summary of the compacted prefix).
 */
export function useTraceModel<S, V>(model: TraceModel<S, V>, baseOf: (state: TraceState) => S | undefined): V {
  const [incremental] = useState(() => new IncrementalView(model));
  return useTraceState((s) => incremental.viewOf({ events: s.events, base: baseOf(s) }));
}
