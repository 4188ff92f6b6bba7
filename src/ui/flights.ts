// Messages between servers drawn in flight: each `msg.sent` (ZAB packet) and `vote.sent` (FLE
// notification) trace event becomes a dot travelling from sender to receiver for a moment, coloured
// by kind. Page time (performance.now), not the worker's: the animation only has to look right.
import type { TraceEvent } from '../zk/trace';
import type { ServerId } from '../zk/types';

export type FlightKind = 'vote' | 'sync' | 'proposal' | 'ack' | 'commit' | 'ping' | 'request';
export const FLIGHT_KINDS: readonly FlightKind[] = ['vote', 'sync', 'proposal', 'ack', 'commit', 'ping', 'request'];

export interface Flight {
  id: number;
  from: ServerId;
  to: ServerId;
  kind: FlightKind;
  /** The packet kind as traced (PROPOSAL, ACK, notification...). */
  label: string;
  startMs: number;
  durationMs: number;
  /** Messages on the same link this dot stands for besides its own (the link was full): a "+N" badge. */
  more?: number;
}

/** Dots on screen at once; the oldest go first. */
export const FLIGHTS_MAX = 160;
/**
 * Dots per directed link at once. Past it a message is not drawn as a dot of its own: the link's
 * newest dot counts it ("+N"), so the drawing cost stays flat however fast the servers talk.
 */
export const FLIGHTS_PER_LINK_MAX = 6;
export const FLIGHT_BASE_MS = 550;
/** Configured latency slows the dot down, up to this. */
export const FLIGHT_MAX_MS = 3000;

const KIND_OF: Readonly<Record<string, FlightKind>> = {
  notification: 'vote',
  followerInfo: 'sync',
  observerInfo: 'sync',
  leaderInfo: 'sync',
  ackEpoch: 'sync',
  newLeader: 'sync',
  diff: 'sync',
  trunc: 'sync',
  snap: 'sync',
  upToDate: 'sync',
  proposal: 'proposal',
  inform: 'proposal',
  ack: 'ack',
  commit: 'commit',
  ping: 'ping',
};

export function flightKindOf(peerMessageKind: string): FlightKind {
  return KIND_OF[peerMessageKind] ?? 'request';
}

let nextFlightId = 1;

/** Flights for the sends among `events`; `durationFor` adds a link's latency. */
export function flightsFromEvents(events: readonly TraceEvent[], nowMs: number, latencyOf: (from: ServerId, to: ServerId) => number): Flight[] {
  const out: Flight[] = [];
  for (const event of events) {
    let kind: string;
    if (event.type === 'msg.sent') kind = event.kind;
    else if (event.type === 'vote.sent') kind = 'notification';
    else continue;
    const from = event.server;
    const to = event.to;
    if (from === to) continue;
    const durationMs = Math.min(FLIGHT_MAX_MS, FLIGHT_BASE_MS + Math.max(0, latencyOf(from, to)));
    out.push({ id: nextFlightId++, from, to, kind: flightKindOf(kind), label: kind, startMs: nowMs, durationMs });
  }
  return out;
}

/**
 * Drops landed flights and appends the new ones, at most FLIGHTS_PER_LINK_MAX per directed link
 * (a new one on a full link is counted by the link's newest dot instead) and FLIGHTS_MAX in all.
 */
export function addFlights(current: readonly Flight[], added: readonly Flight[], nowMs: number): Flight[] {
  const live = current.filter((f) => f.startMs + f.durationMs > nowMs);
  if (added.length === 0) return live.length === current.length ? (current as Flight[]) : live;
  const all = [...live];
  const perLink = new Map<string, number[]>();
  all.forEach((f, i) => linkSlots(perLink, f).push(i));
  for (const flight of added) {
    const slots = linkSlots(perLink, flight);
    if (slots.length < FLIGHTS_PER_LINK_MAX) {
      slots.push(all.length);
      all.push(flight);
      continue;
    }
    const newest = slots[slots.length - 1] as number;
    const host = all[newest] as Flight;
    all[newest] = { ...host, more: (host.more ?? 0) + 1 + (flight.more ?? 0) };
  }
  return all.length > FLIGHTS_MAX ? all.slice(all.length - FLIGHTS_MAX) : all;
}

function linkSlots(perLink: Map<string, number[]>, flight: Flight): number[] {
  const key = `${flight.from}>${flight.to}`;
  let slots = perLink.get(key);
  if (slots === undefined) {
    slots = [];
    perLink.set(key, slots);
  }
  return slots;
}

/** 0..1 along the way, or null before the start or after landing. */
export function flightProgress(flight: Flight, nowMs: number): number | null {
  const t = (nowMs - flight.startMs) / flight.durationMs;
  return t < 0 || t > 1 ? null : t;
}
