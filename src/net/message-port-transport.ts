// Transport over MessagePorts: one port per peer, handed in by whoever wires the servers together
// (the tab, in single-tab mode, creates a MessageChannel per pair of workers and transfers one end
// to each; Node's worker_threads MessageChannel works the same way). A port is reliable and
// ordered, so the only thing to add is the notion of a connection that can break and come back:
//
// Each side numbers its connections (epoch). 'hello{sid, epoch}' opens one and is answered with
// the receiver's own hello; a side is up once it knows the peer's current epoch. Data carries the
// sender's epoch and is dropped unless it matches, so after disconnect() ('bye{epoch}') nothing
// sent on the old connection is delivered on the next one. Both sides re-hello after
// reconnectDelayMs. No Node or DOM API besides the port itself; handlers run from a microtask.

import type { ServerId } from '../zk/types';
import { realClock, type Clock } from './clock';
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

/** The part of MessagePort (DOM or node:worker_threads) this transport uses. */
export interface MessagePortLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message' | 'close', listener: (event: { data?: unknown }) => void): void;
  removeEventListener(type: 'message' | 'close', listener: (event: { data?: unknown }) => void): void;
  start?(): void;
  close(): void;
}

export interface MessagePortTransportOptions {
  selfId: ServerId;
  clock?: Clock;
  /** Delay before re-opening a connection after a break (default 100 ms). */
  reconnectDelayMs?: number;
  /** Largest message accepted or sent (default 16 MiB). */
  maxMessageBytes?: number;
  outbox?: OutboxLimits;
}

const TAG = 'ztq1';
type Envelope =
  | { z: typeof TAG; t: 'hello'; sid: ServerId; epoch: number }
  | { z: typeof TAG; t: 'data'; epoch: number; bytes: Uint8Array }
  | { z: typeof TAG; t: 'bye'; epoch: number };

interface PortLink {
  peer: ServerId;
  port: MessagePortLike;
  onMessage: (event: { data?: unknown }) => void;
  onClose: () => void;
  localEpoch: number;
  remoteEpoch: number | null;
  wanted: boolean;
  cancelReconnect: (() => void) | null;
}

export class MessagePortTransport implements Transport {
  readonly selfId: ServerId;
  readonly stats: TransportStats = emptyStats();
  private readonly clock: Clock;
  private readonly reconnectDelayMs: number;
  private readonly maxMessageBytes: number;
  private readonly outboxLimits: OutboxLimits;
  private readonly links = new Map<ServerId, PortLink>();
  private readonly outboxes = new Map<ServerId, Outbox>();
  private readonly messageHandlers = new Listeners<[ServerId, Uint8Array]>();
  private readonly linkHandlers = new Listeners<[ServerId, LinkState]>();
  private posted: Array<() => void> = [];
  private closed = false;

  constructor(options: MessagePortTransportOptions) {
    if (!Number.isSafeInteger(options.selfId)) throw new RangeError(`selfId is not an integer: ${options.selfId}`);
    this.selfId = options.selfId;
    this.clock = options.clock ?? realClock;
    this.reconnectDelayMs = options.reconnectDelayMs ?? 100;
    this.maxMessageBytes = options.maxMessageBytes ?? 16 * 1024 * 1024;
    this.outboxLimits = options.outbox ?? {};
  }

  /** Uses `port` for `peer` from now on (closing a previous port) and opens a connection on it. */
  attachPort(peer: ServerId, port: MessagePortLike): void {
    if (this.closed) return void port.close();
    assertPeerId(this.selfId, peer);
    this.detachPort(peer);
    const link: PortLink = {
      peer,
      port,
      onMessage: (event) => this.receive(link, event.data),
      onClose: () => this.portClosed(link),
      localEpoch: 1,
      remoteEpoch: null,
      wanted: true,
      cancelReconnect: null,
    };
    this.links.set(peer, link);
    port.addEventListener('message', link.onMessage);
    port.addEventListener('close', link.onClose);
    port.start?.();
    this.sendHello(link);
  }

  /** Forgets the peer's port and closes it; the link is down until a new port is attached. */
  detachPort(peer: ServerId): void {
    const link = this.links.get(peer);
    if (link === undefined) return;
    if (link.remoteEpoch !== null) this.post({ t: 'bye', epoch: link.localEpoch }, link);
    this.forget(link);
  }

  send(to: ServerId, bytes: Uint8Array): void {
    if (this.closed) return;
    assertPeerId(this.selfId, to);
    if (bytes.length > this.maxMessageBytes) return void this.stats.messagesDropped++;
    const link = this.links.get(to);
    if (link === undefined || link.remoteEpoch === null) {
      this.stats.messagesDropped += this.outbox(to).push(bytes.slice());
      if (link !== undefined) this.connect(to);
      return;
    }
    this.sendData(link, bytes.slice());
  }

  onMessage(handler: MessageHandler): Unsubscribe {
    return this.messageHandlers.add(handler);
  }
  onLinkChange(handler: LinkChangeHandler): Unsubscribe {
    return this.linkHandlers.add(handler);
  }

