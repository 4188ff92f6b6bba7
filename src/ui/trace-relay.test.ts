// TraceRelay between two simulated tabs: real ControlPlanes over the fake BroadcastChannel hub,
// real stores, a manual clock for the relay's timer.
import { describe, expect, it } from 'vitest';
import type { Clock } from '../net/clock';
import { ControlPlane } from '../net/control-plane';
import { BroadcastHub } from '../net/control-plane.test-helpers';
import type { TraceEvent } from '../zk/trace';
import { appendEvents, createAppStore, type AppStore } from './store';
import { RELAY_EVENTS_PER_MESSAGE, RELAY_INTERVAL_MS, TraceRelay } from './trace-relay';
import { parseTabParams } from './url-params';

class ManualClock implements Clock {
  now = 1_000;
  private timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  nowMs(): number {
    return this.now;
  }
  setTimer(delayMs: number, fn: () => void): () => void {
    const timer = { at: this.now + delayMs, fn, live: true };
    this.timers.push(timer);
    return () => void (timer.live = false);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const t of this.timers.filter((x) => x.live && x.at <= this.now)) {
      t.live = false;
      t.fn();
    }
    this.timers = this.timers.filter((t) => t.live);
  }
}

const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
};

interface Tab { store: AppStore; relay: TraceRelay }

function tabs(clock: ManualClock, ids: number[]): Tab[] {
  const hub = new BroadcastHub();
  return ids.map((myid) => {
    const store = createAppStore(parseTabParams(`?cluster=demo&size=3&mode=tabs`));
    const plane = new ControlPlane({ cluster: 'demo', selfId: myid, broadcast: hub.join(), clock, incarnation: 'i' });
    const relay = new TraceRelay({ store, plane, myid, clock, nowMs: () => clock.now });
    relay.start();
    return { store, relay };
  });
}

const commit = (server: number, zxid: number): TraceEvent => ({ type: 'commit', zxid: BigInt(zxid), server, atMs: zxid });
const vote = (server: number): TraceEvent => ({ type: 'vote.sent', to: 2, leader: 3, zxid: 5n, electionEpoch: 1, peerEpoch: 1, server, atMs: 1 });
const eventsOf = (tab: Tab) => tab.store.getState().events.map((e) => e.event);

describe('TraceRelay', () => {
  it("sends a tab's own server's events to the other tabs, which do not send them on", async () => {
    const clock = new ManualClock();
    const [one, two] = tabs(clock, [1, 2]);
    appendEvents(one!.store, [vote(1), commit(1, 7)]);
    appendEvents(two!.store, [commit(2, 8)]);
    clock.advance(RELAY_INTERVAL_MS);
    await settle();
    expect(eventsOf(two!)).toEqual([commit(2, 8), vote(1), commit(1, 7)]);
    expect(eventsOf(one!)).toEqual([vote(1), commit(1, 7), commit(2, 8)]);
    clock.advance(RELAY_INTERVAL_MS * 4);
    await settle();
    expect(eventsOf(one!)).toHaveLength(3); // nothing came back
    expect(eventsOf(two!)).toHaveLength(3);
  });

  it('keeps within its budget, lets the rare events through, and the receiver says how many were left out', async () => {
    const clock = new ManualClock();
    const [one, two] = tabs(clock, [1, 2]);
    const burst = Array.from({ length: 500 }, (_, i) => commit(1, i + 1));
    appendEvents(one!.store, [...burst.slice(0, 300), vote(1), ...burst.slice(300)]);
    clock.advance(RELAY_INTERVAL_MS);
    await settle();
    const got = eventsOf(two!);
    const relayed = got.filter((e) => e.type !== 'warn');
    expect(relayed).toHaveLength(RELAY_EVENTS_PER_MESSAGE);
    expect(relayed).toContainEqual(vote(1));
    expect(relayed.filter((e) => e.type === 'commit')).toEqual(burst.slice(0, RELAY_EVENTS_PER_MESSAGE - 1)); // the oldest, in order
    const notice = got.find((e) => e.type === 'warn');
    expect(notice).toMatchObject({ server: 1, message: expect.stringContaining(`left out ${501 - RELAY_EVENTS_PER_MESSAGE} per-write events`) });
  });

  it('sends nothing after stop()', async () => {
    const clock = new ManualClock();
    const [one, two] = tabs(clock, [1, 2]);
    one!.relay.stop();
    appendEvents(one!.store, [vote(1)]);
    clock.advance(RELAY_INTERVAL_MS);
    await settle();
    expect(eventsOf(two!)).toEqual([]);
  });
});
