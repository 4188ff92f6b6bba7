// Fault injection around any Transport (TCP, MessagePort, peerjs, memory): the browser control
// plane and the simulator set a LinkPolicy per directed link touching this node. Outbound
// policies (self -> peer) act before the inner send, inbound ones (peer -> self) before the
// handlers. Semantics are link-policy.ts's: blocked holds, loss resets the connection, latency
// delays without reordering. Timers come from the given Clock, randomness from the given Prng.

import type { Prng } from '../zk/prng';
import type { ServerId } from '../zk/types';
import type { Clock } from './clock';
import { drawLatencyMs, drawLoss, validateLinkPolicy, type LinkPolicy } from './link-policy';
import { Listeners } from './listeners';
import {
  assertPeerId,
  type LinkChangeHandler,
  type LinkState,
  type MessageHandler,
  type Transport,
  type TransportStats,
  type Unsubscribe,
} from './transport';

export interface FaultyTransportOptions {
  clock: Clock;
  prng: Prng;
  /** Messages held on one directed link (blocked or delayed) before the link is reset. */
  maxHeldPerLink?: number;
}

/** A FIFO of messages on one directed link that are blocked or not yet due. */
class DelayLine {
  private queue: Array<{ bytes: Uint8Array; readyAtMs: number }> = [];
  private cancelTimer: (() => void) | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly isBlocked: () => boolean,
    private readonly deliver: (bytes: Uint8Array) => void,
  ) {}

  get length(): number {
    return this.queue.length;
  }

  push(bytes: Uint8Array, latencyMs: number): void {
    const nowMs = this.clock.nowMs();
    const last = this.queue.at(-1);
    const readyAtMs = Math.max(nowMs + latencyMs, last?.readyAtMs ?? 0);
    if (this.queue.length === 0 && readyAtMs <= nowMs && !this.isBlocked()) return this.deliver(bytes);
    this.queue.push({ bytes, readyAtMs });
    this.arm();
  }

  /** Delivers what is due; re-arms the timer for the next head. */
  pump(): void {
    this.cancel();
    const nowMs = this.clock.nowMs();
    while (!this.isBlocked()) {
      const head = this.queue[0];
      if (head === undefined || head.readyAtMs > nowMs) break;
      this.queue.shift();
      this.deliver(head.bytes);
    }
    this.arm();
  }

  /** Schedules a pump soon (used after a policy change, so no delivery runs inside that call). */
  pumpLater(): void {
    this.cancel();
    if (this.queue.length > 0) this.cancelTimer = this.clock.setTimer(0, () => this.pump());
  }

  /** Drops everything (the link broke); returns how many messages were dropped. */
  clear(): number {
    this.cancel();
    const count = this.queue.length;
    this.queue = [];
    return count;
  }

  private arm(): void {
    const head = this.queue[0];
    if (head === undefined || this.cancelTimer !== null || this.isBlocked()) return;
    this.cancelTimer = this.clock.setTimer(head.readyAtMs - this.clock.nowMs(), () => {
      this.cancelTimer = null;
      this.pump();
    });
  }

  private cancel(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }
}

export class FaultyTransport implements Transport {
  private readonly clock: Clock;
  private readonly prng: Prng;
  private readonly maxHeldPerLink: number;
  private readonly policies = new Map<string, LinkPolicy>();
  private readonly outbound = new Map<ServerId, DelayLine>();
  private readonly inbound = new Map<ServerId, DelayLine>();
  private readonly messageHandlers = new Listeners<[ServerId, Uint8Array]>();
  private readonly linkHandlers = new Listeners<[ServerId, LinkState]>();
  private readonly unsubscribeInner: Unsubscribe[];
  private droppedHere = 0;
  private closed = false;

  constructor(
    readonly inner: Transport,
    options: FaultyTransportOptions,
  ) {
    this.clock = options.clock;
    this.prng = options.prng;
    this.maxHeldPerLink = options.maxHeldPerLink ?? 10_000;
    this.unsubscribeInner = [
      inner.onMessage((from, bytes) => this.receive(from, bytes)),
      inner.onLinkChange((peer, state) => this.linkChanged(peer, state)),
    ];
  }

  get selfId(): ServerId {
    return this.inner.selfId;
  }

  get stats(): TransportStats {
    const inner = this.inner.stats;
    return { ...inner, messagesDropped: inner.messagesDropped + this.droppedHere };
  }

