// A view model of the trace as an incremental fold: a bounded state, a step that folds more events
// into it in place, and a view read out of it. The recorder keeps the folded state of the events
// it compacted away (src/ui/trace/trace-summaries.ts), so a view still shows old rounds, sessions and
// syncs after their raw events are gone; and a view folds only the events appended since it last
// looked, so its cost follows the event rate, not the size of the trace.
import type { TraceEvent } from '../../zk/trace';

export interface TraceModel<S, V> {
  empty(): S;
  /** A deep enough copy that folding into it leaves `state` as it was. */
  clone(state: S): S;
  /** Folds events[from..] into `state` in place; true when the view may have changed. */
  fold(state: S, events: readonly TraceEvent[], from: number): boolean;
  /** A fresh view (it must not share anything later folds mutate). */
  view(state: S): V;
}

/** The model's view of `events` alone (no compacted prefix). */
export function viewOfEvents<S, V>(model: TraceModel<S, V>, events: readonly TraceEvent[]): V {
  const state = model.empty();
  model.fold(state, events, 0);
  return model.view(state);
}

/** What an IncrementalView needs of the recorder's state. */
export interface TraceSnapshot<S> {
  events: readonly TraceEvent[];
  /** The folded state of everything before events[0] (undefined: nothing before it). */
  base: S | undefined;
}

interface Folded<S> {
  base: S | undefined;
  length: number;
  last: TraceEvent | undefined;
  first: TraceEvent | undefined;
  state: S;
}

/**
 * Caches a model over a growing trace: when the trace only grew at the end since the last call,
 * folds the new events alone; after a compaction, an import or a reset, refolds from the base.
 */
export class IncrementalView<S, V> {
  private folded: Folded<S> | null = null;
  private cached: V | null = null;

  constructor(private readonly model: TraceModel<S, V>) {}

  viewOf(snapshot: TraceSnapshot<S>): V {
    const { events, base } = snapshot;
    const f = this.folded;
    if (f !== null && this.cached !== null && this.extends(f, events, base)) {
      if (events.length === f.length) return this.cached;
      const changed = this.model.fold(f.state, events, f.length);
      this.remember(f.state, events, base);
      if (changed) this.cached = this.model.view(f.state);
      return this.cached;
    }
    const state = base === undefined ? this.model.empty() : this.model.clone(base);
    this.model.fold(state, events, 0);
    this.remember(state, events, base);
    this.cached = this.model.view(state);
    return this.cached;
  }

  private extends(f: Folded<S>, events: readonly TraceEvent[], base: S | undefined): boolean {
    return f.base === base && events.length >= f.length && events[0] === f.first && (f.length === 0 || events[f.length - 1] === f.last);
  }

  private remember(state: S, events: readonly TraceEvent[], base: S | undefined): void {
    this.folded = { base, length: events.length, last: events[events.length - 1], first: events[0], state };
  }
}
