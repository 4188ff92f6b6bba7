// An in-process network for tests and the simulator: every node's Transport is attached to one
// MemoryNetwork whose virtual clock only moves when the caller drives it (deliverNext, runUntil,
// runUntilIdle). All randomness (latency, loss) comes from one seeded Prng, drawn in call order,
// so a run is reproducible from its seed.
//
// Links follow the Transport contract (transport.ts) and the fault model of link-policy.ts.
// A link exists between two attached nodes once either side asked for it (connect() or a send);
// it comes up connectDelayMs later unless a partition blocks either direction, and after a break
// it is re-attempted reconnectDelayMs later (or as soon as the partition heals / the node returns).

import { Prng } from '../zk/prng';
import type { ServerId } from '../zk/types';
import type { Clock } from './clock';
import { EventQueue } from './event-queue';
import { drawLatencyMs, drawLoss, validateLinkPolicy, type LinkPolicy } from './link-policy';
import { Listeners } from './listeners';
import { Outbox, type OutboxLimits } from './outbox';
import {
  assertPeerId,
  emptyStats,
  type LinkChangeHandler,
  type LinkState,
  type MessageHandler,
  type Transport,
  type TransportStats,
  type Unsubscribe,
} from './transport';

export interface MemoryNetworkOptions {
  /** Seed of the network's own Prng (default 1); ignored when `prng` is given. */
  seed?: number;
  prng?: Prng;
  /** Policy of every link without an override (default: 1 ms latency, no loss). */
  defaultPolicy?: LinkPolicy;
  /** From the first attempt to 'up' (default 1 ms). */
  connectDelayMs?: number;
  /** From a break to the next attempt (default 100 ms). */
  reconnectDelayMs?: number;
  outbox?: OutboxLimits;
  /** Messages queued on one directed link before it is reset (default 10,000). */
  maxInFlightPerLink?: number;
  /** Bound of the event queue (default 10,000,000). */
  maxEvents?: number;
}

export interface InFlightMessage {
  from: ServerId;
  to: ServerId;
  bytes: Uint8Array;
  sentAtMs: number;
  /** When it arrives if its link stays unblocked; a blocked link holds it past this time. */
  deliverAtMs: number;
}

export type NetworkTraceEvent =
  | { type: 'sent'; message: InFlightMessage }
  | { type: 'delivered'; message: InFlightMessage; atMs: number }
  | { type: 'dropped'; from: ServerId; to: ServerId; size: number; reason: string; atMs: number }
  | { type: 'link'; a: ServerId; b: ServerId; state: LinkState; atMs: number };

interface QueuedMessage extends InFlightMessage {
  generation: number;
}

interface DirectedLink {
  from: ServerId;
  to: ServerId;
  override: LinkPolicy | null;
  queue: QueuedMessage[];
  lastDeliverAtMs: number;
}

interface Pair {
  a: ServerId;
  b: ServerId;
  up: boolean;
  wanted: boolean;
  generation: number;
  attemptPending: boolean;
}

type NetEvent =
  | { type: 'deliver'; link: DirectedLink }
  | { type: 'attempt'; pair: Pair }
  | { type: 'notify'; transport: MemoryTransport; peer: ServerId; state: LinkState }
  | { type: 'timer'; fn: () => void; cancelled: boolean };

export class MemoryNetwork {
  readonly prng: Prng;
  private readonly defaultPolicy: LinkPolicy;
  private readonly connectDelayMs: number;
  private readonly reconnectDelayMs: number;
  private readonly outboxLimits: OutboxLimits;
  private readonly maxInFlightPerLink: number;
  private readonly events: EventQueue<NetEvent>;
  private readonly nodes = new Map<ServerId, MemoryTransport>();
  private readonly pairs = new Map<string, Pair>();
  private readonly links = new Map<string, DirectedLink>();
  private readonly trace = new Listeners<[NetworkTraceEvent]>();
  private groupOf: Map<ServerId, number> | null = null;
  private now = 0;

