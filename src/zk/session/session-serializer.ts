// The sessions part of a snapshot, laid out as Apache's SerializeUtils.serializeSnapshot writes it:
// int count, then (long sessionId, int timeoutMs) per session. Passwords are derived from the id,
// so they need no room here.
import { JuteReader, JuteWriter, JuteError } from '../../jute/jute-io';
import type { SessionId } from '../types';

export interface SessionRecord {
  sessionId: SessionId;
  timeoutMs: number;
}

export function writeSessions(w: JuteWriter, sessions: readonly SessionRecord[]): void {
  w.int(sessions.length);
  for (const s of sessions) {
    w.long(s.sessionId);
    w.int(s.timeoutMs);
  }
}

export function readSessions(r: JuteReader): SessionRecord[] {
  const count = r.int();
  // Each record takes 12 bytes: a count beyond that is corruption, not a reason to loop forever.
  if (count < 0 || count * 12 > r.remaining) throw new JuteError(`bad session count ${count}`);
  const out: SessionRecord[] = [];
  for (let i = 0; i < count; i++) {
    const sessionId = r.long();
    const timeoutMs = r.int();
    if (timeoutMs <= 0) throw new JuteError(`bad timeout ${timeoutMs} for session ${sessionId}`);
    out.push({ sessionId, timeoutMs });
  }
  return out;
}

export function encodeSessions(sessions: readonly SessionRecord[]): Uint8Array {
  const w = new JuteWriter();
  writeSessions(w, sessions);
  return w.toBytes();
}

export function decodeSessions(bytes: Uint8Array): SessionRecord[] {
  return readSessions(new JuteReader(bytes));
}
