import { describe, expect, it } from 'vitest';
import type { TraceBody, TraceEvent } from '../../zk/trace';
import { expiresInMs, sessionsView } from './sessions-model';

const at = (server: number, body: TraceBody, atMs = 0): TraceEvent => ({ ...body, server, atMs }) as TraceEvent;

describe('sessionsView', () => {
  it('keeps one-shot watches until they fire, persistent ones after', () => {
    const view = sessionsView([
      at(1, { type: 'session.created', sessionId: 7n, timeoutMs: 4000 }),
      at(2, { type: 'session.created', sessionId: 7n, timeoutMs: 4000 }),
      at(2, { type: 'session.connected', sessionId: 7n, connection: 1, reconnect: false }),
      at(2, { type: 'watch.set', sessionId: 7n, path: '/x', kind: 'data' }),
      at(2, { type: 'watch.set', sessionId: 7n, path: '/p', kind: 'persistent' }),
      at(2, { type: 'watch.fired', sessionId: 7n, path: '/x', kind: 'data', event: 'NodeDataChanged', zxid: 9n }),
      at(2, { type: 'watch.fired', sessionId: 7n, path: '/p', kind: 'persistent', event: 'NodeDataChanged', zxid: 10n }),
    ]);
    expect(view.sessions).toEqual([{ sessionId: 7n, timeoutMs: 4000, server: 2, state: 'connected', disconnectedAtMs: null }]);
    expect(view.watches.map((w) => `${w.path}:${w.kind}`)).toEqual(['/p:persistent']);
    expect(view.fired.map((f) => `${f.event} ${f.path} ${f.zxid}`)).toEqual(['NodeDataChanged /x 9', 'NodeDataChanged /p 10']);
  });
  it('counts down a disconnected session and drops watches of a closed one', () => {
    const view = sessionsView([
      at(1, { type: 'session.created', sessionId: 7n, timeoutMs: 4000 }),
      at(1, { type: 'session.connected', sessionId: 7n, connection: 1, reconnect: false }),
      at(1, { type: 'watch.set', sessionId: 7n, path: '/x', kind: 'exists' }),
      at(1, { type: 'session.disconnected', sessionId: 7n, connection: 1 }, 1000),
    ]);
    const row = view.sessions[0]!;
    expect(row.state).toBe('disconnected');
    expect(expiresInMs(row, 2500)).toBe(2500);
    expect(expiresInMs(row, 9000)).toBe(0);
    const closed = sessionsView([at(1, { type: 'watch.set', sessionId: 7n, path: '/x', kind: 'exists' }), at(1, { type: 'session.closed', sessionId: 7n, reason: 'expire' })]);
    expect(closed.watches).toEqual([]);
    expect(closed.sessions[0]!.state).toBe('expired');
  });
});
