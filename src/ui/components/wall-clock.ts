// A re-rendering wall clock for countdowns and staleness shown by the views.
import { useEffect, useState } from 'react';

/** The wall clock, re-read every `periodMs`; with null it does not tick and returns 0. */
export function useNowMs(periodMs: number | null = 1000): number {
  const [nowMs, setNowMs] = useState(() => (periodMs === null ? 0 : Date.now()));
  useEffect(() => {
    if (periodMs === null) return;
    const timer = setInterval(() => setNowMs(Date.now()), periodMs);
    return () => clearInterval(timer);
  }, [periodMs]);
  return nowMs;
}
