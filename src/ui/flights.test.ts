import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../zk/trace';
import { addFlights, flightKindOf, flightProgress, flightsFromEvents, FLIGHT_BASE_MS, FLIGHTS_MAX, FLIGHTS_PER_LINK_MAX } from './flights';

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
    // Many links (a big ensemble): the newest FLIGHTS_MAX fly.
    const links = Array.from({ length: FLIGHTS_MAX + 10 }, (_, i) => sent(1 + (i % 40), 100 + Math.floor(i / 40), 'ack'));
    const many = flightsFromEvents(links, 0, () => 0);
    const kept = addFlights([], many, 0);
    expect(kept).toHaveLength(FLIGHTS_MAX);
    expect(kept.at(-1)).toBe(many.at(-1));
  });

  it('caps the dots per link and counts the rest on the link\'s newest dot', () => {
    const burst = flightsFromEvents(Array.from({ length: 500 }, () => sent(1, 2, 'proposal')), 0, () => 0);
    const other = flightsFromEvents([sent(2, 1, 'ack')], 0, () => 0);
    let flights = addFlights([], burst.slice(0, 200), 0);
    flights = addFlights(flights, [...burst.slice(200), ...other], 10);
    const oneToTwo = flights.filter((f) => f.from === 1 && f.to === 2);
    expect(oneToTwo).toHaveLength(FLIGHTS_PER_LINK_MAX);
    // Every message is accounted for: drawn, or counted by a dot.
    expect(oneToTwo.reduce((n, f) => n + 1 + (f.more ?? 0), 0)).toBe(500);
    expect(flights.filter((f) => f.from === 2)).toHaveLength(1);
    // Once they land, the link has room again.
    const later = addFlights(flights, flightsFromEvents([sent(1, 2, 'commit')], FLIGHT_BASE_MS + 20, () => 0), FLIGHT_BASE_MS + 20);
    expect(later.map((f) => [f.kind, f.more ?? 0])).toEqual([['commit', 0]]);
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
