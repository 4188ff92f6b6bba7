// Transport over MessagePorts: one port per peer, handed in by whoever wires the servers together
// (the tab, in single-tab mode, creates a MessageChannel per pair of workers and transfers one end
// to each; Node's worker_threads MessageChannel works the same way). A port is reliable and
// ordered, so the only thing to add is a connection that can break and come back.
//
// Connections are numbered by the larger sid (as with TCP, it is the one that opens them):
// 'open{conn}' -> 'accept{conn}'; the smaller sid may only ask with 'request'. Data carries its
// connection number and is dropped unless it is the current one, so after a 'bye{conn}' nothing
// sent on the old connection is delivered on the next. Stale opens (a number not above the last
// one seen on this port) are ignored, so messages crossing a break can never start a loop.
// After a break, the larger sid re-opens (and the smaller re-requests) after reconnectDelayMs.
// No Node or DOM API besides the port itself; handlers run from a microtask, never inside a call.

import type { ServerId } from '../zk/types';
import { realClock, type Clock } from './clock';
import { Listeners } from './listeners';
import { MicrotaskBatch } from './microtask-batch';
import { Outboxes, type OutboxLimits } from './outbox';
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
  | { z: typeof TAG; t: 'open' | 'accept'; sid: ServerId; conn: number }
  | { z: typeof TAG; t: 'request'; sid: ServerId }
  | { z: typeof TAG; t: 'bye'; conn: number }
  | { z: typeof TAG; t: 'data'; conn: number; bytes: Uint8Array };
type Control = { t: 'open' | 'accept'; conn: number } | { t: 'request' } | { t: 'bye'; conn: number };

interface PortLink {
  peer: ServerId;
  port: MessagePortLike;
  onMessage: (event: { data?: unknown }) => void;
  onClose: () => void;
  /** The larger sid opens connections; the smaller accepts them. */
  opener: boolean;
  state: 'down' | 'opening' | 'up';
  /** Current (or, while opening, proposed) connection number; 0 = none. */
  conn: number;
  /** Highest connection number used or seen on this port. */
  lastConn: number;
  wanted: boolean;
  cancelReconnect: (() => void) | null;
}

export class MessagePortTransport implements Transport {
  readonly selfId: ServerId;
  readonly stats: TransportStats = emptyStats();
  private readonly clock: Clock;
  private readonly reconnectDelayMs: number;
  private readonly maxMessageBytes: number;
  private readonly links = new Map<ServerId, PortLink>();
  private readonly outboxes: Outboxes<ServerId>;
  private readonly messageHandlers = new Listeners<[ServerId, Uint8Array]>();
  private readonly linkHandlers = new Listeners<[ServerId, LinkState]>();
  private readonly handlerCalls = new MicrotaskBatch();
  private closed = false;

