import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../zk/trace';
import { appendEvents, createAppStore, EVENTS_MAX } from '../store';
import { parseTabParams } from '../url-params';
import { recordFromAppStore } from './record';
import { createTraceStore } from './trace-store';

const warn = (n: number): TraceEvent => ({ type: 'warn', message: `w${n}`, server: 1, atMs: n });
const messages = (events: readonly TraceEvent[]) => events.map((e) => (e as { message: string }).message);

describe('recordFromAppStore', () => {
  it('records what was logged before and every batch logged after, each event once and in order', () => {
    const app = createAppStore(parseTabParams('?cluster=r'));
    appendEvents(app, [warn(1), warn(2)]);
    const trace = createTraceStore();
    const stop = recordFromAppStore(app, trace);
    appendEvents(app, [warn(3)]);
    appendEvents(app, [warn(4), warn(5)]);
    app.setState({ errors: ['unrelated'] });
    expect(messages(trace.getState().events)).toEqual(['w1', 'w2', 'w3', 'w4', 'w5']);
    stop();
    appendEvents(app, [warn(6)]);
    expect(trace.getState().events).toHaveLength(5);
  });

  it('keeps up when the log is full and drops its oldest events', () => {
    const app = createAppStore(parseTabParams('?cluster=r'));
    const trace = createTraceStore();
    recordFromAppStore(app, trace);
    const batch = (from: number, count: number) => Array.from({ length: count }, (_, i) => warn(from + i));
    appendEvents(app, batch(0, EVENTS_MAX));
    appendEvents(app, batch(EVENTS_MAX, 300));
    const recorded = messages(trace.getState().events);
    expect(recorded).toHaveLength(EVENTS_MAX + 300);
    expect(recorded.at(-1)).toBe(`w${EVENTS_MAX + 299}`);
    expect(new Set(recorded).size).toBe(recorded.length);
  });
});
