// One snapshot blob = the sessions (Apache's layout: count, then id + timeout) and the data tree
// (the datatree's own codec), behind a small header naming the last zxid it contains.
import { JuteError, JuteReader, JuteWriter } from '../../jute/jute-io';
import { readSessions, writeSessions, type SessionRecord } from '../session/session-serializer';
import { deserializeTree, serializeTree } from '../datatree';
import type { DataTree, DataTreeOptions } from '../datatree';
import type { Zxid } from '../types';

const MAGIC = 0x5a4b534e; // "ZKSN", as Apache's FileSnap header
const FORMAT_VERSION = 1;

export interface ServerSnapshot {
  zxid: Zxid;
  sessions: SessionRecord[];
  tree: DataTree;
}

export function encodeServerSnapshot(zxid: Zxid, sessions: readonly SessionRecord[], tree: DataTree): Uint8Array {
  const treeBytes = serializeTree(tree);
  const w = new JuteWriter(treeBytes.length + 64 + sessions.length * 12);
  w.int(MAGIC).int(FORMAT_VERSION).long(zxid);
  writeSessions(w, sessions);
  w.int(treeBytes.length).raw(treeBytes);
  return w.toBytes();
}

/** Throws JuteError (or the tree's SnapshotFormatError) on a damaged blob. */
export function decodeServerSnapshot(bytes: Uint8Array, options?: DataTreeOptions): ServerSnapshot {
  const r = new JuteReader(bytes, { maxLength: bytes.length });
  if (r.int() !== MAGIC) throw new JuteError('snapshot: bad magic');
  const version = r.int();
  if (version !== FORMAT_VERSION) throw new JuteError(`snapshot: unsupported version ${version}`);
  const zxid = r.long();
  const sessions = readSessions(r);
  const treeLength = r.int();
  if (treeLength < 0 || treeLength > r.remaining) throw new JuteError(`snapshot: bad tree length ${treeLength}`);
  const tree = deserializeTree(r.rawBytes(treeLength), options);
  r.expectEnd('snapshot');
  return { zxid, sessions, tree };
}
