import { describe, expect, it } from 'vitest';
import { Code } from '../../zk/errors';
import { checkLinearizability } from './linearizability';
import { zkRegisterModel, type ZkOpInput, type ZkOpOutput, type ZkOperation } from './zk-register-model';

const model = zkRegisterModel();
const strict = zkRegisterModel({ plainReads: 'check' });

let nextClient = 1;
function op(callTime: number, returnTime: number | undefined, input: ZkOpInput, output?: ZkOpOutput, clientId = nextClient++): ZkOperation {
  return returnTime === undefined ? { clientId, callTime, input } : { clientId, callTime, returnTime, input, output: output! };
}
const OK = (data?: string, version?: number): ZkOpOutput => {
  const out: ZkOpOutput = { code: Code.OK };
  if (data !== undefined) out.data = data;
  if (version !== undefined) out.version = version;
  return out;
};
const create = (t0: number, t1: number | undefined, path: string, data: string, out: ZkOpOutput = OK()) =>
  op(t0, t1, { type: 'create', path, data }, t1 === undefined ? undefined : out);
const set = (t0: number, t1: number | undefined, path: string, data: string, version: number, out?: ZkOpOutput) =>
  op(t0, t1, { type: 'setData', path, data, version }, out);
const del = (t0: number, t1: number, path: string, version: number, out: ZkOpOutput) =>
  op(t0, t1, { type: 'delete', path, version }, out);
const read = (t0: number, t1: number, path: string, out: ZkOpOutput) => op(t0, t1, { type: 'syncGetData', path }, out);
const plainRead = (t0: number, t1: number, path: string, out: ZkOpOutput) => op(t0, t1, { type: 'getData', path }, out);
const NONODE: ZkOpOutput = { code: Code.NoNode };
const EXISTS: ZkOpOutput = { code: Code.NodeExists };
const BADVERSION: ZkOpOutput = { code: Code.BadVersion };

const check = (history: ZkOperation[], m = model) => checkLinearizability(m, history);

describe('zkRegisterModel: known good histories', () => {
  it('create, conditional set, read, delete in sequence', () => {
    const history = [
      create(0, 1, '/a', 'x'),
      set(2, 3, '/a', 'y', 0, OK(undefined, 1)),
      set(4, 5, '/a', 'z', 0, BADVERSION),
      read(6, 7, '/a', OK('y', 1)),
      del(8, 9, '/a', 7, BADVERSION),
      del(10, 11, '/a', 1, OK()),
      read(12, 13, '/a', NONODE),
      set(14, 15, '/a', 'q', -1, NONODE),
      del(16, 17, '/a', -1, NONODE),
    ];
    expect(check(history).ok).toBe(true);
  });

  it('two concurrent creates: exactly one wins', () => {
    const history = [create(0, 10, '/lock', 'c1'), create(0, 10, '/lock', 'c2', EXISTS), read(11, 12, '/lock', OK('c1', 0))];
    expect(check(history).ok).toBe(true);
  });

  it('a pending write may take effect later than its call', () => {
    const history = [
      create(0, 1, '/a', 'x'),
      set(2, undefined, '/a', 'y', -1),
      read(40, 41, '/a', OK('x', 0)),
      read(50, 51, '/a', OK('y', 1)),
    ];
    expect(check(history).ok).toBe(true);
  });

  it('a pending write may never take effect', () => {
    const history = [create(0, 1, '/a', 'x'), set(2, undefined, '/a', 'y', -1), read(50, 51, '/a', OK('x', 0))];
    expect(check(history).ok).toBe(true);
  });

  it('a pending create that took effect explains a later NodeExists', () => {
    const history = [create(0, undefined, '/a', 'x'), create(10, 11, '/a', 'y', EXISTS)];
    expect(check(history).ok).toBe(true);
  });

  it('plain getData may be stale by default (followers lag), but not in strict mode', () => {
    const history = [create(0, 1, '/a', 'x'), set(2, 3, '/a', 'y', -1, OK(undefined, 1)), plainRead(4, 5, '/a', OK('x', 0))];
    expect(check(history).ok).toBe(true);
    expect(check(history, strict).ok).toBe(false);
  });

  it('operations on different paths are independent partitions', () => {
    const history = [create(0, 1, '/a', 'x'), create(0, 1, '/b', 'y'), read(2, 3, '/a', OK('x', 0)), read(2, 3, '/b', OK('y', 0))];
    const result = check(history);
    expect(result.ok).toBe(true);
    expect(result.stats.partitions).toBe(2);
  });
});

