// Transport between the server workers of ONE browser over a BroadcastChannel named per cluster:
// the fallback of multi-tab mode when the PeerServer (and so WebRTC signalling) is unreachable.
// Workers open the channel themselves, so frames never pass through a page.
//
// A BroadcastChannel is a bus: every frame reaches every other worker of the cluster, in order per
// sender, and nothing tells us when a worker dies (a terminated worker just falls silent). So:
// - Every transport has an incarnation (a number that grows across restarts of the same myid: the
//   start time in ms * 1024 + random bits) and says `hello` every helloIntervalMs. A peer not heard
//   from within deadAfterMs is dead: its link goes down. A bigger incarnation means the peer
//   restarted: the old connection is gone. Frames of a smaller (older) incarnation are stale.
// - Connections are numbered by the larger sid (as with TCP, it is the one that opens them):
//   open{conn} -> accept{conn}; data carries (from, to, conn, seq) and both incarnations are checked,
//   so nothing of an old connection or an old worker is ever delivered on a new one. A gap in seq
//   means the connection has a hole: it is broken (both sides go down) rather than delivered.
// - `gone{before}` (posted by the page that terminated a worker) kills every link to incarnations
//   older than `before` at once, as a crashed process's sockets are reset; the hello timeout is the
//   bound when nobody says so.
// Malformed frames are dropped and counted (stats.badFrames); waiting messages sit in a bounded
// Outbox. Handlers run from a microtask, never inside a call.
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
import { BROADCAST_TAG, parseBroadcastFrame, type BroadcastFrame } from './broadcast-frames';

/** The part of BroadcastChannel this transport uses. */
export interface BroadcastChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data?: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data?: unknown }) => void): void;
  close(): void;
}

export interface BroadcastTransportOptions {
  selfId: ServerId;
  channel: BroadcastChannelLike;
  clock?: Clock;
  /** Must grow across restarts of this myid (default: clock ms * 1024 + random bits). */
  incarnation?: number;
  /** Period of hellos and of the liveness check (default 250 ms). */
  helloIntervalMs?: number;
  /** A peer silent this long is dead and its link goes down (default 3000 ms). */
  deadAfterMs?: number;
  /** An open not accepted within this long is tried again (default 1000 ms). */
  openTimeoutMs?: number;
  /** Delay before re-opening a connection after a break (default 100 ms). */
  reconnectDelayMs?: number;
  /** Largest message accepted or sent (default 16 MiB). */
  maxMessageBytes?: number;
  outbox?: OutboxLimits;
}

interface PeerLink {
  peer: ServerId;
  /** The peer's incarnation as last heard; 0 = never heard. */
  inc: number;
  alive: boolean;
  lastHeardMs: number;
  wanted: boolean;
  /** The larger sid opens connections; the smaller accepts them. */
  opener: boolean;
  state: 'down' | 'opening' | 'up';
  conn: number;
  lastConn: number;
  openedAtMs: number;
  sendSeq: number;
  recvSeq: number;
  cancelReconnect: (() => void) | null;
}

export const DEFAULT_HELLO_INTERVAL_MS = 250;
export const DEFAULT_DEAD_AFTER_MS = 3000;

/** An incarnation from a wall-clock time: later starts get bigger numbers; random low bits break ties. */
export function incarnationAt(nowMs: number, random: number = Math.random()): number {
  return Math.floor(nowMs) * 1024 + Math.floor(random * 1024);
}

export class BroadcastTransport implements Transport {
  readonly selfId: ServerId;
  readonly incarnation: number;
  readonly stats: TransportStats = emptyStats();
  private readonly channel: BroadcastChannelLike;
  private readonly clock: Clock;
  private readonly helloIntervalMs: number;
  private readonly deadAfterMs: number;
  private readonly openTimeoutMs: number;
  private readonly reconnectDelayMs: number;
  private readonly maxMessageBytes: number;
  private readonly links = new Map<ServerId, PeerLink>();
  private readonly outboxes: Outboxes<ServerId>;
  private readonly messageHandlers = new Listeners<[ServerId, Uint8Array]>();
  private readonly linkHandlers = new Listeners<[ServerId, LinkState]>();
  private readonly onFrame = (event: { data?: unknown }): void => this.receive(event.data);
  private cancelTick: (() => void) | null = null;
  private readonly handlerCalls = new MicrotaskBatch();
  private closed = false;