  /** Sets (or with null clears) the policy of from -> to; one end must be this server. */
  setLinkPolicy(from: ServerId, to: ServerId, policy: LinkPolicy | null): void {
    if (from !== this.selfId && to !== this.selfId) {
      throw new RangeError(`server ${this.selfId} cannot set a policy for ${from} -> ${to}`);
    }
    const key = `${from}>${to}`;
    if (policy === null) this.policies.delete(key);
    else {
      validateLinkPolicy(policy);
      this.policies.set(key, policy);
    }
    const peer = from === this.selfId ? to : from;
    (from === this.selfId ? this.outbound : this.inbound).get(peer)?.pumpLater();
  }

  /** Blocks both directions between this server and each of `peers` (a partition seen from here). */
  cutOff(peers: readonly ServerId[]): void {
    for (const peer of peers) {
      this.setLinkPolicy(this.selfId, peer, { ...this.policy(this.selfId, peer), blocked: true });
      this.setLinkPolicy(peer, this.selfId, { ...this.policy(peer, this.selfId), blocked: true });
    }
  }

  /** Removes every policy: links go back to the inner transport's behaviour. */
  heal(): void {
    this.policies.clear();
    for (const line of [...this.outbound.values(), ...this.inbound.values()]) line.pumpLater();
  }

  policy(from: ServerId, to: ServerId): LinkPolicy {
    return this.policies.get(`${from}>${to}`) ?? {};
  }

  send(to: ServerId, bytes: Uint8Array): void {
    if (this.closed) return;
    assertPeerId(this.selfId, to);
    this.pass(this.outbound, this.selfId, to, bytes.slice(), (b) => this.inner.send(to, b));
  }

  onMessage(handler: MessageHandler): Unsubscribe {
    return this.messageHandlers.add(handler);
  }
  onLinkChange(handler: LinkChangeHandler): Unsubscribe {
    return this.linkHandlers.add(handler);
  }
  connect(peer: ServerId): void {
    if (!this.closed) this.inner.connect(peer);
  }
  disconnect(peer: ServerId): void {
    if (!this.closed) this.inner.disconnect(peer);
  }
  linkState(peer: ServerId): LinkState {
    return this.closed ? 'down' : this.inner.linkState(peer);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const line of [...this.outbound.values(), ...this.inbound.values()]) this.droppedHere += line.clear();
    for (const unsubscribe of this.unsubscribeInner) unsubscribe();
    this.messageHandlers.clear();
    this.linkHandlers.clear();
    this.inner.close();
  }

  private receive(from: ServerId, bytes: Uint8Array): void {
    if (this.closed) return;
    this.pass(this.inbound, from, this.selfId, bytes, (b) => this.messageHandlers.emit(from, b));
  }

  /** Applies the policy of from -> to to one message, then delivers, delays, holds or drops it. */
  private pass(
    lines: Map<ServerId, DelayLine>,
    from: ServerId,
    to: ServerId,
    bytes: Uint8Array,
    deliver: (bytes: Uint8Array) => void,
  ): void {
    const peer = from === this.selfId ? to : from;
    const policy = this.policy(from, to);
    if (drawLoss(policy, this.prng)) {
      this.droppedHere++;
      if (policy.lossBreaksLink !== false) this.resetLink(peer);
      return;
    }
    let line = lines.get(peer);
    if (line === undefined) {
      line = new DelayLine(this.clock, () => this.policy(from, to).blocked === true, deliver);
      lines.set(peer, line);
    }
    if (line.length >= this.maxHeldPerLink) {
      this.droppedHere++;
      this.resetLink(peer);
      return;
    }
    line.push(bytes, drawLatencyMs(policy, this.prng));
  }

  /** A connection reset: what this wrapper holds for the peer is lost, and the inner link breaks. */
  private resetLink(peer: ServerId): void {
    this.dropLines(peer);
    this.inner.disconnect(peer);
  }

  private dropLines(peer: ServerId): void {
    this.droppedHere += (this.outbound.get(peer)?.clear() ?? 0) + (this.inbound.get(peer)?.clear() ?? 0);
  }

  private linkChanged(peer: ServerId, state: LinkState): void {
    if (this.closed) return;
    if (state === 'down') this.dropLines(peer);
    this.linkHandlers.emit(peer, state);
  }
}
