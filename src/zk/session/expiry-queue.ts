// Apache's ExpiryQueue without threads: elements sit in buckets keyed by an expiry time rounded up
// to the next multiple of the interval, so a whole bucket expires at once and a touch that lands
// in the same bucket costs nothing.
import type { Millis } from '../types';

export class ExpiryQueue<E> {
  private readonly expiryOf = new Map<E, Millis>();
  private readonly buckets = new Map<Millis, Set<E>>();
  private nextExpirationMs: Millis;

  constructor(
    readonly intervalMs: number,
    startMs: Millis,
  ) {
    if (!(intervalMs > 0)) throw new RangeError(`expiration interval must be > 0, got ${intervalMs}`);
    this.nextExpirationMs = this.roundToNextInterval(startMs);
  }

  roundToNextInterval(timeMs: Millis): Millis {
    return (Math.floor(timeMs / this.intervalMs) + 1) * this.intervalMs;
  }

  /** Moves `elem` to the bucket of nowMs + timeoutMs; returns the new expiry or null if unchanged. */
  update(elem: E, timeoutMs: number, nowMs: Millis): Millis | null {
    const previous = this.expiryOf.get(elem);
    const next = this.roundToNextInterval(nowMs + timeoutMs);
    if (previous === next) return null;
    let bucket = this.buckets.get(next);
    if (bucket === undefined) {
      bucket = new Set();
      this.buckets.set(next, bucket);
    }
    bucket.add(elem);
    this.expiryOf.set(elem, next);
    if (previous !== undefined) this.dropFromBucket(previous, elem);
    return next;
  }

  remove(elem: E): Millis | undefined {
    const previous = this.expiryOf.get(elem);
    if (previous === undefined) return undefined;
    this.expiryOf.delete(elem);
    this.dropFromBucket(previous, elem);
    return previous;
  }

  expiryOfElem(elem: E): Millis | undefined {
    return this.expiryOf.get(elem);
  }

  /** When the next bucket falls due. */
  nextExpiryMs(): Millis {
    return this.nextExpirationMs;
  }

  /**
   * Every bucket due at nowMs, oldest first; their elements leave the queue. Like Apache's poll
   * loop run until the wait time is positive again.
   */
  poll(nowMs: Millis): E[][] {
    const due: E[][] = [];
    // Bounded: jump straight to the last due interval when time leapt far ahead.
    const steps = Math.floor((nowMs - this.nextExpirationMs) / this.intervalMs) + 1;
    if (steps <= 0) return due;
    const lastDue = this.nextExpirationMs + (steps - 1) * this.intervalMs;
    const times = [...this.buckets.keys()].filter((t) => t <= lastDue).sort((a, b) => a - b);
    for (const t of times) {
      const bucket = this.buckets.get(t);
      this.buckets.delete(t);
      if (bucket === undefined || bucket.size === 0) continue;
      for (const elem of bucket) this.expiryOf.delete(elem);
      due.push([...bucket]);
    }
    this.nextExpirationMs = lastDue + this.intervalMs;
    return due;
  }

  size(): number {
    return this.expiryOf.size;
  }

  /** Buckets in time order, for the `dump` four-letter word. */
  bucketsInOrder(): Array<{ expiresAtMs: Millis; elems: E[] }> {
    return [...this.buckets.entries()]
      .filter(([, set]) => set.size > 0)
      .sort(([a], [b]) => a - b)
      .map(([expiresAtMs, set]) => ({ expiresAtMs, elems: [...set] }));
  }

  private dropFromBucket(time: Millis, elem: E): void {
    const bucket = this.buckets.get(time);
    if (bucket === undefined) return;
    bucket.delete(elem);
    if (bucket.size === 0) this.buckets.delete(time);
  }
}
