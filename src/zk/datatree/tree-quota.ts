// Quota bookkeeping DataTree does while applying txns: quota roots appear when a
// zookeeper_limits node is created, stats nodes hold "count=..,bytes=.." for their subtree.
import { dataLength } from './data-node';
import type { DataTree } from './data-tree';
import { childNameOf } from './path-validation';
import { LIMIT_NODE, PROC_ZOOKEEPER, QUOTA_ZOOKEEPER, STAT_NODE, quotaStatPath, trimQuotaPath } from './quotas';
import { makeStatsTrack, parseStatsTrack, statsTrackBytes, trackBytes, trackCount, withValue } from './stats-track';

export function onNodeCreatedQuota(tree: DataTree, path: string, dataBytes: number): void {
  const parentName = path.substring(0, path.lastIndexOf('/'));
  const childName = childNameOf(path);
  if (parentName.startsWith(QUOTA_ZOOKEEPER)) {
    if (childName === LIMIT_NODE) tree.quotaRoots.add(trimQuotaPath(parentName));
    if (childName === STAT_NODE) updateQuotaForPath(tree, trimQuotaPath(parentName));
  }
  const lastPrefix = tree.maxPrefixWithQuota(path);
  if (lastPrefix !== null) updateQuotaStat(tree, lastPrefix, BigInt(dataBytes), 1n);
}

export function onNodeDeletedQuota(tree: DataTree, path: string, parentName: string, dataBytes: number): void {
  // Apache tests the "/zookeeper" prefix here (not "/zookeeper/quota") and trims by length.
  if (parentName.startsWith(PROC_ZOOKEEPER) && childNameOf(path) === LIMIT_NODE) {
    tree.quotaRoots.delete(trimQuotaPath(parentName));
  }
  const lastPrefix = tree.maxPrefixWithQuota(path);
  if (lastPrefix !== null) updateQuotaStat(tree, lastPrefix, BigInt(-dataBytes), -1n);
}

export function onDataChangedQuota(tree: DataTree, path: string, bytesDiff: number): void {
  const lastPrefix = tree.maxPrefixWithQuota(path);
  if (lastPrefix !== null) updateQuotaStat(tree, lastPrefix, BigInt(bytesDiff), 0n);
}

/** DataTree.updateQuotaStat: adds to the stats node; its Stat (version, mzxid) does not change. */
export function updateQuotaStat(tree: DataTree, lastPrefix: string, bytesDiff: bigint, countDiff: bigint): void {
  const statPath = quotaStatPath(lastPrefix);
  const statNode = tree.getNode(statPath);
  if (statNode === undefined) return;
  let track = parseStatsTrack(statNode.data);
  track = withValue(track, 'count', trackCount(track) + countDiff);
  track = withValue(track, 'bytes', trackBytes(track) + bytesDiff);
  tree.rewriteQuotaData(statPath, statsTrackBytes(track));
}

/** DataTree.updateQuotaForPath: recount a subtree (node itself included) into its stats node. */
export function updateQuotaForPath(tree: DataTree, path: string): void {
  let count = 0n;
  let bytes = 0n;
  const stack = [path];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    const node = tree.getNode(current);
    if (node === undefined) continue;
    count += 1n;
    bytes += BigInt(dataLength(node.data));
    for (const child of node.children.toArray()) stack.push(`${current}/${child}`);
  }
  const statPath = quotaStatPath(path);
  if (tree.getNode(statPath) === undefined) return;
  tree.rewriteQuotaData(statPath, statsTrackBytes(makeStatsTrack(count, bytes)));
}

/** DataTree.setupQuota after a snapshot load: every leaf named zookeeper_limits marks a root. */
export function setupQuota(tree: DataTree): void {
  tree.quotaRoots.clear();
  if (tree.getNode(QUOTA_ZOOKEEPER) === undefined) return;
  const suffix = '/' + LIMIT_NODE;
  const stack = [QUOTA_ZOOKEEPER];
  while (stack.length > 0) {
    const path = stack.pop() as string;
    const node = tree.getNode(path);
    if (node === undefined) continue;
    const children = node.children.toArray();
    if (children.length === 0) {
      if (path.endsWith(suffix)) {
        const realPath = path.substring(QUOTA_ZOOKEEPER.length, path.indexOf(suffix));
        updateQuotaForPath(tree, realPath);
        tree.quotaRoots.add(realPath);
      }
      continue;
    }
    for (const child of children) stack.push(`${path}/${child}`);
  }
}
