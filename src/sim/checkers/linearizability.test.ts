import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkLinearizability, type Model } from './linearizability';
import { bruteForceLinearizable, registerModel, type RegInput, type RegOp, type RegOutput } from './test-register';

const w = (client: number, call: number, ret: number | undefined, value: number): RegOp =>
  ret === undefined
    ? { clientId: client, callTime: call, input: { kind: 'write', value } }
    : { clientId: client, callTime: call, returnTime: ret, input: { kind: 'write', value }, output: {} };
const r = (client: number, call: number, ret: number, value: number): RegOp => ({
  clientId: client,
  callTime: call,
  returnTime: ret,
  input: { kind: 'read' },
  output: { value },
});

describe('checkLinearizability on a plain register', () => {
  it('accepts the empty history', () => {
    expect(checkLinearizability(registerModel, []).ok).toBe(true);
  });

  it('accepts a read concurrent with a write seeing either value', () => {
    expect(checkLinearizability(registerModel, [w(1, 0, 10, 1), r(2, 5, 6, 0)]).ok).toBe(true);
    expect(checkLinearizability(registerModel, [w(1, 0, 10, 1), r(2, 5, 6, 1)]).ok).toBe(true);
  });

  it('rejects a stale read after the write returned and explains it', () => {
    const result = checkLinearizability(registerModel, [w(1, 0, 10, 1), r(2, 11, 12, 0)]);
    expect(result.ok).toBe(false);
    if (result.ok !== false) return;
    expect(result.counterexample.unplaceable.index).toBe(1);
    expect(result.counterexample.linearizedPrefix.map((op) => op.index)).toEqual([0]);
    expect(result.counterexample.stateAfterPrefix).toBe('register=1');
    expect(result.counterexample.text).toContain('cannot place #1 client 2 [11, 12] read -> {"value":0}');
  });

  it('treats touching intervals as concurrent', () => {
    expect(checkLinearizability(registerModel, [w(1, 0, 10, 1), r(2, 10, 12, 0)]).ok).toBe(true);
  });

  it('rejects two reads that see two concurrent writes in opposite orders', () => {
    const history = [w(1, 0, 100, 1), w(2, 0, 100, 2), r(3, 10, 20, 1), r(3, 30, 40, 2), r(4, 10, 20, 2), r(4, 30, 40, 1)];
    expect(checkLinearizability(registerModel, history).ok).toBe(false);
  });

  it('lets a pending write take effect late, or never', () => {
    expect(checkLinearizability(registerModel, [w(1, 0, undefined, 1), r(2, 50, 51, 1)]).ok).toBe(true);
    expect(checkLinearizability(registerModel, [w(1, 0, undefined, 1), r(2, 50, 51, 0)]).ok).toBe(true);
    expect(checkLinearizability(registerModel, [w(1, 0, undefined, 1), r(2, 50, 51, 1), r(2, 60, 61, 0)]).ok).toBe(false);
  });

  it('rejects a pending write observed before its call', () => {
    expect(checkLinearizability(registerModel, [r(2, 0, 5, 1), w(1, 10, undefined, 1)]).ok).toBe(false);
  });

  it('returns unknown when the step budget is exhausted, never a wrong verdict', () => {
    const history: RegOp[] = [];
    for (let i = 0; i < 12; i++) history.push(w(i, 0, 100, i));
    history.push(r(99, 200, 201, 99)); // impossible: forces a full search
    const result = checkLinearizability(registerModel, history, { maxSteps: 50 });
    expect(result.ok).toBe('unknown');
    if (result.ok === 'unknown') expect(result.reason).toContain('step budget');
    expect(checkLinearizability(registerModel, history).ok).toBe(false);
  });

  it('returns unknown when the state bound is exceeded', () => {
    const history: RegOp[] = [];
    for (let i = 0; i < 10; i++) history.push(w(i, 0, 100, i));
    history.push(r(99, 200, 201, 99));
    const result = checkLinearizability(registerModel, history, { maxStates: 20 });
    expect(result.ok).toBe('unknown');
    if (result.ok === 'unknown') expect(result.reason).toContain('state bound');
  });

  it('memoization keeps many concurrent writes cheap', () => {
    const history: RegOp[] = [];
    for (let i = 0; i < 13; i++) history.push(w(i, 0, 100, i % 3));
    history.push(r(99, 200, 201, 7)); // never written: every order must be refuted
    const result = checkLinearizability(registerModel, history);
    expect(result.ok).toBe(false);
    expect(result.stats.states).toBeLessThan(3 * 8192); // subsets x values, not 13! orders
  });

  it('rejects malformed histories with a clear error', () => {
    expect(() => checkLinearizability(registerModel, [{ ...r(1, 5, 4, 0) }])).toThrow(/returns \(4\) before its call/);
    expect(() => checkLinearizability(registerModel, [{ clientId: 1, callTime: 0, returnTime: 1, input: { kind: 'read' } }])).toThrow(
      /no output/,
    );
    expect(() => checkLinearizability(registerModel, [{ clientId: 1, callTime: NaN, input: { kind: 'read' } }])).toThrow(/callTime/);
    expect(() => checkLinearizability(registerModel, [], { maxSteps: 0 })).toThrow(/maxSteps/);
  });

  it('rejects a partition hook that returns foreign operations', () => {
    const bad: Model<number, RegInput, RegOutput> = { ...registerModel, partition: (h) => [h.map((op) => ({ ...op }))] };
    expect(() => checkLinearizability(bad, [w(1, 0, 1, 1)])).toThrow(/own operation objects/);
  });

  it('uses equal() for memoization when no hash is given', () => {
    const withEqual: Model<{ v: number }, RegInput, RegOutput> = {
      init: () => ({ v: 0 }),
      step: (state, input, output) => {
        const res = registerModel.step(state.v, input, output);
        return { ok: res.ok, state: { v: res.state } };
      },
      equal: (a, b) => a.v === b.v,
    };
    const history = [w(1, 0, 10, 1), w(2, 0, 10, 2), r(3, 11, 12, 2), r(3, 13, 14, 1)];
    expect(checkLinearizability(withEqual, history).ok).toBe(false);
    expect(checkLinearizability(withEqual, history.slice(0, 3)).ok).toBe(true);
  });
});