  readonly clock: Clock = {
    nowMs: () => this.now,
    setTimer: (delayMs, fn) => {
      const event: NetEvent = { type: 'timer', fn, cancelled: false };
      this.events.push(this.now + Math.max(0, delayMs), event);
      return () => {
        event.cancelled = true;
      };
    },
  };

  constructor(options: MemoryNetworkOptions = {}) {
    this.prng = options.prng ?? new Prng(options.seed ?? 1);
    this.defaultPolicy = options.defaultPolicy ?? { latencyMs: 1 };
    validateLinkPolicy(this.defaultPolicy);
    this.connectDelayMs = options.connectDelayMs ?? 1;
    this.reconnectDelayMs = options.reconnectDelayMs ?? 100;
    this.outboxLimits = options.outbox ?? {};
    this.maxInFlightPerLink = options.maxInFlightPerLink ?? 10_000;
    this.events = new EventQueue(options.maxEvents);
  }

  get nowMs(): number {
    return this.now;
  }
  get pendingCount(): number {
    return this.events.size;
  }
  nextEventTimeMs(): number | null {
    return this.events.peekTimeMs();
  }

  /** A new node on the network. The id must not be attached already (close the old one first). */
  attach(id: ServerId): MemoryTransport {
    if (!Number.isSafeInteger(id)) throw new RangeError(`server id is not an integer: ${id}`);
    if (this.nodes.has(id)) throw new Error(`server ${id} is already attached`);
    const transport = new MemoryTransport(this, id, this.outboxLimits);
    this.nodes.set(id, transport);
    for (const pair of this.pairs.values()) {
      if (pair.a === id || pair.b === id) this.scheduleAttempt(pair, this.connectDelayMs);
    }
    return transport;
  }

  onTrace(handler: (event: NetworkTraceEvent) => void): Unsubscribe {
    return this.trace.add(handler);
  }

  // ---------- driving the clock ----------

  /** Runs the next event (a delivery, link change or timer), moving the clock to its time. */
  deliverNext(): boolean {
    const next = this.events.pop();
    if (next === null) return false;
    this.now = Math.max(this.now, next.timeMs);
    this.run(next.event);
    return true;
  }

  /** Runs every event due at or before `timeMs`, then sets the clock to `timeMs`. */
  runUntil(timeMs: number, maxEvents = 10_000_000): number {
    if (timeMs < this.now) throw new RangeError(`cannot run back to ${timeMs}, clock is at ${this.now}`);
    let count = 0;
    for (let t = this.events.peekTimeMs(); t !== null && t <= timeMs; t = this.events.peekTimeMs()) {
      if (++count > maxEvents) throw new Error(`runUntil(${timeMs}) exceeded ${maxEvents} events`);
      this.deliverNext();
    }
    this.now = timeMs;
    return count;
  }

  /** Runs until no event is left; throws after maxEvents (a livelock, e.g. endless timers). */
  runUntilIdle(maxEvents = 1_000_000): number {
    let count = 0;
    while (this.deliverNext()) {
      if (++count >= maxEvents) throw new Error(`network still busy after ${maxEvents} events`);
    }
    return count;
  }

  // ---------- faults ----------

  /** Per-link override (merged over the default policy); null removes it. */
  setLinkPolicy(from: ServerId, to: ServerId, policy: LinkPolicy | null): void {
    if (policy !== null) validateLinkPolicy(policy);
    this.link(from, to).override = policy;
    this.releaseUnblocked();
  }

  /**
   * Splits the nodes into groups that cannot reach each other. Nodes named in no group form one
   * more group together. Replaces any previous partition. Links across groups stay "up" but go
   * silent (held messages), unless breakLinks resets them at once.
   */
  partition(groups: readonly (readonly ServerId[])[], options: { breakLinks?: boolean } = {}): void {
    const groupOf = new Map<ServerId, number>();
    groups.forEach((group, index) => {
      for (const id of group) {
        if (groupOf.has(id)) throw new RangeError(`server ${id} is in two partition groups`);
        groupOf.set(id, index);
      }
    });
    this.groupOf = groupOf;
    if (options.breakLinks) {
      for (const pair of this.pairs.values()) {
        if (this.isBlocked(pair.a, pair.b) || this.isBlocked(pair.b, pair.a)) this.breakPair(pair, 'partition');
      }
    }
    this.releaseUnblocked();
  }

