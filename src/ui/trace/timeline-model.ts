// Time travel: each server's state, epoch and last committed zxid as they were after the first n
// events of the trace, rebuilt from state, commit and applied events alone.
import type { ServerStateName, TraceEvent } from '../../zk/trace';
import type { ServerId, Zxid } from '../../zk/types';
import type { TraceModel } from './trace-model';

export interface ServerPoint {
  myid: ServerId;
  state: ServerStateName | 'UNKNOWN';
  epoch: number;
  /** Highest zxid committed (leader) or applied (any server) so far. */
  zxid: Zxid;
  /** Host time of the last event of this server folded in. */
  atMs: number;
}

/** Folds events into per-server points (pure: `from` is not changed). */
export function foldServers(from: Readonly<Record<number, ServerPoint>>, events: readonly TraceEvent[]): Record<number, ServerPoint> {
  const out: Record<number, ServerPoint> = { ...from };
  for (const event of events) {
    // Any event makes its server known; only state, commit, applied and recovered change it.
    const point = out[event.server] ?? { myid: event.server, state: 'UNKNOWN', epoch: 0, zxid: 0n, atMs: event.atMs };
    out[event.server] = foldOne(point, event);
  }
  return out;
}

function foldOne(point: ServerPoint, event: TraceEvent): ServerPoint {
  switch (event.type) {
    case 'state':
      return { ...point, state: event.to, epoch: event.epoch, atMs: event.atMs };
    case 'commit':
    case 'applied':
      return event.zxid > point.zxid ? { ...point, zxid: event.zxid, atMs: event.atMs } : point;
    case 'recovered':
      return event.zxid > point.zxid ? { ...point, zxid: event.zxid, atMs: event.atMs } : point;
    default:
      return point;
  }
}

/** The servers after the first `position` events (0 = only the baseline), sorted by id. */
export function serversAt(baseline: Readonly<Record<number, ServerPoint>>, events: readonly TraceEvent[], position: number): ServerPoint[] {
  const n = Math.max(0, Math.min(events.length, Math.floor(position)));
  return Object.values(foldServers(baseline, events.slice(0, n))).sort((a, b) => a.myid - b.myid);
}

/** The servers at the newest event, folded incrementally (the live Timeline); base: the recorder's baseline. */
export const timelineModel: TraceModel<Record<number, ServerPoint>, ServerPoint[]> = {
  empty: () => ({}),
  // Points are replaced, never changed in place: a shallow copy is enough.
  clone: (state) => ({ ...state }),
  fold(state, events, from) {
    let changed = false;
    for (let i = from; i < events.length; i++) {
      const event = events[i] as TraceEvent;
      const point = state[event.server];
      const next = foldOne(point ?? { myid: event.server, state: 'UNKNOWN', epoch: 0, zxid: 0n, atMs: event.atMs }, event);
      if (next !== point) {
        state[event.server] = next;
        changed = true;
      }
    }
    return changed;
  },
  view: (state) => Object.values(state).sort((a, b) => a.myid - b.myid),
};
