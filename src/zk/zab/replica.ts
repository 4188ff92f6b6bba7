// The replicated state of one quorum server (Apache ZKDatabase + FileTxnSnapLog as ZAB uses
// them): the data tree and sessions (inside the server core), the committed log for DIFF, the
// mirrored durable image for TRUNC, the group-commit log writer, and the two persisted epochs.
// Everything here becomes ServerEffects through the core, in call order.
import { decodeTxn } from '../../jute/txn-codec';
import type { LogEntry } from '../../storage/storage';
import { DataTree, initConfigNode } from '../datatree';
import { applyCommitted, applyTxnState, snapshotIfDue, takeSnapshot } from '../server/apply-batch';
import type { TxnOrigin } from '../server/commit-queue';
import { recover } from '../server/recovery';
import { decodeServerSnapshot, encodeServerSnapshot } from '../server/snapshot';
import type { Txn } from '../txn';
import { hex, type Zxid } from '../types';
import { CommittedLog } from './committed-log';
import { DurableImage } from './durable-image';
import { LogWriter, type LoggedTxn } from './log-writer';
import type { ServerCore } from '../server/server-core';
import type { EpochKey } from './zab-host';
import type { TxnLogView } from './sync-plan';

export interface ReplicaInit {
  snapshot: Uint8Array | null;
  log: readonly LogEntry[];
  meta: Readonly<Record<string, string>>;
  configText: string;
  configVersion: bigint;
  committedLogCount?: number;
  /** zookeeper.snapshotSizeFactor (default 0.33; negative: learners older than the committed log get a SNAP). */
  snapshotSizeFactor?: number;
}

/**
 * A startup that replayed at least this many logged txns takes a snapshot once its role is
 * established (ZooKeeperServer.loadData snapshots after restoring), so the next start replays a
 * short log: the log to replay stays bounded by about snapCount even across restarts.
 */
export const SNAPSHOT_AFTER_REPLAY_TXNS = 10_000;

export class Replica {
  readonly committedLog: CommittedLog;
  readonly image: DurableImage;
  readonly logWriter = new LogWriter();
  acceptedEpoch: number;
  currentEpoch: number;
  /** A TRUNC fell below the snapshot: this history can only be replaced by a SNAP. */
  needsSnapshot = false;
  /** Txns replayed from the log at startup that no snapshot covers yet (0 once one is taken). */
  private replayedAtStartup = 0;

  constructor(
    readonly core: ServerCore,
    private readonly init: ReplicaInit,
  ) {
    this.committedLog = new CommittedLog(init.committedLogCount);
    const snapshot = init.snapshot === null ? null : { zxid: snapshotZxidOf(core, init.snapshot), bytes: init.snapshot };
    this.image = new DurableImage(snapshot, init.log, init.snapshotSizeFactor);
    this.rebuild();
    this.replayedAtStartup = this.image.logLength;
    // QuorumPeer.loadDataBase: missing epoch files default to the epoch of the last logged zxid.
    const lastEpoch = Number(this.lastLoggedZxid() >> 32n);
    this.currentEpoch = parseEpoch(init.meta['currentEpoch']) ?? lastEpoch;
    this.acceptedEpoch = parseEpoch(init.meta['acceptedEpoch']) ?? lastEpoch;
    if (this.acceptedEpoch < this.currentEpoch) {
      throw new Error(`The accepted epoch, ${this.acceptedEpoch} is less than the current epoch, ${this.currentEpoch}`);
    }
  }

  lastLoggedZxid(): Zxid {
    return this.image.lastZxid();
  }

