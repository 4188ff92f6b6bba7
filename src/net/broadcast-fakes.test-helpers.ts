// Test-only fakes for the BroadcastChannel transport: virtual time, and BroadcastChannels of one
// name that deliver (structured clones, in order) only when flushed.
import type { Clock } from './clock';
import type { BroadcastChannelLike } from './broadcast-transport';

/** Virtual time: timers fire when the test advances the clock. */
export class FakeClock implements Clock {
  private now = 0;
  private timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  nowMs = (): number => this.now;
  setTimer(delayMs: number, fn: () => void): () => void {
    const timer = { at: this.now + Math.max(0, delayMs), fn, live: true };
    this.timers.push(timer);
    return () => void (timer.live = false);
  }
  advance(ms: number, hub: FakeHub): void {
    const end = this.now + ms;
    for (;;) {
      hub.flush();
      const due = this.timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.now = due.at;
      due.live = false;
      due.fn();
    }
    this.now = end;
    this.timers = this.timers.filter((t) => t.live);
    hub.flush();
  }
}

/** BroadcastChannels of one name: a post reaches every other open channel (a structured clone), in order, when flushed. */
export class FakeHub {
  private readonly channels = new Set<FakeChannel>();
  private queue: Array<{ to: FakeChannel; data: unknown }> = [];
  /** Frames posted, for tests that inspect the wire. */
  readonly wire: unknown[] = [];
  open(): FakeChannel {
    const channel = new FakeChannel(this);
    this.channels.add(channel);
    return channel;
  }
  post(from: FakeChannel, data: unknown): void {
    if (!this.channels.has(from)) return; // closed, or its worker was terminated
    this.wire.push(data);
    for (const to of this.channels) if (to !== from) this.queue.push({ to, data: structuredClone(data) });
  }
  closeChannel(channel: FakeChannel): void {
    this.channels.delete(channel);
  }
  /** A terminated worker: its channel goes away without a word. */
  kill(channel: FakeChannel): void {
    this.channels.delete(channel);
    this.queue = this.queue.filter((m) => m.to !== channel);
  }
  flush(): void {
    while (this.queue.length > 0) {
      const { to, data } = this.queue.shift() as { to: FakeChannel; data: unknown };
      if (this.channels.has(to)) to.deliver(data);
    }
  }
}

export class FakeChannel implements BroadcastChannelLike {
  private listeners: Array<(event: { data?: unknown }) => void> = [];
  constructor(private readonly hub: FakeHub) {}
  postMessage(message: unknown): void {
    this.hub.post(this, message);
  }
  addEventListener(_type: 'message', listener: (event: { data?: unknown }) => void): void {
    this.listeners.push(listener);
  }
  removeEventListener(_type: 'message', listener: (event: { data?: unknown }) => void): void {
    this.listeners = this.listeners.filter((l) => l !== listener);
  }
  close(): void {
    this.hub.closeChannel(this);
  }
  deliver(data: unknown): void {
    for (const l of [...this.listeners]) l({ data });
  }
}

