// Property: prep/apply (with up to 3 requests in flight through the overlay) behaves like a plain
// serial model of ZooKeeper on a small path set: same errors, multi results, existence, data,
// versions, child counts and cversion (creates + deletes), sequential names.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Code } from '../errors';
import { OpCode } from '../../jute/opcodes';
import type { ApplyResult } from './apply-result';
import { sequenceSuffix } from './create-mode';
import type { MultiOp, WriteRequest } from './requests';
import { bytes, Harness, OPEN } from './test-harness';

interface ModelNode { data: string; version: number; cversion: number; creates: number; children: Set<string>; ephemeral: boolean }
type Model = Map<string, ModelNode>;

const PATHS = ['/a', '/b', '/a/x', '/a/y', '/b/x', '/a/x/z'];
const parent = (p: string): string => p.substring(0, p.lastIndexOf('/')) || '/';
const name = (p: string): string => p.substring(p.lastIndexOf('/') + 1);

function fresh(): Model {
  return new Map([['/', { data: '', version: 0, cversion: -1, creates: 0, children: new Set(['zookeeper']), ephemeral: false }]]);
}
function clone(m: Model): Model {
  return new Map([...m].map(([k, v]) => [k, { ...v, children: new Set(v.children) }]));
}

/** Applies one op to the model; returns its code and the created path. */
function step(m: Model, op: MultiOp): { err: Code; path?: string } {
  if (op.op === OpCode.create || op.op === OpCode.create2) {
    const par = m.get(parent(op.path));
    if (par === undefined) return { err: Code.NoNode };
    const path = op.flags & 2 ? op.path + sequenceSuffix(par.creates) : op.path;
    if (m.has(path)) return { err: Code.NodeExists };
    if (par.ephemeral) return { err: Code.NoChildrenForEphemerals };
    par.creates++;
    par.cversion++;
    par.children.add(name(path));
    m.set(path, { data: new TextDecoder().decode(op.data ?? undefined), version: 0, cversion: 0, creates: 0, children: new Set(), ephemeral: (op.flags & 1) === 1 });
    return { err: Code.OK, path };
  }
  if (op.op === OpCode.delete) {
    const par = m.get(parent(op.path));
    if (par === undefined) return { err: Code.NoNode };
    const node = m.get(op.path);
    if (node === undefined) return { err: Code.NoNode };
    if (op.version !== -1 && op.version !== node.version) return { err: Code.BadVersion };
    if (node.children.size > 0) return { err: Code.NotEmpty };
    par.children.delete(name(op.path));
    par.cversion++;
    m.delete(op.path);
    return { err: Code.OK };
  }
  if (op.op === OpCode.setData) {
    const node = m.get(op.path);
    if (node === undefined) return { err: Code.NoNode };
    if (op.version !== -1 && op.version !== node.version) return { err: Code.BadVersion };
    node.version++;
    node.data = new TextDecoder().decode(op.data ?? undefined);
    return { err: Code.OK };
  }
  if (op.op === OpCode.check) {
    const node = m.get(op.path);
    if (node === undefined) return { err: Code.NoNode };
    return { err: op.version !== -1 && op.version !== node.version ? Code.BadVersion : Code.OK };
  }
  throw new Error('unexpected op');
}

interface Expected { err: Code; path?: string; multi?: Code[] }

function modelRequest(m: Model, req: WriteRequest): { model: Model; expected: Expected } {
  if (req.op !== OpCode.multi) {
    const next = clone(m);
    return { model: next, expected: step(next, req as MultiOp) };
  }
  const next = clone(m);
  const codes: Code[] = [];
  for (const op of req.ops) {
    const r = step(next, op);
    if (r.err !== Code.OK) {
      const failedAt = codes.length;
      const multi = req.ops.map((_, i) => (i < failedAt ? Code.OK : i === failedAt ? r.err : Code.RuntimeInconsistency));
      return { model: m, expected: { err: r.err, multi } };
    }
    codes.push(Code.OK);
  }
  return { model: next, expected: { err: Code.OK, multi: codes } };
}

const pathArb = fc.constantFrom(...PATHS);
const versionArb = fc.constantFrom(-1, 0, 1, 2);
const dataArb = fc.constantFrom('', 'v1', 'v2');
const opArb: fc.Arbitrary<MultiOp> = fc.oneof(
  fc.record({ path: pathArb, flags: fc.constantFrom(0, 0, 1, 2), data: dataArb }).map(
    ({ path, flags, data }): MultiOp => ({ op: OpCode.create, path, data: bytes(data), acl: OPEN, flags }),
  ),
  fc.record({ path: pathArb, version: versionArb }).map(({ path, version }): MultiOp => ({ op: OpCode.delete, path, version })),
  fc.record({ path: pathArb, version: versionArb, data: dataArb }).map(
    ({ path, version, data }): MultiOp => ({ op: OpCode.setData, path, data: bytes(data), version }),
  ),
  fc.record({ path: pathArb, version: versionArb }).map(({ path, version }): MultiOp => ({ op: OpCode.check, path, version })),
);
const requestArb: fc.Arbitrary<WriteRequest> = fc.oneof(
  { weight: 4, arbitrary: opArb.filter((o) => o.op !== OpCode.check) },
  { weight: 1, arbitrary: fc.array(opArb, { minLength: 1, maxLength: 3 }).map((ops): WriteRequest => ({ op: OpCode.multi, ops })) },
);
const batchesArb = fc.array(fc.array(requestArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 25 });

function actual(r: ApplyResult): Expected {
  if (r.multi !== undefined) {
    const firstErr = r.multi.find((x) => x.err !== Code.OK)?.err ?? Code.OK;
    return { err: firstErr, multi: r.multi.map((x) => x.err) };
  }
  return r.err === Code.OK && r.path !== undefined && r.type !== OpCode.delete && r.type !== OpCode.setData
    ? { err: r.err, path: r.path }
    : { err: r.err };
}

function compare(h: Harness, m: Model): void {
  for (const path of ['/', ...PATHS, ...[...m.keys()].filter((p) => !PATHS.includes(p))]) {
    const node = m.get(path);
    const stat = h.tree.statOf(path);
    expect(stat !== null, `exists ${path}`).toBe(node !== undefined);
    if (node === undefined || stat === null) continue;
    expect(new TextDecoder().decode(h.tree.getData(path)?.data ?? undefined), path).toBe(node.data);
    expect([stat.version, stat.cversion, stat.numChildren], path).toEqual([node.version, node.cversion, node.children.size]);
    expect(stat.ephemeralOwner !== 0n, path).toBe(node.ephemeral);
  }
}

describe('prep/apply against a serial model', () => {
  it('agree on random pipelined workloads', () => {
    fc.assert(
      fc.property(batchesArb, (batches) => {
        const h = new Harness(0x5n);
        let model = fresh();
        for (const batch of batches) {
          const prepared = batch.map((req) => {
            const expectedStep = modelRequest(model, req);
            model = expectedStep.model;
            return { txn: h.prepare(req).txn, expected: expectedStep.expected };
          });
          for (const { txn, expected } of prepared) {
            const got = actual(h.commit(txn));
            if (expected.path === undefined) delete (got as { path?: string }).path;
            expect(got).toEqual(expected);
          }
          expect(h.changes.size).toBe(0);
          compare(h, model);
        }
      }),
      { numRuns: 300, seed: 20250717 },
    );
  });
});
