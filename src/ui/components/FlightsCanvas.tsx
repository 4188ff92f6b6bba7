// Messages in flight drawn on a canvas of their own, from an animation-frame loop outside React:
// redrawing a few dozen dots on a bitmap costs a clear and some arcs, where moving SVG circles
// restyled, re-laid out and repainted the diagram's vector layer on every frame.
import { memo, useEffect, useRef } from 'react';
import type { ServerId } from '../../zk/types';
import { pointAlong, type Point } from '../cluster-geometry';
import { flightProgress, type Flight, type FlightKind } from '../flights';
import { useAppStore } from './store-context';

/** About 25 frames a second is smooth enough for dots and costs far less than 60. */
export const FRAME_MIN_MS = 40;
/** Half a display frame: the frame asked for after the wait comes up to a display frame later. */
const HALF_DISPLAY_FRAME_MS = 8;

/**
 * How long to wait before asking for the next animation frame. Asking at once (and skipping the
 * frames that come too soon) made the browser run a whole frame 60 times a second under load,
 * style and layout checks included, for 25 drawings.
 */
export function nextFrameWaitMs(lastDrawMs: number, nowMs: number): number {
  return Math.max(0, lastDrawMs + FRAME_MIN_MS - HALF_DISPLAY_FRAME_MS - nowMs);
}
const DOT_RADIUS_PX = 4.5;
const PING_RADIUS_PX = 2.5;

export interface PlacedFlight {
  flight: Flight;
  at: Point;
}

/** Where each flight is at `nowMs` (flights landed or between unknown servers are left out). */
export function placeFlights(flights: readonly Flight[], nowMs: number, centers: ReadonlyMap<ServerId, Point>): PlacedFlight[] {
  const placed: PlacedFlight[] = [];
  for (const flight of flights) {
    const t = flightProgress(flight, nowMs);
    const from = centers.get(flight.from);
    const to = centers.get(flight.to);
    if (t === null || from === undefined || to === undefined) continue;
    placed.push({ flight, at: pointAlong(from, to, t) });
  }
  return placed;
}

/** The legend's colours (styles.css `.flight-<kind>`), read once from the stylesheet. */
function kindColors(element: Element): Record<FlightKind, string> {
  const css = getComputedStyle(element);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    vote: v('--purple', '#c79bff'),
    sync: v('--teal', '#4fd1c5'),
    proposal: v('--accent', '#7cc4ff'),
    ack: v('--ok', '#5fd39a'),
    commit: v('--warn', '#f0b35c'),
    ping: '#6c7a8a',
    request: '#ff9ecf',
  };
}

function draw(context: CanvasRenderingContext2D, placed: readonly PlacedFlight[], colors: Record<FlightKind, string>, widthPx: number, heightPx: number): void {
  context.clearRect(0, 0, widthPx, heightPx);
  context.lineWidth = 1;
  context.strokeStyle = '#0e1217';
  for (const { flight, at } of placed) {
    context.beginPath();
    context.arc(at.x, at.y, flight.kind === 'ping' ? PING_RADIUS_PX : DOT_RADIUS_PX, 0, 2 * Math.PI);
    context.fillStyle = colors[flight.kind];
    context.fill();
    context.stroke();
  }
  // A dot that stands for more messages of a busy link carries their count.
  context.font = '10px sans-serif';
  context.fillStyle = '#d7dee7';
  for (const { flight, at } of placed) {
    if ((flight.more ?? 0) > 0) context.fillText(`+${flight.more ?? 0}`, at.x + 7, at.y - 6);
  }
}

export const FlightsCanvas = memo(function FlightsCanvas({ centers, widthPx, heightPx }: { centers: Map<ServerId, Point>; widthPx: number; heightPx: number }) {
  const store = useAppStore();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const centersRef = useRef(centers);
  centersRef.current = centers;
  const ratio = typeof window === 'undefined' ? 1 : Math.max(1, Math.min(2, window.devicePixelRatio || 1));

  useEffect(() => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext('2d') ?? null;
    if (canvas === null || context === null) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    const colors = kindColors(canvas);
    let frame = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastDrawMs = -Infinity;
    let drawnAny = false;
    const tick = (nowMs: number) => {
      frame = 0;
      const flights = store.getState().flights;
      lastDrawMs = nowMs;
      const placed = placeFlights(flights, nowMs, centersRef.current);
      if (placed.length > 0 || drawnAny) draw(context, placed, colors, widthPx, heightPx);
      drawnAny = placed.length > 0;
      if (flights.some((f) => f.startMs + f.durationMs > nowMs) || drawnAny) later();
    };
    // The next frame is asked for when it is due, not at once (nextFrameWaitMs).
    const later = () => {
      timer = setTimeout(() => {
        timer = null;
        frame = requestAnimationFrame(tick);
      }, nextFrameWaitMs(lastDrawMs, performance.now()));
    };
    const wake = () => {
      if (frame === 0 && timer === null) later();
    };
    wake();
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.flights !== previous.flights) wake();
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, [store, widthPx, heightPx, ratio]);

  return <canvas ref={canvasRef} className="flights-canvas" width={Math.round(widthPx * ratio)} height={Math.round(heightPx * ratio)} style={{ width: widthPx, height: heightPx }} aria-hidden="true" />;
});
