import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../zk/trace';
import { addFlights, flightKindOf, flightProgress, flightsFromEvents, FLIGHT_BASE_MS, FLIGHTS_MAX } from './flights';

const sent = (server: number, to: number, kind: string): TraceEvent => ({ type: 'msg.sent', server, to, kind, bytes: 10, atMs: 0 });

describe('flights', () => {
  it('maps packet kinds to legend kinds', () => {
    expect(flightKindOf('proposal')).toBe('proposal');
    expect(flightKindOf('newLeader')).toBe('sync');
    expect(flightKindOf('ping')).toBe('ping');
    expect(flightKindOf('revalidate')).toBe('request');
  });

  it('turns sends (ZAB packets and votes) into flights, ignoring other events', () => {
    const events: TraceEvent[] = [
      sent(1, 2, 'proposal'),
      { type: 'vote.sent', server: 3, to: 1, leader: 3, zxid: 0n, electionEpoch: 1, peerEpoch: 0, atMs: 0 },
      { type: 'msg.received', server: 2, from: 1, kind: 'proposal', bytes: 10, atMs: 0 },
      { type: 'commit', server: 1, zxid: 1n, atMs: 0 },
    ];
    const flights = flightsFromEvents(events, 100, (from, to) => (from === 1 && to === 2 ? 200 : 0));
    expect(flights.map((f) => [f.from, f.to, f.kind, f.durationMs])).toEqual([
      [1, 2, 'proposal', FLIGHT_BASE_MS + 200],
      [3, 1, 'vote', FLIGHT_BASE_MS],
    ]);
  });

  it('drops landed flights and bounds how many fly', () => {
    const old = flightsFromEvents([sent(1, 2, 'ping')], 0, () => 0);
    expect(addFlights(old, [], FLIGHT_BASE_MS + 1)).toEqual([]);
    const many = flightsFromEvents(Array.from({ length: FLIGHTS_MAX + 10 }, () => sent(1, 2, 'ack')), 0, () => 0);
    const kept = addFlights([], many, 0);
    expect(kept).toHaveLength(FLIGHTS_MAX);
    expect(kept.at(-1)).toBe(many.at(-1));
  });

  it('reports progress along the way', () => {
    const [flight] = flightsFromEvents([sent(1, 2, 'ack')], 1000, () => 0);
    expect(flight).toBeDefined();
    if (flight === undefined) return;
    expect(flightProgress(flight, 999)).toBeNull();
    expect(flightProgress(flight, 1000 + FLIGHT_BASE_MS / 2)).toBeCloseTo(0.5);
    expect(flightProgress(flight, 1000 + FLIGHT_BASE_MS + 1)).toBeNull();
  });
});