  /**
   * Persists an epoch. currentEpoch vouches for the history logged so far: FLE ranks a server by
   * (currentEpoch, last zxid), so a currentEpoch that is durable while txns logged before it are
   * not lets a power loss leave a server with the new epoch and a shorter log, which wins the next
   * election and truncates committed txns away everywhere (ZOOKEEPER-3911 class). Storage effects
   * are carried out in order, so issuing every waiting txn's append first makes the log durable
   * before the epoch. `logFirst` false is the test-only fault that re-introduces the bug.
   */
  saveEpoch(key: EpochKey, epoch: number, logFirst = true): void {
    if (key === 'acceptedEpoch') this.acceptedEpoch = epoch;
    else this.currentEpoch = epoch;
    if (key === 'currentEpoch' && logFirst) this.forceLogUpTo(this.lastLoggedZxid());
    this.core.emit({ kind: 'storage.setMeta', key, value: String(epoch) });
  }

  /** Hands a txn to the log (durable later, in a batch). */
  logTxn(txn: Txn, bytes: Uint8Array, generation: number): void {
    const zxid = txn.header.zxid;
    this.image.append({ zxid, bytes });
    this.logWriter.enqueue({ zxid, bytes, generation });
  }

  /** Starts the next append batch if none is in flight. */
  flushLog(): void {
    this.emitBatch(this.logWriter.takeBatch());
  }

  /** Issues every waiting txn up to `zxid` now, even while another batch is in flight. */
  private forceLogUpTo(zxid: Zxid): void {
    for (let batch = this.logWriter.forceUpTo(zxid); batch !== null; batch = this.logWriter.forceUpTo(zxid)) this.emitBatch(batch);
  }

  private emitBatch(batch: { batchId: number; entries: LogEntry[] } | null): void {
    if (batch === null) return;
    this.core.emit({ kind: 'storage.append', batchId: batch.batchId, entries: batch.entries });
    const first = batch.entries[0];
    const last = batch.entries[batch.entries.length - 1];
    if (first !== undefined && last !== undefined) {
      this.core.trace({ type: 'log.append', fromZxid: first.zxid, toZxid: last.zxid, count: batch.entries.length });
    }
  }

  /** storage.durable: the txns of that batch, or null for an unknown batch id. */
  logDurable(batchId: number): LoggedTxn[] | null {
    const batch = this.logWriter.complete(batchId);
    if (batch === null) return null;
    const last = batch.txns[batch.txns.length - 1];
    if (last !== undefined) this.core.trace({ type: 'log.durable', toZxid: last.zxid });
    return batch.txns;
  }

  /** FinalRequestProcessor for one committed txn: apply, fire watches, answer its origin. */
  applyCommitted(txn: Txn, bytes: Uint8Array, origin: TxnOrigin): void {
    // A committed txn is durable on a quorum (that is what committed means), so it is applied
    // without waiting for, or forcing, this server's own append: it stays in the group-commit queue
    // (Apache's leader and followers apply it the same way; an extra tiny write with its own fsync
    // per txn halved write throughput). Only a snapshot, which must not get ahead of the log
    // storage holds, forces the log out first.
    applyCommitted(this.core, { txn, bytes, origin });
    if (this.core.txnsSinceSnapshot + 1 >= this.core.snapshotThreshold) this.forceLogUpTo(txn.header.zxid);
    const snapshot = snapshotIfDue(this.core, 1);
    if (snapshot !== null) this.image.snapshotTaken(snapshot);
  }

  /**
   * The role is established (synced with a leader, or leading with a quorum): the state applied
   * now is history every quorum shares, so when startup replayed a long log, a snapshot of it
   * saves the next startup that replay. The log it covers is written first (storage effects run
   * in order), so the snapshot never gets ahead of the log.
   */
  snapshotAfterLongReplay(): void {
    if (this.replayedAtStartup < SNAPSHOT_AFTER_REPLAY_TXNS) return;
    this.replayedAtStartup = 0;
    if (this.needsSnapshot || this.core.lastProcessedZxid <= (this.image.snapshot?.zxid ?? -1n)) return;
    this.forceLogUpTo(this.core.lastProcessedZxid);
    this.image.snapshotTaken(takeSnapshot(this.core));
  }