const smallOp = (): fc.Arbitrary<RegOp> =>
  fc
    .record({
      clientId: fc.integer({ min: 0, max: 3 }),
      callTime: fc.integer({ min: 0, max: 20 }),
      width: fc.integer({ min: 0, max: 8 }),
      pending: fc.boolean(),
      kind: fc.constantFrom('write', 'read', 'cas'),
      a: fc.integer({ min: 0, max: 2 }),
      b: fc.integer({ min: 0, max: 2 }),
      flag: fc.boolean(),
    })
    .map(({ clientId, callTime, width, pending, kind, a, b, flag }): RegOp => {
      const input: RegInput = kind === 'write' ? { kind, value: a } : kind === 'read' ? { kind } : { kind: 'cas', from: a, to: b };
      if (pending && kind !== 'read') return { clientId, callTime, input };
      const output: RegOutput = kind === 'read' ? { value: b } : kind === 'cas' ? { ok: flag } : {};
      return { clientId, callTime, returnTime: callTime + width, input, output };
    });

describe('checkLinearizability agrees with a brute-force oracle', () => {
  it('on random small histories (good and bad mixed)', () => {
    let failures = 0;
    fc.assert(
      fc.property(fc.array(smallOp(), { minLength: 0, maxLength: 7 }), (history) => {
        const expected = bruteForceLinearizable(registerModel, history);
        const actual = checkLinearizability(registerModel, history).ok;
        if (!expected) failures++;
        expect(actual).toBe(expected);
      }),
      { numRuns: 600, seed: 12345 },
    );
    expect(failures).toBeGreaterThan(50); // the generator must exercise the failing side too
  });
});
