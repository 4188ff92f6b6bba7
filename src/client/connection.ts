// The connection/session state machine (Java's ClientCnxn + SendThread, without threads): one
// ByteStream at a time, a FIFO of requests waiting to be sent and a FIFO of requests waiting for
// their reply, pings, read/connect timeouts, reconnects that keep the session, and session events.
// Everything runs on the caller's event loop; time comes only from the injected timers.
import type { ByteStream, Connector } from '../net/byte-stream';
import { encodeFrame, FrameDecoder } from '../jute/framing';
import { decodeConnectResponse, encodeConnectRequest } from '../jute/handshake';
import { OpCode, Xid } from '../jute/opcodes';
import { decodeNotification, decodeReplyHeader } from '../jute/responses';
import type { ReplyHeader } from '../jute/session-records';
import { JUTE_MAX_BUFFER } from '../jute/jute-io';
import { Code, KeeperException } from '../zk/errors';
import { EventType, KeeperState } from '../zk/types';
import type { ClientState, WatchedEvent, Watcher } from './api';
import type { Chroot } from './chroot';
import type { HostProvider } from './host-provider';
import { RECONNECT_JITTER_MAX_MS, SpinBackoff, pingDelayMs, sessionTiming, type SpinDelayOptions } from './session-timing';
import { setWatchesRequests } from './set-watches';
import { TimerSlot, type Timers } from './timers';
import type { WatchManager } from './watch-manager';
import { decodeReplyBody, encodePacket, patchXid, type WireRequest } from './wire';

/** What a finished request reports: the server's (or a local) error code and the decoded body. */
export interface Reply {
  err: number;
  zxid: bigint;
  response: unknown;
}

/**
 * Runs synchronously when the reply arrives, before the promise settles (watch (de)registration,
 * as Java's finishPacket). May return a replacement error code.
 */
export type FinishHook = (err: number, response: unknown) => number | void;

interface Packet {
  op: number;
  /** Header + body with a placeholder xid, encoded at submit time so bad input fails early. */
  payload: Uint8Array;
  xid: number;
  /** Ping and auth keep their special xids and get no entry in the pending queue. */
  special: boolean;
  finish: (reply: Reply) => void;
}

interface AuthEntry {
  scheme: string;
  auth: Uint8Array;
  waiters: Array<{ resolve: () => void; reject: (e: Error) => void }>;
}

export interface ConnectionOptions {
  hosts: HostProvider;
  sessionTimeoutMs: number;
  connector: Connector;
  timers: Timers;
  watches: WatchManager;
  chroot: Chroot;
  canBeReadOnly: boolean;
  sessionId: bigint;
  sessionPasswd: Uint8Array;
  random?: () => number;
  /** Pause after a full cycle of failed servers (default: Java's fixed 1 s, session-timing.ts). */
  spinDelay?: SpinDelayOptions;
  maxQueuedRequests: number;
  maxFrameBytes?: number;
  onWatcherError: (error: unknown) => void;
}

const MAX_XID = 0x7fffffff;

export class Connection {
  private state: ClientState = 'CONNECTING';
  /** Last session state delivered to watchers; repeats are suppressed (EventThread.queueEvent). */
  private lastEventState: KeeperState = KeeperState.Disconnected;
  private sessionId: bigint;
  private sessionPasswd: Uint8Array;
  private negotiatedTimeoutMs = 0;
  private readTimeoutMs: number;
  private connectTimeoutMs: number;
  private lastZxid = 0n;
  private nextXid = 1;
  private seenRwServerBefore: boolean;
  private isFirstConnect = true;
  private closing = false;
  private closeWaiters: Array<() => void> = [];

  /** Bumped on every connection teardown so late callbacks from an old stream are ignored. */
  private generation = 0;
  private stream: ByteStream | null = null;
  private attemptInProgress = false;
  private initialized = false;
  private decoder: FrameDecoder | null = null;
  private readonly inbox: Array<{ generation: number; bytes: Uint8Array }> = [];
  private draining = false;
  private currentAddress: string | null = null;

  private readonly outgoing: Packet[] = [];
  private readonly pending: Packet[] = [];
  private readonly authInfo: AuthEntry[] = [];
  private authAwaiting: AuthEntry[] = [];

  private readonly readTimer: TimerSlot;
  private readonly pingTimer: TimerSlot;
  private readonly connectTimer: TimerSlot;
  private readonly reconnectTimer: TimerSlot;
  private readonly spin: SpinBackoff;

