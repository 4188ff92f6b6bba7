// Turns a failed search into a short explanation a person can read: the longest linearizable
// prefix that was found, the state it leads to, and the operation that could not be placed.

import type { Model, Operation } from './model';
import type { SearchOutcome } from './wgl-search';

export interface PlacedOperation {
  /** Index into the checked history. */
  index: number;
  clientId: number;
  callTime: number;
  returnTime?: number;
  description: string;
}

export interface Counterexample {
  partition: { index: number; count: number };
  /** Longest linearizable prefix found, in linearization order. */
  linearizedPrefix: PlacedOperation[];
  stateAfterPrefix: string;
  /** The operation that must have taken effect by its return but fits nowhere after the prefix. */
  unplaceable: PlacedOperation;
  /** Other operations that were open at that point and could not be placed either. */
  concurrent: PlacedOperation[];
  /** The whole explanation as text. */
  text: string;
}

const MAX_PREFIX_LINES = 20;
const MAX_CONCURRENT_LINES = 8;

export function explainFailure<S, I, O>(
  model: Model<S, I, O>,
  history: readonly Operation<I, O>[],
  indices: readonly number[],
  outcome: Extract<SearchOutcome<S>, { kind: 'fail' }>,
  partitionIndex: number,
  partitionCount: number,
): Counterexample {
  const place = (local: number): PlacedOperation => placed(model, history, indices[local]!);
  const linearizedPrefix = outcome.prefix.map(place);
  const unplaceable = place(outcome.stuckOp);
  const concurrent = outcome.candidates.filter((c) => c !== outcome.stuckOp).map(place);
  const stateAfterPrefix = model.describeState ? model.describeState(outcome.stateAfterPrefix) : safeJson(outcome.stateAfterPrefix);
  const lines = [`not linearizable (partition ${partitionIndex + 1} of ${partitionCount})`];
  lines.push(`longest linearizable prefix (${linearizedPrefix.length} ops):`);
  const skipped = Math.max(0, linearizedPrefix.length - MAX_PREFIX_LINES);
  if (skipped > 0) lines.push(`  ... ${skipped} earlier ops`);
  linearizedPrefix.slice(skipped).forEach((op, i) => lines.push(`  ${skipped + i + 1}. ${formatOp(op)}`));
  lines.push(`state after prefix: ${stateAfterPrefix}`);
  lines.push(`cannot place ${formatOp(unplaceable)}`);
  lines.push(`  it returned at t=${unplaceable.returnTime} but is inconsistent with that state, and no other order works`);
  if (concurrent.length > 0) {
    lines.push('  concurrent ops that did not fit either:');
    concurrent.slice(0, MAX_CONCURRENT_LINES).forEach((op) => lines.push(`    ${formatOp(op)}`));
    if (concurrent.length > MAX_CONCURRENT_LINES) lines.push(`    ... ${concurrent.length - MAX_CONCURRENT_LINES} more`);
  }
  return {
    partition: { index: partitionIndex, count: partitionCount },
    linearizedPrefix,
    stateAfterPrefix,
    unplaceable,
    concurrent,
    text: lines.join('\n'),
  };
}

function placed<S, I, O>(model: Model<S, I, O>, history: readonly Operation<I, O>[], index: number): PlacedOperation {
  const op = history[index]!;
  const description = model.describeOperation
    ? model.describeOperation(op.input, op.output)
    : `${safeJson(op.input)} -> ${op.output === undefined ? 'pending' : safeJson(op.output)}`;
  const result: PlacedOperation = { index, clientId: op.clientId, callTime: op.callTime, description };
  if (op.returnTime !== undefined) result.returnTime = op.returnTime;
  return result;
}

function formatOp(op: PlacedOperation): string {
  const end = op.returnTime === undefined ? 'pending' : String(op.returnTime);
  return `#${op.index} client ${op.clientId} [${op.callTime}, ${end}] ${op.description}`;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
  } catch {
    return String(value);
  }
}