  /** The txn log as a leader syncs learners from it (sync-plan's txn-log branch). */
  txnLogView(): TxnLogView {
    return { entries: this.image.txnLog(), sizeLimitBytes: this.image.txnLogSizeLimitBytes() };
  }

  /** A snapshot of the applied state (what SNAP sends). */
  snapshot(): { zxid: Zxid; bytes: Uint8Array } {
    const core = this.core;
    const zxid = core.lastProcessedZxid;
    return { zxid, bytes: encodeServerSnapshot(zxid, core.sessions.committedRecords(), core.tree) };
  }

  /**
   * Leaving a role: like Apache's reload from disk, everything logged counts as history now, so
   * the uncommitted tail is applied (silently: no client is connected any more).
   */
  reloadForElection(): void {
    const core = this.core;
    core.changes.clear();
    for (const entry of this.image.entriesAfter(core.lastProcessedZxid)) {
      const txn = decodeTxn(entry.bytes);
      applyTxnState(core, txn);
      this.committedLog.add(entry);
    }
    // The session tracker restarts from history (ZooKeeperServer.createSessionTracker): sessions
    // whose createSession never made it into the log go, and no close is pending any more.
    for (const session of core.sessions.all()) {
      if (!session.committed) core.sessions.remove(session.sessionId);
      else session.closing = false;
    }
    core.closeReasons.clear();
    core.cleanupInFlight.clear();
  }

  /** TRUNC: cut storage after `zxid` and rebuild the tree from the snapshot and what is left. */
  truncate(zxid: Zxid): boolean {
    if (!this.image.truncateAfter(zxid)) {
      this.needsSnapshot = true;
      this.core.trace({ type: 'warn', message: `cannot truncate to ${hex(zxid)}: below the snapshot at ${hex(this.image.snapshot?.zxid ?? 0n)}; asking for a SNAP next time` });
      return false;
    }
    // Storage must hold exactly the kept prefix: what still waits up to the cut is written first.
    this.forceLogUpTo(zxid);
    this.logWriter.dropWaitingAfter(zxid);
    this.core.emit({ kind: 'storage.truncate', zxid });
    this.rebuild();
    return true;
  }

  /** SNAP: the leader's snapshot replaces the tree, the sessions and the local history. */
  loadSnapshot(zxid: Zxid, bytes: Uint8Array): void {
    this.needsSnapshot = false;
    this.replayedAtStartup = 0;
    if (this.image.lastZxid() > zxid) this.core.emit({ kind: 'storage.truncate', zxid });
    this.logWriter.dropWaitingAfter(-1n);
    this.image.replace({ zxid, bytes });
    this.rebuild();
    this.core.emit({ kind: 'storage.snapshot', zxid, bytes });
    this.core.trace({ type: 'snapshot', zxid });
  }

  /** Tree and sessions from the image (ZKDatabase.loadDataBase), then the config node. */
  private rebuild(): void {
    const core = this.core;
    core.tree = new DataTree({ extendedTypesEnabled: core.config.extendedTypesEnabled });
    for (const session of core.sessions.all()) core.sessions.remove(session.sessionId);
    core.changes.clear();
    core.lastProcessedZxid = 0n;
    core.lastAssignedZxid = 0n;
    const log = this.image.entriesAfter(-1n);
    recover(core, { snapshot: this.image.snapshot?.bytes ?? null, log });
    this.committedLog.clear();
    for (const entry of log) this.committedLog.add(entry);
    initConfigNode(core.tree, this.init.configText, this.init.configVersion, BigInt(core.nowMs));
  }
}

function parseEpoch(value: string | undefined): number | null {
  if (value === undefined) return null;
  const epoch = Number(value);
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw new Error(`bad persisted epoch ${JSON.stringify(value)}`);
  return epoch;
}

function snapshotZxidOf(core: ServerCore, bytes: Uint8Array): Zxid {
  return decodeServerSnapshot(bytes, { extendedTypesEnabled: core.config.extendedTypesEnabled }).zxid;
}
