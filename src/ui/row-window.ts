// Which rows of a fixed-row-height list a scrolled viewport shows (the event log, the znode tree): a log of up to a thousand lines
// that refreshes several times a second under load mounts only these few dozen rows, not all of
// them (mounting hundreds of rows per refresh was most of a busy tab's main thread).

export interface RowWindow {
  /** Index of the first row to mount. */
  first: number;
  /** One past the last row to mount. */
  end: number;
}

/** Rows mounted beyond each edge of the viewport, so a small scroll shows no blank strip. */
export const OVERSCAN_ROWS = 6;

export function rowWindow(scrollTopPx: number, viewportHeightPx: number, rowHeightPx: number, rowCount: number, overscanRows = OVERSCAN_ROWS): RowWindow {
  if (rowCount <= 0 || rowHeightPx <= 0) return { first: 0, end: 0 };
  const top = Math.max(0, scrollTopPx);
  const first = Math.max(0, Math.floor(top / rowHeightPx) - overscanRows);
  const end = Math.min(rowCount, Math.ceil((top + Math.max(0, viewportHeightPx)) / rowHeightPx) + overscanRows);
  return { first: Math.min(first, end), end };
}

/** The scrollTop that shows the last row at the bottom of the viewport. */
export function bottomScrollTopPx(viewportHeightPx: number, rowHeightPx: number, rowCount: number): number {
  return Math.max(0, rowCount * rowHeightPx - Math.max(0, viewportHeightPx));
}
