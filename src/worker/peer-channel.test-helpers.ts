// A pair of in-memory data channels for unit tests: ordered, asynchronous delivery (a macrotask per
// message, like a real channel's events), both ends close together, and an adjustable bufferedAmount.
import type { ChannelEventType, ChannelState, DataChannelLike } from './peer-channel';

type Listener = (event: { data?: unknown }) => void;

export class FakeChannel implements DataChannelLike {
  readyState: ChannelState = 'connecting';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  binaryType = 'blob';
  far: FakeChannel | null = null;
  sent: Uint8Array[] = [];
  /** When set, send() throws (a full send queue). */
  failSends = false;
  private readonly listeners = new Map<ChannelEventType, Set<Listener>>();

  constructor(readonly label = 'quorum') {}

  send(data: Uint8Array<ArrayBuffer>): void {
    if (this.readyState !== 'open') throw new Error(`InvalidStateError: channel is ${this.readyState}`);
    if (this.failSends) throw new Error('OperationError: send queue is full');
    const copy = data.slice();
    this.sent.push(copy);
    const far = this.far;
    setTimeout(() => {
      if (far?.readyState === 'open') far.emit('message', { data: copy.buffer });
    }, 0);
  }

  close(): void {
    if (this.readyState === 'closed') return;
    for (const end of [this, this.far]) {
      if (end === null || end.readyState === 'closed') continue;
      end.readyState = 'closed';
      setTimeout(() => end.emit('close', {}), 0);
    }
  }

  open(): void {
    for (const end of [this, this.far]) {
      if (end === null || end.readyState !== 'connecting') continue;
      end.readyState = 'open';
      setTimeout(() => end.emit('open', {}), 0);
    }
  }

  /** Delivers raw bytes to this end as if the far side had sent them. */
  inject(data: unknown): void {
    setTimeout(() => this.emit('message', { data }), 0);
  }

  drain(): void {
    this.bufferedAmount = 0;
    this.emit('bufferedamountlow', {});
  }

  addEventListener(type: ChannelEventType, listener: Listener): void {
    let set = this.listeners.get(type);
    if (set === undefined) this.listeners.set(type, (set = new Set()));
    set.add(listener);
  }
  removeEventListener(type: ChannelEventType, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }
  listenerCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
  emit(type: ChannelEventType, event: { data?: unknown }): void {
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener(event);
  }
}

export function fakeChannelPair(label = 'quorum'): [FakeChannel, FakeChannel] {
  const a = new FakeChannel(label);
  const b = new FakeChannel(label);
  a.far = b;
  b.far = a;
  return [a, b];
}

/** Lets every queued macrotask and microtask run (delivery in the fakes is one macrotask per hop). */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
}
