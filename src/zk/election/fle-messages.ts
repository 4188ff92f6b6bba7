// Messages, inputs and effects of the FastLeaderElection state machine (fle.ts).

import type { Millis, ServerId, Zxid } from '../types';
import type { Vote } from './vote-order';

export type ServerState = 'LOOKING' | 'FOLLOWING' | 'LEADING' | 'OBSERVING';
export type DecidedState = Exclude<ServerState, 'LOOKING'>;

/** The FLE notification (without config data): the sender's vote, its round and its state. */
export interface FleNotification extends Vote {
  state: ServerState;
}

export type FleInput =
  /** Enter LOOKING and start a new round (QuorumPeer -> lookForLeader()). */
  | { type: 'start'; nowMs: Millis; lastLoggedZxid: Zxid; currentEpoch: number }
  /** A notification from server `from` (the transport knows the sender, as QuorumCnxManager does). */
  | { type: 'notification'; nowMs: Millis; from: ServerId; notification: FleNotification }
  /** Time passed; fires the notification retry or the end of finalizeWait when due. */
  | { type: 'tick'; nowMs: Millis };

export type FleEffect =
  | { type: 'send'; to: ServerId; notification: FleNotification }
  | { type: 'decided'; state: DecidedState; vote: Vote };

/** Java's Long.MIN_VALUE, the "no vote" an observer starts with. */
export const LONG_MIN_ZXID: Zxid = -(1n << 63n);
export const NO_SERVER: ServerId = Number.MIN_SAFE_INTEGER;
export const NO_EPOCH = Number.MIN_SAFE_INTEGER;

const STATES: ReadonlySet<string> = new Set(['LOOKING', 'FOLLOWING', 'LEADING', 'OBSERVING']);

/** Structural check of a notification that came off the network. */
export function isWellFormedNotification(n: unknown): n is FleNotification {
  if (typeof n !== 'object' || n === null) return false;
  const r = n as Record<string, unknown>;
  return (
    Number.isSafeInteger(r['leader']) &&
    typeof r['zxid'] === 'bigint' &&
    Number.isSafeInteger(r['electionEpoch']) &&
    Number.isSafeInteger(r['peerEpoch']) &&
    typeof r['state'] === 'string' &&
    STATES.has(r['state'])
  );
}
