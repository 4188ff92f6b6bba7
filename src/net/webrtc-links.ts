// The page's WebRTC links to the other servers of its cluster: one RTCPeerConnection per pair,
// signalled through the PeerServer (peerjs-signalling.ts). The page owns the connections because
// RTCPeerConnection does not exist in a Worker; the data channels are handed out as soon as they
// exist (dialer: right after createDataChannel; acceptor: in ondatachannel), which is the only
// moment an RTCDataChannel can still be transferred to the server worker.
//
// Only one connection per pair, as in Apache's QuorumCnxManager: the larger myid dials (offer);
// the smaller one "rings" (asks to be dialed) and answers. Each connection carries:
//   'control'    stays on the page: the control plane (fault commands, status), never cut by a
//                simulated partition;
//   'quorum-<n>' goes to the server worker: one ZAB/FLE connection. A worker that wants a new one
//                (after a break, or a restart) asks, and the dialer opens 'quorum-<n+1>' on the same
//                RTCPeerConnection; no renegotiation is needed for further channels. Requests carry
//                the number of the last channel the asker got, so a request that crossed a newer
//                channel on its way is dropped: one break costs one new channel, whatever the timing.
//   'client:<token>:<who>' a ZooKeeper client connection from either tab to the other tab's server
//                (src/net/client-tunnel.ts); either side may open one on a connected connection.
//   'quorum-closed:<n>' a notice, closed on arrival: the sender's server worker was killed, so the
//                quorum channels up to 'quorum-<n>' on this connection are dead (see workerKilled).
//
// peerjs' 'close' is not trusted for liveness (see docs/browser-platform.md); the servers' own
// heartbeats are. Here a connection is replaced when ICE says 'failed', when the far side says
// 'bye', when a reloaded far tab (new incarnation) rings or offers, or when an attempt does not
// connect within connectTimeoutMs. Retries back off from retryDelayMs to maxRetryDelayMs.
import type { ServerId } from '../zk/types';
import { realClock, type Clock } from './clock';
import type { IceCandidateInit, Signal, Signaller } from './peerjs-signalling';
import { quorumSeqOf } from '../worker/peer-messages';

export type LinkPhase = 'idle' | 'connecting' | 'connected';

export interface WebRtcLinksOptions {
  selfId: ServerId;
  signaller: Signaller;
  /** Default: no ICE servers (host candidates only; everything runs on one machine or LAN). */
  rtcConfig?: RTCConfiguration;
  createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection;
  /**
   * A new quorum channel for `peer`: transfer it to the worker now (later it is no longer
   * transferable). Return false if nobody took it (no worker running): it is then not counted as
   * handed, so the next worker's request is served.
   */
  onQuorumChannel(peer: ServerId, channel: RTCDataChannel): boolean | void;
  onControlChannel?(peer: ServerId, channel: RTCDataChannel): void;
  /** A client tunnel the far tab opened to this tab's server ('client:...'); closed if not given. */
  onClientChannel?(peer: ServerId, channel: RTCDataChannel): void;
  /**
   * `peer`'s server worker was killed: the quorum channels up to 'quorum-<upToSeq>' of this
   * connection are dead. Their ends here are with this tab's worker, which must close them.
   */
  onQuorumClosed?(peer: ServerId, upToSeq: number): void;
  onPhase?(peer: ServerId, phase: LinkPhase): void;
  clock?: Clock;
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  connectTimeoutMs?: number;
}

interface Attempt {
  session: string;
  pc: RTCPeerConnection;
  startedMs: number;
  remoteInc: string | null;
  remoteDescriptionSet: boolean;
  pendingCandidates: IceCandidateInit[];
  connected: boolean;
  cancelTimeout: (() => void) | null;
}

interface PeerRecord {
  peer: ServerId;
  dialer: boolean;
  attempt: Attempt | null;
  wanted: boolean;
  /** Dialer: the last 'quorum-<n>' opened. Acceptor: the newest one seen on the current connection. */
  quorumSeq: number;
  /** The last quorum channel handed to the current worker (0: none since it started). */
  handedSeq: number;
  delayMs: number;
  cancelRetry: (() => void) | null;
}

const MAX_PENDING_CANDIDATES = 64;
const QUORUM_CLOSED_PREFIX = 'quorum-closed:';

