import { describe, expect, it } from 'vitest';
import { Code } from '../errors';
import { EventType } from '../types';
import { DataTree } from './data-tree';
import type { WatchTrigger } from './data-node';
import { CONTAINER_EPHEMERAL_OWNER, EphemeralType, ephemeralTypeOf, ttlOfEphemeralOwner, ttlToEphemeralOwner } from './ephemeral-type';

const OPEN = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('DataTree', () => {
  it('starts like a fresh Apache server', () => {
    const tree = new DataTree();
    expect(tree.nodeCount()).toBe(5);
    expect(tree.approximateDataSize()).toBe(44);
    expect(tree.statOf('/')?.cversion).toBe(-1);
    expect(tree.statOf('/zookeeper')?.cversion).toBe(-2);
    expect(tree.statOf('/zookeeper/config')?.aversion).toBe(-1);
    expect(tree.getAcl('/zookeeper/config')?.acl).toEqual([{ perms: 1, id: { scheme: 'world', id: 'anyone' } }]);
    expect(tree.getChildren('/zookeeper')?.children).toEqual(['config', 'quota']);
    expect(tree.isSpecialPath('/zookeeper/config')).toBe(true);
  });

  it('create/delete maintain stats, kinds and triggers', () => {
    const tree = new DataTree({ extendedTypesEnabled: true });
    const t: WatchTrigger[] = [];
    expect(tree.createNode('/a', bytes('x'), OPEN, 0n, -1, 5n, 100n, t)).toBe(Code.OK);
    expect(tree.createNode('/a/e', bytes(''), OPEN, 77n, 1, 6n, 101n, t)).toBe(Code.OK);
    expect(tree.createNode('/a/c', bytes(''), OPEN, CONTAINER_EPHEMERAL_OWNER, 2, 7n, 102n, t)).toBe(Code.OK);
    expect(tree.createNode('/a/t', bytes(''), OPEN, ttlToEphemeralOwner(500n), 3, 8n, 103n, t)).toBe(Code.OK);
    expect(tree.getEphemerals(77n)).toEqual(['/a/e']);
    expect(tree.containers()).toEqual(['/a/c']);
    expect(tree.ttls()).toEqual(['/a/t']);
    expect(tree.statOf('/a/e')?.ephemeralOwner).toBe(77n);
    expect(tree.statOf('/a/c')?.ephemeralOwner).toBe(0n);
    expect(tree.statOf('/a/t')?.ephemeralOwner).toBe(0n);
    expect(tree.createNode('/x/y', bytes(''), OPEN, 0n, -1, 9n, 104n, t)).toBe(Code.NoNode);
    expect(tree.createNode('/a', bytes(''), OPEN, 0n, -1, 9n, 104n, t)).toBe(Code.NodeExists);
    expect(t.slice(0, 2)).toEqual([
      { path: '/a', type: EventType.NodeCreated, zxid: 5n, acl: OPEN },
      { path: '/', type: EventType.NodeChildrenChanged, zxid: 5n, acl: OPEN },
    ]);
    t.length = 0;
    expect(tree.deleteNode('/a/e', 10n, t)).toBe(Code.OK);
    expect(t.map((x) => [x.path, x.type])).toEqual([['/a/e', EventType.NodeDeleted], ['/a', EventType.NodeChildrenChanged]]);
    const a = tree.statOf('/a');
    expect(a).toMatchObject({ numChildren: 2, cversion: 4, pzxid: 10n, czxid: 5n });
    expect(tree.getEphemerals(77n)).toEqual([]);
    expect(tree.ephemeralsCount()).toBe(0);
    expect(tree.getAllChildrenNumber('/a')).toBe(2);
    expect(tree.getAllChildrenNumber('/')).toBe(6);
    expect(tree.deleteNode('/a/nothing', 11n, t)).toBe(Code.NoNode);
    expect(tree.statOf('/a')?.pzxid).toBe(11n); // Apache bumps pzxid before noticing
  });

  it('setData and setAcl', () => {
    const tree = new DataTree();
    const t: WatchTrigger[] = [];
    tree.createNode('/a', bytes('x'), OPEN, 0n, -1, 2n, 10n, t);
    const stat = tree.setData('/a', bytes('hello'), 1, 3n, 20n, t);
    expect(stat).toMatchObject({ version: 1, mzxid: 3n, mtime: 20n, ctime: 10n, dataLength: 5 });
    expect(tree.cachedApproximateDataSize()).toBe(tree.approximateDataSize());
    expect(tree.setAcl('/a', [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }], 1)).toMatchObject({ aversion: 1 });
    expect(tree.setData('/none', bytes(''), 1, 4n, 1n, t)).toBe(Code.NoNode);
    expect(tree.setAcl('/none', OPEN, 1)).toBe(Code.NoNode);
  });

  it('decodes ephemeral owners like EphemeralType', () => {
    expect(ephemeralTypeOf(0n, false)).toBe(EphemeralType.VOID);
    expect(ephemeralTypeOf(5n, false)).toBe(EphemeralType.NORMAL);
    expect(ephemeralTypeOf(CONTAINER_EPHEMERAL_OWNER, false)).toBe(EphemeralType.CONTAINER);
    expect(ephemeralTypeOf(0x8000000000000000n, true)).toBe(EphemeralType.CONTAINER);
    const ttl = ttlToEphemeralOwner(1234n);
    expect(BigInt.asUintN(64, ttl)).toBe(0xff000000000004d2n);
    expect(ephemeralTypeOf(ttl, true)).toBe(EphemeralType.TTL);
    expect(ephemeralTypeOf(ttl, false)).toBe(EphemeralType.NORMAL);
    expect(ttlOfEphemeralOwner(ttl)).toBe(1234n);
    expect(() => ttlToEphemeralOwner(0n)).toThrow();
  });
});
