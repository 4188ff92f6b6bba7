// A scrolling log of fixed-height rows that mounts only the rows in view (src/ui/row-window.ts) and
// follows the newest row while the user has not scrolled away from the bottom.
import { useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { FrameWriter } from '../frame-writer';
import { bottomScrollTopPx, rowWindow } from '../row-window';

interface Sequenced {
  seq: number;
}

interface VirtualLogProps<T extends Sequenced> {
  items: readonly T[];
  renderItem: (item: T) => ReactNode;
  rowHeightPx: number;
  className: string;
  ariaLabel: string;
}

/** The log and its rows are laid out and painted on their own, apart from the page around them. */
const CONTAINED: CSSProperties = { contain: 'strict' };

export function VirtualLog<T extends Sequenced>({ items, renderItem, rowHeightPx, className, ariaLabel }: VirtualLogProps<T>) {
  const logRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const [view, setView] = useState({ topPx: 0, heightPx: 0 });

  useLayoutEffect(() => {
    const log = logRef.current;
    if (log === null) return;
    const measure = () => setView((v) => (v.heightPx === log.clientHeight ? v : { topPx: log.scrollTop, heightPx: log.clientHeight }));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(log);
    return () => observer.disconnect();
  }, []);

  // While following, the window is the last rows, known without asking the DOM; the scroll offset
  // is written to match at the next frame, before paint (src/ui/frame-writer.ts). Reading sizes
  // here would force a layout of the old rows, writing scrollTop here a layout of the new ones.
  const following = stickToBottom.current;
  const topPx = following ? bottomScrollTopPx(view.heightPx, rowHeightPx, items.length) : view.topPx;
  const scroller = useRef<FrameWriter<number> | null>(null);
  scroller.current ??= new FrameWriter<number>((px) => {
    const log = logRef.current;
    if (log !== null && stickToBottom.current) log.scrollTop = px;
  });
  useEffect(() => () => scroller.current?.cancel(), []);
  // A layout effect (it touches no DOM): the frame is asked for before anything can be painted.
  useLayoutEffect(() => {
    if (stickToBottom.current) scroller.current?.set(topPx);
  }, [topPx]);

  const { first, end } = rowWindow(topPx, view.heightPx, rowHeightPx, items.length);
  const rows: ReactNode[] = [];
  for (let i = first; i < end; i++) rows.push(renderItem(items[i] as T));
  return (
    <div
      className={className}
      role="log"
      aria-label={ariaLabel}
      ref={logRef}
      style={CONTAINED}
      onScroll={(e) => {
        const log = e.currentTarget;
        stickToBottom.current = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
        setView((v) => (v.topPx === log.scrollTop && v.heightPx === log.clientHeight ? v : { topPx: log.scrollTop, heightPx: log.clientHeight }));
      }}
    >
      <div style={{ height: items.length * rowHeightPx, position: 'relative' }}>
        <div style={{ position: 'absolute', top: first * rowHeightPx, left: 0, right: 0 }}>{rows}</div>
      </div>
    </div>
  );
}