  /** Re-opens the connection on the attached port now; without a port this waits for one. */
  connect(peer: ServerId): void {
    if (this.closed) return;
    assertPeerId(this.selfId, peer);
    const link = this.links.get(peer);
    if (link === undefined || link.remoteEpoch !== null) return;
    link.wanted = true;
    link.cancelReconnect?.();
    link.cancelReconnect = null;
    this.sendHello(link);
  }

  disconnect(peer: ServerId): void {
    if (this.closed) return;
    assertPeerId(this.selfId, peer);
    const link = this.links.get(peer);
    if (link === undefined || link.remoteEpoch === null) return;
    this.post({ t: 'bye', epoch: link.localEpoch }, link);
    this.goDown(link);
  }

  linkState(peer: ServerId): LinkState {
    return this.links.get(peer)?.remoteEpoch != null ? 'up' : 'down';
  }

  close(): void {
    if (this.closed) return;
    for (const peer of [...this.links.keys()]) this.detachPort(peer);
    this.closed = true;
    this.posted = [];
    this.messageHandlers.clear();
    this.linkHandlers.clear();
  }

  // ---------- connection protocol ----------

  private receive(link: PortLink, data: unknown): void {
    if (this.closed || this.links.get(link.peer) !== link) return;
    const envelope = this.parse(data);
    if (envelope === null) return void this.stats.badFrames++;
    switch (envelope.t) {
      case 'hello':
        return this.receiveHello(link, envelope.sid, envelope.epoch);
      case 'bye':
        if (link.remoteEpoch === envelope.epoch) this.goDown(link);
        return;
      case 'data':
        return this.receiveData(link, envelope.epoch, envelope.bytes);
    }
  }

  private receiveHello(link: PortLink, sid: ServerId, epoch: number): void {
    if (sid !== link.peer) return void this.stats.badFrames++; // a port wired to the wrong peer
    if (link.remoteEpoch === epoch) return;
    if (link.remoteEpoch !== null) this.goDown(link); // the peer started a new connection
    link.cancelReconnect?.();
    link.cancelReconnect = null;
    link.remoteEpoch = epoch;
    this.sendHello(link);
    this.stats.linkUps++;
    // Queued messages first; the 'up' handlers run later, from the posted queue.
    for (const bytes of this.outbox(link.peer).drain()) this.sendData(link, bytes);
    this.later(() => this.linkHandlers.emit(link.peer, 'up'));
  }

  private receiveData(link: PortLink, epoch: number, bytes: Uint8Array): void {
    if (link.remoteEpoch !== epoch) return void this.stats.messagesDropped++; // from a broken connection
    const connection = link.localEpoch;
    this.later(() => {
      if (this.links.get(link.peer) !== link || link.localEpoch !== connection) return void this.stats.messagesDropped++;
      this.stats.messagesReceived++;
      this.messageHandlers.emit(link.peer, bytes);
    });
  }

  private goDown(link: PortLink): void {
    link.remoteEpoch = null;
    link.localEpoch++;
    this.stats.linkDowns++;
    this.later(() => this.linkHandlers.emit(link.peer, 'down'));
    if (!link.wanted || link.cancelReconnect !== null) return;
    link.cancelReconnect = this.clock.setTimer(this.reconnectDelayMs, () => {
      link.cancelReconnect = null;
      if (this.links.get(link.peer) === link && link.remoteEpoch === null) this.sendHello(link);
    });
  }

  private portClosed(link: PortLink): void {
    if (this.links.get(link.peer) !== link) return;
    this.forget(link);
  }

  private forget(link: PortLink): void {
    link.wanted = false;
    if (link.remoteEpoch !== null) this.goDown(link);
    link.cancelReconnect?.();
    link.port.removeEventListener('message', link.onMessage);
    link.port.removeEventListener('close', link.onClose);
    link.port.close();
    this.links.delete(link.peer);
  }

  private sendHello(link: PortLink): void {
    this.post({ t: 'hello', sid: this.selfId, epoch: link.localEpoch }, link);
  }

  private sendData(link: PortLink, bytes: Uint8Array): void {
    this.stats.messagesSent++;
    link.port.postMessage({ z: TAG, t: 'data', epoch: link.localEpoch, bytes }, [bytes.buffer]);
  }

  private post(envelope: { t: 'hello'; sid: ServerId; epoch: number } | { t: 'bye'; epoch: number }, link: PortLink): void {
    link.port.postMessage({ z: TAG, ...envelope });
  }

  private parse(data: unknown): Envelope | null {
    if (typeof data !== 'object' || data === null) return null;
    const e = data as Record<string, unknown>;
    if (e['z'] !== TAG || !Number.isSafeInteger(e['epoch'])) return null;
    if (e['t'] === 'hello') return Number.isSafeInteger(e['sid']) ? (data as Envelope) : null;
    if (e['t'] === 'bye') return data as Envelope;
    const bytes = e['bytes'];
    if (e['t'] === 'data' && bytes instanceof Uint8Array && bytes.length <= this.maxMessageBytes) return data as Envelope;
    return null;
  }

  /** Runs handler calls in order from a microtask: never inside an API call or half-way a state change. */
  private later(fn: () => void): void {
    this.posted.push(fn);
    if (this.posted.length > 1) return;
    queueMicrotask(() => {
      const batch = this.posted;
      this.posted = [];
      for (const run of batch) if (!this.closed) run();
    });
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
