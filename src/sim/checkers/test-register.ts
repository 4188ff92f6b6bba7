// A tiny integer register (write / read / compare-and-set) used by the checker's own tests, plus a
// brute-force linearizability oracle to compare the real checker against on small histories.

import type { Model, Operation } from './model';

export type RegInput = { kind: 'write'; value: number } | { kind: 'read' } | { kind: 'cas'; from: number; to: number };
export type RegOutput = { value?: number; ok?: boolean };
export type RegOp = Operation<RegInput, RegOutput>;

export const registerModel: Model<number, RegInput, RegOutput> = {
  init: () => 0,
  step: (state, input, output) => {
    switch (input.kind) {
      case 'write':
        return { ok: true, state: input.value };
      case 'read':
        return { ok: output === undefined || output.value === state, state };
      case 'cas': {
        const swapped = state === input.from;
        if (output !== undefined && output.ok !== swapped) return { ok: false, state };
        return { ok: true, state: swapped ? input.to : state };
      }
    }
  },
  describeOperation: (input, output) =>
    `${input.kind}${input.kind === 'write' ? `(${input.value})` : input.kind === 'cas' ? `(${input.from}->${input.to})` : ''}` +
    ` -> ${output === undefined ? 'pending' : JSON.stringify(output)}`,
  describeState: (state) => `register=${state}`,
};

/** Exhaustive search over subsets of pending ops and real-time-respecting orders. Tiny inputs only. */
export function bruteForceLinearizable<S, I, O>(model: Model<S, I, O>, history: readonly Operation<I, O>[]): boolean {
  if (history.length > 8) throw new Error('bruteForceLinearizable: history too long');
  const n = history.length;
  const mustPrecede = (a: Operation<I, O>, b: Operation<I, O>): boolean =>
    a.returnTime !== undefined && a.returnTime < b.callTime;
  const used = new Array<boolean>(n).fill(false);
  const search = (state: S, placed: number): boolean => {
    const completedLeft = history.some((op, i) => !used[i] && op.returnTime !== undefined);
    if (!completedLeft) return true;
    for (let i = 0; i < n; i++) {
      if (used[i]) continue;
      const op = history[i]!;
      const blocked = history.some((other, j) => !used[j] && j !== i && mustPrecede(other, op));
      if (blocked) continue;
      const result = model.step(state, op.input, op.output);
      if (!result.ok) continue;
      used[i] = true;
      const found = search(result.state, placed + 1);
      used[i] = false;
      if (found) return true;
    }
    return false;
  };
  return search(model.init(), 0);
}
