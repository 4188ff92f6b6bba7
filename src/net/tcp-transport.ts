// Transport between Node processes over TCP (Node only: node:net). Each server listens on ONE
// port and carries election and ZAB messages on the same connection: Apache separates the quorum
// port (ZAB) from the election port (FLE); we listen on the election port of zoo.cfg for both,
// since our messages say what they are (quorum-packets.ts) and one connection per pair is simpler.
//
// Frames: 4-byte big-endian length + payload (src/jute/framing.ts). The first frame of a
// connection is the initiator's hello (peer-hello.ts). As in Apache's QuorumCnxManager, only
// connections initiated by the larger sid are kept: when a smaller sid dials, it sends its hello
// and hangs up, and the larger sid, seeing it, dials back. So a pair never has two connections.
// Dropped connections are redialled with exponential backoff while the link is wanted.

import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { encodeFrame, FrameDecoder } from '../jute/framing';
import { DEFAULT_MAX_PEER_MESSAGE_BYTES, tryDecodePeerMessage } from '../jute/quorum-packets';
import type { ServerId } from '../zk/types';
import { Listeners } from './listeners';
import { Outbox, type OutboxLimits } from './outbox';
import { decodePeerHello, encodePeerHello } from './peer-hello';
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

export interface TcpPeerAddress {
  host: string;
  port: number;
}

export interface TcpTransportOptions {
  selfId: ServerId;
  /** Where to listen (zoo.cfg electionPort); port 0 picks a free one (see `port`). */
  listenHost?: string;
  listenPort: number;
  peers?: ReadonlyMap<ServerId, TcpPeerAddress>;
  /** Largest frame payload accepted or sent (default: the peer message limit, 16 MiB). */
  maxFrameBytes?: number;
  /** Drop frames that are not well-formed PeerMessages (default true); counted in badFrames. */
  validateFrames?: boolean;
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  connectTimeoutMs?: number;
  /** How long an accepted socket may take to send its hello. */
  helloTimeoutMs?: number;
  /** Bytes a peer may leave unread in our socket buffer before we reset the link. */
  maxUnsentBytes?: number;
  outbox?: OutboxLimits;
}

interface PeerLink {
  id: ServerId;
  address: TcpPeerAddress | null;
  wanted: boolean;
  /** The one established connection, if any. */
  socket: Socket | null;
  initiator: ServerId | null;
  dialing: Socket | null;
  cancelRetry: (() => void) | null;
  backoffMs: number;
  outbox: Outbox;
}

export class TcpTransport implements Transport {
  /** Sockets corked until the end of the current turn (corkForThisTurn). */
  private readonly corked = new Set<Socket>();
  readonly selfId: ServerId;
  readonly stats: TransportStats = emptyStats();
  private readonly options: Required<Omit<TcpTransportOptions, 'peers' | 'outbox' | 'listenHost'>> & { listenHost: string };
  private readonly outboxLimits: OutboxLimits;
  private readonly server: Server;
  private readonly links = new Map<ServerId, PeerLink>();
  private readonly unidentified = new Set<Socket>();
  private readonly messageHandlers = new Listeners<[ServerId, Uint8Array]>();
  private readonly linkHandlers = new Listeners<[ServerId, LinkState]>();
  /** Handler calls, run in order outside of any API call and any socket callback's middle. */
  private posted: Array<() => void> = [];
  private flushScheduled = false;
  private closed = false;

  /** Listens, then returns the transport (rejects if the port cannot be bound). */
  static async listen(options: TcpTransportOptions): Promise<TcpTransport> {
    const transport = new TcpTransport(options);
    await new Promise<void>((resolve, reject) => {
      transport.server.once('error', reject);
      transport.server.listen(options.listenPort, transport.options.listenHost, () => {
        transport.server.off('error', reject);
        resolve();
      });
    });
    transport.server.on('error', () => undefined); // after listening, errors surface as socket closes
    return transport;
  }

  private constructor(options: TcpTransportOptions) {
    if (!Number.isSafeInteger(options.selfId)) throw new RangeError(`selfId is not an integer: ${options.selfId}`);
    this.selfId = options.selfId;
    this.options = {
      selfId: options.selfId,
      listenHost: options.listenHost ?? '0.0.0.0',
      listenPort: options.listenPort,
      maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_PEER_MESSAGE_BYTES,
      validateFrames: options.validateFrames ?? true,
      reconnectInitialMs: options.reconnectInitialMs ?? 100,
      reconnectMaxMs: options.reconnectMaxMs ?? 5000,
      connectTimeoutMs: options.connectTimeoutMs ?? 5000,
      helloTimeoutMs: options.helloTimeoutMs ?? 5000,
      maxUnsentBytes: options.maxUnsentBytes ?? 64 * 1024 * 1024,
    };
    this.outboxLimits = options.outbox ?? {};
    for (const [id, address] of options.peers ?? []) this.setPeerAddress(id, address);
    this.server = createServer((socket) => this.accept(socket));
  }

