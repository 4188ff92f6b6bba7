import { describe, expect, it } from 'vitest';
import type { TraceBody, TraceEvent } from '../../zk/trace';
import { serversAt } from './timeline-model';
import { createTraceStore, loadTrace, recordTraces } from './trace-store';
import { traceFromJson, traceToJson } from './trace-json';

const at = (server: number, body: TraceBody, atMs = 0): TraceEvent => ({ ...body, server, atMs }) as TraceEvent;
const events = [
  at(1, { type: 'state', from: 'LOOKING', to: 'FOLLOWING', epoch: 1 }, 1),
  at(2, { type: 'state', from: 'LOOKING', to: 'LEADING', epoch: 1 }, 2),
  at(2, { type: 'commit', zxid: 0x100000001n }, 3),
  at(1, { type: 'applied', zxid: 0x100000001n, op: 'create', paths: ['/x'] }, 4),
];

describe('serversAt', () => {
  it('rebuilds each server as it was at a position', () => {
    expect(serversAt({}, events, 0)).toEqual([]);
    expect(serversAt({}, events, 2).map((s) => `${s.myid} ${s.state} ${s.epoch} ${s.zxid}`)).toEqual(['1 FOLLOWING 1 0', '2 LEADING 1 0']);
    expect(serversAt({}, events, 99).map((s) => s.zxid)).toEqual([0x100000001n, 0x100000001n]);
  });
});

describe('trace store', () => {
  it('compacts old events into the baseline and stays bounded', () => {
    const store = createTraceStore();
    recordTraces(store, events, 3, 2);
    const s = store.getState();
    expect(s.events.length).toBeLessThanOrEqual(3);
    expect(s.compacted + s.events.length).toBe(4);
    expect(serversAt(s.baseline, s.events, s.events.length)).toEqual(serversAt({}, events, 4));
  });
  it('ignores live events once a trace is imported', () => {
    const store = createTraceStore();
    loadTrace(store, events.slice(0, 1));
    recordTraces(store, events);
    expect(store.getState().events).toHaveLength(1);
  });
});

describe('trace files', () => {
  it('round-trips bigints and refuses bad input', () => {
    expect(traceFromJson(traceToJson(events, 5))).toEqual(events);
    expect(() => traceFromJson('nope')).toThrow(/not a JSON trace file/);
    expect(() => traceFromJson('{"format":"zootabs-trace/1","events":[{"type":"x"}]}')).toThrow(/event 0 has no server id/);
  });
});
