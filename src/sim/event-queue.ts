// The simulator's one queue of future events, ordered by time then by insertion sequence, so two
// events at the same millisecond always run in the order they were scheduled (determinism).

export interface ScheduledEvent {
  readonly atMs: number;
  readonly seq: number;
  /** Short label for the readable trace ("deliver c3->s1", "timer", ...). */
  readonly label: string;
  readonly run: () => void;
  cancelled: boolean;
}

export class EventQueue {
  private readonly heap: ScheduledEvent[] = [];
  private nextSeq = 0;

  constructor(private readonly maxEvents = 1_000_000) {}

  get size(): number {
    return this.heap.length;
  }

  push(atMs: number, label: string, run: () => void): ScheduledEvent {
    if (!Number.isFinite(atMs)) throw new RangeError(`event time must be finite, got ${atMs}`);
    if (this.heap.length >= this.maxEvents) throw new Error(`event queue full (${this.maxEvents} events): runaway simulation`);
    const event: ScheduledEvent = { atMs, seq: this.nextSeq++, label, run, cancelled: false };
    this.heap.push(event);
    this.siftUp(this.heap.length - 1);
    return event;
  }

  peek(): ScheduledEvent | undefined {
    this.dropCancelledTop();
    return this.heap[0];
  }

  pop(): ScheduledEvent | undefined {
    this.dropCancelledTop();
    return this.removeTop();
  }

  private dropCancelledTop(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.removeTop();
  }

  private removeTop(): ScheduledEvent | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
  }
}

function before(a: ScheduledEvent, b: ScheduledEvent): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
}