  /** Cuts `id` off from everyone else. */
  isolate(id: ServerId, options: { breakLinks?: boolean } = {}): void {
    this.partition([[id]], options);
  }

  /** Removes the partition and every per-link block; held messages flow again. */
  heal(): void {
    this.groupOf = null;
    for (const link of this.links.values()) {
      if (link.override?.blocked) link.override = { ...link.override, blocked: false };
    }
    this.releaseUnblocked();
  }

  /** Resets the connection between a and b: in-flight messages are lost, both see 'down'. */
  breakLink(a: ServerId, b: ServerId): void {
    this.breakPair(this.pair(a, b), 'link broken');
  }

  isBlocked(from: ServerId, to: ServerId): boolean {
    if (this.groupOf !== null && (this.groupOf.get(from) ?? -1) !== (this.groupOf.get(to) ?? -1)) return true;
    return this.policyOf(this.link(from, to)).blocked === true;
  }

  /** Messages sent and not yet delivered, oldest first per link (for visualizers and checkers). */
  inFlight(): InFlightMessage[] {
    const out: InFlightMessage[] = [];
    for (const link of this.links.values()) {
      for (const m of link.queue) out.push({ from: m.from, to: m.to, bytes: m.bytes, sentAtMs: m.sentAtMs, deliverAtMs: m.deliverAtMs });
    }
    return out;
  }

  // ---------- used by MemoryTransport ----------

  /** @internal */
  isUp(a: ServerId, b: ServerId): boolean {
    return this.pairs.get(pairKey(a, b))?.up ?? false;
  }

  /** @internal */
  want(from: ServerId, to: ServerId): void {
    const pair = this.pair(from, to);
    pair.wanted = true;
    if (!pair.up) this.scheduleAttempt(pair, this.connectDelayMs);
  }

  /** @internal */
  transmit(from: ServerId, to: ServerId, bytes: Uint8Array): void {
    const pair = this.pair(from, to);
    const link = this.link(from, to);
    const policy = this.policyOf(link);
    if (drawLoss(policy, this.prng)) {
      this.dropped(from, to, bytes.length, 'lost');
      if (policy.lossBreaksLink !== false) this.breakPair(pair, 'message lost');
      return;
    }
    if (link.queue.length >= this.maxInFlightPerLink) {
      this.dropped(from, to, bytes.length, 'link queue full');
      this.breakPair(pair, 'link queue full');
      return;
    }
    const deliverAtMs = Math.max(this.now + drawLatencyMs(policy, this.prng), link.lastDeliverAtMs);
    link.lastDeliverAtMs = deliverAtMs;
    const message: QueuedMessage = { from, to, bytes, sentAtMs: this.now, deliverAtMs, generation: pair.generation };
    link.queue.push(message);
    this.events.push(deliverAtMs, { type: 'deliver', link });
    this.trace.emit({ type: 'sent', message });
  }

  /** @internal */
  disconnectPair(a: ServerId, b: ServerId, reason: string): void {
    const pair = this.pairs.get(pairKey(a, b));
    if (pair !== undefined) this.breakPair(pair, reason);
  }

  /** @internal */
  detach(transport: MemoryTransport): void {
    if (this.nodes.get(transport.selfId) !== transport) return;
    this.nodes.delete(transport.selfId);
    for (const pair of this.pairs.values()) {
      if (pair.a === transport.selfId || pair.b === transport.selfId) this.breakPair(pair, 'node closed');
    }
  }

  // ---------- internals ----------

  private run(event: NetEvent): void {
    switch (event.type) {
      case 'deliver':
        return this.deliverDue(event.link);
      case 'attempt':
        return this.attempt(event.pair);
      case 'notify':
        return event.transport.notifyLink(event.peer, event.state);
      case 'timer':
        if (!event.cancelled) event.fn();
        return;
    }
  }