  constructor(options: BroadcastTransportOptions) {
    if (!Number.isSafeInteger(options.selfId)) throw new RangeError(`selfId is not an integer: ${options.selfId}`);
    this.selfId = options.selfId;
    this.channel = options.channel;
    this.clock = options.clock ?? realClock;
    this.incarnation = options.incarnation ?? incarnationAt(this.clock.nowMs());
    if (!Number.isSafeInteger(this.incarnation) || this.incarnation <= 0) throw new RangeError(`incarnation must be a positive integer: ${this.incarnation}`);
    this.helloIntervalMs = options.helloIntervalMs ?? DEFAULT_HELLO_INTERVAL_MS;
    this.deadAfterMs = options.deadAfterMs ?? DEFAULT_DEAD_AFTER_MS;
    this.openTimeoutMs = options.openTimeoutMs ?? 1000;
    this.reconnectDelayMs = options.reconnectDelayMs ?? 100;
    this.maxMessageBytes = options.maxMessageBytes ?? 16 * 1024 * 1024;
    this.outboxes = new Outboxes(options.outbox);
    if (!(this.deadAfterMs > this.helloIntervalMs && this.helloIntervalMs > 0)) throw new RangeError('deadAfterMs must exceed helloIntervalMs > 0');
    this.channel.addEventListener('message', this.onFrame);
    this.hello();
    this.scheduleTick();
  }

