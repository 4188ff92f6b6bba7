// The server worker's Transport to the other servers of the ensemble, over data channels the page
// hands in (RTCDataChannels transferred from the page, which does the WebRTC signalling). One
// channel is one connection, like one TCP socket in Apache's QuorumCnxManager:
//
//   open -> both ends send a hello (src/net/peer-hello.ts) -> 'up' once the far hello arrives
//   -> frames, each split into chunks under the data channel message limit (src/net/chunking.ts)
//   -> the channel closes (either side, or the page's connection dies) -> 'down', in-flight lost.
//
// A broken link is mended by asking the page for a new channel (`requestChannel`), backing off
// from reconnectDelayMs up to maxReconnectDelayMs while attempts keep failing. The page decides
// who creates the channel (one per pair: the larger myid dials), so this side just takes whatever
// channel arrives: a new channel for a peer replaces the old one.
//
// The hello doubles as the check that the page wired the right peer: a hello from another sid is
// a bad frame and the channel is closed. Malformed chunks are counted and break the connection,
// since the chunks after a lost one can not be trusted to line up.
import { ChunkError, DATA_CHANNEL_MAX_CHUNK_BYTES, Reassembler } from '../net/chunking';
import { isPacked, packFrames, unpackFrames } from '../net/frame-packing';
import { realClock, type Clock } from '../net/clock';
import { Listeners } from '../net/listeners';
import { MicrotaskBatch } from '../net/microtask-batch';
import { Outboxes, type OutboxLimits } from '../net/outbox';
import { decodePeerHello, encodePeerHello, PEER_HELLO_MAGIC } from '../net/peer-hello';
import {
  assertPeerId,
  emptyStats,
  type LinkChangeHandler,
  type LinkState,
  type MessageHandler,
  type Transport,
  type TransportStats,
  type Unsubscribe,
} from '../net/transport';
import type { ServerId } from '../zk/types';
import { messageBytes, type ChannelEventType, type DataChannelLike } from './peer-channel';

export interface PeerChannelTransportOptions {
  selfId: ServerId;
  /**
   * Asks the page for a (new) channel to `peer`; it arrives later through attachChannel().
   * `lastLabel` is the label of the last channel attached for that peer (null: none yet), so the
   * page can tell a request that crossed a channel already on its way from a real one.
   */
  requestChannel(peer: ServerId, lastLabel: string | null): void;
  clock?: Clock;
  /** First delay before asking again after a break or a failed attempt (default 100 ms). */
  reconnectDelayMs?: number;
  /** Backoff ceiling (default 5000 ms). */
  maxReconnectDelayMs?: number;
  /** A channel whose far hello has not arrived by then is given up (default 10000 ms). */
  helloTimeoutMs?: number;
  /** Largest frame sent or accepted (default 16 MiB + 1 KiB, a full SNAP). */
  maxMessageBytes?: number;
  maxChunkBytes?: number;
  /** Stop handing chunks to the channel while its bufferedAmount is above this (default 1 MiB). */
  highWaterBytes?: number;
  /** Chunks waiting for the channel to drain; beyond this the connection is broken (default 64 MiB). */
  maxBacklogBytes?: number;
  outbox?: OutboxLimits;
  /**
   * Runs the write of the frames sent so far (default: a microtask, the end of this turn). The
   * worker passes afterQueuedTasks: the frames caused by every message already queued go out in
   * one data channel message instead of one each.
   */
  flushSoon?: (flush: () => void) => void;
}

interface Link {
  peer: ServerId;
  channel: DataChannelLike | null;
  lastLabel: string | null;
  listeners: Array<[ChannelEventType, (event: { data?: unknown }) => void]>;
  state: 'none' | 'hello' | 'up';
  helloSent: boolean;
  /** The far side's hello has arrived on the current channel. */
  farHello: boolean;
  reassembler: Reassembler;
  /** Frames sent this turn, written together (packed) from a microtask; only while 'up'. */
  unsent: Uint8Array[];
  /** Chunks waiting for bufferedAmount to fall (kept in order behind each other). */
  backlog: Uint8Array[];
  backlogBytes: number;
  wanted: boolean;
  delayMs: number;
  cancelRetry: (() => void) | null;
  cancelHelloTimer: (() => void) | null;
}

