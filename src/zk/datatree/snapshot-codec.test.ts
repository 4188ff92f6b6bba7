import { describe, expect, it } from 'vitest';
import { DataTree } from './data-tree';
import type { WatchTrigger } from './data-node';
import { CONTAINER_EPHEMERAL_OWNER, ttlToEphemeralOwner } from './ephemeral-type';
import { deserializeTree, serializeTree, SnapshotFormatError } from './snapshot-codec';
import { treeDigest } from './tree-digest';

const OPEN = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
const DIGEST = [{ perms: 3, id: { scheme: 'digest', id: 'u:abc=' } }];
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

function sample(): DataTree {
  const tree = new DataTree({ extendedTypesEnabled: true });
  const t: WatchTrigger[] = [];
  tree.createNode('/a', bytes('héllo'), OPEN, 0n, -1, 2n, 10n, t);
  tree.createNode('/a/e', bytes(''), DIGEST, -5n, -1, 3n, 11n, t);
  tree.createNode('/c', bytes(''), OPEN, CONTAINER_EPHEMERAL_OWNER, -1, 4n, 12n, t);
  tree.createNode('/t', bytes('t'), OPEN, ttlToEphemeralOwner(99n), -1, 5n, 13n, t);
  tree.createNode('/zookeeper/quota/a', bytes(''), OPEN, 0n, -1, 6n, 14n, t);
  tree.createNode('/zookeeper/quota/a/zookeeper_limits', bytes('count=5,bytes=-1'), OPEN, 0n, -1, 7n, 15n, t);
  tree.createNode('/zookeeper/quota/a/zookeeper_stats', bytes('count=0,bytes=0'), OPEN, 0n, -1, 8n, 16n, t);
  tree.setData('/a', bytes('bye'), 1, 9n, 17n, t);
  tree.deleteNode('/t', 10n, t);
  return tree;
}

describe('snapshot codec', () => {
  it('round-trips exactly', () => {
    const tree = sample();
    const copy = deserializeTree(serializeTree(tree));
    expect([...copy.paths()]).toEqual([...tree.paths()]);
    for (const path of tree.paths()) {
      expect(copy.statOf(path)).toEqual(tree.statOf(path));
      expect(copy.getData(path)?.data).toEqual(tree.getData(path)?.data);
      expect(copy.getAcl(path)?.acl).toEqual(tree.getAcl(path)?.acl);
    }
    expect(treeDigest(copy)).toBe(treeDigest(tree));
    expect(copy.getEphemerals(-5n)).toEqual(['/a/e']);
    expect(copy.containers()).toEqual(['/c']);
    expect(copy.maxPrefixWithQuota('/a/x')).toBe('/a');
    expect(new TextDecoder().decode(copy.getData('/zookeeper/quota/a/zookeeper_stats')?.data ?? undefined)).toBe('count=2,bytes=3');
    expect(copy.extendedTypesEnabled).toBe(true);
    expect(serializeTree(copy)).toEqual(serializeTree(tree));
  });

  it('fails clearly on garbage, truncation and corruption', () => {
    const good = serializeTree(sample());
    expect(() => deserializeTree(new Uint8Array([1, 2, 3]))).toThrow(SnapshotFormatError);
    expect(() => deserializeTree(good.slice(0, good.length - 3))).toThrow(SnapshotFormatError);
    const flipped = good.slice();
    flipped[good.length - 20] = (flipped[good.length - 20] as number) ^ 0xff;
    expect(() => deserializeTree(flipped)).toThrow(SnapshotFormatError);
    expect(() => deserializeTree(new Uint8Array([...good, 0]))).toThrow(/trailing/);
  });

  it('digest changes with any field', () => {
    const a = sample();
    const b = sample();
    expect(treeDigest(a)).toBe(treeDigest(b));
    b.setAcl('/a', OPEN, 3);
    expect(treeDigest(a)).not.toBe(treeDigest(b));
  });
});
