// multi / multiRead framing (MultiOperationRecord, MultiResponse): each op or result is preceded
// by a MultiHeader{type, done=false, err}; the list ends with MultiHeader{-1, true, -1}.
import type { Stat } from '../zk/types';
import { JuteError } from './jute-io';
import type { JuteReader, JuteWriter, RecordCodec } from './jute-io';
import { OpCode } from './opcodes';
import {
  CheckVersionRequestCodec,
  CreateRequestCodec,
  CreateTTLRequestCodec,
  DeleteRequestCodec,
  PathWatchRequestCodec,
  SetDataRequestCodec,
} from './op-records';
import type {
  CheckVersionRequest,
  CreateRequest,
  CreateTTLRequest,
  DeleteRequest,
  PathWatchRequest,
  SetDataRequest,
} from './op-records';
import { readStringList, StatCodec, writeStringList } from './data-records';

export interface MultiHeader {
  type: number;
  done: boolean;
  err: number;
}

export const MultiHeaderCodec: RecordCodec<MultiHeader> = {
  write(w, v) {
    w.int(v.type).bool(v.done).int(v.err);
  },
  read(r) {
    return { type: r.int(), done: r.bool(), err: r.int() };
  },
};

const END_HEADER: MultiHeader = { type: -1, done: true, err: -1 };

/** One operation inside a multi (write ops) or multiRead (getChildren/getData). */
export type MultiOp =
  | ({ op: OpCode.create | OpCode.create2 | OpCode.createContainer } & CreateRequest)
  | ({ op: OpCode.createTTL } & CreateTTLRequest)
  | ({ op: OpCode.delete } & DeleteRequest)
  | ({ op: OpCode.setData } & SetDataRequest)
  | ({ op: OpCode.check } & CheckVersionRequest)
  | ({ op: OpCode.getChildren } & PathWatchRequest)
  | ({ op: OpCode.getData } & PathWatchRequest);

/** One result inside a MultiResponse. `error` carries the op's error code (0 = rolled back ok). */
export type MultiResult =
  | { op: OpCode.create; path: string }
  | { op: OpCode.create2; path: string; stat: Stat }
  | { op: OpCode.delete }
  | { op: OpCode.setData; stat: Stat }
  | { op: OpCode.check }
  | { op: OpCode.getData; data: Uint8Array | null; stat: Stat }
  | { op: OpCode.getChildren; children: string[] }
  | { op: OpCode.error; err: number };

export function writeMultiOps(w: JuteWriter, ops: readonly MultiOp[]): void {
  for (const op of ops) {
    MultiHeaderCodec.write(w, { type: op.op, done: false, err: -1 });
    writeMultiOpBody(w, op);
  }
  MultiHeaderCodec.write(w, END_HEADER);
}

function writeMultiOpBody(w: JuteWriter, op: MultiOp): void {
  switch (op.op) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
      return CreateRequestCodec.write(w, op);
    case OpCode.createTTL:
      return CreateTTLRequestCodec.write(w, op);
    case OpCode.delete:
      return DeleteRequestCodec.write(w, op);
    case OpCode.setData:
      return SetDataRequestCodec.write(w, op);
    case OpCode.check:
      return CheckVersionRequestCodec.write(w, op);
    case OpCode.getChildren:
    case OpCode.getData:
      return PathWatchRequestCodec.write(w, op);
  }
}

/** Reads ops until the done header. Each op consumes >= 9 bytes, so garbage cannot loop forever. */
export function readMultiOps(r: JuteReader): MultiOp[] {
  const ops: MultiOp[] = [];
  for (let h = MultiHeaderCodec.read(r); !h.done; h = MultiHeaderCodec.read(r)) {
    ops.push(readMultiOpBody(r, h.type));
  }
  return ops;
}

function readMultiOpBody(r: JuteReader, type: number): MultiOp {
  switch (type) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
      return { op: type, ...CreateRequestCodec.read(r) };
    case OpCode.createTTL:
      return { op: type, ...CreateTTLRequestCodec.read(r) };
    case OpCode.delete:
      return { op: type, ...DeleteRequestCodec.read(r) };
    case OpCode.setData:
      return { op: type, ...SetDataRequestCodec.read(r) };
    case OpCode.check:
      return { op: type, ...CheckVersionRequestCodec.read(r) };
    case OpCode.getChildren:
    case OpCode.getData:
      return { op: type, ...PathWatchRequestCodec.read(r) };
    default:
      throw new JuteError(`invalid op type ${type} in multi`);
  }
}

export function writeMultiResults(w: JuteWriter, results: readonly MultiResult[]): void {
  for (const result of results) {
    const err = result.op === OpCode.error ? result.err : 0;
    MultiHeaderCodec.write(w, { type: result.op, done: false, err });
    writeMultiResultBody(w, result);
  }
  MultiHeaderCodec.write(w, END_HEADER);
}

function writeMultiResultBody(w: JuteWriter, result: MultiResult): void {
  switch (result.op) {
    case OpCode.create:
      w.ustring(result.path);
      return;
    case OpCode.create2:
      w.ustring(result.path);
      return StatCodec.write(w, result.stat);
    case OpCode.delete:
    case OpCode.check:
      return;
    case OpCode.setData:
      return StatCodec.write(w, result.stat);
    case OpCode.getData:
      w.buffer(result.data);
      return StatCodec.write(w, result.stat);
    case OpCode.getChildren:
      return writeStringList(w, result.children);
    case OpCode.error:
      w.int(result.err);
      return;
  }
}

export function readMultiResults(r: JuteReader): MultiResult[] {
  const results: MultiResult[] = [];
  for (let h = MultiHeaderCodec.read(r); !h.done; h = MultiHeaderCodec.read(r)) {
    results.push(readMultiResultBody(r, h.type));
  }
  return results;
}

function readMultiResultBody(r: JuteReader, type: number): MultiResult {
  switch (type) {
    case OpCode.create:
      return { op: type, path: r.ustring() };
    case OpCode.create2: {
      const path = r.ustring();
      return { op: type, path, stat: StatCodec.read(r) };
    }
    case OpCode.delete:
    case OpCode.check:
      return { op: type };
    case OpCode.setData:
      return { op: type, stat: StatCodec.read(r) };
    case OpCode.getData: {
      const data = r.bufferOrNull();
      return { op: type, data, stat: StatCodec.read(r) };
    }
    case OpCode.getChildren:
      return { op: type, children: readStringList(r) };
    case OpCode.error:
      return { op: type, err: r.int() };
    default:
      throw new JuteError(`invalid result type ${type} in multi response`);
  }
}

export interface MultiRequest {
  ops: MultiOp[];
}
export interface MultiResponse {
  results: MultiResult[];
}

export const MultiRequestCodec: RecordCodec<MultiRequest> = {
  write(w, v) {
    writeMultiOps(w, v.ops);
  },
  read(r) {
    return { ops: readMultiOps(r) };
  },
};

export const MultiResponseCodec: RecordCodec<MultiResponse> = {
  write(w, v) {
    writeMultiResults(w, v.results);
  },
  read(r) {
    return { results: readMultiResults(r) };
  },
};