  send(to: ServerId, bytes: Uint8Array): void {
    if (this.closed) return;
    assertPeerId(this.selfId, to);
    if (bytes.length > this.maxMessageBytes) return void this.stats.messagesDropped++;
    const link = this.links.get(to);
    if (link?.state !== 'up') {
      this.stats.messagesDropped += this.outboxes.for(to).push(bytes.slice());
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

  connect(peer: ServerId): void {
    if (this.closed) return;
    assertPeerId(this.selfId, peer);
    const link = this.link(peer);
    link.wanted = true;
    if (link.state === 'down') this.reopen(link);
  }

  disconnect(peer: ServerId): void {
    if (this.closed) return;
    assertPeerId(this.selfId, peer);
    const link = this.links.get(peer);
    if (link === undefined || link.state === 'down') return;
    this.goDown(link, true);
  }

  linkState(peer: ServerId): LinkState {
    return this.links.get(peer)?.state === 'up' ? 'up' : 'down';
  }

  /** Peers heard from within deadAfterMs (for status and tests). */
  alivePeers(): ServerId[] {
    return [...this.links.values()].filter((l) => l.alive).map((l) => l.peer).sort((a, b) => a - b);
  }

  close(): void {
    if (this.closed) return;
    for (const link of this.links.values()) {
      if (link.state !== 'down') this.post({ t: 'bye', to: link.peer, peerInc: link.inc, conn: link.conn });
      link.cancelReconnect?.();
    }
    this.cancelTick?.();
    this.closed = true;
    this.handlerCalls.close();
    this.messageHandlers.clear();
    this.linkHandlers.clear();
    this.channel.removeEventListener('message', this.onFrame);
    this.channel.close();
  }

  // ---------- receiving ----------

  private receive(data: unknown): void {
    if (this.closed) return;
    const frame = parseBroadcastFrame(data, this.maxMessageBytes);
    if (frame === null) return void this.stats.badFrames++;
    if (frame.t === 'gone') return this.receiveGone(frame.from, frame.before);
    if (frame.from === this.selfId) {
      // Another worker claims our myid (a duplicated tab without Web Locks): never talk to it.
      if (frame.inc !== this.incarnation) this.stats.badFrames++;
      return;
    }
    if (frame.t !== 'hello' && frame.to !== this.selfId) return; // addressed to somebody else
    const link = this.link(frame.from);
    if (!this.noteAlive(link, frame.inc)) return; // from an older incarnation: stale
    if (frame.t === 'hello') return;
    if (frame.peerInc !== this.incarnation) return; // meant for an earlier incarnation of us
    switch (frame.t) {
      case 'open':
        return this.receiveOpen(link, frame.conn);
      case 'accept':
        if (link.opener && link.state === 'opening' && frame.conn === link.conn) this.goUp(link);
        return;
      case 'bye':
        if (link.state !== 'down' && frame.conn === link.conn) this.goDown(link, false);
        return;
      case 'data':
        return this.receiveData(link, frame.conn, frame.seq, frame.bytes);
    }
  }

  /** Records a sign of life; false if the frame comes from an older incarnation than one we know. */
  private noteAlive(link: PeerLink, inc: number): boolean {
    if (inc < link.inc) return false;
    const restarted = inc > link.inc;
    if (restarted) {
      // A restarted worker (or the first word from this peer): nothing of the old connection survives.
      if (link.state !== 'down') this.goDown(link, false);
      link.inc = inc;
      link.lastConn = 0;
      link.conn = 0;
    }
    const wasAlive = link.alive;
    link.alive = true;
    link.lastHeardMs = this.clock.nowMs();
    if (!wasAlive || restarted) {
      this.hello(); // answer at once, so a newcomer need not wait a whole interval for us
      if (link.wanted && link.state === 'down') this.reopen(link);
    }
    return true;
  }

  private receiveGone(peer: ServerId, before: number): void {
    if (peer === this.selfId) return;
    const link = this.links.get(peer);
    if (link === undefined || link.inc === 0 || link.inc >= before) return;
    link.alive = false;
    if (link.state !== 'down') this.goDown(link, false);
  }

  private receiveOpen(link: PeerLink, conn: number): void {
    if (link.opener) return void this.stats.badFrames++; // both sides think they open: miswired
    if (!link.wanted) return; // not asked for a link to this peer (yet): its opener retries
    if (conn <= link.lastConn) return; // stale, from before a break
    if (link.state !== 'down') this.goDown(link, false);
    link.conn = link.lastConn = conn;
    this.post({ t: 'accept', to: link.peer, peerInc: link.inc, conn });
    this.goUp(link);
  }

  private receiveData(link: PeerLink, conn: number, seq: number, bytes: Uint8Array): void {
    if (link.state !== 'up' || conn !== link.conn) return void this.stats.messagesDropped++; // from a broken connection
    if (seq !== link.recvSeq + 1) {
      // A hole in the stream: deliver nothing more on this connection; both sides start over.
      this.stats.messagesDropped++;
      return this.goDown(link, true);
    }
    link.recvSeq = seq;
    this.handlerCalls.post(() => {
      if (this.links.get(link.peer) !== link || link.state !== 'up' || link.conn !== conn) return void this.stats.messagesDropped++;
      this.stats.messagesReceived++;
      this.messageHandlers.emit(link.peer, bytes);
    });
  }

  // ---------- connections ----------

  private reopen(link: PeerLink): void {
    link.cancelReconnect?.();
    link.cancelReconnect = null;
    if (this.closed || link.state !== 'down' || !link.opener || !link.wanted || !link.alive) return;
    link.conn = link.lastConn = link.lastConn + 1;
    link.state = 'opening';
    link.openedAtMs = this.clock.nowMs();
    this.post({ t: 'open', to: link.peer, peerInc: link.inc, conn: link.conn });
  }

  private goUp(link: PeerLink): void {
    link.state = 'up';
    link.sendSeq = 0;
    link.recvSeq = 0;
    this.stats.linkUps++;
    // Queued messages first; the 'up' handlers run later, from the posted queue.
    for (const bytes of this.outboxes.for(link.peer).drain()) this.sendData(link, bytes);
    this.handlerCalls.post(() => this.linkHandlers.emit(link.peer, 'up'));
  }

  private goDown(link: PeerLink, sayBye: boolean): void {
    const wasUp = link.state === 'up';
    if (sayBye && link.state !== 'down') this.post({ t: 'bye', to: link.peer, peerInc: link.inc, conn: link.conn });
    link.state = 'down';
    if (wasUp) {
      this.stats.linkDowns++;
      this.handlerCalls.post(() => this.linkHandlers.emit(link.peer, 'down'));
    }
    if (!link.opener || link.cancelReconnect !== null) return;
    link.cancelReconnect = this.clock.setTimer(this.reconnectDelayMs, () => {
      link.cancelReconnect = null;
      this.reopen(link);
    });
  }

  /** Periodic: say hello, declare silent peers dead, retry opens nobody answered. */
  private tick(): void {
    if (this.closed) return;
    const now = this.clock.nowMs();
    this.hello();
    for (const link of this.links.values()) {
      if (link.alive && now - link.lastHeardMs > this.deadAfterMs) {
        link.alive = false;
        if (link.state !== 'down') this.goDown(link, true);
      }
      if (link.state === 'opening' && now - link.openedAtMs >= this.openTimeoutMs) {
        link.state = 'down';
        this.reopen(link);
      } else if (link.state === 'down' && link.cancelReconnect === null) this.reopen(link);
    }
    this.scheduleTick();
  }

  private scheduleTick(): void {
    this.cancelTick = this.clock.setTimer(this.helloIntervalMs, () => {
      this.cancelTick = null;
      this.tick();
    });
  }

  // ---------- sending ----------

  private hello(): void {
    this.post({ t: 'hello' });
  }

  private sendData(link: PeerLink, bytes: Uint8Array): void {
    this.stats.messagesSent++;
    link.sendSeq++;
    this.post({ t: 'data', to: link.peer, peerInc: link.inc, conn: link.conn, seq: link.sendSeq, bytes });
  }

  private post(frame: DistributiveOmit<Exclude<BroadcastFrame, { t: 'gone' }>, 'z' | 'from' | 'inc'>): void {
    if (this.closed) return;
    this.channel.postMessage({ z: BROADCAST_TAG, from: this.selfId, inc: this.incarnation, ...frame });
  }

  private link(peer: ServerId): PeerLink {
    let link = this.links.get(peer);
    if (link === undefined) {
      link = {
        peer,
        inc: 0,
        alive: false,
        lastHeardMs: 0,
        wanted: false,
        opener: this.selfId > peer,
        state: 'down',
        conn: 0,
        lastConn: 0,
        openedAtMs: 0,
        sendSeq: 0,
        recvSeq: 0,
        cancelReconnect: null,
      };
      this.links.set(peer, link);
    }
    return link;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
