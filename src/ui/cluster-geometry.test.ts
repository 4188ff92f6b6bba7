import { describe, expect, it } from 'vitest';
import { layoutCluster, pointAlong, LANE_OFFSET_PX } from './cluster-geometry';

describe('layoutCluster', () => {
  it('puts the first server at 12 o\'clock and the others evenly around, inside the box', () => {
    const { centers, links } = layoutCluster([3, 1, 2], 600, 400, 160, 100);
    const one = centers.get(1);
    expect(one?.x).toBeCloseTo(300);
    expect(one?.y).toBeCloseTo(200 - (150 - 8));
    for (const p of centers.values()) {
      expect(p.x - 80).toBeGreaterThanOrEqual(0);
      expect(p.x + 80).toBeLessThanOrEqual(600);
      expect(p.y - 50).toBeGreaterThanOrEqual(0);
      expect(p.y + 50).toBeLessThanOrEqual(400);
    }
    // 2 and 3 mirror each other across the vertical axis.
    expect((centers.get(2)?.x ?? 0) - 300).toBeCloseTo(300 - (centers.get(3)?.x ?? 0));
    // The triangle fills the height: its base is at the bottom edge.
    expect(centers.get(2)?.y).toBeCloseTo(200 + (150 - 8));
    expect(links.map((l) => `${l.a}-${l.b}`)).toEqual(['1-2', '1-3', '2-3']);
  });

  it('centers a single server', () => {
    expect(layoutCluster([1], 600, 400, 160, 100).centers.get(1)).toEqual({ x: 300, y: 200 });
  });
});

describe('pointAlong', () => {
  it('moves along the link, each direction on its own side', () => {
    const from = { x: 0, y: 0 };
    const to = { x: 100, y: 0 };
    expect(pointAlong(from, to, 0.5)).toEqual({ x: 50, y: LANE_OFFSET_PX });
    expect(pointAlong(to, from, 0.5)).toEqual({ x: 50, y: -LANE_OFFSET_PX });
    expect(pointAlong(from, to, 1).x).toBe(100);
  });
});
