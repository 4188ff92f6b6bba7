// Startup from what storage kept: the newest snapshot, then the log after it, replayed through the
// same apply as live serving. Sessions restart their expiry from now, as Apache's tracker does.
import { decodeTxn } from '../../jute/txn-codec';
import type { LogEntry } from '../../storage/storage';
import type { ServerCore } from './server-core';
import { decodeServerSnapshot } from './snapshot';
import { applyTxnState } from './apply-batch';

export interface RecoveredState {
  /** Bytes of the newest snapshot (from `storage.snapshot`), or null. */
  snapshot: Uint8Array | null;
  /** Log entries in zxid order; those at or below the snapshot's zxid are skipped. */
  log: readonly LogEntry[];
}

export function recover(core: ServerCore, state: RecoveredState): void {
  let fromZxid = 0n;
  if (state.snapshot !== null) {
    const snapshot = decodeServerSnapshot(state.snapshot, { extendedTypesEnabled: core.config.extendedTypesEnabled });
    core.tree = snapshot.tree;
    for (const s of snapshot.sessions) {
      core.sessions.track(s.sessionId, s.timeoutMs, core.nowMs);
      core.sessions.commit(s.sessionId);
    }
    core.lastProcessedZxid = snapshot.zxid;
    core.lastAssignedZxid = snapshot.zxid;
    fromZxid = snapshot.zxid;
  }
  let replayed = 0;
  for (const entry of state.log) {
    if (entry.zxid <= fromZxid) continue;
    const txn = decodeTxn(entry.bytes);
    if (txn.header.zxid !== entry.zxid) throw new Error(`log entry ${entry.zxid} holds txn ${txn.header.zxid}`);
    if (txn.header.zxid <= core.lastProcessedZxid) throw new Error(`log out of order at ${txn.header.zxid}`);
    applyTxnState(core, txn);
    replayed++;
  }
  killDeadSessions(core);
  core.trace({ type: 'recovered', zxid: core.lastProcessedZxid, txnsReplayed: replayed });
}

/** ZooKeeperServer.loadData: ephemerals of sessions no longer known are dropped without a txn. */
function killDeadSessions(core: ServerCore): void {
  for (const sessionId of core.tree.sessionsWithEphemerals()) {
    if (!core.sessions.has(sessionId)) core.tree.killSession(sessionId, core.lastProcessedZxid, null, []);
  }
}
