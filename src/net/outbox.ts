// Messages waiting for a link to come up: bounded by count and bytes, oldest dropped first (the
// newest FLE notification is the one that matters, as in Apache's one-slot send queue).

export const DEFAULT_OUTBOX_MESSAGES = 256;
export const DEFAULT_OUTBOX_BYTES = 32 * 1024 * 1024;

export interface OutboxLimits {
  maxMessages?: number;
  maxBytes?: number;
}

export class Outbox {
  private readonly maxMessages: number;
  private readonly maxBytes: number;
  private queue: Uint8Array[] = [];
  private bytes = 0;

  constructor(limits: OutboxLimits = {}) {
    this.maxMessages = limits.maxMessages ?? DEFAULT_OUTBOX_MESSAGES;
    this.maxBytes = limits.maxBytes ?? DEFAULT_OUTBOX_BYTES;
    if (!(this.maxMessages >= 0 && this.maxBytes >= 0)) throw new RangeError('outbox limits must be >= 0');
  }

  get length(): number {
    return this.queue.length;
  }

  /** Adds a message; returns how many messages were dropped to make room (possibly this one). */
  push(message: Uint8Array): number {
    if (this.maxMessages === 0 || message.length > this.maxBytes) return 1;
    this.queue.push(message);
    this.bytes += message.length;
    let dropped = 0;
    while (this.queue.length > this.maxMessages || this.bytes > this.maxBytes) {
      this.bytes -= (this.queue.shift() as Uint8Array).length;
      dropped++;
    }
    return dropped;
  }

  /** Everything queued, oldest first, leaving the outbox empty. */
  drain(): Uint8Array[] {
    const out = this.queue;
    this.queue = [];
    this.bytes = 0;
    return out;
  }
}

/** One Outbox per peer, made on first use. */
export class Outboxes<K> {
  private readonly byPeer = new Map<K, Outbox>();

  constructor(private readonly limits: OutboxLimits = {}) {}

  for(peer: K): Outbox {
    let outbox = this.byPeer.get(peer);
    if (outbox === undefined) {
      outbox = new Outbox(this.limits);
      this.byPeer.set(peer, outbox);
    }
    return outbox;
  }
}