  /** Delivers the link's due head messages, unless the link is blocked (then they wait). */
  private deliverDue(link: DirectedLink): void {
    if (this.isBlocked(link.from, link.to)) return;
    const pair = this.pair(link.from, link.to);
    for (let head = link.queue[0]; head !== undefined && head.deliverAtMs <= this.now; head = link.queue[0]) {
      link.queue.shift();
      const receiver = this.nodes.get(link.to);
      if (!pair.up || head.generation !== pair.generation || receiver === undefined) {
        this.dropped(link.from, link.to, head.bytes.length, 'link down');
        continue;
      }
      this.trace.emit({ type: 'delivered', message: head, atMs: this.now });
      receiver.receive(link.from, head.bytes);
    }
  }

  private attempt(pair: Pair): void {
    pair.attemptPending = false;
    if (pair.up || !pair.wanted) return;
    const a = this.nodes.get(pair.a);
    const b = this.nodes.get(pair.b);
    // A missing node or a partition: attach() / heal() schedule the next attempt.
    if (a === undefined || b === undefined) return;
    if (this.isBlocked(pair.a, pair.b) || this.isBlocked(pair.b, pair.a)) return;
    pair.up = true;
    pair.generation++;
    this.trace.emit({ type: 'link', a: pair.a, b: pair.b, state: 'up', atMs: this.now });
    // Queued messages go first; 'up' handlers run after, so what they send queues behind.
    a.flushOutbox(pair.b);
    b.flushOutbox(pair.a);
    a.notifyLink(pair.b, 'up');
    b.notifyLink(pair.a, 'up');
  }

  private breakPair(pair: Pair, reason: string): void {
    if (!pair.up) return;
    pair.up = false;
    for (const link of [this.link(pair.a, pair.b), this.link(pair.b, pair.a)]) {
      for (const m of link.queue) this.dropped(m.from, m.to, m.bytes.length, reason);
      link.queue = [];
    }
    this.trace.emit({ type: 'link', a: pair.a, b: pair.b, state: 'down', atMs: this.now });
    for (const [self, peer] of [[pair.a, pair.b], [pair.b, pair.a]] as const) {
      const transport = this.nodes.get(self);
      if (transport !== undefined) this.events.push(this.now, { type: 'notify', transport, peer, state: 'down' });
    }
    this.scheduleAttempt(pair, this.reconnectDelayMs);
  }

  private scheduleAttempt(pair: Pair, delayMs: number): void {
    if (pair.attemptPending || pair.up || !pair.wanted) return;
    pair.attemptPending = true;
    this.events.push(this.now + delayMs, { type: 'attempt', pair });
  }

  /** After an unblock: held messages get a fresh delay from now, and links may connect again. */
  private releaseUnblocked(): void {
    for (const link of this.links.values()) {
      if (this.isBlocked(link.from, link.to)) continue;
      const policy = this.policyOf(link);
      let floorMs = 0;
      for (const m of link.queue) {
        const before = m.deliverAtMs;
        const overdue = before <= this.now;
        if (overdue) m.deliverAtMs = this.now + drawLatencyMs(policy, this.prng);
        m.deliverAtMs = Math.max(m.deliverAtMs, floorMs);
        floorMs = m.deliverAtMs;
        // Overdue or moved messages need a new event; the others still have theirs.
        if (overdue || m.deliverAtMs !== before) this.events.push(m.deliverAtMs, { type: 'deliver', link });
      }
      link.lastDeliverAtMs = Math.max(link.lastDeliverAtMs, floorMs);
    }
    for (const pair of this.pairs.values()) this.scheduleAttempt(pair, this.connectDelayMs);
  }

  private dropped(from: ServerId, to: ServerId, size: number, reason: string): void {
    const sender = this.nodes.get(from);
    if (sender !== undefined) sender.stats.messagesDropped++;
    this.trace.emit({ type: 'dropped', from, to, size, reason, atMs: this.now });
  }

  private policyOf(link: DirectedLink): LinkPolicy {
    return link.override === null ? this.defaultPolicy : { ...this.defaultPolicy, ...link.override };
  }