/** The label of the notice that the quorum channels up to 'quorum-<upToSeq>' are dead. */
export function quorumClosedLabel(upToSeq: number): string {
  if (!Number.isSafeInteger(upToSeq) || upToSeq < 1) throw new RangeError(`bad quorum channel number ${upToSeq}`);
  return `${QUORUM_CLOSED_PREFIX}${upToSeq}`;
}

/** n of a 'quorum-closed:<n>' notice label; 0 for anything else. */
export function quorumClosedSeqOf(label: string): number {
  const match = /^quorum-closed:(\d{1,9})$/.exec(label);
  return match === null ? 0 : Number(match[1]);
}

export function randomToken(): string {
  const bytes = new Uint8Array(9);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export class WebRtcLinks {
  /** This page load's identity in signals: a reloaded tab is a new incarnation. */
  readonly incarnation = randomToken();
  readonly stats = { dials: 0, accepts: 0, quorumChannels: 0, failures: 0, ignoredSignals: 0, clientChannels: 0, quorumClosedNotices: 0 };
  private readonly records = new Map<ServerId, PeerRecord>();
  private readonly clock: Clock;
  private readonly config: RTCConfiguration;
  private readonly unsubscribe: Array<() => void>;
  private closed = false;

  constructor(private readonly options: WebRtcLinksOptions) {
    this.clock = options.clock ?? realClock;
    this.config = options.rtcConfig ?? { iceServers: [] };
    this.unsubscribe = [
      options.signaller.onSignal((from, signal) => this.receive(from, signal)),
      options.signaller.onUnreachable((peer) => this.unreachable(peer)),
    ];
  }

  /** Keeps a connection to `peer` (dialing or ringing, retrying with backoff) until drop()/close(). */
  want(peer: ServerId): void {
    const rec = this.record(peer);
    if (rec === null || rec.wanted) return;
    rec.wanted = true;
    if (rec.attempt === null) this.start(rec, false);
  }

  /**
   * The server worker wants a (new) quorum channel to `peer`; the last one it got was
   * 'quorum-<afterSeq>' (0: none). If a newer one was already handed to it, that one is on its way.
   */
  requestQuorum(peer: ServerId, afterSeq = Number.MAX_SAFE_INTEGER): void {
    const rec = this.record(peer);
    if (rec === null) return;
    rec.wanted = true;
    if (rec.handedSeq > afterSeq) return; // crossed a newer channel
    if (!rec.dialer) return this.ring(rec, true);
    if (rec.attempt === null) return this.dial(rec);
    this.openQuorum(rec, rec.attempt);
  }

  /** The page started a new server worker: it holds no channel yet, whatever the old one had. */
  workerReplaced(): void {
    for (const rec of this.records.values()) rec.handedSeq = 0;
  }

  phase(peer: ServerId): LinkPhase {
    const attempt = this.records.get(peer)?.attempt;
    if (attempt == null) return 'idle';
    return attempt.connected ? 'connected' : 'connecting';
  }

  /**
   * Opens a client tunnel channel ('client:...') to `peer` on the connection the tabs share.
   * Throws at once when that connection is not up, so a client moves on to its next server.
   */
  openClientChannel(peer: ServerId, label: string): RTCDataChannel {
    if (!label.startsWith('client:')) throw new RangeError(`not a client channel label: ${label}`);
    const attempt = this.records.get(peer)?.attempt;
    if (this.closed || attempt == null || !attempt.connected) throw new Error(`no WebRTC connection to server ${peer} (${this.phase(peer)})`);
    this.stats.clientChannels++;
    return attempt.pc.createDataChannel(label, { ordered: true });
  }

  /** The RTCPeerConnection to `peer`, for diagnostics (getStats) only. */
  peerConnection(peer: ServerId): RTCPeerConnection | null {
    return this.records.get(peer)?.attempt?.pc ?? null;
  }

  /** Stops wanting `peer` and closes its connection, telling the far side. */
  drop(peer: ServerId): void {
    const rec = this.records.get(peer);
    if (rec === undefined) return;
    rec.wanted = false;
    rec.cancelRetry?.();
    rec.cancelRetry = null;
    this.teardown(rec, true);
  }

  /**
   * Closes every connection and dials again, client tunnels included. A terminated worker does NOT
   * close the data channels transferred to it (measured: the far side saw nothing for 30 s);
   * closing the RTCPeerConnection closes all of its channels at once. A kill uses the narrower
   * workerKilled(), which leaves the connections (and this tab's client tunnels) up.
   */
  resetAll(): void {
    for (const rec of this.records.values()) {
      if (rec.attempt === null) continue;
      this.teardown(rec, true);
      if (rec.wanted) this.retryLater(rec);
    }
  }

  /**
   * This tab's server worker was killed (terminated): what its crashed process's sockets do, and
   * nothing more. A terminated worker leaves the channels transferred to it open, and this page can
   * no longer close them; so each connected far tab gets a 'quorum-closed:<n>' notice and its
   * worker closes its ends of 'quorum-1'..'quorum-<n>' (closing one end closes both). The
   * connections stay up, and with them the client tunnels to the other tabs' servers: a client of
   * this tab that was on another server keeps its session and its connection. A connection not yet
   * connected carries no tunnel (openClientChannel refuses) and its channels never opened: it is
   * simply dialed again. Channels arriving later find no worker and are closed here.
   */
  workerKilled(): void {
    for (const rec of this.records.values()) {
      rec.handedSeq = 0;
      const attempt = rec.attempt;
      if (attempt === null) continue;
      if (!attempt.connected) {
        this.teardown(rec, true);
        if (rec.wanted) this.retryLater(rec);
        continue;
      }
      if (rec.quorumSeq < 1) continue; // no quorum channel on this connection yet
      this.stats.quorumClosedNotices++;
      try {
        attempt.pc.createDataChannel(quorumClosedLabel(rec.quorumSeq), { ordered: true });
      } catch {
        this.fail(rec, attempt); // the connection is failing: resetting it is what remains
      }
    }
  }

  /** Closes everything (tab closing): the far sides see their channels close. */
  close(): void {
    if (this.closed) return;
    for (const peer of [...this.records.keys()]) this.drop(peer);
    this.closed = true;
    for (const off of this.unsubscribe) off();
  }

  // ---------- dialing and accepting ----------

  private start(rec: PeerRecord, quorum: boolean): void {
    if (rec.dialer) this.dial(rec);
    else this.ring(rec, quorum);
  }

  private dial(rec: PeerRecord): void {
    this.teardown(rec, true);
    const attempt = this.newAttempt(rec, randomToken());
    this.stats.dials++;
    // The acceptor opens no channel but client tunnels; those arrive here too.
    attempt.pc.ondatachannel = (event) => this.incomingChannel(rec, attempt, event.channel);
    const control = attempt.pc.createDataChannel('control', { ordered: true });
    this.options.onControlChannel?.(rec.peer, control);
    this.openQuorum(rec, attempt);
    void this.offer(rec, attempt);
  }

  private async offer(rec: PeerRecord, attempt: Attempt): Promise<void> {
    try {
      const offer = await attempt.pc.createOffer();
      await attempt.pc.setLocalDescription(offer);
      if (rec.attempt !== attempt) return;
      this.options.signaller.send(rec.peer, { kind: 'offer', session: attempt.session, inc: this.incarnation, sdp: offer.sdp ?? '' });
    } catch {
      this.fail(rec, attempt);
    }
  }

  private async accept(rec: PeerRecord, signal: Extract<Signal, { kind: 'offer' }>): Promise<void> {
    if (rec.attempt?.session === signal.session) return; // duplicate
    this.teardown(rec, false);
    const attempt = this.newAttempt(rec, signal.session);
    attempt.remoteInc = signal.inc;
    rec.quorumSeq = 0; // a reloaded dialer numbers from 1 again; its channels raise this as they come
    this.stats.accepts++;
    attempt.pc.ondatachannel = (event) => this.incomingChannel(rec, attempt, event.channel);
    try {
      await attempt.pc.setRemoteDescription({ type: 'offer', sdp: signal.sdp });
      this.remoteDescriptionSet(attempt);
      const answer = await attempt.pc.createAnswer();
      await attempt.pc.setLocalDescription(answer);
      if (rec.attempt !== attempt) return;
      this.options.signaller.send(rec.peer, { kind: 'answer', session: attempt.session, inc: this.incarnation, sdp: answer.sdp ?? '' });
    } catch {
      this.fail(rec, attempt);
    }
  }

  private incomingChannel(rec: PeerRecord, attempt: Attempt, channel: RTCDataChannel): void {
    if (rec.attempt !== attempt) return void channel.close();
    if (channel.label.startsWith('client:')) {
      this.stats.clientChannels++;
      if (this.options.onClientChannel === undefined) return void channel.close();
      return this.options.onClientChannel(rec.peer, channel);
    }
    const closedSeq = quorumClosedSeqOf(channel.label);
    if (closedSeq > 0) {
      // Either side may send it (whichever's worker was killed); the notice is all in the label.
      channel.close();
      this.stats.quorumClosedNotices++;
      return void this.options.onQuorumClosed?.(rec.peer, closedSeq);
    }
    if (rec.dialer) return void channel.close(); // only the dialer opens control and quorum channels
    if (channel.label === 'control') return void this.options.onControlChannel?.(rec.peer, channel);
    const seq = quorumSeqOf(channel.label);
    if (seq > 0) {
      this.stats.quorumChannels++;
      rec.quorumSeq = Math.max(rec.quorumSeq, seq);
      if (this.options.onQuorumChannel(rec.peer, channel) !== false) rec.handedSeq = seq;
      return;
    }
    channel.close();
  }

  private openQuorum(rec: PeerRecord, attempt: Attempt): void {
    rec.quorumSeq++;
    this.stats.quorumChannels++;
    const channel = attempt.pc.createDataChannel(`quorum-${rec.quorumSeq}`, { ordered: true });
    if (this.options.onQuorumChannel(rec.peer, channel) !== false) rec.handedSeq = rec.quorumSeq;
  }

  private ring(rec: PeerRecord, quorum: boolean): void {
    this.options.signaller.send(rec.peer, { kind: 'ring', inc: this.incarnation, quorum, have: rec.quorumSeq });
    if (rec.attempt === null || !rec.attempt.connected) this.retryLater(rec);
  }

  // ---------- signals ----------

  private receive(from: ServerId, signal: Signal): void {
    const rec = this.record(from);
    if (rec === null) return;
    switch (signal.kind) {
      case 'offer':
        if (rec.dialer) return void this.stats.ignoredSignals++; // only the larger myid offers
        rec.wanted = true;
        return void this.accept(rec, signal);
      case 'answer':
        return void this.answered(rec, signal);
      case 'candidate':
        return this.candidate(rec, signal.session, signal.candidate);
      case 'ring':
        return this.rung(rec, signal.inc, signal.quorum, signal.have);
      case 'bye':
        if (rec.attempt?.session !== signal.session) return;
        this.teardown(rec, false);
        if (rec.wanted) this.retryLater(rec);
        return;
    }
  }

  private async answered(rec: PeerRecord, signal: Extract<Signal, { kind: 'answer' }>): Promise<void> {
    const attempt = rec.attempt;
    if (!rec.dialer || attempt === null || attempt.session !== signal.session || attempt.remoteInc !== null) {
      return void this.stats.ignoredSignals++;
    }
    attempt.remoteInc = signal.inc;
    try {
      await attempt.pc.setRemoteDescription({ type: 'answer', sdp: signal.sdp });
      this.remoteDescriptionSet(attempt);
    } catch {
      this.fail(rec, attempt);
    }
  }

  private candidate(rec: PeerRecord, session: string, candidate: IceCandidateInit | null): void {
    const attempt = rec.attempt;
    if (attempt === null || attempt.session !== session) return void this.stats.ignoredSignals++;
    if (!attempt.remoteDescriptionSet) {
      if (attempt.pendingCandidates.length < MAX_PENDING_CANDIDATES && candidate !== null) attempt.pendingCandidates.push(candidate);
      return;
    }
    if (candidate !== null) attempt.pc.addIceCandidate(candidate).catch(() => undefined);
  }

  private remoteDescriptionSet(attempt: Attempt): void {
    attempt.remoteDescriptionSet = true;
    for (const candidate of attempt.pendingCandidates.splice(0)) attempt.pc.addIceCandidate(candidate).catch(() => undefined);
  }

  /** The smaller myid asks us (the dialer) for a connection or a fresh quorum channel. */
  private rung(rec: PeerRecord, inc: string, quorum: boolean, have: number): void {
    if (!rec.dialer) return void this.stats.ignoredSignals++;
    rec.wanted = true;
    const attempt = rec.attempt;
    const young = attempt !== null && this.clock.nowMs() - attempt.startedMs < (this.options.connectTimeoutMs ?? 10_000);
    if (attempt === null || (attempt.remoteInc !== null && attempt.remoteInc !== inc)) return this.dial(rec); // new tab over there
    if (!attempt.connected) {
      if (!young) this.dial(rec);
      return; // our offer is on its way
    }
    if (quorum && rec.quorumSeq <= have) this.openQuorum(rec, attempt); // else a newer one is on its way
  }

  private unreachable(peer: ServerId): void {
    const rec = this.records.get(peer);
    if (rec?.attempt == null || rec.attempt.connected) return;
    this.fail(rec, rec.attempt);
  }

  // ---------- attempts ----------

  private newAttempt(rec: PeerRecord, session: string): Attempt {
    const factory = this.options.createPeerConnection ?? ((config: RTCConfiguration) => new RTCPeerConnection(config));
    const pc = factory(this.config);
    const attempt: Attempt = {
      session,
      pc,
      startedMs: this.clock.nowMs(),
      remoteInc: null,
      remoteDescriptionSet: false,
      pendingCandidates: [],
      connected: false,
      cancelTimeout: null,
    };
    rec.attempt = attempt;
    pc.onicecandidate = (event) => {
      if (rec.attempt !== attempt) return;
      const c = event.candidate;
      const candidate = c === null ? null : { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex };
      this.options.signaller.send(rec.peer, { kind: 'candidate', session, candidate });
    };
    pc.onconnectionstatechange = () => this.connectionState(rec, attempt);
    attempt.cancelTimeout = this.clock.setTimer(this.options.connectTimeoutMs ?? 10_000, () => {
      attempt.cancelTimeout = null;
      if (rec.attempt === attempt && !attempt.connected) this.fail(rec, attempt);
    });
    this.options.onPhase?.(rec.peer, 'connecting');
    return attempt;
  }

  private connectionState(rec: PeerRecord, attempt: Attempt): void {
    if (rec.attempt !== attempt) return;
    const state = attempt.pc.connectionState;
    if (state === 'connected' && !attempt.connected) {
      attempt.connected = true;
      attempt.cancelTimeout?.();
      attempt.cancelTimeout = null;
      rec.delayMs = this.options.retryDelayMs ?? 250;
      rec.cancelRetry?.();
      rec.cancelRetry = null;
      this.options.onPhase?.(rec.peer, 'connected');
    } else if (state === 'failed' || state === 'closed') {
      this.fail(rec, attempt);
    }
  }

  private fail(rec: PeerRecord, attempt: Attempt): void {
    if (rec.attempt !== attempt || this.closed) return;
    this.stats.failures++;
    this.teardown(rec, true);
    if (rec.wanted) this.retryLater(rec);
  }

  private teardown(rec: PeerRecord, sayBye: boolean): void {
    const attempt = rec.attempt;
    if (attempt === null) return;
    rec.attempt = null;
    attempt.cancelTimeout?.();
    attempt.pc.onicecandidate = null;
    attempt.pc.onconnectionstatechange = null;
    attempt.pc.ondatachannel = null;
    if (sayBye && !this.closed) this.options.signaller.send(rec.peer, { kind: 'bye', session: attempt.session });
    attempt.pc.close();
    this.options.onPhase?.(rec.peer, 'idle');
  }

  private retryLater(rec: PeerRecord): void {
    if (rec.cancelRetry !== null || this.closed) return;
    const delay = rec.delayMs;
    rec.delayMs = Math.min(this.options.maxRetryDelayMs ?? 5000, rec.delayMs * 2);
    rec.cancelRetry = this.clock.setTimer(delay, () => {
      rec.cancelRetry = null;
      if (this.closed || !rec.wanted) return;
      if (rec.attempt?.connected) return;
      if (rec.dialer && rec.attempt !== null) return; // an attempt is under way; its timeout decides
      this.start(rec, true);
    });
  }

  private record(peer: ServerId): PeerRecord | null {
    if (this.closed) return null;
    if (!Number.isSafeInteger(peer) || peer < 1 || peer === this.options.selfId) return null;
    let rec = this.records.get(peer);
    if (rec === undefined) {
      rec = {
        peer,
        dialer: this.options.selfId > peer,
        attempt: null,
        wanted: false,
        quorumSeq: 0,
        handedSeq: 0,
        delayMs: this.options.retryDelayMs ?? 250,
        cancelRetry: null,
      };
      this.records.set(peer, rec);
    }
    return rec;
  }
}
