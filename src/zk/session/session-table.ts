// The server's sessions (Apache's SessionTrackerImpl + the sessionsWithTimeout map that snapshots
// carry), driven by clock values handed in. Expiry only *marks* sessions closing and names them:
// the server turns each into a closeSession txn through the pipeline, and removes the session when
// that txn applies.
import type { ConnectionId, Millis, ServerId, SessionId } from '../types';
import { hex } from '../types';
import { Code } from '../errors';
import { ExpiryQueue } from './expiry-queue';
import { initialSessionId, CONTAINER_EPHEMERAL_OWNER } from './session-id';
import { APACHE_SUPER_SECRET, passwordsEqual, sessionPassword } from './session-password';
import { javaDateString } from './java-date';

export interface Session {
  readonly sessionId: SessionId;
  timeoutMs: number;
  readonly passwd: Uint8Array;
  /** The connection currently owning the session, or null while the client is away. */
  connection: ConnectionId | null;
  /** Bucket time at which the session expires unless touched. */
  expiresAtMs: Millis;
  /** Expired or closing: its closeSession txn is on its way, it takes no more requests. */
  closing: boolean;
  /** Its createSession txn has applied: only committed sessions go into snapshots. */
  committed: boolean;
  /**
   * Leader only (SessionImpl.owner): the server whose client connection last created or
   * revalidated the session. null until known; a write from any other server is SessionMoved.
   */
  owner: ServerId | null;
}

export interface SessionTableOptions {
  tickTimeMs: number;
  serverId: ServerId;
  /** The host clock at startup: seeds session ids and the first expiry bucket. */
  startMs: Millis;
  /** Secret mixed into passwords; Apache's constant by default. */
  passwordSecret?: bigint;
  /** Upper bound on live sessions (assertion against leaks). */
  maxSessions?: number;
}

export class SessionTable {
  private readonly sessions = new Map<SessionId, Session>();
  private readonly queue: ExpiryQueue<SessionId>;
  private nextSessionId: SessionId;
  private readonly secret: bigint;
  private readonly maxSessions: number;

  constructor(options: SessionTableOptions) {
    this.queue = new ExpiryQueue<SessionId>(options.tickTimeMs, options.startMs);
    this.nextSessionId = initialSessionId(options.startMs, options.serverId);
    this.secret = options.passwordSecret ?? APACHE_SUPER_SECRET;
    this.maxSessions = options.maxSessions ?? 1_000_000;
  }

  /** A fresh id, never one in use (a simulated clock may restart at the same time value). */
  allocateId(): SessionId {
    let id = this.nextSessionId;
    while (this.sessions.has(id) || id === 0n || id === CONTAINER_EPHEMERAL_OWNER) id = BigInt.asIntN(64, id + 1n);
    this.nextSessionId = BigInt.asIntN(64, id + 1n);
    return id;
  }

  /** Starts tracking a session (new, or restored from a snapshot/log), expiring timeoutMs from now. */
  track(sessionId: SessionId, timeoutMs: number, nowMs: Millis): Session {
    let session = this.sessions.get(sessionId);
    if (session === undefined) {
      if (this.sessions.size >= this.maxSessions) throw new Error(`session table full (${this.maxSessions})`);
      session = {
        sessionId,
        timeoutMs,
        passwd: sessionPassword(sessionId, this.secret),
        connection: null,
        expiresAtMs: 0,
        closing: false,
        committed: false,
        owner: null,
      };
      this.sessions.set(sessionId, session);
    } else {
      session.timeoutMs = timeoutMs;
    }
    this.refreshExpiry(session, nowMs);
    return session;
  }

  /** The createSession txn applied (or the session came from a snapshot or the log). */
  commit(sessionId: SessionId): void {
    const session = this.sessions.get(sessionId);
    if (session !== undefined) session.committed = true;
  }

  /** Committed sessions as a snapshot stores them. */
  committedRecords(): Array<{ sessionId: SessionId; timeoutMs: number }> {
    return this.all()
      .filter((s) => s.committed)
      .map((s) => ({ sessionId: s.sessionId, timeoutMs: s.timeoutMs }));
  }