  private pair(a: ServerId, b: ServerId): Pair {
    const key = pairKey(a, b);
    let pair = this.pairs.get(key);
    if (pair === undefined) {
      pair = { a: Math.min(a, b), b: Math.max(a, b), up: false, wanted: false, generation: 0, attemptPending: false };
      this.pairs.set(key, pair);
    }
    return pair;
  }

  private link(from: ServerId, to: ServerId): DirectedLink {
    const key = `${from}>${to}`;
    let link = this.links.get(key);
    if (link === undefined) {
      link = { from, to, override: null, queue: [], lastDeliverAtMs: 0 };
      this.links.set(key, link);
    }
    return link;
  }
}

function pairKey(a: ServerId, b: ServerId): string {
  return a < b ? `${a}-${b}` : `${b}-${a}`;
}

/** One node's end of a MemoryNetwork. */
export class MemoryTransport implements Transport {
  readonly stats: TransportStats = emptyStats();
  private readonly messageHandlers = new Listeners<[ServerId, Uint8Array]>();
  private readonly linkHandlers = new Listeners<[ServerId, LinkState]>();
  private readonly outboxes = new Map<ServerId, Outbox>();
  private closed = false;

  constructor(
    private readonly network: MemoryNetwork,
    readonly selfId: ServerId,
    private readonly outboxLimits: OutboxLimits,
  ) {}

  send(to: ServerId, bytes: Uint8Array): void {
    if (this.closed) return;
    assertPeerId(this.selfId, to);
    const copy = bytes.slice();
    if (this.network.isUp(this.selfId, to)) {
      this.stats.messagesSent++;
      this.network.transmit(this.selfId, to, copy);
      return;
    }
    this.stats.messagesDropped += this.outbox(to).push(copy);
    this.network.want(this.selfId, to);
  }

  onMessage(handler: MessageHandler): Unsubscribe {
    return this.messageHandlers.add(handler);
  }
  onLinkChange(handler: LinkChangeHandler): Unsubscribe {
    return this.linkHandlers.add(handler);
  }

  connect(peer: ServerId): void {
    if (this.closed) return;
    assertPeerId(this.selfId, peer);
    this.network.want(this.selfId, peer);
  }

  disconnect(peer: ServerId): void {
    if (this.closed) return;
    assertPeerId(this.selfId, peer);
    this.network.disconnectPair(this.selfId, peer, `disconnected by ${this.selfId}`);
  }

  linkState(peer: ServerId): LinkState {
    return !this.closed && this.network.isUp(this.selfId, peer) ? 'up' : 'down';
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const outbox of this.outboxes.values()) this.stats.messagesDropped += outbox.drain().length;
    this.messageHandlers.clear();
    this.linkHandlers.clear();
    this.network.detach(this);
  }

  /** @internal */
  receive(from: ServerId, bytes: Uint8Array): void {
    if (this.closed) return;
    this.stats.messagesReceived++;
    this.messageHandlers.emit(from, bytes);
  }

  /** @internal */
  notifyLink(peer: ServerId, state: LinkState): void {
    if (this.closed) return;
    if (state === 'up') this.stats.linkUps++;
    else this.stats.linkDowns++;
    this.linkHandlers.emit(peer, state);
  }

  /** @internal Sends what queued while the link was down; called as the link comes up. */
  flushOutbox(peer: ServerId): void {
    const queued = this.outboxes.get(peer)?.drain() ?? [];
    for (const bytes of queued) {
      // A loss drawn mid-flush resets the link: the rest waits for the next connection.
      if (!this.network.isUp(this.selfId, peer)) this.stats.messagesDropped += this.outbox(peer).push(bytes);
      else {
        this.stats.messagesSent++;
        this.network.transmit(this.selfId, peer, bytes);
      }
    }
  }

  private outbox(peer: ServerId): Outbox {
    let outbox = this.outboxes.get(peer);
    if (outbox === undefined) {
      outbox = new Outbox(this.outboxLimits);
      this.outboxes.set(peer, outbox);
    }
    return outbox;
  }
}
