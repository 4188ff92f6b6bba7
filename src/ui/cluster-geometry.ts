// Where the cluster view draws things: servers evenly around a circle (d3's pointRadial, the first
// server at 12 o'clock) stretched to fit the panel, a link for every pair, and a message's
// position along its link. Each direction of a link has its own lane so crossing messages do not
// overlap.
import { interpolateNumber, pointRadial } from 'd3';
import type { ServerId } from '../zk/types';

export interface Point {
  x: number;
  y: number;
}

export interface ClusterLayout {
  centers: Map<ServerId, Point>;
  links: Array<{ a: ServerId; b: ServerId; from: Point; to: Point }>;
}

/** Half the gap between the two lanes of a link, in px. */
export const LANE_OFFSET_PX = 5;

/** Centers of `ids` inside width x height, leaving room for a card of cardWidth x cardHeight at each. */
export function layoutCluster(ids: readonly ServerId[], width: number, height: number, cardWidth: number, cardHeight: number): ClusterLayout {
  const cx = width / 2;
  const cy = height / 2;
  const rx = Math.max(0, (width - cardWidth) / 2 - 8);
  const ry = Math.max(0, (height - cardHeight) / 2 - 8);
  const sorted = [...ids].sort((a, b) => a - b);
  // pointRadial: angle clockwise from 12 o'clock. The polygon's bounding box is then stretched to
  // fill the panel, so a triangle uses the full height rather than sitting high.
  const unit = sorted.map((_, i) => pointRadial((2 * Math.PI * i) / sorted.length, 1));
  const fit = (values: number[], center: number, half: number) => {
    const min = Math.min(...values);
    const max = Math.max(...values);
    const span = max - min;
    return (v: number) => (span < 1e-9 ? center : center + ((v - (min + max) / 2) / (span / 2)) * half);
  };
  const toX = fit(unit.map(([x]) => x), cx, rx);
  const toY = fit(unit.map(([, y]) => y), cy, ry);
  const centers = new Map<ServerId, Point>();
  sorted.forEach((id, i) => {
    const [ux, uy] = unit[i] as [number, number];
    centers.set(id, { x: toX(ux), y: toY(uy) });
  });
  const links: ClusterLayout['links'] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const a = sorted[i] as ServerId;
      const b = sorted[j] as ServerId;
      links.push({ a, b, from: centers.get(a) as Point, to: centers.get(b) as Point });
    }
  }
  return { centers, links };
}

/**
 * A message's position at progress t (0..1) from `from` to `to`, offset to one side of its travel:
 * the offset turns with the direction, so a->b and b->a ride opposite sides of the link.
 */
export function pointAlong(from: Point, to: Point, t: number): Point {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.hypot(dx, dy) || 1;
  const nx = (-dy / length) * LANE_OFFSET_PX;
  const ny = (dx / length) * LANE_OFFSET_PX;
  return { x: interpolateNumber(from.x, to.x)(t) + nx, y: interpolateNumber(from.y, to.y)(t) + ny };
}
