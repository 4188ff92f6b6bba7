// Wing-Gong-Lowe depth-first search for a linearization of one (partition of a) history, with
// Lowe's memoization of (linearized set, state) as in Porcupine. Deterministic: no clock; the
// caller's budget of steps and states bounds the work.

import { Bitset } from './bitset';
import { buildEntryList, lift, unlift, type Entry } from './entry-list';
import type { Model, Operation } from './model';
import { StateCache } from './state-cache';

/** Shared by all partitions of one check, so the bound holds for the whole history. */
export interface SearchBudget {
  maxSteps: number;
  maxStates: number;
  stepsUsed: number;
  statesUsed: number;
}

export type SearchOutcome<S> =
  | { kind: 'ok' }
  | {
      kind: 'fail';
      /** Local op indices, in linearization order: the longest linearizable prefix found. */
      prefix: number[];
      stateAfterPrefix: S;
      /** The op whose return came before it could be placed after that prefix. */
      stuckOp: number;
      /** Ops that could have been placed next (concurrent calls open at that point). */
      candidates: number[];
    }
  | { kind: 'unknown'; reason: string };

interface Frame<S> {
  call: Entry;
  stateBefore: S;
}

export function searchLinearization<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
  budget: SearchBudget,
): SearchOutcome<S> {
  const head = buildEntryList(ops);
  const linearized = new Bitset(ops.length);
  const cache = new StateCache<S>(model);
  const stack: Frame<S>[] = [];
  let deepest: Extract<SearchOutcome<S>, { kind: 'fail' }> | null = null;
  let state = model.init();
  let unplacedCompleted = ops.filter((op) => op.returnTime !== undefined).length;
  let entry = head.next;

  // Done once every completed op is placed: pending ones left over simply never took effect.
  while (unplacedCompleted > 0) {
    if (entry === null) throw new Error('linearizability: internal error, ran off the event list');
    if (++budget.stepsUsed > budget.maxSteps) {
      return { kind: 'unknown', reason: `step budget of ${budget.maxSteps} exhausted` };
    }
    if (entry.kind === 'call') {
      const op = ops[entry.op]!;
      const result = model.step(state, op.input, op.output);
      if (result.ok && isNewConfiguration(cache, linearized, entry.op, result.state)) {
        if (++budget.statesUsed > budget.maxStates) {
          return { kind: 'unknown', reason: `state bound of ${budget.maxStates} explored configurations exceeded` };
        }
        linearized.set(entry.op);
        stack.push({ call: entry, stateBefore: state });
        state = result.state;
        lift(entry);
        if (entry.match !== null) unplacedCompleted--;
        entry = head.next;
      } else {
        entry = entry.next;
      }
      continue;
    }
    // A return event heads the remaining list: its op cannot be placed after the current prefix.
    if (deepest === null || stack.length > deepest.prefix.length) {
      deepest = failure(head, entry, stack, state);
    }
    const frame = stack.pop();
    if (frame === undefined) return deepest;
    state = frame.stateBefore;
    linearized.clear(frame.call.op);
    unlift(frame.call);
    if (frame.call.match !== null) unplacedCompleted++;
    entry = frame.call.next;
  }
  return { kind: 'ok' };
}

function isNewConfiguration<S>(cache: StateCache<S>, linearized: Bitset, op: number, state: S): boolean {
  linearized.set(op);
  const fresh = cache.addIfNew(linearized.key(), state);
  linearized.clear(op);
  return fresh;
}

function failure<S>(head: Entry, stuck: Entry, stack: readonly Frame<S>[], state: S): Extract<SearchOutcome<S>, { kind: 'fail' }> {
  const candidates: number[] = [];
  for (let e = head.next; e !== null && e !== stuck; e = e.next) {
    if (e.kind === 'call') candidates.push(e.op);
  }
  return {
    kind: 'fail',
    prefix: stack.map((frame) => frame.call.op),
    stateAfterPrefix: state,
    stuckOp: stuck.op,
    candidates,
  };
}
