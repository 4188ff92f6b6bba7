// The Transport the replication hosts run FLE and ZAB over: message-oriented, one logical link
// per peer, per-link FIFO, and links that may break and come back. It carries opaque bytes
// (encoded PeerMessages, src/jute/quorum-packets.ts); what a message means is the core's business.
//
// Contract, for every implementation (memory, faulty wrapper, TCP, MessagePort):
// - Messages sent on an up link arrive in order, at most once, unless the link breaks first.
//   A break loses whatever was in flight (like a dropped TCP connection); it never reorders or
//   duplicates. Both ends see 'down', and the transport reconnects on its own later ('up').
// - Messages sent while the link is down wait in a bounded per-peer outbox (oldest dropped when
//   full, counted) and go out, in order, once the link is up. A ZAB core that wants "nothing from
//   before the break" should not send on a down link: check linkState() or treat 'up' as a fresh
//   session, as Apache's learner does on a new socket.
// - Handlers never run inside send()/connect()/disconnect(): delivery is always later (next event
//   of the simulator's queue, next I/O callback), so a core never sees re-entrant input.
// - Sending to oneself is a programming error (the FLE core loops its own votes back itself).

import type { ServerId } from '../zk/types';

export type LinkState = 'up' | 'down';
export type MessageHandler = (from: ServerId, bytes: Uint8Array) => void;
export type LinkChangeHandler = (peer: ServerId, state: LinkState) => void;
export type Unsubscribe = () => void;

export interface Transport {
  readonly selfId: ServerId;
  /** Queues `bytes` for `to` (see the contract above). Never throws for a down or unknown link. */
  send(to: ServerId, bytes: Uint8Array): void;
  onMessage(handler: MessageHandler): Unsubscribe;
  onLinkChange(handler: LinkChangeHandler): Unsubscribe;
  /** Asks for a link to `peer` and keeps it up (reconnecting after breaks) until close(). */
  connect(peer: ServerId): void;
  /** Breaks the current link to `peer` (in-flight messages are lost); it reconnects later. */
  disconnect(peer: ServerId): void;
  linkState(peer: ServerId): LinkState;
  /** Drops every link for good; no handler runs afterwards. */
  close(): void;
  readonly stats: TransportStats;
}

/** Counters every transport keeps (monotonic; for logs, 4lw-style stats and tests). */
export interface TransportStats {
  messagesSent: number;
  messagesReceived: number;
  /** Dropped on purpose or by a break: outbox overflow, link break, fault policy, loss. */
  messagesDropped: number;
  /** Frames from the wire that were malformed and dropped. */
  badFrames: number;
  linkUps: number;
  linkDowns: number;
}

export function emptyStats(): TransportStats {
  return { messagesSent: 0, messagesReceived: 0, messagesDropped: 0, badFrames: 0, linkUps: 0, linkDowns: 0 };
}

export function assertPeerId(selfId: ServerId, peer: ServerId): void {
  if (!Number.isSafeInteger(peer)) throw new RangeError(`peer id is not an integer: ${peer}`);
  if (peer === selfId) throw new RangeError(`server ${selfId} cannot open a link to itself`);
}
