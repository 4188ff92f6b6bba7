import { describe, expect, it } from 'vitest';
import type { Flight } from '../flights';
import { FRAME_MIN_MS, nextFrameWaitMs, placeFlights } from './FlightsCanvas';

const flight = (id: number, from: number, to: number, startMs: number): Flight => ({ id, from, to, kind: 'proposal', label: 'proposal', startMs, durationMs: 100 });
const centers = new Map([
  [1, { x: 0, y: 0 }],
  [2, { x: 100, y: 0 }],
]);

describe('placeFlights', () => {
  it('places a flight along its link by the time elapsed, on its own lane', () => {
    const [there, back] = placeFlights([flight(1, 1, 2, 0), flight(2, 2, 1, 0)], 50, centers);
    expect(there!.at.x).toBeCloseTo(50);
    expect(back!.at.x).toBeCloseTo(50);
    // Opposite directions ride opposite lanes, so the two dots do not sit on each other.
    expect(Math.sign(there!.at.y)).toBe(-Math.sign(back!.at.y));
  });

  it('leaves out flights that landed, have not left, or involve a server not drawn', () => {
    expect(placeFlights([flight(1, 1, 2, 0)], 150, centers)).toEqual([]);
    expect(placeFlights([flight(1, 1, 2, 100)], 50, centers)).toEqual([]);
    expect(placeFlights([flight(1, 1, 3, 0)], 50, centers)).toEqual([]);
  });
});

describe('nextFrameWaitMs', () => {
  it('waits out most of the frame interval after a drawing, so no frame is asked for only to be skipped', () => {
    expect(nextFrameWaitMs(1000, 1000)).toBeGreaterThan(FRAME_MIN_MS / 2);
    expect(nextFrameWaitMs(1000, 1000)).toBeLessThan(FRAME_MIN_MS);
    expect(nextFrameWaitMs(1000, 1000 + FRAME_MIN_MS)).toBe(0);
  });

  it('asks at once when nothing was drawn yet', () => {
    expect(nextFrameWaitMs(-Infinity, 5)).toBe(0);
  });
});
