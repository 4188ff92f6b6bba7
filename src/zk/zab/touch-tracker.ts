// Which sessions had client activity on this learner since its last PING reply (Apache's
// LearnerSessionTracker touchTable). A touch pushes a session's expiry bucket forward, so a
// session counts as touched when its bucket moved since the last report; the leader, which owns
// expiry, then touches it too.
import type { SessionTouch } from '../../jute/quorum-messages';
import type { Session } from '../session/session-table';
import type { Millis, SessionId } from '../types';

export class TouchTracker {
  private readonly reported = new Map<SessionId, Millis>();

  /** Starts from the sessions as they are now: nothing is owed to the leader yet. */
  reset(sessions: readonly Session[]): void {
    this.reported.clear();
    for (const s of sessions) this.reported.set(s.sessionId, s.expiresAtMs);
  }

  take(sessions: readonly Session[]): SessionTouch[] {
    const out: SessionTouch[] = [];
    const live = new Set<SessionId>();
    for (const s of sessions) {
      live.add(s.sessionId);
      if (s.closing) continue;
      const previous = this.reported.get(s.sessionId);
      // A session created since the last report counts only if a client of ours holds it.
      const touched = previous === undefined ? s.connection !== null : s.expiresAtMs > previous;
      this.reported.set(s.sessionId, s.expiresAtMs);
      if (touched) out.push({ sessionId: s.sessionId, timeoutMs: s.timeoutMs });
    }
    for (const id of this.reported.keys()) if (!live.has(id)) this.reported.delete(id);
    return out;
  }
}