  /** A request or ping arrived: push expiry out. False when the session is unknown or closing. */
  touch(sessionId: SessionId, nowMs: Millis, timeoutMs?: number): boolean {
    const session = this.sessions.get(sessionId);
    if (session === undefined || session.closing) return false;
    if (timeoutMs !== undefined) session.timeoutMs = timeoutMs;
    this.refreshExpiry(session, nowMs);
    return true;
  }

  /**
   * SessionTrackerImpl.checkSession: unknown or closing sessions are expired; with an `owner`
   * (quorum leader) the first server to use a session without owner becomes its owner, and any
   * other server gets SessionMoved. Without `owner` (standalone) ownership is never checked.
   */
  check(sessionId: SessionId, owner?: ServerId): Code {
    const session = this.sessions.get(sessionId);
    if (session === undefined || session.closing) return Code.SessionExpired;
    if (owner === undefined) return Code.OK;
    if (session.owner === null) session.owner = owner;
    else if (session.owner !== owner) return Code.SessionMoved;
    return Code.OK;
  }

  /** SessionTrackerImpl.setOwner: false when the session is unknown or closing. */
  setOwner(sessionId: SessionId, owner: ServerId): boolean {
    const session = this.sessions.get(sessionId);
    if (session === undefined || session.closing) return false;
    session.owner = owner;
    return true;
  }

  /** A new leader's tracker knows no owners yet (each is set by the next use). */
  clearOwners(): void {
    for (const session of this.sessions.values()) session.owner = null;
  }

  setClosing(sessionId: SessionId): void {
    const session = this.sessions.get(sessionId);
    if (session !== undefined) session.closing = true;
  }

  remove(sessionId: SessionId): Session | undefined {
    const session = this.sessions.get(sessionId);
    if (session === undefined) return undefined;
    this.sessions.delete(sessionId);
    this.queue.remove(sessionId);
    return session;
  }

  /** Sessions whose bucket is due at nowMs, in bucket order; each is marked closing. */
  expire(nowMs: Millis): SessionId[] {
    const out: SessionId[] = [];
    for (const bucket of this.queue.poll(nowMs)) {
      for (const sessionId of bucket) {
        const session = this.sessions.get(sessionId);
        if (session === undefined || session.closing) continue;
        session.closing = true;
        out.push(sessionId);
      }
    }
    return out;
  }

  get(sessionId: SessionId): Session | undefined {
    return this.sessions.get(sessionId);
  }

  has(sessionId: SessionId): boolean {
    return this.sessions.has(sessionId);
  }

  passwordFor(sessionId: SessionId): Uint8Array {
    return sessionPassword(sessionId, this.secret);
  }

  /** Apache's checkPasswd: id 0 never matches. */
  checkPassword(sessionId: SessionId, passwd: Uint8Array): boolean {
    return sessionId !== 0n && passwordsEqual(passwd, this.passwordFor(sessionId));
  }

  size(): number {
    return this.sessions.size;
  }

  all(): Session[] {
    return [...this.sessions.values()];
  }

  nextExpiryMs(): Millis {
    return this.queue.nextExpiryMs();
  }

  /** SessionTrackerImpl.dumpSessions text, as the `dump` four-letter word prints it. */
  dumpText(): string {
    const buckets = this.queue.bucketsInOrder();
    let out = `Session Sets (${buckets.length})/(${this.queue.size()}):\n`;
    for (const { expiresAtMs, elems } of buckets) {
      out += `${elems.length} expire at ${javaDateString(expiresAtMs)}:\n`;
      for (const sessionId of elems) out += `\t${hex(sessionId)}\n`;
    }
    return out;
  }

  private refreshExpiry(session: Session, nowMs: Millis): void {
    this.queue.update(session.sessionId, session.timeoutMs, nowMs);
    session.expiresAtMs = this.queue.expiryOfElem(session.sessionId) ?? session.expiresAtMs;
  }
}
