// A cheap, order-independent fingerprint of a whole tree: the sum (mod 2^64) of one 64-bit hash per
// node over its path, data, ACL and persisted stat. Two replicas that applied the same txns agree;
// the simulator compares it across servers. (Not Apache's DigestCalculator values.)
import type { DataNode } from './data-node';
import type { DataTree } from './data-tree';

const MASK_64 = (1n << 64n) - 1n;
const textEncoder = new TextEncoder();

export function treeDigest(tree: DataTree): bigint {
  let sum = 0n;
  for (const path of tree.paths()) {
    const node = tree.getNode(path) as DataNode;
    sum = (sum + nodeDigest(path, node)) & MASK_64;
  }
  return sum;
}

export function nodeDigest(path: string, node: DataNode): bigint {
  const h = new PairHasher();
  h.bytes(textEncoder.encode(path));
  // -1 for null data keeps it apart from empty data; non-null nodes hash as before.
  h.int(node.data === null ? -1 : node.data.length);
  if (node.data !== null) h.bytes(node.data);
  for (const a of node.acl) {
    h.int(a.perms);
    h.bytes(textEncoder.encode(`${a.id.scheme}\u0000${a.id.id}`));
  }
  const s = node.stat;
  for (const v of [s.czxid, s.mzxid, s.ctime, s.mtime, s.ephemeralOwner, s.pzxid]) h.long(v);
  for (const v of [s.version, s.cversion, s.aversion]) h.int(v);
  return h.value();
}

/** Two independent 32-bit FNV-1a lanes, combined into 64 bits. */
class PairHasher {
  private a = 0x811c9dc5;
  private b = 0x01000193 ^ 0x9e3779b9;

  byte(value: number): void {
    this.a = Math.imul(this.a ^ value, 0x01000193) >>> 0;
    this.b = Math.imul(this.b ^ value, 0x01000193 + 0x2a) >>> 0;
  }
  bytes(values: Uint8Array): void {
    for (const v of values) this.byte(v);
  }
  int(value: number): void {
    for (let shift = 24; shift >= 0; shift -= 8) this.byte((value >>> shift) & 0xff);
  }
  long(value: bigint): void {
    const u = BigInt.asUintN(64, value);
    this.int(Number(u >> 32n));
    this.int(Number(u & 0xffffffffn));
  }
  value(): bigint {
    return (BigInt(this.a) << 32n) | BigInt(this.b);
  }
}
