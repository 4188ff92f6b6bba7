// Property tests: histories produced by really running a sequential znode store with random
// overlapping intervals are linearizable; injecting one stale read makes them non-linearizable.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Code } from '../../zk/errors';
import { checkLinearizability } from './linearizability';
import { zkRegisterModel, type ZkOpInput, type ZkOpOutput, type ZkOperation } from './zk-register-model';

const PATHS = ['/a', '/b', '/c'];
/** Linearization points are SPACING apart; intervals stretch up to MAX_SLACK on each side. */
const SPACING = 10;
const MAX_SLACK = 25;

interface PlannedOp {
  path: number;
  kind: 'create' | 'setData' | 'delete' | 'getData' | 'syncGetData';
  versionMode: 'any' | 'current' | 'random';
  randomVersion: number;
  before: number;
  after: number;
  fate: 'returned' | 'pendingApplied' | 'pendingLost';
  clientId: number;
}

const plannedOp: fc.Arbitrary<PlannedOp> = fc.record({
  path: fc.integer({ min: 0, max: PATHS.length - 1 }),
  kind: fc.constantFrom('create', 'setData', 'setData', 'delete', 'getData', 'syncGetData'),
  versionMode: fc.constantFrom('any', 'current', 'random'),
  randomVersion: fc.integer({ min: 0, max: 3 }),
  before: fc.integer({ min: 0, max: MAX_SLACK }),
  after: fc.integer({ min: 0, max: MAX_SLACK }),
  fate: fc.constantFrom('returned', 'returned', 'returned', 'returned', 'pendingApplied', 'pendingLost'),
  clientId: fc.integer({ min: 1, max: 5 }),
});

/** An independent, mutable reference store: deliberately not the model under test. */
class ReferenceStore {
  private readonly nodes = new Map<string, { data: string; version: number }>();

  apply(input: ZkOpInput): ZkOpOutput {
    const node = this.nodes.get(input.path);
    if (input.type === 'getData' || input.type === 'syncGetData') {
      return node ? { code: Code.OK, data: node.data, version: node.version } : { code: Code.NoNode };
    }
    if (input.type === 'create') {
      if (node) return { code: Code.NodeExists };
      this.nodes.set(input.path, { data: input.data, version: 0 });
      return { code: Code.OK };
    }
    if (!node) return { code: Code.NoNode };
    if (input.version !== -1 && input.version !== node.version) return { code: Code.BadVersion };
    if (input.type === 'delete') {
      this.nodes.delete(input.path);
      return { code: Code.OK };
    }
    node.data = input.data;
    node.version += 1;
    return { code: Code.OK, version: node.version };
  }

  version(path: string): number {
    return this.nodes.get(path)?.version ?? 0;
  }
}

/** Runs the plan in linearization-point order; every write carries unique data. */
function runHistory(plan: readonly PlannedOp[]): ZkOperation[] {
  const store = new ReferenceStore();
  return plan.map((p, i) => {
    const path = PATHS[p.path]!;
    const version = p.versionMode === 'any' ? -1 : p.versionMode === 'current' ? store.version(path) : p.randomVersion;
    const data = `d${i}`;
    const input: ZkOpInput =
      p.kind === 'create'
        ? { type: 'create', path, data }
        : p.kind === 'setData'
          ? { type: 'setData', path, data, version }
          : p.kind === 'delete'
            ? { type: 'delete', path, version }
            : { type: p.kind, path };
    const point = (i + 1) * SPACING + MAX_SLACK;
    const callTime = point - p.before;
    if (p.fate === 'pendingLost') return { clientId: p.clientId, callTime, input };
    const output = store.apply(input);
    if (p.fate === 'pendingApplied') return { clientId: p.clientId, callTime, input };
    return { clientId: p.clientId, callTime, returnTime: point + p.after, input, output };
  });
}

const isDataWrite = (op: ZkOperation): boolean =>
  op.returnTime !== undefined && op.output?.code === Code.OK && op.input.type !== 'getData' && op.input.type !== 'syncGetData';