export class PeerChannelTransport implements Transport {
  readonly selfId: ServerId;
  readonly stats: TransportStats = emptyStats();
  /** Why frames were bad (diagnostics beside stats.badFrames). */
  readonly badFrameReasons: Record<string, number> = {};
  private readonly options: Required<Omit<PeerChannelTransportOptions, 'outbox' | 'clock' | 'requestChannel' | 'selfId' | 'flushSoon'>>;
  private readonly clock: Clock;
  private readonly requestChannel: (peer: ServerId, lastLabel: string | null) => void;
  private readonly links = new Map<ServerId, Link>();
  private readonly outboxes: Outboxes<ServerId>;
  private readonly messageHandlers = new Listeners<[ServerId, Uint8Array]>();
  private readonly linkHandlers = new Listeners<[ServerId, LinkState]>();
  private readonly handlerCalls = new MicrotaskBatch();
  private readonly flushSoon: (flush: () => void) => void;
  private closed = false;

  constructor(options: PeerChannelTransportOptions) {
    if (!Number.isSafeInteger(options.selfId)) throw new RangeError(`selfId is not an integer: ${options.selfId}`);
    this.selfId = options.selfId;
    this.clock = options.clock ?? realClock;
    this.requestChannel = options.requestChannel;
    this.flushSoon = options.flushSoon ?? ((flush) => queueMicrotask(flush));
    this.outboxes = new Outboxes(options.outbox);
    this.options = {
      reconnectDelayMs: options.reconnectDelayMs ?? 100,
      maxReconnectDelayMs: options.maxReconnectDelayMs ?? 5000,
      helloTimeoutMs: options.helloTimeoutMs ?? 10_000,
      maxMessageBytes: options.maxMessageBytes ?? 16 * 1024 * 1024 + 1024,
      maxChunkBytes: options.maxChunkBytes ?? DATA_CHANNEL_MAX_CHUNK_BYTES,
      highWaterBytes: options.highWaterBytes ?? 1024 * 1024,
      maxBacklogBytes: options.maxBacklogBytes ?? 64 * 1024 * 1024,
    };
  }

  /** Uses `channel` as the connection to `peer` from now on; a previous channel is closed. */
  attachChannel(peer: ServerId, channel: DataChannelLike): void {
    if (this.closed) return void channel.close();
    assertPeerId(this.selfId, peer);
    const link = this.link(peer);
    this.dropChannel(link);
    link.cancelRetry?.();
    link.cancelRetry = null;
    link.channel = channel;
    link.lastLabel = channel.label;
    link.wanted = true;
    channel.binaryType = 'arraybuffer';
    channel.bufferedAmountLowThreshold = Math.floor(this.options.highWaterBytes / 2);
    this.listen(link, channel, 'open', () => this.channelOpen(link, channel));
    this.listen(link, channel, 'message', (event) => this.receive(link, channel, event.data));
    this.listen(link, channel, 'close', () => this.channelGone(link, channel));
    this.listen(link, channel, 'error', () => this.channelGone(link, channel));
    this.listen(link, channel, 'bufferedamountlow', () => this.pump(link));
    link.cancelHelloTimer = this.clock.setTimer(this.options.helloTimeoutMs, () => {
      link.cancelHelloTimer = null;
      if (link.channel === channel && link.state !== 'up') this.channelGone(link, channel);
    });
    if (channel.readyState === 'open') this.channelOpen(link, channel);
    else if (channel.readyState !== 'connecting') this.channelGone(link, channel);
  }

  send(to: ServerId, bytes: Uint8Array): void {
    if (this.closed) return;
    assertPeerId(this.selfId, to);
    if (bytes.length > this.options.maxMessageBytes) return void this.stats.messagesDropped++;
    const link = this.links.get(to);
    if (link?.state !== 'up') {
      this.stats.messagesDropped += this.outboxes.for(to).push(bytes.slice());
      this.connect(to);
      return;
    }
    this.sendFrame(link, bytes);
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
    if (link.channel === null && link.cancelRetry === null) this.askForChannel(link);
  }

  disconnect(peer: ServerId): void {
    if (this.closed) return;
    assertPeerId(this.selfId, peer);
    const link = this.links.get(peer);
    if (link?.channel == null) return;
    this.channelGone(link, link.channel);
  }

  linkState(peer: ServerId): LinkState {
    return this.links.get(peer)?.state === 'up' ? 'up' : 'down';
  }

  close(): void {
    if (this.closed) return;
    for (const link of this.links.values()) {
      link.wanted = false;
      link.cancelRetry?.();
      this.dropChannel(link);
    }
    this.closed = true;
    this.handlerCalls.close();
    this.messageHandlers.clear();
    this.linkHandlers.clear();
  }

