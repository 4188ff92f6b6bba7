// The trace recorder reaches the analysis views through context (one per tab).
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
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
