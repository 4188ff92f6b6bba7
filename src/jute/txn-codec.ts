// Transactions exactly as ZooKeeper's txn log stores them: TxnHeader then the txn record
// (SerializeUtils.deserializeTxn). A multi's sub-txns are Txn{type, data buffer} records.
// znode data keeps null (length -1) apart from empty, as Java's readBuffer does.
import type { Txn, TxnBody, TxnHeader } from '../zk/txn';
import { JuteError, JuteReader, JuteWriter } from './jute-io';
import type { JuteReaderOptions } from './jute-io';
import { OpCode } from './opcodes';
import { readAclList, readStringList, writeAclList, writeStringList } from './data-records';

type BodyOf<T extends TxnBody['type']> = Extract<TxnBody, { type: T }>;

export function writeTxnHeader(w: JuteWriter, h: TxnHeader): void {
  if (!Number.isSafeInteger(h.timeMs)) throw new JuteError(`txn time is not an integer: ${h.timeMs}`);
  w.long(h.sessionId).int(h.cxid).long(h.zxid).long(BigInt(h.timeMs)).int(h.type);
}

export function readTxnHeader(r: JuteReader): TxnHeader {
  return {
    sessionId: r.long(),
    cxid: r.int(),
    zxid: r.long(),
    timeMs: Number(r.long()),
    type: r.int() as OpCode,
  };
}

export function writeTxnBody(w: JuteWriter, body: TxnBody): void {
  switch (body.type) {
    case OpCode.create:
      w.ustring(body.path).buffer(body.data);
      writeAclList(w, body.acl);
      w.bool(body.ephemeral).int(body.parentCVersion);
      return;
    case OpCode.createContainer:
      w.ustring(body.path).buffer(body.data);
      writeAclList(w, body.acl);
      w.int(body.parentCVersion);
      return;
    case OpCode.createTTL:
      w.ustring(body.path).buffer(body.data);
      writeAclList(w, body.acl);
      w.int(body.parentCVersion).long(body.ttlMs);
      return;
    case OpCode.delete:
    case OpCode.deleteContainer:
      w.ustring(body.path);
      return;
    case OpCode.setData:
      w.ustring(body.path).buffer(body.data).int(body.version);
      return;
    case OpCode.setACL:
      w.ustring(body.path);
      writeAclList(w, body.acl);
      w.int(body.version);
      return;
    case OpCode.check:
      w.ustring(body.path).int(body.version);
      return;
    case OpCode.createSession:
      w.int(body.timeoutMs);
      return;
    case OpCode.closeSession:
      writeStringList(w, body.paths2Delete);
      return;
    case OpCode.error:
      w.int(body.err);
      return;
    case OpCode.multi:
      return writeMultiTxn(w, body);
  }
}

function writeMultiTxn(w: JuteWriter, body: BodyOf<OpCode.multi>): void {
  w.vector(body.txns, (ww, sub) => {
    if (sub.type === OpCode.multi) throw new JuteError('nested multi txn');
    const inner = new JuteWriter();
    writeTxnBody(inner, sub);
    ww.int(sub.type).buffer(inner.toBytes());
  });
}

/** Reads the record for a header type. create2 logs a CreateTxn and reconfig a SetDataTxn. */
export function readTxnBody(r: JuteReader, type: number, allowMulti = true): TxnBody {
  switch (type) {
    case OpCode.create:
    case OpCode.create2: {
      const path = r.ustring();
      const data = r.bufferOrNull();
      const acl = readAclList(r);
      return { type: OpCode.create, path, data, acl, ephemeral: r.bool(), parentCVersion: r.int() };
    }
    case OpCode.createContainer: {
      const path = r.ustring();
      const data = r.bufferOrNull();
      return { type, path, data, acl: readAclList(r), parentCVersion: r.int() };
    }
    case OpCode.createTTL: {
      const path = r.ustring();
      const data = r.bufferOrNull();
      const acl = readAclList(r);
      return { type, path, data, acl, parentCVersion: r.int(), ttlMs: r.long() };
    }
    case OpCode.delete:
    case OpCode.deleteContainer:
      return { type, path: r.ustring() };
    case OpCode.setData:
    case OpCode.reconfig:
      return { type: OpCode.setData, path: r.ustring(), data: r.bufferOrNull(), version: r.int() };
    case OpCode.setACL:
      return { type, path: r.ustring(), acl: readAclList(r), version: r.int() };
    case OpCode.check:
      return { type, path: r.ustring(), version: r.int() };
    case OpCode.createSession:
      return { type, timeoutMs: r.int() };
    case OpCode.closeSession:
      // Logs written before CloseSessionTxn existed have no body.
      return { type, paths2Delete: r.atEnd() ? [] : readStringList(r) };
    case OpCode.error:
      return { type, err: r.int() };
    case OpCode.multi:
      if (!allowMulti) throw new JuteError('nested multi txn');
      return { type, txns: r.vector(readSubTxn) };
    default:
      throw new JuteError(`unsupported txn type ${type}`);
  }
}

function readSubTxn(r: JuteReader): TxnBody {
  const type = r.int();
  const inner = new JuteReader(r.buffer(), { maxLength: r.maxLength });
  const body = readTxnBody(inner, type, false);
  inner.expectEnd(`sub-txn of type ${type}`);
  return body;
}

export function encodeTxn(txn: Txn): Uint8Array {
  const w = new JuteWriter();
  writeTxnHeader(w, txn.header);
  writeTxnBody(w, txn.body);
  return w.toBytes();
}

/** Strict: the whole input must be exactly one header + record, else JuteError. */
export function decodeTxn(bytes: Uint8Array, options?: JuteReaderOptions): Txn {
  const r = new JuteReader(bytes, options);
  const header = readTxnHeader(r);
  const body = readTxnBody(r, header.type);
  r.expectEnd(`txn of type ${header.type}`);
  return { header, body };
}