  constructor(private readonly o: ConnectionOptions) {
    this.sessionId = o.sessionId;
    this.sessionPasswd = o.sessionPasswd.slice();
    // A caller-supplied session id is resumed even before a read-write server was seen.
    this.seenRwServerBefore = o.sessionId !== 0n;
    const timing = sessionTiming(o.sessionTimeoutMs, o.hosts.size());
    this.readTimeoutMs = timing.readTimeoutMs;
    this.connectTimeoutMs = timing.connectTimeoutMs;
    this.readTimer = new TimerSlot(o.timers);
    this.pingTimer = new TimerSlot(o.timers);
    this.connectTimer = new TimerSlot(o.timers);
    this.reconnectTimer = new TimerSlot(o.timers);
    this.spin = new SpinBackoff(o.spinDelay);
  }

  start(): void {
    this.startNextAttempt();
  }

  getState(): ClientState {
    return this.state;
  }
  getSessionId(): bigint {
    return this.sessionId;
  }
  getSessionPasswd(): Uint8Array {
    return this.sessionPasswd.slice();
  }
  getSessionTimeout(): number {
    return this.negotiatedTimeoutMs;
  }
  getLastZxid(): bigint {
    return this.lastZxid;
  }
  /** "host:port" of the server of the current (or last attempted) connection. */
  getCurrentAddress(): string | null {
    return this.currentAddress;
  }

  private isAlive(): boolean {
    return this.state !== 'CLOSED' && this.state !== 'AUTH_FAILED';
  }

  private isConnected(): boolean {
    return (this.state === 'CONNECTED' || this.state === 'CONNECTEDREADONLY') && this.initialized;
  }

  // ---- requests -------------------------------------------------------------------------------

  /** Queues a request; the promise always resolves, with err != 0 on failure (Java's ReplyHeader). */
  submit(request: WireRequest, onFinish?: FinishHook): Promise<Reply> {
    return new Promise<Reply>((resolve) => {
      const finish = (reply: Reply) => {
        let err = reply.err;
        if (onFinish !== undefined) {
          try {
            const replaced = onFinish(err, reply.response);
            if (typeof replaced === 'number') err = replaced;
          } catch (e) {
            // e.g. the watch table is full: the reply itself still stands.
            this.o.onWatcherError(e);
          }
        }
        resolve({ ...reply, err });
      };
      const payload = encodePacket(0, request);
      const packet: Packet = { op: request.op, payload, xid: 0, special: false, finish };
      this.queuePacket(packet);
    });
  }

  private queuePacket(packet: Packet): void {
    if (!this.isAlive() || this.closing) {
      this.failPacket(packet);
      return;
    }
    const full = this.outgoing.length + this.pending.length >= this.o.maxQueuedRequests;
    if (full && packet.op !== OpCode.closeSession) {
      // Java's queue is unbounded; ours refuses instead of growing without limit.
      packet.finish({ err: Code.Throttled, zxid: -1n, response: null });
      return;
    }
    if (packet.op === OpCode.closeSession) this.closing = true;
    if (this.isConnected()) this.sendPacket(packet);
    else this.outgoing.push(packet);
  }

  /** Finishes a packet that will never get a reply, with the code Java's conLossPacket picks. */
  private failPacket(packet: Packet): void {
    const err =
      this.state === 'AUTH_FAILED' ? Code.AuthFailed : this.state === 'CLOSED' ? Code.SessionExpired : Code.ConnectionLoss;
    packet.finish({ err, zxid: -1n, response: null });
  }

  private sendPacket(packet: Packet): void {
    const stream = this.stream;
    if (stream === null) throw new Error('sendPacket without a stream');
    if (!packet.special) {
      packet.xid = this.takeXid();
      patchXid(packet.payload, packet.xid);
      this.pending.push(packet);
    }
    this.sendFrame(stream, packet.payload);
  }

  private sendFrame(stream: ByteStream, payload: Uint8Array): void {
    stream.send(encodeFrame(payload));
    if (this.isConnected()) this.pingTimer.set(pingDelayMs(this.readTimeoutMs), () => this.sendPing());
  }

  // Skips from MAX to 1 so request xids never collide with the special negative ones.
  private takeXid(): number {
    if (this.nextXid >= MAX_XID) this.nextXid = 1;
    return this.nextXid++;
  }

