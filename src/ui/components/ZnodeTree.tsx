// The znode tree: an indented d3-hierarchy layout drawn as SVG, collapsible, searchable by path,
// operable from the keyboard (arrows move and fold, as in a file tree).
import { memo, useMemo, useRef, useEffect, useState, type KeyboardEvent, type RefObject } from 'react';
import { describeKind } from '../node-kind';
import { selectPath, setCollapsed, setSearch, toggleCollapsed, type AppState } from '../store';
import { stableList } from '../stable-list';
import { INDENT_PX, layoutTree, ROW_HEIGHT_PX, rowsInView, type TreeRow } from '../tree-layout';
import { KindGlyph, KindLegend } from './KindGlyph';
import { useAppState, useAppStore } from './store-context';

const GLYPH_OFFSET_PX = INDENT_PX + 2;
const TEXT_OFFSET_PX = 26;
const EMPTY: readonly string[] = [];

/** A path list from the store whose identity changes only with its content. */
function useStablePathList(select: (state: AppState) => readonly string[]): readonly string[] {
  const last = useRef<readonly string[]>(EMPTY);
  return useAppState((s) => (last.current = stableList(last.current, select(s))));
}

function rowId(path: string): string {
  return 'znode-' + encodeURIComponent(path).replace(/%/g, '_');
}