  /** Chunks waiting for the channel to drain, per peer (for status and tests). */
  backlogBytes(peer: ServerId): number {
    return this.links.get(peer)?.backlogBytes ?? 0;
  }

  // ---------- one channel's life ----------

  /**
   * Sends our hello once the channel is open. A channel transferred to a worker may deliver the far
   * hello while it still says 'connecting' (and refuses send()): then the 'open' event, which
   * follows, sends ours and brings the link up.
   */
  private channelOpen(link: Link, channel: DataChannelLike): void {
    if (link.channel !== channel || link.helloSent || channel.readyState !== 'open') return;
    link.helloSent = true;
    link.state = 'hello';
    this.write(link, encodePeerHello({ sid: this.selfId, listenPort: 0 }));
    if (link.farHello && link.channel === channel) this.goUp(link, channel);
  }

  private receive(link: Link, channel: DataChannelLike, data: unknown): void {
    if (this.closed || link.channel !== channel) return;
    const bytes = messageBytes(data);
    if (bytes === null) return this.badFrame(link, channel, 'not binary');
    if (link.state !== 'up') return this.receiveHello(link, channel, bytes);
    let frames: Uint8Array[];
    try {
      frames = this.framesOf(link, bytes);
    } catch (error) {
      if (error instanceof ChunkError) return this.badFrame(link, channel, `chunk: ${error.message}`);
      throw error;
    }
    for (const delivered of frames) {
      this.handlerCalls.post(() => {
        if (link.channel !== channel) return void this.stats.messagesDropped++;
        this.stats.messagesReceived++;
        this.messageHandlers.emit(link.peer, delivered);
      });
    }
  }

  /** The whole frames a message completes: a packed message's frames, or a chunk's finished frame. */
  private framesOf(link: Link, message: Uint8Array): Uint8Array[] {
    if (!isPacked(message)) {
      const frame = link.reassembler.push(message);
      return frame === null ? [] : [frame];
    }
    // The sender writes a frame's chunks back to back, so nothing can sit between them.
    if (link.reassembler.busy) throw new ChunkError('packed message inside a chunked frame');
    return unpackFrames(message, this.options.maxMessageBytes);
  }

  private receiveHello(link: Link, channel: DataChannelLike, bytes: Uint8Array): void {
    const looksLikeHello = PEER_HELLO_MAGIC.every((b, i) => bytes[i] === b);
    const hello = looksLikeHello ? decodePeerHello(bytes) : 'not a hello';
    if (typeof hello === 'string') return this.badFrame(link, channel, `hello: ${hello}`);
    if (hello.sid !== link.peer) return this.badFrame(link, channel, `hello from sid ${hello.sid}, expected ${link.peer}`);
    if (link.farHello) return this.badFrame(link, channel, 'second hello');
    link.farHello = true;
    if (link.helloSent) this.goUp(link, channel);
    else this.channelOpen(link, channel); // the far side was quicker than our 'open' event
  }

  /** Both hellos are out: the connection is up, queued messages go first. */
  private goUp(link: Link, channel: DataChannelLike): void {
    if (link.channel !== channel) return;
    link.state = 'up';
    link.delayMs = this.options.reconnectDelayMs;
    link.cancelHelloTimer?.();
    link.cancelHelloTimer = null;
    this.stats.linkUps++;
    // 'up' is queued before anything the drain might cause ('down' after a failed send).
    this.handlerCalls.post(() => this.linkHandlers.emit(link.peer, 'up'));
    for (const queued of this.outboxes.for(link.peer).drain()) {
      if (link.channel !== channel) return;
      this.sendFrame(link, queued);
    }
  }

  private badFrame(link: Link, channel: DataChannelLike, reason: string): void {
    this.stats.badFrames++;
    const key = reason.replace(/[0-9]+/g, 'N');
    if (key in this.badFrameReasons || Object.keys(this.badFrameReasons).length < 32) {
      this.badFrameReasons[key] = (this.badFrameReasons[key] ?? 0) + 1;
    }
    this.channelGone(link, channel);
  }

  /** The connection is over (closed by either side, failed, or given up): down, then ask again. */
  private channelGone(link: Link, channel: DataChannelLike): void {
    if (link.channel !== channel) return;
    this.dropChannel(link);
    if (link.wanted && !this.closed) this.retryLater(link);
  }

