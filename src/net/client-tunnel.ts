// A ZooKeeper client connection from one tab to the server of another tab, over the WebRTC
// connection the two tabs already share (src/net/webrtc-links.ts): the client's tab opens a data
// channel labelled 'client:<token>:<who>' on that RTCPeerConnection (no renegotiation, no new ICE),
// and the server's tab bridges it to its server worker as an ordinary client connection.
//
// Why the server's page bridges (instead of transferring the RTCDataChannel to the worker): the
// worker already speaks MessagePort client connections ({type:'connect'}), client traffic is small
// next to quorum traffic, and the page must be able to close the tunnels itself when it kills its
// worker (a terminated worker leaves transferred channels open; for quorum channels the far tabs
// close them on a notice, see webrtc-links.ts workerKilled).
//
// Channel protocol (ordered, reliable):
//   server tab -> client tab, first message, a string: 'ok', or 'refused <reason>' then close;
//   then binary messages in both directions: the TCP-like byte stream, cut below the data
//   channel message limit (the ZooKeeper framing on top does not care where it is cut);
//   a string after the handshake: 'close <reason>', the far side is closing.
// A client tab fails fast (refusal, close, or handshakeTimeoutMs) so its client moves on to the
// next server of its connect string.
import type { ByteStream } from './byte-stream';
import { DATA_CHANNEL_MAX_CHUNK_BYTES } from './chunking';
import { realClock, type Clock } from './clock';

/** The part of RTCDataChannel used here, so tests can pass fakes. */
export interface DataChannelLike {
  readonly label: string;
  readonly readyState: RTCDataChannelState;
  readonly bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  binaryType: BinaryType;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: Event) => void) | null;
  onerror: ((event: RTCErrorEvent) => void) | null;
  onbufferedamountlow: ((event: Event) => void) | null;
  send(data: string): void;
  send(data: ArrayBufferView<ArrayBuffer>): void;
  close(): void;
}

export const CLIENT_LABEL_PREFIX = 'client:';
/** Pause sending above this many bytes queued in the channel; resume below a quarter of it. */
export const TUNNEL_HIGH_WATER_BYTES = 1024 * 1024;
/** Bytes the stream holds back while the channel is above its high water mark; more is a dead link. */
export const TUNNEL_QUEUE_MAX_BYTES = 32 * 1024 * 1024;
/** Bytes received before anyone listens (between the handshake and onData): a few frames at most. */
const EARLY_DATA_MAX_BYTES = 4 * 1024 * 1024;
export const TUNNEL_HANDSHAKE_TIMEOUT_MS = 5000;
/** Longest 'who' part of a label (it names the client: 'page', 'zkCli'). */
const WHO_MAX_CHARS = 64;

export interface TunnelStreamOptions {
  maxChunkBytes?: number;
  highWaterBytes?: number;
  maxQueuedBytes?: number;
}

/** 'client:<token>:<who>' for a new tunnel. */
export function clientLabel(token: string, who: string): string {
  if (!/^[0-9a-z]{1,32}$/i.test(token)) throw new RangeError(`bad tunnel token ${JSON.stringify(token)}`);
  return `${CLIENT_LABEL_PREFIX}${token}:${encodeURIComponent(who.slice(0, WHO_MAX_CHARS))}`;
}

