// A node created or set with null data stores null (DataTree.createNode/setData keep the byte[]
// reference), reports dataLength 0 and counts 0 bytes in quotas and the approximate data size.
import { describe, expect, it } from 'vitest';
import { DataTree } from './data-tree';
import type { WatchTrigger } from './data-node';
import { deserializeTree, serializeTree } from './snapshot-codec';
import { treeDigest } from './tree-digest';

const OPEN = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (tree: DataTree, path: string): string => new TextDecoder().decode(tree.getData(path)?.data ?? undefined);

function treeWith(data: Uint8Array | null): DataTree {
  const tree = new DataTree();
  tree.createNode('/n', data, OPEN, 0n, -1, 2n, 10n, []);
  return tree;
}

describe('null znode data', () => {
  it('create with null stores null; create with empty stores empty; both have dataLength 0', () => {
    const nul = treeWith(null);
    const empty = treeWith(new Uint8Array(0));
    expect(nul.getData('/n')?.data).toBeNull();
    expect(empty.getData('/n')?.data).toEqual(new Uint8Array(0));
    expect(nul.statOf('/n')?.dataLength).toBe(0);
    expect(empty.statOf('/n')?.dataLength).toBe(0);
    expect(nul.approximateDataSize()).toBe(empty.approximateDataSize());
    expect(nul.cachedApproximateDataSize()).toBe(nul.approximateDataSize());
  });

  it('setData with null replaces the data with null and counts it as 0 bytes', () => {
    const tree = treeWith(bytes('abc'));
    const before = tree.approximateDataSize();
    const t: WatchTrigger[] = [];
    const stat = tree.setData('/n', null, 1, 3n, 20n, t);
    expect(stat).toMatchObject({ version: 1, dataLength: 0, mzxid: 3n });
    expect(tree.getData('/n')?.data).toBeNull();
    expect(tree.approximateDataSize()).toBe(before - 3);
    expect(tree.cachedApproximateDataSize()).toBe(tree.approximateDataSize());
    expect(t.map((x) => x.path)).toEqual(['/n']);
    tree.setData('/n', bytes('xy'), 2, 4n, 21n, t);
    expect(tree.statOf('/n')?.dataLength).toBe(2);
    expect(tree.cachedApproximateDataSize()).toBe(tree.approximateDataSize());
    tree.setData('/n', new Uint8Array(0), 3, 5n, 22n, t);
    expect(tree.getData('/n')?.data).toEqual(new Uint8Array(0));
  });

  it('deleting a null node keeps the cached size right', () => {
    const tree = treeWith(null);
    tree.deleteNode('/n', 3n, []);
    expect(tree.cachedApproximateDataSize()).toBe(new DataTree().approximateDataSize());
  });

  it('quota stats count null data as 0 bytes', () => {
    const tree = new DataTree();
    const t: WatchTrigger[] = [];
    tree.createNode('/q', null, OPEN, 0n, -1, 2n, 10n, t);
    tree.createNode('/zookeeper/quota/q', null, OPEN, 0n, -1, 3n, 11n, t);
    tree.createNode('/zookeeper/quota/q/zookeeper_limits', bytes('count=10,bytes=-1'), OPEN, 0n, -1, 4n, 12n, t);
    tree.createNode('/zookeeper/quota/q/zookeeper_stats', bytes('count=0,bytes=0'), OPEN, 0n, -1, 5n, 13n, t);
    expect(text(tree, '/zookeeper/quota/q/zookeeper_stats')).toBe('count=1,bytes=0');
    tree.createNode('/q/a', bytes('xyz'), OPEN, 0n, -1, 6n, 14n, t);
    tree.createNode('/q/b', null, OPEN, 0n, -1, 7n, 15n, t);
    expect(text(tree, '/zookeeper/quota/q/zookeeper_stats')).toBe('count=3,bytes=3');
    tree.setData('/q/a', null, 1, 8n, 16n, t);
    expect(text(tree, '/zookeeper/quota/q/zookeeper_stats')).toBe('count=3,bytes=0');
    tree.deleteNode('/q/b', 9n, t);
    expect(text(tree, '/zookeeper/quota/q/zookeeper_stats')).toBe('count=2,bytes=0');
  });

  it('a stats node set to null data reads as an empty StatsTrack instead of crashing', () => {
    const tree = new DataTree();
    const t: WatchTrigger[] = [];
    tree.createNode('/q', bytes('ab'), OPEN, 0n, -1, 2n, 10n, t);
    tree.createNode('/zookeeper/quota/q', null, OPEN, 0n, -1, 3n, 11n, t);
    tree.createNode('/zookeeper/quota/q/zookeeper_limits', bytes('count=10,bytes=-1'), OPEN, 0n, -1, 4n, 12n, t);
    tree.createNode('/zookeeper/quota/q/zookeeper_stats', null, OPEN, 0n, -1, 5n, 13n, t);
    expect(text(tree, '/zookeeper/quota/q/zookeeper_stats')).toBe('count=1,bytes=2'); // recounted on create
    tree.setData('/zookeeper/quota/q/zookeeper_stats', null, 1, 6n, 14n, t);
    // Java's new String(null) would throw here; missing keys read as -1 instead.
    expect(() => tree.createNode('/q/c', bytes('z'), OPEN, 0n, -1, 7n, 15n, t)).not.toThrow();
    expect(text(tree, '/zookeeper/quota/q/zookeeper_stats')).toBe('count=0,bytes=0');
  });

  it('snapshots round-trip null apart from empty, and the digest tells them apart', () => {
    const tree = new DataTree();
    const t: WatchTrigger[] = [];
    tree.createNode('/nul', null, OPEN, 0n, -1, 2n, 10n, t);
    tree.createNode('/empty', new Uint8Array(0), OPEN, 0n, -1, 3n, 11n, t);
    tree.createNode('/set', bytes('x'), OPEN, 0n, -1, 4n, 12n, t);
    tree.setData('/set', null, 1, 5n, 13n, t);
    const copy = deserializeTree(serializeTree(tree));
    expect(copy.getData('/nul')?.data).toBeNull();
    expect(copy.getData('/empty')?.data).toEqual(new Uint8Array(0));
    expect(copy.getData('/set')?.data).toBeNull();
    expect(copy.statOf('/set')).toEqual(tree.statOf('/set'));
    expect(treeDigest(copy)).toBe(treeDigest(tree));
    expect(copy.cachedApproximateDataSize()).toBe(tree.cachedApproximateDataSize());
    expect(treeDigest(treeWith(null))).not.toBe(treeDigest(treeWith(new Uint8Array(0))));
  });
});
