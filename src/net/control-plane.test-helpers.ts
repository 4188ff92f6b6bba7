// Fakes of the control plane's two paths, for tests: BroadcastChannels of one browser (a hub) and
// pairs of page-side 'control' data channels. Both deliver asynchronously (setTimeout 0), as browsers do.
import type { BroadcastLike, ControlChannelLike } from './control-plane';

/** BroadcastChannels of one browser: a message reaches every other member, asynchronously. */
export class BroadcastHub {
  members = new Set<FakeBroadcast>();
  join(): FakeBroadcast {
    const b = new FakeBroadcast(this);
    this.members.add(b);
    return b;
  }
}
export class FakeBroadcast implements BroadcastLike {
  private listeners = new Set<(e: { data?: unknown }) => void>();
  constructor(private readonly hub: BroadcastHub) {}
  postMessage(message: string): void {
    for (const m of this.hub.members) if (m !== this) setTimeout(() => m.listeners.forEach((l) => l({ data: message })), 0);
  }
  addEventListener(_t: 'message', l: (e: { data?: unknown }) => void): void {
    this.listeners.add(l);
  }
  removeEventListener(_t: 'message', l: (e: { data?: unknown }) => void): void {
    this.listeners.delete(l);
  }
  close(): void {
    this.hub.members.delete(this);
  }
}

export class FakeControlChannel implements ControlChannelLike {
  readyState = 'open';
  far: FakeControlChannel | null = null;
  private listeners = new Map<string, Set<(e: { data?: unknown }) => void>>();
  send(data: string): void {
    const far = this.far;
    setTimeout(() => far?.emit('message', data), 0);
  }
  close(): void {
    for (const end of [this, this.far]) {
      if (end === null) continue;
      end.readyState = 'closed';
      end.emit('close', undefined);
    }
  }
  emit(type: string, data: unknown): void {
    for (const l of [...(this.listeners.get(type) ?? [])]) l({ data });
  }
  addEventListener(t: 'message' | 'close', l: (e: { data?: unknown }) => void): void {
    if (!this.listeners.has(t)) this.listeners.set(t, new Set());
    this.listeners.get(t)?.add(l);
  }
  removeEventListener(t: 'message' | 'close', l: (e: { data?: unknown }) => void): void {
    this.listeners.get(t)?.delete(l);
  }
}
export function channelPair(): [FakeControlChannel, FakeControlChannel] {
  const a = new FakeControlChannel();
  const b = new FakeControlChannel();
  a.far = b;
  b.far = a;
  return [a, b];
}