/** The parts of a tunnel label, or null if it is not one. */
export function parseClientLabel(label: string): { token: string; who: string } | null {
  const match = /^client:([0-9a-z]{1,32}):([A-Za-z0-9%._~!*'()-]{0,200})$/i.exec(label);
  if (match === null) return null;
  try {
    return { token: match[1] as string, who: decodeURIComponent(match[2] as string) };
  } catch {
    return null;
  }
}

/**
 * A ByteStream over a data channel whose handshake is done. Takes over the channel's event
 * handlers. Closing the stream closes the channel; the channel closing closes the stream.
 *
 * The channel may still say 'connecting' although its first message (the handshake's 'ok') has
 * arrived: Chrome can dispatch a new channel's first message events before its open event
 * (measured on a channel created on an already connected RTCPeerConnection). Such a channel is
 * about to open, not dead: bytes sent meanwhile wait in the queue and leave on 'open'.
 */
export function channelByteStream(channel: DataChannelLike, options: TunnelStreamOptions = {}): ByteStream {
  const maxChunkBytes = options.maxChunkBytes ?? DATA_CHANNEL_MAX_CHUNK_BYTES;
  const highWaterBytes = options.highWaterBytes ?? TUNNEL_HIGH_WATER_BYTES;
  const maxQueuedBytes = options.maxQueuedBytes ?? TUNNEL_QUEUE_MAX_BYTES;
  if (!Number.isSafeInteger(maxChunkBytes) || maxChunkBytes < 1) throw new RangeError(`bad maxChunkBytes ${maxChunkBytes}`);
  const dataHandlers: Array<(bytes: Uint8Array) => void> = [];
  const closeHandlers: Array<(reason: string) => void> = [];
  const early: Uint8Array[] = [];
  let earlyBytes = 0;
  const queue: Uint8Array[] = [];
  let queuedBytes = 0;
  let opened = channel.readyState === 'open';
  /** Set once closed: a close handler registered later still hears why (the client registers its
   *  handlers a promise turn after the stream was made, and may be too late otherwise). */
  let closedReason: string | null = null;

  const finish = (reason: string, tellFar: boolean): void => {
    if (closedReason !== null) return;
    closedReason = reason;
    queue.length = 0;
    channel.onopen = channel.onmessage = channel.onclose = channel.onerror = channel.onbufferedamountlow = null;
    if (tellFar && channel.readyState === 'open') {
      try {
        channel.send(`close ${reason}`);
      } catch {
        // the channel is failing anyway
      }
    }
    channel.close();
    for (const handler of closeHandlers) handler(reason);
  };

  const transmit = (chunk: Uint8Array<ArrayBuffer>): boolean => {
    try {
      channel.send(chunk);
      return true;
    } catch (error) {
      finish(`tunnel send failed: ${error instanceof Error ? error.message : String(error)}`, false);
      return false;
    }
  };

  const drain = (): void => {
    while (closedReason === null && opened && queue.length > 0 && channel.bufferedAmount < highWaterBytes) {
      const chunk = queue.shift() as Uint8Array<ArrayBuffer>;
      queuedBytes -= chunk.length;
      if (!transmit(chunk)) return;
    }
  };

  const deliver = (bytes: Uint8Array): void => {
    if (dataHandlers.length > 0) {
      for (const handler of dataHandlers) handler(bytes);
      return;
    }
    earlyBytes += bytes.length;
    if (earlyBytes > EARLY_DATA_MAX_BYTES) return finish('tunnel: too much data before the stream was read', true);
    early.push(bytes);
  };

  channel.binaryType = 'arraybuffer';
  channel.bufferedAmountLowThreshold = Math.floor(highWaterBytes / 4);
  channel.onbufferedamountlow = drain;
  channel.onopen = () => {
    channel.onopen = null;
    opened = true;
    drain();
  };
  channel.onmessage = (event: MessageEvent) => {
    if (closedReason !== null) return;
    const data: unknown = event.data;
    if (data instanceof ArrayBuffer) return deliver(new Uint8Array(data));
    if (ArrayBuffer.isView(data)) return deliver(new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice());
    if (typeof data === 'string' && data.startsWith('close ')) return finish(`closed by the far side: ${data.slice(6, 300)}`, false);
    finish('tunnel protocol error: unexpected message', true);
  };
  channel.onclose = () => finish('tunnel closed', false);
  channel.onerror = () => finish('tunnel error', false);
  if (channel.readyState === 'closing' || channel.readyState === 'closed') {
    queueMicrotask(() => finish(`tunnel is ${channel.readyState}`, false));
  }

  return {
    send(bytes) {
      if (closedReason !== null) return;
      for (let offset = 0; offset < bytes.length; offset += maxChunkBytes) {
        const chunk = bytes.slice(offset, Math.min(bytes.length, offset + maxChunkBytes));
        if (opened && queue.length === 0 && channel.bufferedAmount < highWaterBytes) {
          if (!transmit(chunk)) return;
          continue;
        }
        queuedBytes += chunk.length;
        if (queuedBytes > maxQueuedBytes) return finish(`tunnel backlog above ${maxQueuedBytes} bytes`, true);
        queue.push(chunk);
      }
    },
    close() {
      finish('closed locally', true);
    },
    onData(handler) {
      dataHandlers.push(handler);
      if (dataHandlers.length === 1 && early.length > 0) {
        const pending = early.splice(0);
        earlyBytes = 0;
        for (const bytes of pending) if (closedReason === null) handler(bytes);
      }
    },
    onClose(handler) {
      const reason = closedReason;
      if (reason !== null) queueMicrotask(() => handler(reason));
      else closeHandlers.push(handler);
    },
  };
}

export interface OpenTunnelOptions extends TunnelStreamOptions {
  clock?: Clock;
  handshakeTimeoutMs?: number;
  /** Names the far server in errors ('server 2'). */
  serverName?: string;
}

/**
 * The client tab's end: waits for the server tab's 'ok' on a channel it just created, and resolves
 * with the byte stream; rejects (and closes the channel) on refusal, close or timeout.
 */
export function openClientTunnel(channel: DataChannelLike, options: OpenTunnelOptions = {}): Promise<ByteStream> {
  const clock = options.clock ?? realClock;
  const name = options.serverName ?? 'the server';
  const timeoutMs = options.handshakeTimeoutMs ?? TUNNEL_HANDSHAKE_TIMEOUT_MS;
  return new Promise<ByteStream>((resolve, reject) => {
    let settled = false;
    const settle = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      cancelTimer();
      channel.onmessage = channel.onclose = channel.onerror = channel.onopen = null;
      if (error !== null) {
        channel.close();
        reject(error);
        return;
      }
      resolve(channelByteStream(channel, options));
    };
    const cancelTimer = clock.setTimer(timeoutMs, () => settle(new Error(`${name} did not answer the tunnel within ${timeoutMs} ms`)));
    channel.binaryType = 'arraybuffer';
    channel.onmessage = (event: MessageEvent) => {
      const data: unknown = event.data;
      if (data === 'ok') return settle(null);
      if (typeof data === 'string' && data.startsWith('refused ')) return settle(new Error(`${name} refused the connection: ${data.slice(8, 300)}`));
      settle(new Error(`${name} broke the tunnel protocol`));
    };
    channel.onclose = () => settle(new Error(`the tunnel to ${name} closed before it was accepted`));
    channel.onerror = () => settle(new Error(`the tunnel to ${name} failed`));
  });
}

/**
 * The server tab's end: bridges incoming client channels to the local server (`connectLocal`
 * returns a stream to it, or throws when there is no server to connect to), and closes them all
 * when that server dies.
 */
export class ClientTunnelAcceptor {
  private readonly open = new Set<{ channel: DataChannelLike; local: ByteStream | null }>();

  constructor(
    private readonly connectLocal: (remoteAddress: string) => ByteStream,
    private readonly options: TunnelStreamOptions & { maxTunnels?: number } = {},
  ) {}

  get size(): number {
    return this.open.size;
  }

  /** A 'client:' channel from tab `peer`. */
  accept(peer: number, channel: DataChannelLike): void {
    const parsed = parseClientLabel(channel.label);
    if (parsed === null) return channel.close();
    const entry: { channel: DataChannelLike; local: ByteStream | null } = { channel, local: null };
    this.open.add(entry);
    channel.onclose = channel.onerror = () => this.open.delete(entry);
    const start = (): void => {
      channel.onopen = null;
      if (!this.open.has(entry)) return;
      if (this.open.size > (this.options.maxTunnels ?? 256)) return this.refuse(entry, 'too many tunnelled connections');
      let local: ByteStream;
      try {
        local = this.connectLocal(`tab${peer}/${parsed.who || 'client'}`);
      } catch (error) {
        return this.refuse(entry, error instanceof Error ? error.message : String(error));
      }
      entry.local = local;
      try {
        channel.send('ok');
      } catch {
        this.open.delete(entry);
        local.close();
        return channel.close();
      }
      const remote = channelByteStream(channel, this.options);
      pipe(remote, local, () => this.open.delete(entry));
    };
    if (channel.readyState === 'open') start();
    else channel.onopen = start;
  }

  /** The local server died: every tunnelled client sees its connection reset. */
  closeAll(reason: string): void {
    for (const entry of [...this.open]) {
      this.open.delete(entry);
      entry.local?.close();
      if (entry.channel.readyState === 'open') {
        try {
          entry.channel.send(`close ${reason}`);
        } catch {
          // closing anyway
        }
      }
      entry.channel.close();
    }
  }

  private refuse(entry: { channel: DataChannelLike }, reason: string): void {
    this.open.delete(entry as { channel: DataChannelLike; local: null });
    try {
      entry.channel.send(`refused ${reason.slice(0, 200)}`);
    } catch {
      // the client times out instead
    }
    entry.channel.close();
  }
}

/** Bytes both ways; either end closing closes the other. */
export function pipe(a: ByteStream, b: ByteStream, onClosed: () => void = () => undefined): void {
  let done = false;
  const end = (): void => {
    if (done) return;
    done = true;
    a.close();
    b.close();
    onClosed();
  };
  a.onData((bytes) => b.send(bytes));
  b.onData((bytes) => a.send(bytes));
  a.onClose(end);
  b.onClose(end);
}
