// Time for adapters: the simulator's virtual clock (MemoryNetwork.clock) or the real one.
// Only adapters (src/net, hosts) use this; the pure core gets time as input.

export interface Clock {
  nowMs(): number;
  /** Runs `fn` after `delayMs`; the returned function cancels it. */
  setTimer(delayMs: number, fn: () => void): () => void;
}

export const realClock: Clock = {
  nowMs: () => Date.now(),
  setTimer(delayMs, fn) {
    const handle = setTimeout(fn, Math.max(0, delayMs));
    return () => clearTimeout(handle);
  },
};