  private dropChannel(link: Link): void {
    const channel = link.channel;
    if (channel === null) return;
    for (const [type, listener] of link.listeners) channel.removeEventListener(type, listener);
    link.listeners = [];
    link.channel = null;
    link.cancelHelloTimer?.();
    link.cancelHelloTimer = null;
    if (channel.readyState !== 'closed' && channel.readyState !== 'closing') channel.close();
    const wasUp = link.state === 'up';
    link.state = 'none';
    link.helloSent = false;
    link.farHello = false;
    link.reassembler = new Reassembler(this.options.maxMessageBytes);
    if (link.backlog.length > 0) this.stats.messagesDropped++; // at least the frame being written
    this.stats.messagesDropped += link.unsent.length;
    link.unsent = [];
    link.backlog = [];
    link.backlogBytes = 0;
    if (!wasUp) return;
    this.stats.linkDowns++;
    this.handlerCalls.post(() => this.linkHandlers.emit(link.peer, 'down'));
  }

  private retryLater(link: Link): void {
    if (link.cancelRetry !== null) return;
    const delay = link.delayMs;
    link.delayMs = Math.min(this.options.maxReconnectDelayMs, link.delayMs * 2);
    link.cancelRetry = this.clock.setTimer(delay, () => {
      link.cancelRetry = null;
      if (!this.closed && link.wanted && link.channel === null) this.askForChannel(link);
    });
  }

  /** Asks the page now, and again with backoff until a channel comes up. */
  private askForChannel(link: Link): void {
    this.requestChannel(link.peer, link.lastLabel);
    this.retryLater(link);
  }

  // ---------- writing ----------

  private sendFrame(link: Link, frame: Uint8Array): void {
    this.stats.messagesSent++;
    // The caller may reuse its buffer after send() returns; the frame waits until the flush.
    link.unsent.push(frame.slice());
    if (link.unsent.length === 1) this.flushSoon(() => this.writeUnsent(link));
  }

  private writeUnsent(link: Link): void {
    const frames = link.unsent;
    link.unsent = [];
    if (frames.length === 0 || link.state !== 'up') return;
    for (const message of packFrames(frames, this.options.maxChunkBytes)) this.write(link, message);
  }

  private write(link: Link, chunk: Uint8Array): void {
    const channel = link.channel;
    if (channel === null) return;
    if (link.backlog.length > 0 || channel.bufferedAmount > this.options.highWaterBytes) {
      link.backlog.push(chunk);
      link.backlogBytes += chunk.length;
      // A peer that does not drain is like a TCP peer with a full window forever: give up the connection.
      if (link.backlogBytes > this.options.maxBacklogBytes) this.channelGone(link, channel);
      return;
    }
    this.transmit(link, channel, chunk);
  }

  private pump(link: Link): void {
    const channel = link.channel;
    while (channel !== null && link.channel === channel && link.backlog.length > 0 && channel.bufferedAmount <= this.options.highWaterBytes) {
      const chunk = link.backlog.shift() as Uint8Array;
      link.backlogBytes -= chunk.length;
      this.transmit(link, channel, chunk);
    }
  }

  private transmit(link: Link, channel: DataChannelLike, chunk: Uint8Array): void {
    try {
      channel.send(chunk as Uint8Array<ArrayBuffer>); // chunks are always fresh ArrayBuffer-backed arrays
    } catch {
      // Closed under us or its send queue overflowed: the connection is broken either way.
      this.stats.messagesDropped++; // at least the frame being written
      this.channelGone(link, channel);
    }
  }

  // ---------- helpers ----------

  private listen(link: Link, channel: DataChannelLike, type: ChannelEventType, listener: (event: { data?: unknown }) => void): void {
    channel.addEventListener(type, listener);
    link.listeners.push([type, listener]);
  }

  private link(peer: ServerId): Link {
    let link = this.links.get(peer);
    if (link === undefined) {
      link = {
        peer,
        channel: null,
        lastLabel: null,
        listeners: [],
        state: 'none',
        helloSent: false,
        farHello: false,
        reassembler: new Reassembler(this.options.maxMessageBytes),
        unsent: [],
        backlog: [],
        backlogBytes: 0,
        wanted: false,
        delayMs: this.options.reconnectDelayMs,
        cancelRetry: null,
        cancelHelloTimer: null,
      };
      this.links.set(peer, link);
    }
    return link;
  }
}