export function ZnodeTree() {
  const store = useAppStore();
  const nodes = useAppState((s) => s.nodes);
  const collapsed = useAppState((s) => s.collapsed);
  const search = useAppState((s) => s.search);
  const selectedPath = useAppState((s) => s.selectedPath);
  const truncated = useAppState((s) => s.treeTruncated);
  // Every status message brings new arrays: keyed on content, the layout is redone only when the
  // container or TTL paths really change (the leader's page laid the tree out per status before).
  const containerList = useStablePathList((s) => s.status?.containerPaths ?? EMPTY);
  const ttlList = useStablePathList((s) => s.status?.ttlPaths ?? EMPTY);
  const layout = useMemo(
    () => layoutTree({ nodes, collapsed, search, containers: new Set(containerList), ttls: new Set(ttlList) }),
    [nodes, collapsed, search, containerList, ttlList],
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  const viewport = useViewport(scrollRef);
  // Only the rows around the viewport are drawn: a 10,000-znode tree stays a few dozen SVG rows.
  const view = useMemo(() => rowsInView(layout, viewport.scrollTopPx, viewport.heightPx), [layout, viewport]);
  const selectedRow = layout.rows.find((r) => r.path === selectedPath);
  const selectedY = selectedRow?.y;

  // Keeps the selected row in view when the selection or its position changes. Keyed on the row's
  // y, not the row object: every data change lays the tree out anew, and reading scrollTop and
  // clientHeight after each would force a synchronous layout per update (under writes that was
  // 18% of a page's main thread).
  useEffect(() => {
    const box = scrollRef.current;
    if (box === null || selectedY === undefined) return;
    if (selectedY < box.scrollTop) box.scrollTop = selectedY;
    else if (selectedY + ROW_HEIGHT_PX > box.scrollTop + box.clientHeight) box.scrollTop = selectedY + ROW_HEIGHT_PX - box.clientHeight;
  }, [selectedPath, selectedY]);

  const onKeyDown = (event: KeyboardEvent<SVGSVGElement>) => {
    const rows = layout.rows;
    if (rows.length === 0) return;
    const current = selectedRow ?? rows[0];
    if (current === undefined) return;
    const move = (row: TreeRow | undefined) => row !== undefined && selectPath(store, row.path);
    switch (event.key) {
      case 'ArrowDown':
        move(rows[Math.min(rows.length - 1, selectedRow === undefined ? 0 : current.index + 1)]);
        break;
      case 'ArrowUp':
        move(rows[Math.max(0, current.index - 1)]);
        break;
      case 'Home':
        move(rows[0]);
        break;
      case 'End':
        move(rows[rows.length - 1]);
        break;
      case 'ArrowRight':
        if (current.childCount > 0 && !current.expanded) setCollapsed(store, current.path, false);
        else if (current.expanded) move(rows[current.index + 1]);
        break;
      case 'ArrowLeft':
        if (current.expanded && current.path !== '/') setCollapsed(store, current.path, true);
        else move(rows.find((r) => r.path === parentOf(current.path)));
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <section className="panel tree-panel" aria-label="znodes">
      <header className="panel-head">
        <h2>znodes</h2>
        <span className="dim">{Object.keys(nodes).length} mirrored</span>
      </header>
      <div className="tree-tools">
        <input
          type="search"
          className="search"
          aria-label="Search path"
          placeholder="search path…"
          value={search}
          onChange={(e) => setSearch(store, e.target.value)}
        />
        {search.trim() !== '' && (
          <span className="dim" role="status">
            {layout.matchCount} {layout.matchCount === 1 ? 'match' : 'matches'}
          </span>
        )}
      </div>
      <KindLegend />
      {truncated && <p className="warn-line">tree truncated: too many znodes to mirror</p>}
      <div className="tree-scroll" ref={scrollRef}>
        <svg
          role="tree"
          aria-label="znode tree"
          tabIndex={0}
          className="tree-svg"
          width="100%"
          height={Math.max(layout.heightPx, ROW_HEIGHT_PX)}
          onKeyDown={onKeyDown}
          aria-activedescendant={selectedRow === undefined ? undefined : rowId(selectedRow.path)}
        >
          <g className="links" aria-hidden="true">
            {view.links.map(({ from, to }) => (
              <path
                key={to.path}
                d={`M${from.x + GLYPH_OFFSET_PX},${from.y + ROW_HEIGHT_PX / 2 + 5} V${to.y + ROW_HEIGHT_PX / 2} H${to.x + GLYPH_OFFSET_PX - 6}`}
              />
            ))}
          </g>
          {view.rows.map((row) => (
            <TreeRowView key={row.path} row={row} selected={row.path === selectedPath} />
          ))}
        </svg>
      </div>
    </section>
  );
}

/** Scroll position and height of the tree's scroll box, updated at most once per frame. */
function useViewport(ref: RefObject<HTMLDivElement | null>): { scrollTopPx: number; heightPx: number } {
  const [viewport, setViewport] = useState({ scrollTopPx: 0, heightPx: 800 });
  useEffect(() => {
    const box = ref.current;
    if (box === null) return;
    let frame = 0;
    const measure = () => {
      frame = 0;
      setViewport((v) => (v.scrollTopPx === box.scrollTop && v.heightPx === box.clientHeight ? v : { scrollTopPx: box.scrollTop, heightPx: box.clientHeight }));
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(measure);
    };
    measure();
    box.addEventListener('scroll', schedule, { passive: true });
    const resize = new ResizeObserver(schedule);
    resize.observe(box);
    return () => {
      box.removeEventListener('scroll', schedule);
      resize.disconnect();
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, [ref]);
  return viewport;
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** Layout makes new row objects each time; a row redraws only when what it shows changed. */
const TreeRowView = memo(TreeRowViewInner, (a, b) => a.selected === b.selected && sameRow(a.row, b.row));

function sameRow(a: TreeRow, b: TreeRow): boolean {
  return (
    a.path === b.path && a.y === b.y && a.x === b.x && a.childCount === b.childCount && a.expanded === b.expanded &&
    a.match === b.match && a.kind.kind === b.kind.kind && a.kind.sequential === b.kind.sequential
  );
}

function TreeRowViewInner({ row, selected }: { row: TreeRow; selected: boolean }) {
  const store = useAppStore();
  const midY = ROW_HEIGHT_PX / 2;
  const canToggle = row.childCount > 0 && row.path !== '/';
  return (
    <g
      id={rowId(row.path)}
      role="treeitem"
      aria-label={row.name}
      aria-level={row.depth + 1}
      aria-selected={selected}
      aria-expanded={row.childCount > 0 ? row.expanded : undefined}
      className={`tree-row${selected ? ' selected' : ''}${row.match ? ' match' : ''}`}
      transform={`translate(0,${row.y})`}
      onClick={() => selectPath(store, row.path)}
      onDoubleClick={() => canToggle && toggleCollapsed(store, row.path)}
    >
      <rect className="row-bg" x={0} y={0} width="100%" height={ROW_HEIGHT_PX} />
      {canToggle && (
        <text
          className="toggle"
          x={row.x + 1}
          y={midY + 4}
          onClick={(e) => {
            e.stopPropagation();
            toggleCollapsed(store, row.path);
          }}
        >
          {row.expanded ? '▾' : '▸'}
        </text>
      )}
      <KindGlyph info={row.kind} x={row.x + GLYPH_OFFSET_PX} y={midY} />
      <text className="name" x={row.x + TEXT_OFFSET_PX} y={midY + 4}>
        {row.name}
        {row.childCount > 0 && <tspan className="count"> {row.childCount}</tspan>}
      </text>
      <title>{`${row.path} (${describeKind(row.kind)})`}</title>
    </g>
  );
}
