import { describe, expect, it } from 'vitest';
import { bottomScrollTopPx, rowWindow } from './row-window';

describe('rowWindow', () => {
  it('mounts the rows in view plus the overscan on each side', () => {
    // 18 px rows, viewport 180 px (10 rows) scrolled to row 100.
    expect(rowWindow(1800, 180, 18, 1000, 6)).toEqual({ first: 94, end: 116 });
  });

  it('clamps at the top and the bottom of the list', () => {
    expect(rowWindow(0, 180, 18, 1000, 6)).toEqual({ first: 0, end: 16 });
    expect(rowWindow(bottomScrollTopPx(180, 18, 1000), 180, 18, 1000, 6)).toEqual({ first: 984, end: 1000 });
  });

  it('shows every row of a list shorter than the viewport', () => {
    expect(rowWindow(0, 500, 18, 5, 6)).toEqual({ first: 0, end: 5 });
    expect(bottomScrollTopPx(500, 18, 5)).toBe(0);
  });

  it('mounts nothing for an empty list or a degenerate row height, and survives a stale scrollTop', () => {
    expect(rowWindow(0, 180, 18, 0)).toEqual({ first: 0, end: 0 });
    expect(rowWindow(0, 180, 0, 10)).toEqual({ first: 0, end: 0 });
    // The list shrank under a viewport that was scrolled far down: nothing past the end.
    const w = rowWindow(50_000, 180, 18, 100, 6);
    expect(w.end).toBe(100);
    expect(w.first).toBeLessThanOrEqual(w.end);
  });

  it('mounts a bounded number of rows however long the list', () => {
    const w = rowWindow(900_000, 400, 18, 100_000, 6);
    expect(w.end - w.first).toBeLessThanOrEqual(Math.ceil(400 / 18) + 1 + 12);
  });
});