  constructor(options: MessagePortTransportOptions) {
    if (!Number.isSafeInteger(options.selfId)) throw new RangeError(`selfId is not an integer: ${options.selfId}`);
    this.selfId = options.selfId;
    this.clock = options.clock ?? realClock;
    this.reconnectDelayMs = options.reconnectDelayMs ?? 100;
    this.maxMessageBytes = options.maxMessageBytes ?? 16 * 1024 * 1024;
    this.outboxes = new Outboxes(options.outbox);
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
      opener: this.selfId > peer,
      state: 'down',
      conn: 0,
      lastConn: 0,
      wanted: true,
      cancelReconnect: null,
    };
    this.links.set(peer, link);
    port.addEventListener('message', link.onMessage);
    port.addEventListener('close', link.onClose);
    port.start?.();
    this.reopen(link);
  }

  /** Forgets the peer's port and closes it; the link is down until a new port is attached. */
  detachPort(peer: ServerId): void {
    const link = this.links.get(peer);
    if (link === undefined) return;
    if (link.state !== 'down') this.control(link, { t: 'bye', conn: link.conn });
    this.forget(link);
  }

  send(to: ServerId, bytes: Uint8Array): void {
    if (this.closed) return;
    assertPeerId(this.selfId, to);
    if (bytes.length > this.maxMessageBytes) return void this.stats.messagesDropped++;
    const link = this.links.get(to);
    if (link?.state !== 'up') {
      this.stats.messagesDropped += this.outboxes.for(to).push(bytes.slice());
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
    if (link === undefined || link.state !== 'down') return;
    link.wanted = true;
    this.reopen(link);
  }

  disconnect(peer: ServerId): void {
    if (this.closed) return;
    assertPeerId(this.selfId, peer);
    const link = this.links.get(peer);
    if (link === undefined || link.state === 'down') return;
    this.control(link, { t: 'bye', conn: link.conn });
    this.goDown(link);
  }

  linkState(peer: ServerId): LinkState {
    return this.links.get(peer)?.state === 'up' ? 'up' : 'down';
  }

  close(): void {
    if (this.closed) return;
    for (const peer of [...this.links.keys()]) this.detachPort(peer);
    this.closed = true;
    this.handlerCalls.close();
    this.messageHandlers.clear();
    this.linkHandlers.clear();
  }

  // ---------- connection protocol ----------

  private receive(link: PortLink, data: unknown): void {
    if (this.closed || this.links.get(link.peer) !== link) return;
    const envelope = this.parse(data);
    if (envelope === null) return void this.stats.badFrames++;
    if ('sid' in envelope && envelope.sid !== link.peer) return void this.stats.badFrames++; // miswired port
    switch (envelope.t) {
      case 'open':
        return this.receiveOpen(link, envelope.conn);
      case 'accept':
        if (link.opener && link.state === 'opening' && envelope.conn === link.conn) this.goUp(link);
        return;
      case 'request':
        return this.receiveRequest(link);
      case 'bye':
        if (link.state !== 'down' && envelope.conn === link.conn) this.goDown(link);
        return;
      case 'data':
        return this.receiveData(link, envelope.conn, envelope.bytes);
    }
  }

  private receiveOpen(link: PortLink, conn: number): void {
    if (link.opener) return void this.stats.badFrames++; // both sides think they open: miswired
    if (conn <= link.lastConn) return; // stale, from before a break
    if (link.state !== 'down') this.goDown(link);
    link.conn = link.lastConn = conn;
    this.control(link, { t: 'accept', conn });
    this.goUp(link);
  }

  private receiveRequest(link: PortLink): void {
    if (!link.opener) return void this.stats.badFrames++;
    if (link.state === 'opening') return; // our open is on its way
    // The smaller side only asks while it is down: a connection we think is up is gone.
    if (link.state === 'up') this.goDown(link);
    link.wanted = true;
    this.reopen(link);
  }

  private receiveData(link: PortLink, conn: number, bytes: Uint8Array): void {
    if (link.state !== 'up' || conn !== link.conn) return void this.stats.messagesDropped++; // from a broken connection
    this.handlerCalls.post(() => {
      if (this.links.get(link.peer) !== link || link.state !== 'up' || link.conn !== conn) {
        return void this.stats.messagesDropped++;
      }
      this.stats.messagesReceived++;
      this.messageHandlers.emit(link.peer, bytes);
    });
  }

  /** The opener proposes a new connection; the other side asks for one. */
  private reopen(link: PortLink): void {
    link.cancelReconnect?.();
    link.cancelReconnect = null;
    if (link.state !== 'down') return;
    if (!link.opener) return this.control(link, { t: 'request' });
    link.conn = link.lastConn = link.lastConn + 1;
    link.state = 'opening';
    this.control(link, { t: 'open', conn: link.conn });
  }

  private goUp(link: PortLink): void {
    link.state = 'up';
    this.stats.linkUps++;
    // Queued messages first; the 'up' handlers run later, from the posted queue.
    for (const bytes of this.outboxes.for(link.peer).drain()) this.sendData(link, bytes);
    this.handlerCalls.post(() => this.linkHandlers.emit(link.peer, 'up'));
  }

  private goDown(link: PortLink): void {
    const wasUp = link.state === 'up';
    link.state = 'down';
    if (wasUp) {
      this.stats.linkDowns++;
      this.handlerCalls.post(() => this.linkHandlers.emit(link.peer, 'down'));
    }
    if (!link.wanted || link.cancelReconnect !== null) return;
    link.cancelReconnect = this.clock.setTimer(this.reconnectDelayMs, () => {
      link.cancelReconnect = null;
      if (this.links.get(link.peer) === link) this.reopen(link);
    });
  }

  private portClosed(link: PortLink): void {
    if (this.links.get(link.peer) === link) this.forget(link);
  }

  private forget(link: PortLink): void {
    link.wanted = false;
    if (link.state !== 'down') this.goDown(link);
    link.cancelReconnect?.();
    link.port.removeEventListener('message', link.onMessage);
    link.port.removeEventListener('close', link.onClose);
    link.port.close();
    this.links.delete(link.peer);
  }

  private sendData(link: PortLink, bytes: Uint8Array): void {
    this.stats.messagesSent++;
    link.port.postMessage({ z: TAG, t: 'data', conn: link.conn, bytes }, [bytes.buffer]);
  }

  private control(link: PortLink, message: Control): void {
    link.port.postMessage({ z: TAG, sid: this.selfId, ...message });
  }

  private parse(data: unknown): Envelope | null {
    if (typeof data !== 'object' || data === null) return null;
    const e = data as Record<string, unknown>;
    if (e['z'] !== TAG) return null;
    const hasConn = Number.isSafeInteger(e['conn']) && (e['conn'] as number) > 0;
    switch (e['t']) {
      case 'open':
      case 'accept':
        return hasConn && Number.isSafeInteger(e['sid']) ? (data as Envelope) : null;
      case 'request':
        return Number.isSafeInteger(e['sid']) ? (data as Envelope) : null;
      case 'bye':
        return hasConn ? (data as Envelope) : null;
      case 'data': {
        const bytes = e['bytes'];
        return hasConn && bytes instanceof Uint8Array && bytes.length <= this.maxMessageBytes ? (data as Envelope) : null;
      }
      default:
        return null;
    }
  }
}
