// Sessions and watches from the trace: each session's server and state, the watches in force
// (set minus removed minus fired one-shot ones) and the log of fired watch events.
import type { TraceEvent, WatchKind } from '../../zk/trace';
import type { ServerId, SessionId, Zxid } from '../../zk/types';
import { viewOfEvents, type TraceModel } from './trace-model';

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
/** Watches kept: past this the oldest set go first (a real ensemble's watches are bounded by its sessions). */
export const WATCHES_MAX = 5000;
const PERSISTENT: ReadonlySet<WatchKind> = new Set(['persistent', 'persistentRecursive']);

/** The folded state: sessions and watches by key (insertion order = oldest first), fired newest last. */
export interface SessionsState {
  sessions: Map<SessionId, SessionRow>;
  watches: Map<string, WatchRow>;
  fired: FiredRow[];
}

export const sessionsModel: TraceModel<SessionsState, SessionsView> = {
  empty: () => ({ sessions: new Map(), watches: new Map(), fired: [] }),
  clone: (s) => ({ sessions: new Map([...s.sessions].map(([id, row]) => [id, { ...row }])), watches: new Map(s.watches), fired: [...s.fired] }),
  fold(s, events, from) {
    let changed = false;
    for (let i = from; i < events.length; i++) changed = foldOne(s, events[i] as TraceEvent) || changed;
    return changed;
  },
  view(s) {
    const rows = [...s.sessions.values()].map((row) => ({ ...row })).sort((a, b) => rank(a) - rank(b));
    return { sessions: rows.slice(0, SESSIONS_MAX), watches: [...s.watches.values()], fired: [...s.fired] };
  },
};

export function sessionsView(events: readonly TraceEvent[]): SessionsView {
  return viewOfEvents(sessionsModel, events);
}

function sessionRow(s: SessionsState, id: SessionId): SessionRow {
  let row = s.sessions.get(id);
  if (row === undefined) {
    row = { sessionId: id, timeoutMs: 0, server: null, state: 'connected', disconnectedAtMs: null };
    s.sessions.set(id, row);
    if (s.sessions.size > SESSIONS_MAX) evictSession(s);
  }
  return row;
}

/** Past SESSIONS_MAX: the oldest ended session goes, else the oldest. */
function evictSession(s: SessionsState): void {
  for (const [id, row] of s.sessions) {
    if (row.state === 'closed' || row.state === 'expired') {
      s.sessions.delete(id);
      return;
    }
  }
  s.sessions.delete(s.sessions.keys().next().value as SessionId);
}

function foldOne(s: SessionsState, e: TraceEvent): boolean {
  switch (e.type) {
    case 'session.created':
      sessionRow(s, e.sessionId).timeoutMs = e.timeoutMs;
      return true;
    case 'session.connected':
      Object.assign(sessionRow(s, e.sessionId), { server: e.server, state: 'connected', disconnectedAtMs: null });
      return true;
    case 'session.disconnected': {
      const row = sessionRow(s, e.sessionId);
      // Only the server it is on speaks for it: an old server noticing the move does not count.
      if (row.server === e.server && row.state === 'connected') Object.assign(row, { state: 'disconnected', disconnectedAtMs: e.atMs });
      return true;
    }
    case 'session.closed':
      Object.assign(sessionRow(s, e.sessionId), { state: e.reason === 'expire' ? 'expired' : 'closed', disconnectedAtMs: null });
      for (const [key, w] of s.watches) if (w.sessionId === e.sessionId) s.watches.delete(key);
      return true;
    case 'watch.set': {
      const key = watchKey(e.server, e.sessionId, e.path, e.kind);
      s.watches.set(key, { server: e.server, sessionId: e.sessionId, path: e.path, kind: e.kind });
      if (s.watches.size > WATCHES_MAX) s.watches.delete(s.watches.keys().next().value as string);
      return true;
    }
    case 'watch.removed':
      s.watches.delete(watchKey(e.server, e.sessionId, e.path, e.kind));
      return true;
    case 'watch.fired':
      if (!PERSISTENT.has(e.kind)) s.watches.delete(watchKey(e.server, e.sessionId, e.path, e.kind));
      s.fired.push({ zxid: e.zxid, event: e.event, path: e.path, sessionId: e.sessionId, server: e.server, kind: e.kind, atMs: e.atMs });
      if (s.fired.length > FIRED_MAX) s.fired.shift();
      return true;
    default:
      return false;
  }
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
