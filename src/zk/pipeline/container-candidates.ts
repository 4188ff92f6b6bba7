// ContainerManager.getCandidates: paths the server should delete with deleteContainer requests
// (session 0), one every 60000/maxPerMinute ms as Apache paces them.
import type { DataTree } from '../datatree/data-tree';
import { EphemeralType, ttlOfEphemeralOwner } from '../datatree/ephemeral-type';
import { OpCode } from '../../jute/opcodes';
import type { DeleteContainerRequest } from './requests';

export interface ContainerCandidateOptions {
  /** `znode.container.maxNeverUsedIntervalMs` (0 = never delete containers that never had a child). */
  maxNeverUsedIntervalMs?: number;
}

/** Empty containers that once had a child (stored cversion > 0), and expired childless TTL nodes. Sorted. */
export function containerCandidates(tree: DataTree, nowMs: number, options: ContainerCandidateOptions = {}): string[] {
  const maxNeverUsed = options.maxNeverUsedIntervalMs ?? 0;
  const now = BigInt(Math.trunc(nowMs));
  const candidates = new Set<string>();
  for (const path of tree.containers()) {
    const node = tree.getNode(path);
    if (node === undefined || node.children.size !== 0) continue;
    if (node.stat.cversion > 0) candidates.add(path);
    else if (maxNeverUsed !== 0 && now - node.stat.mtime > BigInt(maxNeverUsed)) candidates.add(path);
  }
  for (const path of tree.ttls()) {
    const node = tree.getNode(path);
    if (node === undefined || node.children.size !== 0) continue;
    if (tree.ephemeralType(node) !== EphemeralType.TTL) continue;
    const ttl = ttlOfEphemeralOwner(node.stat.ephemeralOwner);
    if (ttl !== 0n && now - node.stat.mtime > ttl) candidates.add(path);
  }
  return [...candidates].sort();
}

export function deleteContainerRequest(path: string): DeleteContainerRequest {
  return { op: OpCode.deleteContainer, path };
}
