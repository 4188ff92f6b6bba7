// Virtual time: a clock in milliseconds that only moves when the next event runs, and the timers
// the real client library is given, backed by the same event queue.
import type { TimerHandle, Timers } from '../client/timers';
import { EventQueue, type ScheduledEvent } from './event-queue';

export class Scheduler {
  private currentMs = 0;
  readonly queue: EventQueue;

  constructor(maxEvents?: number) {
    this.queue = new EventQueue(maxEvents);
  }

  get nowMs(): number {
    return this.currentMs;
  }

  /** Runs `run` `delayMs` from now (0 = after everything already scheduled for now). */
  after(delayMs: number, label: string, run: () => void): ScheduledEvent {
    if (!(delayMs >= 0)) throw new RangeError(`delay must be >= 0, got ${delayMs}`);
    return this.queue.push(this.currentMs + Math.round(delayMs), label, run);
  }

  at(atMs: number, label: string, run: () => void): ScheduledEvent {
    return this.queue.push(Math.max(this.currentMs, Math.round(atMs)), label, run);
  }

  /** Pops and runs the next event if it is due at or before `untilMs`; false when none is. */
  runNext(untilMs: number): boolean {
    const next = this.queue.peek();
    if (next === undefined || next.atMs > untilMs) return false;
    this.queue.pop();
    if (next.atMs < this.currentMs) throw new Error(`time went backwards: ${next.atMs} < ${this.currentMs}`);
    this.currentMs = next.atMs;
    next.run();
    return true;
  }

  /** Moves the clock forward with no event (the queue had nothing earlier). */
  advanceTo(atMs: number): void {
    if (atMs > this.currentMs) this.currentMs = atMs;
  }

  /** Timers for code written against setTimeout (the ZooKeeper client). */
  timers(label: string): Timers {
    return {
      setTimeout: (fn: () => void, delayMs: number): TimerHandle => this.after(Math.max(0, delayMs), label, fn),
      clearTimeout: (handle: TimerHandle): void => {
        if (handle !== null && typeof handle === 'object' && 'cancelled' in handle) (handle as ScheduledEvent).cancelled = true;
      },
    };
  }
}
