// Collects trace events and posts them to the page in batches, one message per timer turn, so a
// burst of a thousand txns costs a handful of postMessage calls. The backlog is bounded: when the
// page cannot keep up, the oldest events are dropped and the drop is reported as a warning.
import type { TraceEvent } from '../zk/trace';
import { TRACE_BATCH_MAX } from './protocol';

export const TRACE_BACKLOG_MAX = TRACE_BATCH_MAX * 8;

export interface TraceBatcherOptions {
  post(events: TraceEvent[]): void;
  /** Runs `flush` later (a timer in the worker, synchronous in tests). */
  schedule(flush: () => void): void;
}

export class TraceBatcher {
  private backlog: TraceEvent[] = [];
  private scheduled = false;
  private dropped = 0;

  constructor(private readonly options: TraceBatcherOptions) {}

  push(event: TraceEvent): void {
    this.backlog.push(event);
    if (this.backlog.length > TRACE_BACKLOG_MAX) {
      const excess = this.backlog.length - TRACE_BACKLOG_MAX;
      this.backlog.splice(0, excess);
      this.dropped += excess;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      this.options.schedule(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    while (this.backlog.length > 0) {
      const batch = this.backlog.splice(0, TRACE_BATCH_MAX);
      if (this.dropped > 0 && batch[0] !== undefined) batch.unshift(droppedWarning(batch[0], this.dropped));
      this.dropped = 0;
      this.options.post(batch);
    }
  }
}

function droppedWarning(next: TraceEvent, count: number): TraceEvent {
  return { type: 'warn', message: `${count} trace events dropped (page too slow)`, server: next.server, atMs: next.atMs };
}
