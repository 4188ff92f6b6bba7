// Multi-tab mode: each tab streams its own server's trace events to every other tab over the
// control plane (which partitions never cut), so any tab's views (event log, election,
// replication, sessions, messages in flight) draw the servers of the other tabs too.
// Bounded: at most RELAY_EVENTS_PER_MESSAGE events every RELAY_INTERVAL_MS per tab. Under load a
// server makes thousands of events a second; decoding them all in every tab would take the CPU the
// servers need. The rare events (elections, state changes, sessions, watches, syncs, warnings)
// always go; the per-write ones (requests, proposals, ACKs, commits, log writes, messages) fill
// what is left, and the count of the ones left out is sent along and shown in the receiving tab.
import { realClock, type Clock } from '../net/clock';
import type { ControlMessage, ControlPlane } from '../net/control-plane';
import type { TraceEvent } from '../zk/trace';
import type { ServerId } from '../zk/types';
import { appendClusterTraces } from './cluster-store';
import type { AppStore } from './store';

export const RELAY_INTERVAL_MS = 250;
export const RELAY_EVENTS_PER_MESSAGE = 50;
/** A receiving tab says how many events another tab left out at most this often. */
export const DROPPED_NOTICE_MS = 5000;

/** Events a server makes per write: these give way when the budget is short. */
const PER_WRITE: ReadonlySet<TraceEvent['type']> = new Set<TraceEvent['type']>([
  'request', 'reply', 'txn', 'applied', 'log.append', 'log.durable', 'msg.sent', 'msg.received', 'proposal', 'ack', 'commit',
]);

export interface TraceRelayOptions {
  store: AppStore;
  plane: Pick<ControlPlane, 'send' | 'onMessage'>;
  myid: ServerId;
  clock?: Clock;
  /** The time base of the page's flights (performance.now()). */
  nowMs?: () => number;
}

export class TraceRelay {
  private readonly clock: Clock;
  private readonly nowMs: () => number;
  private outbox: TraceEvent[] = [];
  /** Own events left out since the last message. */
  private dropped = 0;
  private lastSeq = 0;
  private cancelTimer: (() => void) | null = null;
  /** Per sending tab: events it left out that this tab has not yet said. */
  private readonly untold = new Map<ServerId, number>();
  private lastNoticeMs = -Infinity;
  private readonly offs: Array<() => void> = [];

  constructor(private readonly options: TraceRelayOptions) {
    this.clock = options.clock ?? realClock;
    this.nowMs = options.nowMs ?? (() => performance.now());
  }

  start(): void {
    const { store, plane } = this.options;
    this.lastSeq = lastSeqOf(store.getState().events);
    this.offs.push(store.subscribe((state, previous) => {
      if (state.events !== previous.events) this.take();
    }));
    this.offs.push(plane.onMessage((message) => this.receive(message)));
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  /** Own server's events that arrived in the store since the last call. */
  private take(): void {
    const events = this.options.store.getState().events;
    let start = events.length;
    while (start > 0 && events[start - 1]!.seq > this.lastSeq) start--;
    if (start === events.length) return;
    this.lastSeq = events[events.length - 1]!.seq;
    for (let i = start; i < events.length; i++) {
      const event = events[i]!.event;
      if (event.server === this.options.myid) this.push(event);
    }
    if (this.cancelTimer === null && (this.outbox.length > 0 || this.dropped > 0)) {
      this.cancelTimer = this.clock.setTimer(RELAY_INTERVAL_MS, () => {
        this.cancelTimer = null;
        this.flush();
      });
    }
  }

  private push(event: TraceEvent): void {
    if (this.outbox.length < RELAY_EVENTS_PER_MESSAGE) return void this.outbox.push(event);
    this.dropped++;
    if (PER_WRITE.has(event.type)) return;
    // A rare event takes the place of the newest per-write one (it stays in order with the rest).
    let victim = this.outbox.length - 1;
    while (victim >= 0 && !PER_WRITE.has(this.outbox[victim]!.type)) victim--;
    if (victim < 0) return; // all rare: this one is left out (counted above)
    this.outbox.splice(victim, 1);
    this.outbox.push(event);
  }

  private flush(): void {
    let events = this.outbox;
    let dropped = this.dropped;
    this.outbox = [];
    this.dropped = 0;
    for (;;) {
      try {
        this.options.plane.send('all', { type: 'trace', events, dropped });
        return;
      } catch (error) {
        // Too long for one control message (long paths): send the first half, count the rest.
        if (!(error instanceof RangeError) || events.length === 0) return;
        const kept = events.slice(0, Math.floor(events.length / 2));
        dropped += events.length - kept.length;
        events = kept;
      }
    }
  }

  private receive(message: ControlMessage): void {
    const body = message.body;
    if (body.type !== 'trace' || message.from === this.options.myid) return;
    // decodeControlMessage checked every event: well formed, and of the sender's server.
    if (body.events.length > 0) appendClusterTraces(this.options.store, body.events, this.nowMs());
    if (body.dropped > 0) this.untold.set(message.from, (this.untold.get(message.from) ?? 0) + body.dropped);
    this.noticeDropped();
  }

  /** Says in the event log (as a warn event of the sending server) how many events a tab left out. */
  private noticeDropped(): void {
    const now = this.clock.nowMs();
    if (this.untold.size === 0 || now - this.lastNoticeMs < DROPPED_NOTICE_MS) return;
    this.lastNoticeMs = now;
    const notices: TraceEvent[] = [...this.untold].map(([server, count]) => ({
      type: 'warn',
      message: `trace relay: server ${server}'s tab left out ${count} per-write events to stay within ${RELAY_EVENTS_PER_MESSAGE} events per ${RELAY_INTERVAL_MS} ms (that tab has them all)`,
      server,
      atMs: now,
    }));
    this.untold.clear();
    appendClusterTraces(this.options.store, notices, this.nowMs());
  }
}

function lastSeqOf(events: ReadonlyArray<{ seq: number }>): number {
  return events.length === 0 ? 0 : events[events.length - 1]!.seq;
}
