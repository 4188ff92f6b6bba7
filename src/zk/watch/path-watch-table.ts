// One watch table (Apache keeps two per DataTree: data watches and child watches).
// Watchers are sessions; Apache keys them by connection, but a session has at most one connection
// and the server drops a session's watches when its connection goes (the client re-sends them
// with SetWatches), so the two are the same here.
import type { SessionId } from '../types';
import { NO_WATCH, WatcherMode, addMode, hasMode, removeMode, type WatchFlags } from './watcher-mode';

/** The paths whose watches an event on `path` may reach: the path itself, then its ancestors. */
export function pathAndAncestors(path: string): string[] {
  const out = [path];
  let current = path;
  while (current !== '/' && current.length > 0) {
    const slash = current.lastIndexOf('/');
    current = slash <= 0 ? '/' : current.slice(0, slash);
    out.push(current);
  }
  return out;
}

/** Which mode(s) of a session's watch on a path produced a delivery. */
export interface TableHit {
  sessionId: SessionId;
  /** Flags the session held on the path that matched (before one-shot removal). */
  matchedPath: string;
  flags: WatchFlags;
}

export class PathWatchTable {
  // Insertion-ordered maps give a deterministic delivery order (Apache's HashSet order is arbitrary).
  private readonly byPath = new Map<string, Map<SessionId, WatchFlags>>();
  private readonly bySession = new Map<SessionId, Map<string, WatchFlags>>();
  private recursiveCount = 0;

  /** Adds a watch; true when it was not already there in that mode. */
  add(path: string, sessionId: SessionId, mode: WatcherMode): boolean {
    const paths = this.sessionPaths(sessionId, true);
    const old = paths.get(path) ?? NO_WATCH;
    const next = addMode(old, mode);
    if (next === old) return false;
    paths.set(path, next);
    let watchers = this.byPath.get(path);
    if (watchers === undefined) {
      watchers = new Map();
      this.byPath.set(path, watchers);
    }
    watchers.set(sessionId, next);
    if (mode === WatcherMode.PERSISTENT_RECURSIVE) this.recursiveCount++;
    return true;
  }

  contains(path: string, sessionId: SessionId, mode: WatcherMode | null): boolean {
    const flags = this.bySession.get(sessionId)?.get(path) ?? NO_WATCH;
    return mode === null ? flags !== NO_WATCH : hasMode(flags, mode);
  }

  /** Removes one mode (or every mode when null); true when something was removed. */
  remove(path: string, sessionId: SessionId, mode: WatcherMode | null): boolean {
    const old = this.bySession.get(sessionId)?.get(path) ?? NO_WATCH;
    if (old === NO_WATCH) return false;
    const next = mode === null ? NO_WATCH : removeMode(old, mode);
    if (next === old) return false;
    this.setFlags(path, sessionId, next);
    if (hasMode(old, WatcherMode.PERSISTENT_RECURSIVE) && !hasMode(next, WatcherMode.PERSISTENT_RECURSIVE)) {
      this.recursiveCount--;
    }
    return true;
  }

  /** Drops every watch of a session (its connection closed or the session ended). Returns what it held. */
  removeSession(sessionId: SessionId): Array<{ path: string; flags: WatchFlags }> {
    const paths = this.bySession.get(sessionId);
    if (paths === undefined) return [];
    this.bySession.delete(sessionId);
    const removed: Array<{ path: string; flags: WatchFlags }> = [];
    for (const [path, flags] of paths) {
      removed.push({ path, flags });
      const watchers = this.byPath.get(path);
      watchers?.delete(sessionId);
      if (watchers !== undefined && watchers.size === 0) this.byPath.delete(path);
      if (hasMode(flags, WatcherMode.PERSISTENT_RECURSIVE)) this.recursiveCount--;
    }
    return removed;
  }

  /**
   * The sessions an event on `path` reaches, each once, removing the one-shot watches it consumes.
   * Watches on the path itself always fire; on an ancestor only persistent-recursive ones do.
   */
  trigger(path: string): TableHit[] {
    const hits = new Map<SessionId, TableHit>();
    const candidates = this.recursiveCount === 0 ? [path] : pathAndAncestors(path);
    candidates.forEach((localPath, index) => {
      const watchers = this.byPath.get(localPath);
      if (watchers === undefined) return;
      const atParent = index > 0;
      for (const [sessionId, flags] of [...watchers]) {
        if (!atParent) {
          if (!hits.has(sessionId)) hits.set(sessionId, { sessionId, matchedPath: localPath, flags });
          const next = removeMode(flags, WatcherMode.STANDARD);
          if (next !== flags) this.setFlags(localPath, sessionId, next);
        } else if (hasMode(flags, WatcherMode.PERSISTENT_RECURSIVE) && !hits.has(sessionId)) {
          hits.set(sessionId, { sessionId, matchedPath: localPath, flags: WatcherMode.PERSISTENT_RECURSIVE });
        }
      }
    });
    return [...hits.values()];
  }

  /** Number of (session, path) pairs, as Apache's WatchManager.size() counts them. */
  size(): number {
    let total = 0;
    for (const watchers of this.byPath.values()) total += watchers.size;
    return total;
  }

  pathCount(): number {
    return this.byPath.size;
  }

  sessionCount(): number {
    return this.bySession.size;
  }

  /** session -> paths, for `wchc`. */
  bySessionReport(): Map<SessionId, string[]> {
    const out = new Map<SessionId, string[]>();
    for (const [sessionId, paths] of this.bySession) out.set(sessionId, [...paths.keys()]);
    return out;
  }

  /** path -> sessions, for `wchp`. */
  byPathReport(): Map<string, SessionId[]> {
    const out = new Map<string, SessionId[]>();
    for (const [path, watchers] of this.byPath) out.set(path, [...watchers.keys()]);
    return out;
  }

  flagsOf(path: string, sessionId: SessionId): WatchFlags {
    return this.bySession.get(sessionId)?.get(path) ?? NO_WATCH;
  }

  private sessionPaths(sessionId: SessionId, create: boolean): Map<string, WatchFlags> {
    let paths = this.bySession.get(sessionId);
    if (paths === undefined) {
      paths = new Map();
      if (create) this.bySession.set(sessionId, paths);
    }
    return paths;
  }

  /** Stores new flags for (path, session), deleting empty entries so counts stay exact. */
  private setFlags(path: string, sessionId: SessionId, flags: WatchFlags): void {
    const paths = this.bySession.get(sessionId);
    const watchers = this.byPath.get(path);
    if (flags === NO_WATCH) {
      paths?.delete(path);
      if (paths !== undefined && paths.size === 0) this.bySession.delete(sessionId);
      watchers?.delete(sessionId);
      if (watchers !== undefined && watchers.size === 0) this.byPath.delete(path);
      return;
    }
    paths?.set(path, flags);
    watchers?.set(sessionId, flags);
  }
}
