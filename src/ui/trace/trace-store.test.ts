import { describe, expect, it } from 'vitest';
import type { TraceBody, TraceEvent } from '../../zk/trace';
import { chartModel, ELECTIONS_MAX, RATE_BUCKETS_MAX } from './chart-model';
import { electionModel, electionRounds, ROUNDS_KEPT } from './election-model';
import { replicationModel, replicationView } from './replication-model';
import { FIRED_MAX, SESSIONS_MAX, sessionsModel, sessionsView, WATCHES_MAX } from './sessions-model';
import { serversAt, timelineModel } from './timeline-model';
import { IncrementalView, type TraceModel } from './trace-model';
import { createTraceStore, loadTrace, recordTraces, type TraceState } from './trace-store';
import type { TraceSummaries } from './trace-summaries';

const at = (server: number, body: TraceBody, atMs = 0): TraceEvent => ({ ...body, server, atMs }) as TraceEvent;

/** A long mixed trace: elections, a leader's proposals, acks and commits, sessions and watches. */
function longTrace(rounds: number, writesPerRound: number): TraceEvent[] {
  const out: TraceEvent[] = [];
  let zxid = 0n;
  let t = 0;
  for (let r = 1; r <= rounds; r++) {
    const leader = 1 + (r % 3);
    for (const s of [1, 2, 3]) out.push(at(s, { type: 'state', from: 'FOLLOWING', to: 'LOOKING', epoch: r }, (t += 5)));
    for (const s of [1, 2, 3]) for (const to of [1, 2, 3]) if (s !== to) out.push(at(s, { type: 'vote.sent', to, leader, zxid, electionEpoch: r, peerEpoch: r }, (t += 1)));
    out.push(at(leader, { type: 'state', from: 'LOOKING', to: 'LEADING', epoch: r }, (t += 5)));
    out.push(at(leader, { type: 'sync.mode', learner: 1 + (leader % 3), mode: 'DIFF', fromZxid: zxid, toZxid: zxid, source: 'memory' }, t));
    for (let w = 0; w < writesPerRound; w++) {
      zxid = (BigInt(r) << 32n) + BigInt(w + 1);
      const session = BigInt(r * 1000 + (w % 7));
      out.push(at(leader, { type: 'session.created', sessionId: session, timeoutMs: 4000 }, (t += 7)));
      out.push(at(leader, { type: 'session.connected', sessionId: session, connection: 1, reconnect: false }, t));
      out.push(at(leader, { type: 'watch.set', sessionId: session, path: `/w${w}`, kind: 'data' }, t));
      out.push(at(leader, { type: 'msg.sent', to: 1 + (leader % 3), kind: 'proposal', zxid, bytes: 10 }, t));
      out.push(at(leader, { type: 'ack', zxid, from: leader }, t));
      out.push(at(leader, { type: 'ack', zxid, from: 1 + (leader % 3) }, t));
      out.push(at(leader, { type: 'commit', zxid }, (t += 3)));
      out.push(at(leader, { type: 'watch.fired', sessionId: session, path: `/w${w}`, kind: 'data', event: 'NodeDataChanged', zxid }, t));
      if (w % 5 === 0) out.push(at(leader, { type: 'session.closed', sessionId: session, reason: 'close' }, t));
    }
  }
  return out;
}

/** The model over the recorder: its summary of the compacted prefix, then the kept events. */
function viewOverStore<S, V>(model: TraceModel<S, V>, state: TraceState, pick: (s: TraceSummaries) => S): V {
  return new IncrementalView(model).viewOf({ events: state.events, base: state.summaries === undefined ? undefined : pick(state.summaries) });
}

describe('trace store compaction', () => {
  it('holds at most max events, and the views still show what the compacted events said', () => {
    const trace = longTrace(40, 60);
    const store = createTraceStore();
    for (let i = 0; i < trace.length; i += 97) recordTraces(store, trace.slice(i, i + 97), 1000, 300);
    const state = store.getState();
    expect(state.events.length).toBeLessThanOrEqual(1000);
    expect(state.compacted + state.events.length).toBe(trace.length);
    // The summaries carry the dropped prefix: the views equal the views of the whole trace.
    expect(viewOverStore(electionModel, state, (s) => s.election)).toEqual(electionRounds(trace));
    expect(viewOverStore(replicationModel, state, (s) => s.replication)).toEqual(replicationView(trace));
    expect(viewOverStore(sessionsModel, state, (s) => s.sessions)).toEqual(sessionsView(trace));
    const charts = viewOverStore(chartModel, state, (s) => s.charts);
    expect(charts.elections).toHaveLength(40);
    expect(new IncrementalView(timelineModel).viewOf({ events: state.events, base: state.baseline })).toEqual(serversAt({}, trace, trace.length));
  });

  it('an imported trace starts without summaries', () => {
    const store = createTraceStore();
    recordTraces(store, longTrace(3, 100), 200, 50);
    expect(store.getState().summaries).toBeDefined();
    loadTrace(store, []);
    expect(store.getState().summaries).toBeUndefined();
    expect(store.getState().compacted).toBe(0);
  });
});

