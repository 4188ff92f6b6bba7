// A min-heap of timed events for the simulator's virtual clock. Ties on time run in insertion
// order (seq), so a run is a pure function of the calls made.

interface Entry<T> {
  timeMs: number;
  seq: number;
  event: T;
}

export class EventQueue<T> {
  private heap: Array<Entry<T>> = [];
  private nextSeq = 0;

  constructor(private readonly maxEvents = 10_000_000) {}

  get size(): number {
    return this.heap.length;
  }

  push(timeMs: number, event: T): void {
    if (!Number.isFinite(timeMs)) throw new RangeError(`event time is not finite: ${timeMs}`);
    if (this.heap.length >= this.maxEvents) throw new RangeError(`event queue is full (${this.maxEvents} events)`);
    this.heap.push({ timeMs, seq: this.nextSeq++, event });
    this.siftUp(this.heap.length - 1);
  }

  peekTimeMs(): number | null {
    return this.heap[0]?.timeMs ?? null;
  }

  pop(): { timeMs: number; event: T } | null {
    const top = this.heap[0];
    if (top === undefined) return null;
    const last = this.heap.pop() as Entry<T>;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return { timeMs: top.timeMs, event: top.event };
  }

  /** Events in no particular order (for inspection, e.g. drawing messages in flight). */
  *entries(): IterableIterator<{ timeMs: number; event: T }> {
    for (const entry of this.heap) yield { timeMs: entry.timeMs, event: entry.event };
  }

  private less(i: number, j: number): boolean {
    const a = this.heap[i] as Entry<T>;
    const b = this.heap[j] as Entry<T>;
    return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.seq < b.seq);
  }

  private swap(i: number, j: number): void {
    const tmp = this.heap[i] as Entry<T>;
    this.heap[i] = this.heap[j] as Entry<T>;
    this.heap[j] = tmp;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < this.heap.length && this.less(left, smallest)) smallest = left;
      if (right < this.heap.length && this.less(right, smallest)) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }
}
