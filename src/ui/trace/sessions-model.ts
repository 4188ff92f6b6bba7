// Sessions and watches from the trace: each session's server and state, the watches in force
// (set minus removed minus fired one-shot ones) and the log of fired watch events.
import type { TraceEvent, WatchKind } from '../../zk/trace';
import type { ServerId, SessionId, Zxid } from '../../zk/types';

export type SessionState = 'connected' | 'disconnected' | 'closed' | 'expired';

export interface SessionRow {
  sessionId: SessionId;
  timeoutMs: number;
  /** The server its connection is on (the last one it connected to). */
  server: ServerId | null;
  state: SessionState;
  /** When it lost its connection (host ms), for the expiry countdown. */
  disconnectedAtMs: number | null;
}

export interface WatchRow {
  server: ServerId;
  sessionId: SessionId;
  path: string;
  kind: WatchKind;
}

export interface FiredRow {
  zxid: Zxid;
  event: string;
  path: string;
  sessionId: SessionId;
  server: ServerId;
  kind: WatchKind;
  atMs: number;
}

export interface SessionsView {
  sessions: SessionRow[];
  watches: WatchRow[];
  /** Newest last, at most FIRED_MAX. */
  fired: FiredRow[];
}

export const FIRED_MAX = 500;
export const SESSIONS_MAX = 500;
const PERSISTENT: ReadonlySet<WatchKind> = new Set(['persistent', 'persistentRecursive']);

export function sessionsView(events: readonly TraceEvent[]): SessionsView {
  const sessions = new Map<SessionId, SessionRow>();
  const watches = new Map<string, WatchRow>();
  const fired: FiredRow[] = [];
  const session = (id: SessionId): SessionRow => {
    let row = sessions.get(id);
    if (row === undefined) {
      row = { sessionId: id, timeoutMs: 0, server: null, state: 'connected', disconnectedAtMs: null };
      sessions.set(id, row);
    }
    return row;
  };
  for (const e of events) {
    switch (e.type) {
      case 'session.created':
        session(e.sessionId).timeoutMs = e.timeoutMs;
        break;
      case 'session.connected':
        Object.assign(session(e.sessionId), { server: e.server, state: 'connected', disconnectedAtMs: null });
        break;
      case 'session.disconnected': {
        const row = session(e.sessionId);
        // Only the server it is on speaks for it: an old server noticing the move does not count.
        if (row.server === e.server && row.state === 'connected') Object.assign(row, { state: 'disconnected', disconnectedAtMs: e.atMs });
        break;
      }
      case 'session.closed':
        Object.assign(session(e.sessionId), { state: e.reason === 'expire' ? 'expired' : 'closed', disconnectedAtMs: null });
        for (const [key, w] of watches) if (w.sessionId === e.sessionId) watches.delete(key);
        break;
      case 'watch.set':
        watches.set(watchKey(e.server, e.sessionId, e.path, e.kind), { server: e.server, sessionId: e.sessionId, path: e.path, kind: e.kind });
        break;
      case 'watch.removed':
        watches.delete(watchKey(e.server, e.sessionId, e.path, e.kind));
        break;
      case 'watch.fired':
        if (!PERSISTENT.has(e.kind)) watches.delete(watchKey(e.server, e.sessionId, e.path, e.kind));
        fired.push({ zxid: e.zxid, event: e.event, path: e.path, sessionId: e.sessionId, server: e.server, kind: e.kind, atMs: e.atMs });
        if (fired.length > FIRED_MAX) fired.shift();
        break;
      default:
        break;
    }
  }
  const rows = [...sessions.values()].sort((a, b) => rank(a) - rank(b)).slice(0, SESSIONS_MAX);
  return { sessions: rows, watches: [...watches.values()], fired };
}

function watchKey(server: ServerId, sessionId: SessionId, path: string, kind: WatchKind): string {
  return `${server}|${sessionId}|${kind}|${path}`;
}

/** Live sessions first. */
function rank(row: SessionRow): number {
  return row.state === 'connected' ? 0 : row.state === 'disconnected' ? 1 : 2;
}

/** Milliseconds until a disconnected session expires at the latest, or null when not counting down. */
export function expiresInMs(row: SessionRow, nowMs: number): number | null {
  if (row.state !== 'disconnected' || row.disconnectedAtMs === null || row.timeoutMs <= 0) return null;
  return Math.max(0, row.disconnectedAtMs + row.timeoutMs - nowMs);
}
