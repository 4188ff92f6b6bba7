// Linearizability checker (Wing & Gong, Lowe's memoization, Porcupine's P-compositionality).
// Pure and deterministic: the only limit on work is an explicit budget of steps and states.

import type { Model, Operation } from './model';
import { searchLinearization, type SearchBudget, type SearchOutcome } from './wgl-search';
import { explainFailure, type Counterexample } from './counterexample';

export type { Model, Operation, StepResult } from './model';
export type { Counterexample, PlacedOperation } from './counterexample';

export interface CheckOptions {
  /** Search steps (events visited) over the whole history before giving up. Default 2,000,000. */
  maxSteps?: number;
  /** Distinct (linearized set, state) configurations remembered before giving up. Default 500,000. */
  maxStates?: number;
}

export interface CheckStats {
  operations: number;
  partitions: number;
  steps: number;
  states: number;
}

export type CheckResult =
  | { ok: true; stats: CheckStats }
  | { ok: false; counterexample: Counterexample; stats: CheckStats }
  | { ok: 'unknown'; reason: string; stats: CheckStats };

export const DEFAULT_MAX_STEPS = 2_000_000;
export const DEFAULT_MAX_STATES = 500_000;

export function checkLinearizability<S, I, O>(
  model: Model<S, I, O>,
  history: readonly Operation<I, O>[],
  options: CheckOptions = {},
): CheckResult {
  history.forEach(validateOperation);
  const budget: SearchBudget = {
    maxSteps: positiveLimit(options.maxSteps ?? DEFAULT_MAX_STEPS, 'maxSteps'),
    maxStates: positiveLimit(options.maxStates ?? DEFAULT_MAX_STATES, 'maxStates'),
    stepsUsed: 0,
    statesUsed: 0,
  };
  const partitions = partitionHistory(model, history);
  const stats = (): CheckStats => ({
    operations: history.length,
    partitions: partitions.length,
    steps: budget.stepsUsed,
    states: budget.statesUsed,
  });
  let unknownReason: string | null = null;
  for (let p = 0; p < partitions.length; p++) {
    const indices = partitions[p]!.filter((i) => !isPendingRead(model, history[i]!));
    const ops = indices.map((i) => history[i]!);
    const outcome: SearchOutcome<S> = searchLinearization(model, ops, budget);
    if (outcome.kind === 'fail') {
      const counterexample = explainFailure(model, history, indices, outcome, p, partitions.length);
      return { ok: false, counterexample, stats: stats() };
    }
    if (outcome.kind === 'unknown') {
      // A later partition may still prove a violation, but the budget is shared and spent.
      unknownReason = `partition ${p + 1} of ${partitions.length}: ${outcome.reason}`;
      break;
    }
  }
  if (unknownReason !== null) return { ok: 'unknown', reason: unknownReason, stats: stats() };
  return { ok: true, stats: stats() };
}

/** Partitions as lists of indices into `history`, so counterexamples can name the original ops. */
function partitionHistory<S, I, O>(model: Model<S, I, O>, history: readonly Operation<I, O>[]): number[][] {
  if (model.partition === undefined) return [history.map((_, i) => i)];
  const indexOf = new Map<Operation<I, O>, number>();
  history.forEach((op, i) => indexOf.set(op, i));
  const seen = new Set<number>();
  return model.partition(history).map((part) =>
    part.map((op) => {
      const index = indexOf.get(op);
      if (index === undefined) throw new Error('linearizability: partition() must return the history\'s own operation objects');
      if (seen.has(index)) throw new Error(`linearizability: partition() put operation #${index} in two partitions`);
      seen.add(index);
      return index;
    }),
  );
}

function isPendingRead<S, I, O>(model: Model<S, I, O>, op: Operation<I, O>): boolean {
  return op.returnTime === undefined && model.readOnly !== undefined && model.readOnly(op.input);
}

function validateOperation<I, O>(op: Operation<I, O>, index: number): void {
  const where = `linearizability: operation #${index}`;
  if (typeof op !== 'object' || op === null) throw new Error(`${where} is not an object`);
  if (!Number.isFinite(op.callTime)) throw new Error(`${where} has a non-finite callTime`);
  if (op.returnTime === undefined) {
    if (op.output !== undefined) throw new Error(`${where} is pending (no returnTime) but has an output`);
    return;
  }
  if (!Number.isFinite(op.returnTime)) throw new Error(`${where} has a non-finite returnTime`);
  if (op.returnTime < op.callTime) throw new Error(`${where} returns (${op.returnTime}) before its call (${op.callTime})`);
  if (op.output === undefined) throw new Error(`${where} returned but has no output`);
}

function positiveLimit(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`linearizability: ${name} must be a positive integer, got ${value}`);
  return value;
}
