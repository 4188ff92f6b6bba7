// WebRTC signalling between servers through the PeerServer socket the tab already holds for its
// myid claim. peerjs' own DataConnection is not used for the quorum: its data channel is created
// and wired inside peerjs, too late to transfer it to the server worker. So we run our own
// RTCPeerConnections and use peerjs only as the mailbox, sending our signals as server messages of
// type OFFER with a payload type peerjs does not know ('zootabs-rtc'): the PeerServer relays OFFERs
// (and stamps the real sender into `src`), and peerjs ignores unknown payload types without storing them.
//
// Signals are untrusted input (anything can register on the PeerServer): parseSignal validates them.
import type { ServerId } from '../zk/types';
import { myidOfPeerId, peerIdFor } from './peerjs-ids';

export const SIGNAL_PAYLOAD_TYPE = 'zootabs-rtc';
/** Signals bigger than this are dropped (an SDP offer is ~1-3 KB). */
export const MAX_SIGNAL_CHARS = 64 * 1024;

export interface IceCandidateInit {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
}

/**
 * - offer/answer: one RTCPeerConnection attempt, `session` chosen by the dialer; `inc` is the
 *   sender's incarnation (random per page load), so a reloaded tab is told apart from the old one.
 * - candidate: trickle ICE for `session` (null = end of candidates).
 * - ring: the smaller myid asks the dialer to (re)connect, or (quorum) for a fresh quorum channel
 *   newer than 'quorum-<have>', the newest it has seen: a ring that crossed a newer channel on
 *   its way is ignored, so requests from both sides never open two channels for one break.
 * - bye: the sender closed `session` (tab closing, server killed).
 */
export type Signal =
  | { kind: 'offer'; session: string; inc: string; sdp: string }
  | { kind: 'answer'; session: string; inc: string; sdp: string }
  | { kind: 'candidate'; session: string; candidate: IceCandidateInit | null }
  | { kind: 'ring'; inc: string; quorum: boolean; have: number }
  | { kind: 'bye'; session: string };

export type SignalHandler = (from: ServerId, signal: Signal) => void;

/** What the link manager needs from the signalling path. */
export interface Signaller {
  send(to: ServerId, signal: Signal): void;
  /** Signals from servers of our cluster. */
  onSignal(handler: SignalHandler): () => void;
  /** The PeerServer could not deliver to `peer` (no such peer registered within its expire timeout). */
  onUnreachable(handler: (peer: ServerId) => void): () => void;
}

const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

function isCandidate(value: unknown): value is IceCandidateInit | null {
  if (value === null) return true;
  if (typeof value !== 'object') return false;
  const c = value as Record<string, unknown>;
  return (
    typeof c['candidate'] === 'string' &&
    (c['sdpMid'] === null || typeof c['sdpMid'] === 'string') &&
    (c['sdpMLineIndex'] === null || (Number.isInteger(c['sdpMLineIndex']) && (c['sdpMLineIndex'] as number) >= 0))
  );
}

/** The signal in a relayed payload, or null if it is not a well-formed one. */
export function parseSignal(payload: unknown): Signal | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as Record<string, unknown>;
  if (p['type'] !== SIGNAL_PAYLOAD_TYPE) return null;
  const s = p['signal'];
  if (typeof s !== 'object' || s === null) return null;
  const signal = s as Record<string, unknown>;
  const session = signal['session'];
  const inc = signal['inc'];
  switch (signal['kind']) {
    case 'offer':
    case 'answer': {
      const sdp = signal['sdp'];
      const ok = typeof session === 'string' && TOKEN.test(session) && typeof inc === 'string' && TOKEN.test(inc);
      if (!ok || typeof sdp !== 'string' || sdp.length > MAX_SIGNAL_CHARS) return null;
      return signal['kind'] === 'offer' ? { kind: 'offer', session, inc, sdp } : { kind: 'answer', session, inc, sdp };
    }
    case 'candidate': {
      const candidate = signal['candidate'];
      if (!(typeof session === 'string' && TOKEN.test(session) && isCandidate(candidate))) return null;
      if (candidate !== null && candidate.candidate.length > MAX_SIGNAL_CHARS) return null;
      const copy = candidate === null ? null : { candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex };
      return { kind: 'candidate', session, candidate: copy };
    }
    case 'ring': {
      const have = signal['have'];
      const ok = typeof inc === 'string' && TOKEN.test(inc) && typeof signal['quorum'] === 'boolean';
      return ok && typeof have === 'number' && Number.isSafeInteger(have) && have >= 0 ? { kind: 'ring', inc, quorum: signal['quorum'] as boolean, have } : null;
    }
    case 'bye':
      return typeof session === 'string' && TOKEN.test(session) ? { kind: 'bye', session } : null;
    default:
      return null;
  }
}

/** The peerjs server socket as this module uses it (peer.socket: an EventEmitter with send()). */
export interface PeerSocketLike {
  send(message: { type: string; dst: string; payload: unknown }): void;
  on(event: 'message', fn: (message: { type?: unknown; src?: unknown; payload?: unknown }) => void): unknown;
  off(event: 'message', fn: (message: { type?: unknown; src?: unknown; payload?: unknown }) => void): unknown;
}

/** Signalling over the PeerServer socket of a registered Peer. Counts what it had to drop. */
export class PeerjsSignaller implements Signaller {
  readonly stats = { sent: 0, received: 0, malformed: 0, foreign: 0 };
  private readonly signalHandlers = new Set<SignalHandler>();
  private readonly unreachableHandlers = new Set<(peer: ServerId) => void>();
  private readonly listener: (message: { type?: unknown; src?: unknown; payload?: unknown }) => void;

  constructor(
    private readonly socket: PeerSocketLike,
    private readonly cluster: string,
    private readonly selfId: ServerId,
  ) {
    this.listener = (message) => this.receive(message);
    socket.on('message', this.listener);
  }

  send(to: ServerId, signal: Signal): void {
    if (to === this.selfId) throw new RangeError(`server ${to} cannot signal itself`);
    this.stats.sent++;
    this.socket.send({ type: 'OFFER', dst: peerIdFor(this.cluster, to), payload: { type: SIGNAL_PAYLOAD_TYPE, signal } });
  }

  onSignal(handler: SignalHandler): () => void {
    this.signalHandlers.add(handler);
    return () => void this.signalHandlers.delete(handler);
  }

  onUnreachable(handler: (peer: ServerId) => void): () => void {
    this.unreachableHandlers.add(handler);
    return () => void this.unreachableHandlers.delete(handler);
  }

  close(): void {
    this.socket.off('message', this.listener);
    this.signalHandlers.clear();
    this.unreachableHandlers.clear();
  }

  private receive(message: { type?: unknown; src?: unknown; payload?: unknown }): void {
    if (message.type !== 'OFFER' && message.type !== 'EXPIRE') return;
    const from = typeof message.src === 'string' ? myidOfPeerId(this.cluster, message.src) : null;
    if (message.type === 'EXPIRE') {
      if (from !== null) for (const handler of [...this.unreachableHandlers]) handler(from);
      return;
    }
    const payload = message.payload as { type?: unknown } | undefined;
    if (payload?.type !== SIGNAL_PAYLOAD_TYPE) return; // a peerjs offer of someone else's
    if (from === null || from === this.selfId) return void this.stats.foreign++;
    const signal = parseSignal(payload);
    if (signal === null) return void this.stats.malformed++;
    this.stats.received++;
    for (const handler of [...this.signalHandlers]) handler(from, signal);
  }
}
