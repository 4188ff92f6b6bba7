// Geometry of the znode tree: d3-hierarchy builds the visible hierarchy (collapsed nodes hide their
// children; a search keeps only matches and their ancestors, expanded), then an indented layout
// gives each node a row. Pure: React draws the result.
import { hierarchy, type HierarchyNode } from 'd3';
import type { MirrorNode } from './store';
import { nodeKindOf, type NodeKindInfo } from './node-kind';
import { rowWindow } from './row-window';

export const ROW_HEIGHT_PX = 20;
export const INDENT_PX = 16;

export interface TreeRow {
  path: string;
  name: string;
  depth: number;
  index: number;
  x: number;
  y: number;
  /** Children in the mirror, whether shown or not. */
  childCount: number;
  expanded: boolean;
  kind: NodeKindInfo;
  /** The search matched this node (not just one of its descendants). */
  match: boolean;
}

export interface TreeLink {
  from: TreeRow;
  to: TreeRow;
}

export interface TreeLayout {
  rows: TreeRow[];
  links: TreeLink[];
  matchCount: number;
  heightPx: number;
}

export interface TreeLayoutInput {
  nodes: Readonly<Record<string, MirrorNode>>;
  collapsed: Readonly<Record<string, true>>;
  search: string;
  containers: ReadonlySet<string>;
  ttls: ReadonlySet<string>;
}

export function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

export function nameOf(path: string): string {
  return path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1);
}

/** Paths the search matches, plus every ancestor of one (so the matches stay reachable). */
function searchKeep(nodes: Readonly<Record<string, MirrorNode>>, query: string): { keep: Set<string>; matches: Set<string> } {
  const matches = new Set<string>();
  const keep = new Set<string>(['/']);
  const needle = query.toLowerCase();
  for (const path of Object.keys(nodes)) {
    if (path === '/' || !path.toLowerCase().includes(needle)) continue;
    matches.add(path);
    for (let p = path; p !== '/' && !keep.has(p); p = p.slice(0, Math.max(1, p.lastIndexOf('/')))) keep.add(p);
  }
  return { keep, matches };
}

export function layoutTree(input: TreeLayoutInput): TreeLayout {
  const { nodes, collapsed } = input;
  if (nodes['/'] === undefined) return { rows: [], links: [], matchCount: 0, heightPx: 0 };
  const query = input.search.trim();
  const filter = query === '' ? null : searchKeep(nodes, query);
  const visibleChildren = (path: string): string[] => {
    const node = nodes[path];
    if (node?.children == null) return [];
    if (filter === null && collapsed[path]) return [];
    const paths = node.children.map((name) => childPath(path, name)).filter((p) => nodes[p] !== undefined);
    return filter === null ? paths : paths.filter((p) => filter.keep.has(p));
  };
  const root = hierarchy<string>('/', (path) => visibleChildren(path));
  const rows: TreeRow[] = [];
  const rowOf = new Map<HierarchyNode<string>, TreeRow>();
  root.eachBefore((d) => {
    const path = d.data;
    const node = nodes[path];
    const index = rows.length;
    const row: TreeRow = {
      path,
      name: nameOf(path),
      depth: d.depth,
      index,
      x: d.depth * INDENT_PX,
      y: index * ROW_HEIGHT_PX,
      childCount: node?.children?.length ?? 0,
      expanded: (d.children?.length ?? 0) > 0,
      kind: nodeKindOf(path, node?.stat ?? null, input.containers, input.ttls),
      match: filter?.matches.has(path) ?? false,
    };
    rows.push(row);
    rowOf.set(d, row);
  });
  const links: TreeLink[] = [];
  for (const link of root.links()) {
    const from = rowOf.get(link.source);
    const to = rowOf.get(link.target);
    if (from !== undefined && to !== undefined) links.push({ from, to });
  }
  return { rows, links, matchCount: filter?.matches.size ?? 0, heightPx: rows.length * ROW_HEIGHT_PX };
}

/** Rows drawn beyond each edge of the viewport, so a quick scroll does not show blank space. */
export const OVERSCAN_ROWS = 30;

export interface TreeWindow {
  rows: TreeRow[];
  links: TreeLink[];
}

/**
 * The part of the layout inside the viewport (plus overscan): only these rows are drawn, so a
 * 10,000-znode tree costs a few dozen SVG rows. A link is kept when its elbow crosses the window
 * (a parent above the window with a child below it still draws its vertical line, once).
 */
export function rowsInView(layout: TreeLayout, scrollTopPx: number, viewportPx: number, overscanRows = OVERSCAN_ROWS): TreeWindow {
  const { first, end: last } = rowWindow(scrollTopPx, viewportPx, ROW_HEIGHT_PX, layout.rows.length, overscanRows);
  const rows = layout.rows.slice(first, last);
  const topPx = first * ROW_HEIGHT_PX;
  const bottomPx = last * ROW_HEIGHT_PX;
  const links: TreeLink[] = [];
  // A parent above the window whose children continue below it needs one vertical line across it.
  const spanning = new Set<string>();
  for (const link of layout.links) {
    const { from, to } = link;
    if (to.y >= topPx && to.y < bottomPx) links.push(link);
    else if (from.y < topPx && to.y >= bottomPx && !spanning.has(from.path)) {
      spanning.add(from.path);
      links.push(link);
    }
  }
  return { rows, links };
}
