// Whether FileStorage appends with a blocking write on the calling thread or through Node's thread
// pool. An O_DSYNC append of a few hundred bytes to a fast disk takes ~75 µs; the thread pool adds
// ~45 µs on an idle machine and two thread wake-ups (the pool thread, then the event loop) that
// wait for a free core on a busy one, on the critical path of every ACK. Blocking is only worth it
// while writes stay short: a slow disk (fsync in milliseconds) would stall the event loop (pings,
// client reads, COMMITs) for each write, so then appends go back to the thread pool.

/** Blocking writes while the smoothed write time stays at or under this (ms). */
export const BLOCKING_APPEND_MAX_MS = 1;
/** Weight of the newest write time in the smoothed time. */
const SMOOTHING = 0.2;

export class BlockingAppendPolicy {
  /** Smoothed duration of recent appends (ms), thread-pool ones including the pool's round trip. */
  private smoothedMs = 0;

  /** True: the next append may block the thread. */
  get blocking(): boolean {
    return this.smoothedMs <= BLOCKING_APPEND_MAX_MS;
  }

  /** Records how long one append's write took (ms). */
  record(durationMs: number): void {
    if (!Number.isFinite(durationMs) || durationMs < 0) return;
    this.smoothedMs += SMOOTHING * (durationMs - this.smoothedMs);
  }
}
