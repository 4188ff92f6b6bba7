// Snapshot encoding of a DataTree (our own format, jute primitives): a header, the distinct ACL
// lists, every node in preorder (path, data, ACL index, persisted stat) and the tree digest,
// which is checked on load so a damaged or foreign blob fails loudly instead of loading wrong.
import { JuteError, JuteReader, JuteWriter } from '../../jute/jute-io';
import type { ACL } from '../types';
import { aclKey } from './acl-interner';
import { DataNode } from './data-node';
import { DataTree, type DataTreeOptions } from './data-tree';
import type { PersistedStat } from './persisted-stat';
import { treeDigest } from './tree-digest';
import { setupQuota } from './tree-quota';

const MAGIC = 0x5a544454; // "ZTDT"
const FORMAT_VERSION = 1;

export class SnapshotFormatError extends Error {
  constructor(message: string) {
    super(`invalid DataTree snapshot: ${message}`);
    this.name = 'SnapshotFormatError';
  }
}

export function serializeTree(tree: DataTree): Uint8Array {
  const w = new JuteWriter(4096);
  w.int(MAGIC).int(FORMAT_VERSION).bool(tree.extendedTypesEnabled);
  const aclIndex = new Map<string, number>();
  const aclLists: (readonly ACL[])[] = [];
  const paths = [...tree.paths()];
  for (const path of paths) {
    const acl = (tree.getNode(path) as DataNode).acl;
    const key = aclKey(acl);
    if (!aclIndex.has(key)) {
      aclIndex.set(key, aclLists.length);
      aclLists.push(acl);
    }
  }
  w.vector(aclLists, (ww, list) => ww.vector(list, writeAcl));
  w.int(paths.length);
  for (const path of paths) {
    const node = tree.getNode(path) as DataNode;
    w.ustring(path).buffer(node.data).int(aclIndex.get(aclKey(node.acl)) as number);
    writeStat(w, node.stat);
  }
  w.long(BigInt.asIntN(64, treeDigest(tree)));
  return w.toBytes();
}

/** Rebuilds a tree; `options` overrides the extendedTypesEnabled flag stored in the snapshot. */
export function deserializeTree(bytes: Uint8Array, options?: DataTreeOptions): DataTree {
  try {
    return readTree(new JuteReader(bytes, { maxLength: bytes.length }), options);
  } catch (error) {
    if (error instanceof SnapshotFormatError) throw error;
    if (error instanceof JuteError || error instanceof Error) throw new SnapshotFormatError(error.message);
    throw error;
  }
}

function readTree(r: JuteReader, options: DataTreeOptions | undefined): DataTree {
  if (r.int() !== MAGIC) throw new SnapshotFormatError('bad magic');
  const version = r.int();
  if (version !== FORMAT_VERSION) throw new SnapshotFormatError(`unsupported format version ${version}`);
  const storedExtended = r.bool();
  const tree = new DataTree({ extendedTypesEnabled: options?.extendedTypesEnabled ?? storedExtended }, true);
  const aclLists = r.vector((rr) => rr.vector(readAcl));
  const count = r.int();
  if (count < 1 || count > r.remaining) throw new SnapshotFormatError(`bad node count ${count}`);
  for (let i = 0; i < count; i++) {
    const path = r.ustring();
    if ((i === 0) !== (path === '')) throw new SnapshotFormatError(`root must come first, got "${path}"`);
    if (i > 0 && tree.getNode(path) !== undefined) throw new SnapshotFormatError(`duplicate path ${path}`);
    const data = r.bufferOrNull(); // null data stays null (DataNode.deserialize)
    const acl = aclLists[r.int()];
    if (acl === undefined) throw new SnapshotFormatError(`bad ACL index for ${path}`);
    tree.putLoadedNode(path, new DataNode(data, acl, readStat(r)));
  }
  const digest = r.long();
  r.expectEnd('snapshot');
  // Checked before setupQuota, which may legitimately rewrite stale quota stats (as Apache does).
  if (BigInt.asIntN(64, treeDigest(tree)) !== digest) throw new SnapshotFormatError('digest mismatch');
  tree.resetCachedDataSize();
  setupQuota(tree);
  return tree;
}

function writeAcl(w: JuteWriter, acl: ACL): void {
  w.int(acl.perms).ustring(acl.id.scheme).ustring(acl.id.id);
}
function readAcl(r: JuteReader): ACL {
  return { perms: r.int(), id: { scheme: r.ustring(), id: r.ustring() } };
}

function writeStat(w: JuteWriter, s: PersistedStat): void {
  w.long(s.czxid).long(s.mzxid).long(s.ctime).long(s.mtime);
  w.int(s.version).int(s.cversion).int(s.aversion);
  w.long(BigInt.asIntN(64, s.ephemeralOwner)).long(s.pzxid);
}
function readStat(r: JuteReader): PersistedStat {
  return {
    czxid: r.long(),
    mzxid: r.long(),
    ctime: r.long(),
    mtime: r.long(),
    version: r.int(),
    cversion: r.int(),
    aversion: r.int(),
    ephemeralOwner: r.long(),
    pzxid: r.long(),
  };
}
