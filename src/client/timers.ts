// Injectable timers: the deterministic simulator drives time by passing its own implementation.

export type TimerHandle = unknown;

export interface Timers {
  setTimeout(fn: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The host's timers (browser or Node), looked up lazily so importing this file has no effect. */
export const hostTimers: Timers = {
  setTimeout: (fn, delayMs) => globalThis.setTimeout(fn, delayMs),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

/** One restartable timer slot: at most one pending callback at a time. */
export class TimerSlot {
  private handle: TimerHandle | null = null;

  constructor(private readonly timers: Timers) {}

  /** (Re)arms the slot; a previous pending callback is cancelled. */
  set(delayMs: number, fn: () => void): void {
    this.clear();
    const handle = this.timers.setTimeout(() => {
      if (this.handle !== handle) return;
      this.handle = null;
      fn();
    }, Math.max(0, delayMs));
    this.handle = handle;
  }

  clear(): void {
    if (this.handle === null) return;
    this.timers.clearTimeout(this.handle);
    this.handle = null;
  }

  get armed(): boolean {
    return this.handle !== null;
  }
}
