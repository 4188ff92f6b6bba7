// What the ZAB role machines (leader.ts, learner.ts) need from the server that runs them. The
// machines are pure state machines: they never touch storage or the network; they call these
// methods, and the host (QuorumPeer) turns them into ServerEffects in call order. Anything that
// must wait for durability comes back to the machine as an input (onLogDurable, onMetaSaved).
import type { RequestPacket, RevalidatePacket, QuorumPacket, SessionTouch } from '../../jute/quorum-messages';
import type { TraceBody } from '../trace';
import type { Txn } from '../txn';
import type { ServerId, SessionId, Zxid } from '../types';
import type { CommittedLog } from './committed-log';
import type { TxnLogView } from './sync-plan';

export type EpochKey = 'acceptedEpoch' | 'currentEpoch';

export interface ZabHost {
  // ---- what the server holds ----
  /** Last zxid handed to the log (durable or still in flight). */
  lastLoggedZxid(): Zxid;
  /**
   * The zxid a learner reports in ACKEPOCH: lastLoggedZxid, or 0 after a TRUNC below its snapshot
   * failed (then only a SNAP can bring it back, and 0 makes the leader send one).
   */
  ackEpochZxid(): Zxid;
  /** Last zxid applied to the data tree. */
  lastProcessedZxid(): Zxid;
  readonly committedLog: CommittedLog;
  acceptedEpoch(): number;
  currentEpoch(): number;
  /** The transaction log for syncing learners older than the committed log; absent: they get a SNAP. */
  txnLog?(): TxnLogView;
  /** A snapshot of the applied state (tree + sessions) for SNAP. */
  snapshot(): { zxid: Zxid; bytes: Uint8Array };
  /** Sessions with client activity since the last call (a learner's PING reply). */
  takeTouchedSessions(): SessionTouch[];

  // ---- what the machines ask for ----
  send(to: ServerId, packet: QuorumPacket): void;
  /** Append to the local log; `onLogDurable(zxid)` follows once it is durable. */
  log(txn: Txn, bytes: Uint8Array): void;
  /** Apply a committed txn now (zxid order is the machine's job). */
  commit(txn: Txn, bytes: Uint8Array): void;
  /**
   * Persist an epoch; `onMetaSaved(key, epoch)` follows once it is durable. currentEpoch is
   * written only after every txn handed to `log` before it (never durable ahead of them).
   */
  saveEpoch(key: EpochKey, epoch: number): void;
  /** TRUNC: cut the log after `zxid` and rebuild the tree from what remains. False if impossible. */
  truncate(zxid: Zxid): boolean;
  /** SNAP: replace the tree and sessions with the leader's snapshot and persist it. */
  loadSnapshot(zxid: Zxid, bytes: Uint8Array): void;
  /** The role is established: serve clients (leader: NEWLEADER quorum; learner: UPTODATE). */
  established(): void;
  /** The role failed: the host goes back to LOOKING once the current input is handled. */
  lost(reason: string): void;
  trace(body: TraceBody): void;

  // ---- leader only ----
  /** A learner forwarded a client write: prep it, then `Leader.propose`. */
  forwardedRequest(from: ServerId, packet: RequestPacket): void;
  /** Session activity reported by a learner's PING reply. */
  touchSessions(from: ServerId, sessions: readonly SessionTouch[]): void;
  /** Is this session valid (and touched with that timeout)? Answered to the learner at once. */
  revalidateSession(from: ServerId, packet: RevalidatePacket): boolean;

  // ---- learner only ----
  /** The leader's answer to a REVALIDATE this learner sent. */
  revalidated(sessionId: SessionId, valid: boolean): void;
  /** The leader's answer to a SYNC this learner sent: the oldest waiting client sync may answer. */
  synced(): void;
}

/** Timing of the quorum protocol, in ticks of tickTime (zoo.cfg initLimit, syncLimit). */
export interface ZabTiming {
  initLimitTicks: number;
  syncLimitTicks: number;
}

/**
 * Classic ZAB bugs that a test can switch on to prove the simulator's checkers catch them.
 * All off by default; never set them outside tests.
 */
export interface ZabFaults {
  /** Learner and leader ACK a proposal as soon as it is handed to the log, before it is durable. */
  unsafeAckBeforeDurable?: boolean;
  /** A learner ignores TRUNC and keeps the txns the leader told it to drop. */
  unsafeSkipTruncate?: boolean;
  /** The leader commits a proposal on its own ACK alone, without a quorum. */
  unsafeCommitWithoutQuorum?: boolean;
  /** A learner ACKs NEWLEADER without persisting currentEpoch first. */
  unsafeSkipCurrentEpochPersist?: boolean;
  /**
   * currentEpoch is written while txns logged before it still wait for the disk, so a power loss
   * can keep the new epoch and lose the txns (a learner's DIFF, a leader's reloaded tail).
   */
  unsafeEpochBeforeLogDurable?: boolean;
}

export function validateTiming(timing: ZabTiming): void {
  for (const [name, value] of Object.entries(timing)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be an integer >= 1, got ${value}`);
  }
}