describe('model caps (the summaries stay bounded however long the trace)', () => {
  it('keeps at most ROUNDS_KEPT election rounds, the newest', () => {
    const rounds = electionRounds(longTrace(ROUNDS_KEPT + 20, 1));
    expect(rounds).toHaveLength(ROUNDS_KEPT);
    expect(rounds.at(-1)?.electionEpoch).toBe(ROUNDS_KEPT + 20);
  });

  it('keeps at most SESSIONS_MAX sessions (ended ones go first), WATCHES_MAX watches and FIRED_MAX fired events', () => {
    const state = sessionsModel.empty();
    const events: TraceEvent[] = [];
    for (let i = 0; i < SESSIONS_MAX * 3; i++) {
      const id = BigInt(i + 1);
      events.push(at(1, { type: 'session.created', sessionId: id, timeoutMs: 1000 }));
      events.push(at(1, { type: 'session.connected', sessionId: id, connection: 1, reconnect: false }));
      for (let w = 0; w < 5; w++) events.push(at(1, { type: 'watch.set', sessionId: id, path: `/s${i}/${w}`, kind: 'exists' }));
      if (i % 2 === 0) events.push(at(1, { type: 'session.closed', sessionId: id, reason: 'expire' }));
      events.push(at(1, { type: 'watch.fired', sessionId: id, path: `/s${i}/0`, kind: 'exists', event: 'NodeCreated', zxid: id }));
    }
    sessionsModel.fold(state, events, 0);
    expect(state.sessions.size).toBeLessThanOrEqual(SESSIONS_MAX);
    expect(state.watches.size).toBeLessThanOrEqual(WATCHES_MAX);
    expect(state.fired).toHaveLength(FIRED_MAX);
    // The newest session, still connected, is kept.
    expect(state.sessions.get(BigInt(SESSIONS_MAX * 3))?.state).toBe('connected');
  });

  it('keeps commit counts for the last RATE_BUCKETS_MAX seconds and ELECTIONS_MAX elections', () => {
    const state = chartModel.empty();
    const events: TraceEvent[] = [];
    for (let s = 0; s < RATE_BUCKETS_MAX * 4; s++) events.push(at(1, { type: 'commit', zxid: BigInt(s) }, s * 1000 + 1));
    for (let e = 0; e < ELECTIONS_MAX * 2; e++) {
      events.push(at(1, { type: 'state', from: 'FOLLOWING', to: 'LOOKING', epoch: e }, e));
      events.push(at(1, { type: 'state', from: 'LOOKING', to: 'LEADING', epoch: e }, e + 1));
    }
    chartModel.fold(state, events, 0);
    expect(state.counts.size).toBeLessThanOrEqual(RATE_BUCKETS_MAX);
    expect(state.spans).toHaveLength(ELECTIONS_MAX);
    expect(chartModel.view(state).rate).toHaveLength(RATE_BUCKETS_MAX);
  });
});

describe('IncrementalView', () => {
  it('folds only appended events and gives the same view as a full fold', () => {
    const trace = longTrace(5, 30);
    const view = new IncrementalView(replicationModel);
    let seen = 0;
    for (let n = 0; n <= trace.length; n += 13) {
      const events = trace.slice(0, n);
      expect(view.viewOf({ events, base: undefined })).toEqual(replicationView(events));
      seen++;
    }
    expect(seen).toBeGreaterThan(10);
  });

  it('returns the same object while nothing it shows changed', () => {
    const view = new IncrementalView(electionModel);
    const events = longTrace(2, 3);
    const first = view.viewOf({ events, base: undefined });
    const more = [...events, at(1, { type: 'log.durable', toZxid: 1n })];
    expect(view.viewOf({ events: more, base: undefined })).toBe(first);
  });

  it('refolds from the base after a compaction', () => {
    const trace = longTrace(6, 20);
    const store = createTraceStore();
    const view = new IncrementalView(sessionsModel);
    for (let i = 0; i < trace.length; i += 50) {
      recordTraces(store, trace.slice(i, i + 50), 300, 100);
      const s = store.getState();
      expect(view.viewOf({ events: s.events, base: s.summaries?.sessions })).toEqual(sessionsView(trace.slice(0, i + 50)));
    }
  });
});
