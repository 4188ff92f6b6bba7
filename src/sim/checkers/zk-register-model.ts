// Sequential model of ZooKeeper's data operations as one versioned register per znode path, for
// the linearizability checker. The hierarchy is deliberately ignored (parents are assumed to exist,
// delete never reports NotEmpty) so that every path is an independent partition.

import { Code } from '../../zk/errors';
import type { Model, Operation, StepResult } from './model';

/** `version: -1` means "any version", as in the ZooKeeper API. */
export type ZkOpInput =
  | { type: 'create'; path: string; data: string }
  | { type: 'setData'; path: string; data: string; version: number }
  | { type: 'delete'; path: string; version: number }
  /** Plain read: served by the client's server, possibly stale (see ZkModelOptions.plainReads). */
  | { type: 'getData'; path: string }
  /** sync(path) followed by getData(path) on the same session: a linearizable read. */
  | { type: 'syncGetData'; path: string };

/**
 * Replies. setData OK carries the new Stat.version; getData OK carries data and version. A missing
 * version on an OK reply means "not observed" and is not checked.
 */
export type ZkOpOutput =
  | { code: Code.OK; data?: string; version?: number }
  | { code: Code.NoNode }
  | { code: Code.NodeExists }
  | { code: Code.BadVersion };

export interface ZnodeValue {
  readonly data: string;
  readonly version: number;
}

/** Existing znodes by path; a path that is absent does not exist. Never mutated. */
export type ZkRegisterState = ReadonlyMap<string, ZnodeValue>;

export interface ZkModelOptions {
  /**
   * Plain getData is not linearizable in ZooKeeper (a follower may lag), so by default it is not
   * checked ('ignore'). 'check' treats it like syncGetData, e.g. for a single server or reads
   * that go through the leader.
   */
  plainReads?: 'ignore' | 'check';
}

export type ZkOperation = Operation<ZkOpInput, ZkOpOutput>;

export function zkRegisterModel(options: ZkModelOptions = {}): Model<ZkRegisterState, ZkOpInput, ZkOpOutput> {
  const checkPlainReads = (options.plainReads ?? 'ignore') === 'check';
  const constrains = (input: ZkOpInput): boolean => input.type !== 'getData' || checkPlainReads;
  return {
    init: () => new Map(),
    step: (state, input, output) => (constrains(input) ? stepZk(state, input, output) : { ok: true, state }),
    hash: hashZkState,
    partition: (history) => partitionByPath(history.filter((op) => constrains(op.input))),
    readOnly: (input) => input.type === 'getData' || input.type === 'syncGetData',
    describeOperation: describeZkOperation,
    describeState: describeZkState,
  };
}

export function stepZk(state: ZkRegisterState, input: ZkOpInput, output: ZkOpOutput | undefined): StepResult<ZkRegisterState> {
  const node = state.get(input.path);
  switch (input.type) {
    case 'create':
      if (node !== undefined) return expect(state, output, Code.NodeExists);
      return expect(state, output, Code.OK, () => withNode(state, input.path, { data: input.data, version: 0 }));
    case 'setData': {
      if (node === undefined) return expect(state, output, Code.NoNode);
      if (!versionMatches(input.version, node)) return expect(state, output, Code.BadVersion);
      const next = { data: input.data, version: node.version + 1 };
      if (output !== undefined && output.code === Code.OK && output.version !== undefined && output.version !== next.version) {
        return { ok: false, state };
      }
      return expect(state, output, Code.OK, () => withNode(state, input.path, next));
    }
    case 'delete':
      if (node === undefined) return expect(state, output, Code.NoNode);
      if (!versionMatches(input.version, node)) return expect(state, output, Code.BadVersion);
      return expect(state, output, Code.OK, () => withoutNode(state, input.path));
    case 'getData':
    case 'syncGetData':
      return { ok: readMatches(node, output), state };
  }
}

function versionMatches(expected: number, node: ZnodeValue): boolean {
  return expected === -1 || expected === node.version;
}

/** The op has exactly one possible outcome in this state; a pending op (no output) takes it. */
function expect(
  state: ZkRegisterState,
  output: ZkOpOutput | undefined,
  code: Code,
  apply: () => ZkRegisterState = () => state,
): StepResult<ZkRegisterState> {
  if (output !== undefined && output.code !== code) return { ok: false, state };
  return { ok: true, state: apply() };
}

function readMatches(node: ZnodeValue | undefined, output: ZkOpOutput | undefined): boolean {
  if (output === undefined) return true;
  if (node === undefined) return output.code === Code.NoNode;
  if (output.code !== Code.OK) return false;
  return output.data === node.data && (output.version === undefined || output.version === node.version);
}

function withNode(state: ZkRegisterState, path: string, value: ZnodeValue): ZkRegisterState {
  const next = new Map(state);
  next.set(path, value);
  return next;
}

function withoutNode(state: ZkRegisterState, path: string): ZkRegisterState {
  const next = new Map(state);
  next.delete(path);
  return next;
}

function partitionByPath(history: readonly ZkOperation[]): ZkOperation[][] {
  const byPath = new Map<string, ZkOperation[]>();
  for (const op of history) {
    const list = byPath.get(op.input.path);
    if (list === undefined) byPath.set(op.input.path, [op]);
    else list.push(op);
  }
  return Array.from(byPath.values());
}

/** Injective key of a state (paths and data may contain any character). */
function hashZkState(state: ZkRegisterState): string {
  return JSON.stringify(Array.from(state.entries()).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function describeZkState(state: ZkRegisterState): string {
  if (state.size === 0) return '{}';
  const paths = Array.from(state.keys()).sort();
  return '{' + paths.map((p) => `${p}=${JSON.stringify(state.get(p)!.data)}@v${state.get(p)!.version}`).join(', ') + '}';
}

export function describeZkOperation(input: ZkOpInput, output: ZkOpOutput | undefined): string {
  return `${describeInput(input)} -> ${describeOutput(output)}`;
}

function describeInput(input: ZkOpInput): string {
  switch (input.type) {
    case 'create':
      return `create ${input.path} ${JSON.stringify(input.data)}`;
    case 'setData':
      return `setData ${input.path} ${JSON.stringify(input.data)} ${expecting(input.version)}`;
    case 'delete':
      return `delete ${input.path} ${expecting(input.version)}`;
    case 'getData':
      return `getData ${input.path}`;
    case 'syncGetData':
      return `sync+getData ${input.path}`;
  }
}

function expecting(version: number): string {
  return version === -1 ? 'any version' : `expecting v${version}`;
}

function describeOutput(output: ZkOpOutput | undefined): string {
  if (output === undefined) return 'pending (ConnectionLoss)';
  if (output.code !== Code.OK) return Code[output.code];
  const parts = ['OK'];
  if (output.data !== undefined) parts.push(JSON.stringify(output.data));
  if (output.version !== undefined) parts.push(`v${output.version}`);
  return parts.join(' ');
}
