import { describe, expect, it } from 'vitest';
import { DataTree } from '../datatree/data-tree';
import { Code } from '../errors';
import { OpCode } from '../../jute/opcodes';
import type { Txn, TxnBody } from '../txn';
import { EventType } from '../types';
import { apply } from './apply';
import { containerCandidates } from './container-candidates';
import { bytes, Harness, OPEN } from './test-harness';

const txn = (zxid: bigint, body: TxnBody, type: OpCode = body.type, sessionId = 7n, timeMs = 1000): Txn => ({
  header: { sessionId, cxid: 1, zxid, timeMs, type },
  body,
});
const mk = (path: string, parentCVersion: number, ephemeral = false): TxnBody => ({
  type: OpCode.create, path, data: bytes('d'), acl: OPEN, ephemeral, parentCVersion,
});

describe('apply: Stat fields after each kind of change', () => {
  it('create, child create, setData, setACL, delete', () => {
    const tree = new DataTree();
    expect(apply(tree, txn(0x10n, mk('/a', 1), OpCode.create2, 7n, 500)).stat).toEqual({
      czxid: 0x10n, mzxid: 0x10n, pzxid: 0x10n, ctime: 500n, mtime: 500n, version: 0, cversion: 0, aversion: 0,
      ephemeralOwner: 0n, dataLength: 1, numChildren: 0,
    });
    apply(tree, txn(0x11n, mk('/a/e', 1, true)));
    expect(tree.statOf('/a/e')?.ephemeralOwner).toBe(7n);
    expect(tree.statOf('/a')).toMatchObject({ pzxid: 0x11n, cversion: 1, numChildren: 1, mzxid: 0x10n });
    const set = apply(tree, txn(0x12n, { type: OpCode.setData, path: '/a', data: bytes('xyz'), version: 1 }, OpCode.setData, 7n, 900));
    expect(set.stat).toMatchObject({ version: 1, mzxid: 0x12n, mtime: 900n, ctime: 500n, dataLength: 3, pzxid: 0x11n });
    expect(set.triggers).toEqual([{ path: '/a', type: EventType.NodeDataChanged, zxid: 0x12n, acl: OPEN }]);
    const acl = apply(tree, txn(0x13n, { type: OpCode.setACL, path: '/a', acl: OPEN, version: 1 }));
    expect(acl.stat).toMatchObject({ aversion: 1, version: 1, mzxid: 0x12n });
    expect(acl.triggers).toEqual([]);
    const del = apply(tree, txn(0x14n, { type: OpCode.delete, path: '/a/e' }));
    expect(del.triggers.map((t) => [t.path, t.type])).toEqual([['/a/e', EventType.NodeDeleted], ['/a', EventType.NodeChildrenChanged]]);
    expect(tree.statOf('/a')).toMatchObject({ pzxid: 0x14n, cversion: 2, numChildren: 0 });
  });

  it('replays: NodeExists adjusts the parent for create headers; NoNode for missing deletes', () => {
    const tree = new DataTree();
    apply(tree, txn(1n, mk('/a', 1)));
    apply(tree, txn(2n, mk('/a/b', 1)));
    const again = apply(tree, txn(3n, mk('/a/b', 5)));
    expect(again.err).toBe(Code.NodeExists);
    expect(tree.getNode('/a')?.stat).toMatchObject({ cversion: 5, pzxid: 3n });
    expect(apply(tree, txn(4n, mk('/a/b', 9), OpCode.create2)).err).toBe(Code.NodeExists);
    expect(tree.getNode('/a')?.stat.cversion).toBe(5);
    expect(apply(tree, txn(5n, { type: OpCode.delete, path: '/a/zz' })).err).toBe(Code.NoNode);
    expect(apply(tree, txn(6n, { type: OpCode.setData, path: '/zz', data: bytes(''), version: 1 })).err).toBe(Code.NoNode);
    expect(apply(tree, txn(7n, mk('/q/r', 1))).err).toBe(Code.NoNode);
    expect(apply(tree, txn(8n, { type: OpCode.createTTL, path: '/t', data: bytes(''), acl: OPEN, parentCVersion: 2, ttlMs: -1n })).err).toBe(Code.BadArguments);
  });

  it('multi: success results and triggers in op order', () => {
    const tree = new DataTree();
    const r = apply(tree, txn(1n, { type: OpCode.multi, txns: [mk('/m', 1), mk('/m/c', 1), { type: OpCode.setData, path: '/m', data: bytes('z'), version: 1 }] }));
    expect(r.err).toBe(Code.OK);
    expect(r.multi?.map((m) => [m.type, m.err, m.path])).toEqual([[OpCode.create, 0, '/m'], [OpCode.create, 0, '/m/c'], [OpCode.setData, 0, '/m']]);
    expect(r.triggers.map((t) => `${t.type}:${t.path}`)).toEqual(['1:/m', '4:/', '1:/m/c', '4:/m', '3:/m']);
    expect(tree.statOf('/m')).toMatchObject({ czxid: 1n, mzxid: 1n, pzxid: 1n, version: 1 });
  });

  it('multi with an unsupported op stops there, never throws', () => {
    const tree = new DataTree();
    const r = apply(tree, txn(1n, { type: OpCode.multi, txns: [mk('/m', 1), { type: OpCode.setACL, path: '/m', acl: OPEN, version: 1 }, mk('/n', 2)] }));
    expect(r.multi).toHaveLength(1);
    expect(tree.exists('/n')).toBe(false);
  });

  it('closeSession deletes txn paths then leftovers and fires their triggers', () => {
    const h = new Harness(0x99n);
    h.create('/p');
    h.create('/p/e1', 'x', 1);
    h.create('/e2', 'x', 1);
    const r = apply(h.tree, txn(100n, { type: OpCode.closeSession, paths2Delete: ['/e2'] }, OpCode.closeSession, 0x99n));
    expect(r.deletedEphemerals).toEqual(['/e2', '/p/e1']);
    expect(r.triggers.map((t) => `${t.type}:${t.path}`)).toEqual(['2:/e2', '4:/', '2:/p/e1', '4:/p']);
    expect(h.tree.ephemeralsCount()).toBe(0);
  });
});

describe('containerCandidates', () => {
  it('empty used containers and expired TTL nodes', () => {
    const h = new Harness(1n, { extendedTypesEnabled: true });
    const mkC = (path: string) => h.write({ op: OpCode.createContainer, path, data: bytes(''), acl: OPEN, flags: 4 });
    mkC('/used');
    mkC('/fresh');
    mkC('/busy');
    h.create('/used/x');
    h.write({ op: OpCode.delete, path: '/used/x', version: -1 });
    h.create('/busy/x');
    h.write({ op: OpCode.createTTL, path: '/ttl', data: bytes(''), acl: OPEN, flags: 5, ttl: 100n });
    const ttlMtime = Number(h.tree.getNode('/ttl')?.stat.mtime);
    expect(containerCandidates(h.tree, ttlMtime + 100)).toEqual(['/used']);
    expect(containerCandidates(h.tree, ttlMtime + 101)).toEqual(['/ttl', '/used']);
    expect(containerCandidates(h.tree, ttlMtime + 101, { maxNeverUsedIntervalMs: 1 })).toEqual(['/fresh', '/ttl', '/used']);
    expect(h.write({ op: OpCode.deleteContainer, path: '/ttl' }).err).toBe(Code.OK);
  });
});
