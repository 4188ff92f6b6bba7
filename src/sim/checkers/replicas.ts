// Replicas agree: once the ensemble has settled, every server that applied the same history holds
// the same data tree (compared by an order-independent digest; /zookeeper is host-local config and
// is left out). A server whose history diverged (e.g. kept txns it was told to truncate) differs.
import { nodeDigest } from '../../zk/datatree/tree-digest';
import type { DataTree } from '../../zk/datatree';
import type { ServerId, Zxid } from '../../zk/types';
import { hexZxid, type ViolationLog } from './violation';

const NAME = 'replicas-agree';
const MASK_64 = (1n << 64n) - 1n;

export interface ReplicaView {
  id: ServerId;
  tree: DataTree;
  /** Live sessions (createSession/closeSession txns change no node but are history too). */
  sessionCount: number;
  lastProcessedZxid: Zxid;
}

export function dataDigest(tree: DataTree): bigint {
  let sum = 0n;
  for (const path of tree.paths()) {
    if (path === '/zookeeper' || path.startsWith('/zookeeper/')) continue;
    const node = tree.getNode(path);
    if (node !== undefined) sum = (sum + nodeDigest(path, node)) & MASK_64;
  }
  return sum;
}

export function checkReplicasAgree(violations: ViolationLog, replicas: readonly ReplicaView[], atMs: number): void {
  const byZxid = new Map<Zxid, Array<{ id: ServerId; digest: bigint }>>();
  for (const replica of replicas) {
    const group = byZxid.get(replica.lastProcessedZxid) ?? [];
    group.push({ id: replica.id, digest: dataDigest(replica.tree) });
    byZxid.set(replica.lastProcessedZxid, group);
  }
  for (const [zxid, group] of byZxid) {
    const first = group[0]!;
    for (const other of group.slice(1)) {
      if (other.digest === first.digest) continue;
      violations.add(NAME, atMs, `s${first.id} and s${other.id} both applied up to ${hexZxid(zxid)} but their trees differ`);
    }
  }
}

/**
 * True when every replica holds the same data and sessions. (Not "same lastProcessedZxid": a new
 * leader moves it to the epoch's first zxid before any txn of that epoch exists.)
 */
export function converged(replicas: readonly ReplicaView[]): boolean {
  const first = replicas[0];
  if (first === undefined) return true;
  const digest = dataDigest(first.tree);
  return replicas.every((r) => r.sessionCount === first.sessionCount && (r === first || dataDigest(r.tree) === digest));
}