  private sendPing(): void {
    if (!this.isConnected()) return;
    this.sendPacket(this.specialPacket(Xid.PING, { op: OpCode.ping }));
  }

  private specialPacket(xid: number, request: WireRequest): Packet {
    return { op: request.op, payload: encodePacket(xid, request), xid, special: true, finish: () => {} };
  }

  // ---- auth -----------------------------------------------------------------------------------

  /** Remembers the credentials for every later connection; resolves when the server accepts them. */
  addAuthInfo(scheme: string, auth: Uint8Array): Promise<void> {
    if (!this.isAlive()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const entry: AuthEntry = { scheme, auth: auth.slice(), waiters: [{ resolve, reject }] };
      this.authInfo.push(entry);
      // When not connected, primeConnection sends it with the others.
      if (this.isConnected()) this.sendAuth(entry);
    });
  }

  private sendAuth(entry: AuthEntry): void {
    const request: WireRequest = { op: OpCode.auth, type: 0, scheme: entry.scheme, auth: entry.auth };
    this.authAwaiting.push(entry);
    this.sendPacket(this.specialPacket(Xid.AUTH, request));
  }

  private onAuthReply(header: ReplyHeader): void {
    const entry = this.authAwaiting.shift();
    const waiters = entry?.waiters.splice(0) ?? [];
    if (header.err === Code.AuthFailed) {
      for (const w of waiters) w.reject(new KeeperException(Code.AuthFailed));
      this.state = 'AUTH_FAILED';
      this.emitSessionEvent(KeeperState.AuthFailed);
      this.teardown('authentication failed');
      return;
    }
    for (const w of waiters) {
      if (header.err === Code.OK) w.resolve();
      else w.reject(new KeeperException(header.err));
    }
  }

  // ---- connecting -----------------------------------------------------------------------------

  private startNextAttempt(): void {
    if (!this.isAlive() || this.attemptInProgress || this.stream !== null) return;
    if (this.closing) {
      this.finishClose();
      return;
    }
    const next = this.o.hosts.next();
    let delayMs = next.cycled ? this.spin.take() : 0;
    if (!this.isFirstConnect && this.o.random !== undefined) {
      delayMs += Math.floor(this.o.random() * RECONNECT_JITTER_MAX_MS);
    }
    this.attemptInProgress = true;
    if (delayMs > 0) this.reconnectTimer.set(delayMs, () => this.openConnection(next.address));
    else this.openConnection(next.address);
  }

  private openConnection(address: string): void {
    this.isFirstConnect = false;
    this.state = 'CONNECTING';
    this.currentAddress = address;
    const generation = ++this.generation;
    this.connectTimer.set(this.connectTimeoutMs, () => this.onConnectionFailure(generation, 'connect timeout'));
    let opened: Promise<ByteStream>;
    try {
      opened = this.o.connector(address);
    } catch (e) {
      opened = Promise.reject(e);
    }
    opened.then(
      (stream) => this.onStreamOpened(generation, stream),
      (e: unknown) => this.onConnectionFailure(generation, `cannot connect to ${address}: ${String(e)}`),
    );
  }

  private onStreamOpened(generation: number, stream: ByteStream): void {
    if (generation !== this.generation || !this.isAlive()) {
      stream.close();
      return;
    }
    this.attemptInProgress = false;
    this.stream = stream;
    this.initialized = false;
    this.decoder = new FrameDecoder({ maxFrameBytes: this.o.maxFrameBytes ?? JUTE_MAX_BUFFER });
    stream.onData((bytes) => this.onBytes(generation, bytes));
    stream.onClose((reason) => this.onConnectionFailure(generation, `connection closed: ${reason}`));
    this.primeConnection(stream);
  }

  /** Sends the ConnectRequest; everything else waits for the ConnectResponse. */
  private primeConnection(stream: ByteStream): void {
    const request = {
      protocolVersion: 0,
      lastZxidSeen: this.lastZxid,
      timeoutMs: this.o.sessionTimeoutMs,
      sessionId: this.seenRwServerBefore ? this.sessionId : 0n,
      passwd: this.sessionPasswd,
      readOnly: this.o.canBeReadOnly,
    };
    const generation = this.generation;
    this.connectTimer.set(this.connectTimeoutMs, () => this.onConnectionFailure(generation, 'connect timeout'));
    this.sendFrame(stream, encodeConnectRequest(request));
  }

  private onConnectResponse(frame: Uint8Array): void {
    const response = decodeConnectResponse(frame);
    this.connectTimer.clear();
    this.initialized = true;
    if (response.timeoutMs <= 0) {
      this.state = 'CLOSED';
      this.emitSessionEvent(KeeperState.Expired);
      this.teardown('session expired');
      return;
    }
    const readOnly = response.readOnly === true;
    this.negotiatedTimeoutMs = response.timeoutMs;
    const timing = sessionTiming(response.timeoutMs, this.o.hosts.size());
    this.readTimeoutMs = timing.readTimeoutMs;
    this.connectTimeoutMs = timing.connectTimeoutMs;
    this.o.hosts.onConnected();
    this.spin.reset();
    this.sessionId = response.sessionId;
    this.sessionPasswd = response.passwd.slice();
    this.state = readOnly ? 'CONNECTEDREADONLY' : 'CONNECTED';
    this.seenRwServerBefore ||= !readOnly;
    this.armReadTimer();
    this.resendSessionState();
    if (this.stream === null) return;
    this.emitSessionEvent(readOnly ? KeeperState.ConnectedReadOnly : KeeperState.SyncConnected);
  }

  /** Auth first, then watch re-registration, then whatever the application queued meanwhile. */
  private resendSessionState(): void {
    this.authAwaiting = [];
    for (const entry of this.authInfo) this.sendAuth(entry);
    for (const request of setWatchesRequests(this.o.watches, this.lastZxid)) {
      this.sendPacket({ op: request.op, payload: encodePacket(0, request), xid: 0, special: false, finish: () => {} });
    }
    // A watcher or callback may close the stream while we flush: stop then.
    while (this.outgoing.length > 0 && this.isConnected()) {
      this.sendPacket(this.outgoing.shift() as Packet);
    }
    if (this.isConnected()) this.pingTimer.set(pingDelayMs(this.readTimeoutMs), () => this.sendPing());
  }

  // ---- receiving ------------------------------------------------------------------------------

  /**
   * Bytes are processed strictly in arrival order. A watcher or a synchronous transport can make
   * a reply arrive while an earlier frame is still being handled: it waits in the inbox.
   */
  private onBytes(generation: number, bytes: Uint8Array): void {
    if (generation !== this.generation) return;
    this.inbox.push({ generation, bytes });
    if (this.draining) return;
    this.draining = true;
    try {
      for (let chunk = this.inbox.shift(); chunk !== undefined; chunk = this.inbox.shift()) {
        this.processChunk(chunk.generation, chunk.bytes);
      }
    } finally {
      this.draining = false;
    }
  }

  private processChunk(generation: number, bytes: Uint8Array): void {
    if (generation !== this.generation || this.decoder === null) return;
    let frames: Uint8Array[];
    try {
      frames = this.decoder.push(bytes);
    } catch (e) {
      this.onConnectionFailure(generation, `bad frame: ${String(e)}`);
      return;
    }
    for (const frame of frames) {
      if (generation !== this.generation) return;
      try {
        this.handleFrame(frame);
      } catch (e) {
        this.onConnectionFailure(generation, `protocol error: ${String(e)}`);
        return;
      }
    }
  }

  private handleFrame(frame: Uint8Array): void {
    if (!this.initialized) {
      this.onConnectResponse(frame);
      return;
    }
    this.armReadTimer();
    const header = decodeReplyHeader(frame);
    if (header.xid === Xid.PING) return;
    if (header.xid === Xid.AUTH) {
      this.onAuthReply(header);
      return;
    }
    if (header.xid === Xid.NOTIFICATION) {
      this.onNotification(frame);
      return;
    }
    this.onReply(header, frame);
  }

  private armReadTimer(): void {
    const generation = this.generation;
    this.readTimer.set(this.readTimeoutMs, () =>
      this.onConnectionFailure(generation, `have not heard from server in ${this.readTimeoutMs}ms`),
    );
  }

  private onReply(header: ReplyHeader, frame: Uint8Array): void {
    const packet = this.pending.shift();
    if (packet === undefined) throw new Error(`Nothing in the queue, but got ${header.xid}`);
    // Servers that answer SetWatches with its special xid are tolerated.
    const setWatchesXid =
      header.xid === Xid.SET_WATCHES && (packet.op === OpCode.setWatches || packet.op === OpCode.setWatches2);
    if (packet.xid !== header.xid && !setWatchesXid) {
      packet.finish({ err: Code.ConnectionLoss, zxid: -1n, response: null });
      throw new Error(`Xid out of order. Got Xid ${header.xid} with err ${header.err} expected Xid ${packet.xid}`);
    }
    if (header.zxid > 0n) this.lastZxid = header.zxid;
    let response: unknown = null;
    try {
      if (header.err === Code.OK) response = decodeReplyBody(packet.op, frame);
    } catch (e) {
      packet.finish({ err: Code.MarshallingError, zxid: header.zxid, response: null });
      throw e;
    }
    packet.finish({ err: header.err, zxid: header.zxid, response });
    if (packet.op === OpCode.closeSession) this.finishClose();
  }

  private onNotification(frame: Uint8Array): void {
    const { zxid, event } = decodeNotification(frame);
    const watchers = this.o.watches.materialize(event.type, event.path);
    const clientEvent: WatchedEvent = {
      type: event.type,
      state: event.state,
      path: this.o.chroot.strip(event.path),
      zxid,
    };
    this.deliver(watchers, clientEvent);
  }

  /** Calls watchers synchronously, in order; a throwing watcher does not stop the others. */
  deliver(watchers: Iterable<Watcher>, event: WatchedEvent): void {
    for (const watcher of watchers) {
      try {
        watcher(event);
      } catch (e) {
        this.o.onWatcherError(e);
      }
    }
  }

  private emitSessionEvent(state: KeeperState): void {
    if (state === this.lastEventState) return;
    this.lastEventState = state;
    const watchers = this.o.watches.materialize(EventType.None, null);
    this.deliver(watchers, { type: EventType.None, state, path: null, zxid: -1n });
  }

  // ---- failures and close ---------------------------------------------------------------------

  private onConnectionFailure(generation: number, reason: string): void {
    if (generation !== this.generation || !this.isAlive()) return;
    this.teardown(reason);
    if (!this.isAlive()) return;
    if (this.closing) {
      this.finishClose();
      return;
    }
    this.state = 'CONNECTING';
    this.emitSessionEvent(KeeperState.Disconnected);
    this.startNextAttempt();
  }

  /** Drops the stream and fails every queued and in-flight request (Java's cleanup). */
  private teardown(reason: string): void {
    void reason;
    this.generation++;
    this.attemptInProgress = false;
    this.initialized = false;
    this.decoder = null;
    for (const slot of [this.readTimer, this.pingTimer, this.connectTimer, this.reconnectTimer]) slot.clear();
    const stream = this.stream;
    this.stream = null;
    this.authAwaiting = [];
    if (stream !== null) stream.close();
    const doomed = [...this.pending.splice(0), ...this.outgoing.splice(0)];
    for (const packet of doomed) this.failPacket(packet);
    if (!this.isAlive()) {
      this.rejectAuthWaiters();
      for (const resolve of this.closeWaiters.splice(0)) resolve();
    }
  }

  private rejectAuthWaiters(): void {
    const code = this.state === 'AUTH_FAILED' ? Code.AuthFailed : Code.SessionExpired;
    for (const entry of this.authInfo) {
      for (const w of entry.waiters.splice(0)) w.reject(new KeeperException(code));
    }
  }

  /**
   * Sends closeSession and resolves once the server answers, the connection fails (bounded by the
   * read timeout), or at once when there is no connection to close it over.
   */
  close(): Promise<void> {
    if (!this.isAlive()) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.closeWaiters.push(resolve));
    if (this.closing) return done;
    if (this.stream === null && !this.attemptInProgress) {
      this.closing = true;
      this.finishClose();
      return done;
    }
    if (this.stream === null && this.reconnectTimer.armed) {
      // Waiting out a reconnect pause: there is nothing to send the close over.
      this.closing = true;
      this.finishClose();
      return done;
    }
    const packet: Packet = {
      op: OpCode.closeSession,
      payload: encodePacket(0, { op: OpCode.closeSession }),
      xid: 0,
      special: false,
      finish: () => {},
    };
    this.queuePacket(packet);
    return done;
  }

  private finishClose(): void {
    if (!this.isAlive()) return;
    this.state = 'CLOSED';
    // Teardown resolves close() waiters; their continuations run after the Closed event below.
    this.teardown('closed');
    this.emitSessionEvent(KeeperState.Closed);
  }
}