describe('zkRegisterModel: known bad histories', () => {
  it('stale read after a completed write', () => {
    const history = [create(0, 1, '/a', 'x'), set(2, 3, '/a', 'y', -1, OK(undefined, 1)), read(4, 5, '/a', OK('x', 0))];
    const result = check(history);
    expect(result.ok).toBe(false);
    if (result.ok !== false) return;
    const cx = result.counterexample;
    expect(cx.linearizedPrefix.map((p) => p.index)).toEqual([0, 1]);
    expect(cx.stateAfterPrefix).toBe('{/a="y"@v1}');
    expect(cx.unplaceable.index).toBe(2);
    expect(cx.text).toContain('sync+getData /a -> OK "x" v0');
  });

  it('two concurrent writes visible in an impossible order', () => {
    const history = [
      create(0, 1, '/a', 'init'),
      set(10, 100, '/a', 'x', -1, OK(undefined, 1)),
      set(10, 100, '/a', 'y', -1, OK(undefined, 2)),
      read(20, 30, '/a', OK('y', 2)),
      read(40, 50, '/a', OK('x', 1)),
    ];
    expect(check(history).ok).toBe(false);
  });

  it('two readers disagree on the order of concurrent writes (versions not reported)', () => {
    const history = [
      set(10, 100, '/a', 'x', -1, OK()),
      set(10, 100, '/a', 'y', -1, OK()),
      read(20, 30, '/a', OK('x')),
      read(40, 50, '/a', OK('y')),
      read(20, 30, '/a', OK('y')),
      read(40, 50, '/a', OK('x')),
      create(0, 1, '/a', 'init'),
    ];
    expect(check(history).ok).toBe(false);
  });

  it('lost acknowledged write (create acknowledged, then NoNode)', () => {
    const history = [create(0, 1, '/a', 'x'), read(5, 6, '/a', NONODE)];
    expect(check(history).ok).toBe(false);
  });

  it('lost acknowledged write (a set the next conditional set does not see)', () => {
    const history = [create(0, 1, '/a', 'x'), set(2, 3, '/a', 'y', 0, OK(undefined, 1)), set(4, 5, '/a', 'z', 0, OK(undefined, 1))];
    expect(check(history).ok).toBe(false);
  });

  it('a pending write observed before its call', () => {
    const history = [create(0, 1, '/a', 'x'), read(2, 3, '/a', OK('y', 1)), set(10, undefined, '/a', 'y', -1)];
    expect(check(history).ok).toBe(false);
  });

  it('wrong version in a setData reply', () => {
    const history = [create(0, 1, '/a', 'x'), set(2, 3, '/a', 'y', -1, OK(undefined, 5))];
    expect(check(history).ok).toBe(false);
  });

  it('NodeExists for a path that never existed', () => {
    expect(check([create(0, 1, '/a', 'x', EXISTS)]).ok).toBe(false);
  });

  it('BadVersion on an unconditional delete', () => {
    expect(check([create(0, 1, '/a', 'x'), del(2, 3, '/a', -1, BADVERSION)]).ok).toBe(false);
  });

  it('names the partition that failed', () => {
    const history = [create(0, 1, '/ok', 'x'), create(0, 1, '/bad', 'x'), read(2, 3, '/bad', NONODE)];
    const result = check(history);
    expect(result.ok).toBe(false);
    if (result.ok === false) expect(result.counterexample.text).toContain('partition 2 of 2');
  });
});
