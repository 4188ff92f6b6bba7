// Components reach the app store through context and read it only through selectors.
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { AppState, AppStore } from '../store';

export const StoreContext = createContext<AppStore | null>(null);

export function useAppStore(): AppStore {
  const store = useContext(StoreContext);
  if (store === null) throw new Error('StoreContext is missing: render components inside <StoreContext.Provider>');
  return store;
}

export function useAppState<T>(selector: (state: AppState) => T): T {
  return useStore(useAppStore(), selector);
}

/** While the page is hidden, views throttled with useThrottledAppState refresh at most this often. */
export const HIDDEN_REFRESH_MS = 1000;

const pageHidden = (): boolean => typeof document !== 'undefined' && document.hidden;

/**
 * Like useAppState, but re-renders at most once per `periodMs` (and once per HIDDEN_REFRESH_MS
 * while the page is hidden): a view fed by the servers' event stream then costs the same per
 * second whatever the event rate. The first change after a quiet spell shows at once.
 */
export function useThrottledAppState<T>(selector: (state: AppState) => T, periodMs: number): T {
  const store = useAppStore();
  const selectorRef = useRef(selector);
  selectorRef.current = selector;
  const [value, setValue] = useState(() => selector(store.getState()));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let shownAtMs = -Infinity;
    const show = () => {
      timer = null;
      shownAtMs = performance.now();
      const next = selectorRef.current(store.getState());
      setValue(() => next);
    };
    const schedule = () => {
      if (timer !== null) return;
      const waitMs = shownAtMs + (pageHidden() ? Math.max(periodMs, HIDDEN_REFRESH_MS) : periodMs) - performance.now();
      timer = setTimeout(show, Math.max(0, waitMs));
    };
    const unsubscribe = store.subscribe((state, previous) => {
      if (!Object.is(selectorRef.current(state), selectorRef.current(previous))) schedule();
    });
    const onVisibility = () => {
      if (pageHidden() || timer === null) return;
      // Back in front: show what changed meanwhile now rather than at the hidden pace.
      clearTimeout(timer);
      show();
    };
    document.addEventListener('visibilitychange', onVisibility);
    show();
    return () => {
      unsubscribe();
      document.removeEventListener('visibilitychange', onVisibility);
      if (timer !== null) clearTimeout(timer);
    };
  }, [store, periodMs]);
  return value;
}