/**
 * A read that must be stale: it starts after W2 returned, and W2 (which changed the node after W
 * returned) replaced the value W wrote. Data is unique per write, so that value never comes back.
 */
function injectStaleRead(history: ZkOperation[], choice: number, width: number): ZkOperation[] | null {
  const pairs: Array<[ZkOperation, ZkOperation]> = [];
  for (const first of history) {
    if (!isDataWrite(first) || first.input.type === 'delete') continue;
    for (const second of history) {
      if (second.input.path === first.input.path && isDataWrite(second) && second.callTime > first.returnTime!) {
        pairs.push([first, second]);
      }
    }
  }
  if (pairs.length === 0) return null;
  const [written, overwriter] = pairs[choice % pairs.length]!;
  const data = (written.input as { data: string }).data;
  const version = written.input.type === 'create' ? 0 : (written.output as { version: number }).version;
  const callTime = overwriter.returnTime! + 1;
  const stale: ZkOperation = {
    clientId: 99,
    callTime,
    returnTime: callTime + width,
    input: { type: 'syncGetData', path: written.input.path },
    output: { code: Code.OK, data, version },
  };
  return [...history, stale];
}

const strictModel = zkRegisterModel({ plainReads: 'check' });
const unpartitioned = { ...strictModel, partition: undefined };

describe('zkRegisterModel properties', () => {
  it('histories from a real sequential store always check ok', () => {
    fc.assert(
      fc.property(fc.array(plannedOp, { minLength: 1, maxLength: 60 }), (plan) => {
        const history = runHistory(plan);
        const result = checkLinearizability(strictModel, history);
        expect(result.ok, result.ok === false ? result.counterexample.text : '').toBe(true);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('the same holds without partitioning (small histories)', () => {
    fc.assert(
      fc.property(fc.array(plannedOp, { minLength: 1, maxLength: 14 }), (plan) => {
        expect(checkLinearizability(unpartitioned, runHistory(plan)).ok).toBe(true);
      }),
      { numRuns: 200, seed: 8 },
    );
  });

  it('one injected stale read always fails', () => {
    let injected = 0;
    fc.assert(
      fc.property(
        fc.array(plannedOp, { minLength: 10, maxLength: 60 }),
        fc.nat(),
        fc.integer({ min: 0, max: 30 }),
        (plan, choice, width) => {
          const history = injectStaleRead(runHistory(plan), choice, width);
          if (history === null) return;
          injected++;
          const result = checkLinearizability(strictModel, history);
          expect(result.ok).toBe(false);
          if (result.ok === false) expect(result.counterexample.text).toContain('cannot place');
        },
      ),
      { numRuns: 300, seed: 9 },
    );
    expect(injected).toBeGreaterThan(100);
  });

  it('a stale read also fails without partitioning (small histories)', () => {
    fc.assert(
      fc.property(fc.array(plannedOp, { minLength: 4, maxLength: 14 }), fc.nat(), fc.nat({ max: 30 }), (plan, choice, width) => {
        const history = injectStaleRead(runHistory(plan), choice, width);
        if (history === null) return;
        expect(checkLinearizability(unpartitioned, history).ok).toBe(false);
      }),
      { numRuns: 200, seed: 10 },
    );
  });
});

describe('zkRegisterModel at simulator scale', () => {
  it('checks a 3000-op history within the default budget thanks to per-path partitions', () => {
    // ConnectionLoss on 1 op in 50: every pending write doubles the space a refutation must cover
    const plan = fc.sample(plannedOp, { numRuns: 3000, seed: 42 }).map((p, i) => ({ ...p, fate: i % 50 === 0 ? p.fate : 'returned' as const }));
    const history = runHistory(plan);
    const result = checkLinearizability(strictModel, history);
    expect(result.ok).toBe(true);
    expect(result.stats.partitions).toBe(PATHS.length);
    const stale = injectStaleRead(history, 1234, 5)!;
    expect(checkLinearizability(strictModel, stale).ok).toBe(false);
  });
});