  /** The bound port (useful with listenPort 0). */
  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  setPeerAddress(peer: ServerId, address: TcpPeerAddress): void {
    assertPeerId(this.selfId, peer);
    this.link(peer).address = { ...address };
  }

  /** Which sid opened the current connection to `peer` (always the larger one), or null. */
  connectionInitiator(peer: ServerId): ServerId | null {
    return this.links.get(peer)?.initiator ?? null;
  }

  // ---------- Transport ----------

  send(to: ServerId, bytes: Uint8Array): void {
    if (this.closed) return;
    assertPeerId(this.selfId, to);
    if (bytes.length > this.options.maxFrameBytes) {
      this.stats.messagesDropped++;
      return;
    }
    const link = this.link(to);
    if (link.socket === null) {
      this.stats.messagesDropped += link.outbox.push(bytes.slice());
      this.connect(to);
      return;
    }
    this.write(link, link.socket, bytes);
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
    if (link.cancelRetry === null) this.dial(link);
  }

  disconnect(peer: ServerId): void {
    if (this.closed) return;
    assertPeerId(this.selfId, peer);
    const link = this.links.get(peer);
    if (link?.socket) this.dropConnection(link, link.socket);
  }

  linkState(peer: ServerId): LinkState {
    return this.links.get(peer)?.socket ? 'up' : 'down';
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.close();
    for (const link of this.links.values()) {
      link.cancelRetry?.();
      link.socket?.destroy();
      link.dialing?.destroy();
      link.socket = link.dialing = null;
      this.stats.messagesDropped += link.outbox.drain().length;
    }
    for (const socket of this.unidentified) socket.destroy();
    this.posted = [];
    this.messageHandlers.clear();
    this.linkHandlers.clear();
  }

  // ---------- outgoing connections ----------

  private dial(link: PeerLink): void {
    if (this.closed || !link.wanted || link.socket !== null || link.dialing !== null || link.address === null) return;
    const socket = netConnect({ host: link.address.host, port: link.address.port });
    link.dialing = socket;
    socket.setNoDelay(true);
    socket.setTimeout(this.options.connectTimeoutMs, () => socket.destroy());
    socket.on('error', () => undefined); // 'close' follows every error
    socket.once('connect', () => {
      socket.setTimeout(0);
      if (link.dialing !== socket || this.closed) return void socket.destroy();
      link.dialing = null;
      socket.write(encodeFrame(encodePeerHello({ sid: this.selfId, listenPort: this.port })));
      if (this.selfId > link.id) this.adopt(link, socket, this.selfId, new FrameDecoder({ maxFrameBytes: this.options.maxFrameBytes }), []);
      // A smaller sid only announces itself; the peer will dial back (Apache's rule).
      else socket.end();
    });
    socket.once('close', () => {
      if (link.dialing === socket) link.dialing = null;
      if (link.socket === null) this.scheduleRetry(link);
    });
  }

  private scheduleRetry(link: PeerLink): void {
    if (this.closed || !link.wanted || link.cancelRetry !== null || link.socket !== null) return;
    const delayMs = link.backoffMs;
    link.backoffMs = Math.min(link.backoffMs * 2, this.options.reconnectMaxMs);
    const timer = setTimeout(() => {
      link.cancelRetry = null;
      this.dial(link);
    }, delayMs);
    link.cancelRetry = () => {
      clearTimeout(timer);
      link.cancelRetry = null;
    };
  }

  // ---------- incoming connections ----------

  private accept(socket: Socket): void {
    if (this.closed) return void socket.destroy();
    socket.setNoDelay(true);
    this.unidentified.add(socket);
    const decoder = new FrameDecoder({ maxFrameBytes: this.options.maxFrameBytes });
    socket.setTimeout(this.options.helloTimeoutMs, () => socket.destroy());
    socket.on('error', () => undefined);
    socket.once('close', () => this.unidentified.delete(socket));
    const onData = (chunk: Buffer): void => {
      const frames = this.decodeFrames(decoder, chunk);
      if (frames === null) return void socket.destroy();
      const [first, ...rest] = frames;
      if (first === undefined) return;
      socket.off('data', onData);
      socket.setTimeout(0);
      this.unidentified.delete(socket);
      this.handleHello(socket, decoder, first, rest);
    };
    socket.on('data', onData);
  }

