import { describe, expect, it } from 'vitest';
import type { Stat } from '../zk/types';
import type { MirrorNode } from './store';
import { layoutTree, ROW_HEIGHT_PX, rowsInView, type TreeLayoutInput } from './tree-layout';

const stat = (ephemeralOwner = 0n): Stat => ({
  czxid: 0n, mzxid: 0n, ctime: 0n, mtime: 0n, version: 0, cversion: 0, aversion: 0,
  ephemeralOwner, dataLength: 0, numChildren: 0, pzxid: 0n,
});

function mirror(tree: Record<string, string[]>, owners: Record<string, bigint> = {}): Record<string, MirrorNode> {
  const nodes: Record<string, MirrorNode> = {};
  for (const [path, children] of Object.entries(tree)) nodes[path] = { path, children, stat: stat(owners[path] ?? 0n) };
  return nodes;
}

const base = mirror({
  '/': ['a', 'zookeeper'],
  '/a': ['b', 'lock-0000000001'],
  '/a/b': [],
  '/a/lock-0000000001': [],
  '/zookeeper': ['quota'],
  '/zookeeper/quota': [],
}, { '/a/lock-0000000001': 0x1234n });

const input = (over: Partial<TreeLayoutInput> = {}): TreeLayoutInput => ({
  nodes: base, collapsed: {}, search: '', containers: new Set(), ttls: new Set(), ...over,
});

describe('layoutTree', () => {
  it('lays out nodes depth-first, one row each, indented by depth', () => {
    const layout = layoutTree(input());
    expect(layout.rows.map((r) => r.path)).toEqual(['/', '/a', '/a/b', '/a/lock-0000000001', '/zookeeper', '/zookeeper/quota']);
    expect(layout.rows.map((r) => r.depth)).toEqual([0, 1, 2, 2, 1, 2]);
    expect(layout.rows[3]?.y).toBe(3 * ROW_HEIGHT_PX);
    expect(layout.links).toHaveLength(5);
    expect(layout.heightPx).toBe(6 * ROW_HEIGHT_PX);
  });

  it('hides the children of a collapsed node but keeps its child count', () => {
    const layout = layoutTree(input({ collapsed: { '/a': true } }));
    expect(layout.rows.map((r) => r.path)).toEqual(['/', '/a', '/zookeeper', '/zookeeper/quota']);
    const a = layout.rows[1];
    expect(a?.expanded).toBe(false);
    expect(a?.childCount).toBe(2);
  });

  it('search keeps matches and their ancestors, even under collapsed nodes', () => {
    const layout = layoutTree(input({ search: 'LOCK', collapsed: { '/a': true } }));
    expect(layout.rows.map((r) => r.path)).toEqual(['/', '/a', '/a/lock-0000000001']);
    expect(layout.matchCount).toBe(1);
    expect(layout.rows.filter((r) => r.match).map((r) => r.path)).toEqual(['/a/lock-0000000001']);
  });

  it('classifies glyph kinds from Stat, status lists and names', () => {
    const layout = layoutTree(input({ containers: new Set(['/a/b']), ttls: new Set(['/zookeeper/quota']) }));
    const kinds = Object.fromEntries(layout.rows.map((r) => [r.path, r.kind]));
    expect(kinds['/a/lock-0000000001']).toEqual({ kind: 'ephemeral', sequential: true });
    expect(kinds['/a/b']).toEqual({ kind: 'container', sequential: false });
    expect(kinds['/zookeeper/quota']).toEqual({ kind: 'ttl', sequential: false });
    expect(kinds['/a']).toEqual({ kind: 'persistent', sequential: false });
  });

  it('skips children that are not mirrored yet and draws nothing without a root', () => {
    const partial = mirror({ '/': ['x', 'y'], '/x': [] });
    expect(layoutTree(input({ nodes: partial })).rows.map((r) => r.path)).toEqual(['/', '/x']);
    expect(layoutTree(input({ nodes: {} })).rows).toEqual([]);
  });
});

describe('rowsInView', () => {
  const wide = (count: number) => {
    const names = Array.from({ length: count }, (_, i) => `n${i}`);
    const nodes: Record<string, MirrorNode> = { '/': { path: '/', children: ['big'], stat: null }, '/big': { path: '/big', children: names, stat: null } };
    for (const name of names) nodes[`/big/${name}`] = { path: `/big/${name}`, children: [], stat: null };
    return layoutTree({ nodes, collapsed: {}, search: '', containers: new Set(), ttls: new Set() });
  };

  it('draws only the rows around the viewport of a 10,000-znode tree', () => {
    const layout = wide(10_000);
    expect(layout.rows).toHaveLength(10_002);
    const view = rowsInView(layout, 5000 * ROW_HEIGHT_PX, 400, 10);
    expect(view.rows.length).toBe(20 + 20);
    expect(view.rows[0]?.index).toBe(4990);
    // Every link drawn touches the window; the one from /big (far above) to its visible children is kept.
    expect(view.links.length).toBeGreaterThan(0);
    expect(view.links.every((l) => l.from.path === '/big')).toBe(true);
    expect(view.links.length).toBeLessThan(60);
  });

  it('clamps at both ends', () => {
    const layout = wide(5);
    expect(rowsInView(layout, 0, 10_000).rows).toHaveLength(7);
    expect(rowsInView(layout, -50, 0, 0).rows).toHaveLength(0);
    expect(rowsInView(layout, 1_000_000, 400).rows).toHaveLength(0);
  });
});