  private handleHello(socket: Socket, decoder: FrameDecoder, helloBytes: Uint8Array, rest: Uint8Array[]): void {
    const hello = decodePeerHello(helloBytes);
    if (typeof hello === 'string' || hello.sid === this.selfId) {
      this.stats.badFrames++;
      return void socket.destroy();
    }
    const link = this.link(hello.sid);
    if (link.address === null && hello.listenPort > 0 && socket.remoteAddress !== undefined) {
      link.address = { host: socket.remoteAddress, port: hello.listenPort };
    }
    if (hello.sid < this.selfId) {
      // The smaller sid asked for a link: refuse its connection and dial it ourselves.
      socket.destroy();
      link.wanted = true;
      link.cancelRetry?.();
      link.backoffMs = this.options.reconnectInitialMs;
      return this.dial(link);
    }
    this.adopt(link, socket, hello.sid, decoder, rest);
  }

  // ---------- established connections ----------

  private adopt(link: PeerLink, socket: Socket, initiator: ServerId, decoder: FrameDecoder, firstFrames: Uint8Array[]): void {
    if (link.socket !== null) this.dropConnection(link, link.socket);
    link.socket = socket;
    link.initiator = initiator;
    link.cancelRetry?.();
    link.backoffMs = this.options.reconnectInitialMs;
    this.stats.linkUps++;
    // Queued messages go before anything an 'up' handler sends.
    for (const bytes of link.outbox.drain()) this.write(link, socket, bytes);
    this.post(() => this.linkHandlers.emit(link.id, 'up'));
    socket.on('close', () => this.dropConnection(link, socket));
    socket.on('data', (chunk: Buffer) => {
      const frames = this.decodeFrames(decoder, chunk);
      if (frames === null) return this.dropConnection(link, socket);
      this.receiveFrames(link, socket, frames);
    });
    this.receiveFrames(link, socket, firstFrames);
  }

  private receiveFrames(link: PeerLink, socket: Socket, frames: Uint8Array[]): void {
    for (const frame of frames) {
      if (this.options.validateFrames && !tryDecodePeerMessage(frame, { maxMessageBytes: this.options.maxFrameBytes }).ok) {
        this.stats.badFrames++;
        continue;
      }
      this.post(() => {
        // A message from a connection that broke meanwhile counts as lost in flight.
        if (link.socket !== socket) return void this.stats.messagesDropped++;
        this.stats.messagesReceived++;
        this.messageHandlers.emit(link.id, frame);
      });
    }
  }

  /** Frames in a chunk, or null (counted) when the stream is corrupt and must be dropped. */
  private decodeFrames(decoder: FrameDecoder, chunk: Uint8Array): Uint8Array[] | null {
    try {
      return decoder.push(chunk);
    } catch {
      this.stats.badFrames++;
      return null;
    }
  }

  private write(link: PeerLink, socket: Socket, bytes: Uint8Array): void {
    if (socket.writableLength > this.options.maxUnsentBytes) {
      // The peer stopped reading: reset rather than buffer without bound.
      this.stats.messagesDropped++;
      return this.dropConnection(link, socket);
    }
    this.corkForThisTurn(socket);
    socket.write(encodeFrame(bytes));
    this.stats.messagesSent++;
  }

  /**
   * Frames written to one socket in the same turn (a leader's PROPOSALs and COMMITs for several
   * txns at once under load) leave in one writev at the end of the turn instead of one system
   * call each. The uncork is a microtask: nothing waits a timer or a loop turn.
   */
  private corkForThisTurn(socket: Socket): void {
    if (this.corked.has(socket)) return;
    this.corked.add(socket);
    socket.cork();
    queueMicrotask(() => {
      this.corked.delete(socket);
      socket.uncork();
    });
  }

  private dropConnection(link: PeerLink, socket: Socket): void {
    if (link.socket !== socket) return;
    link.socket = null;
    link.initiator = null;
    socket.destroy();
    this.stats.linkDowns++;
    this.post(() => this.linkHandlers.emit(link.id, 'down'));
    this.scheduleRetry(link);
  }

  /**
   * Runs `fn` once the current API call or socket callback has returned, in post order. A microtask,
   * not setImmediate: a received PROPOSAL/ACK/COMMIT is handled before the event loop goes on to
   * other I/O, which saves each quorum hop a loop turn (measured ~15-25 us per hop on a busy 2-core
   * machine, four hops per forwarded write).
   */
  private post(fn: () => void): void {
    if (this.closed) return;
    this.posted.push(fn);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      const batch = this.posted;
      this.posted = [];
      for (const run of batch) if (!this.closed) run();
    });
  }

  private link(peer: ServerId): PeerLink {
    let link = this.links.get(peer);
    if (link === undefined) {
      link = {
        id: peer,
        address: null,
        wanted: false,
        socket: null,
        initiator: null,
        dialing: null,
        cancelRetry: null,
        backoffMs: this.options.reconnectInitialMs,
        outbox: new Outbox(this.outboxLimits),
      };
      this.links.set(peer, link);
    }
    return link;
  }
}
