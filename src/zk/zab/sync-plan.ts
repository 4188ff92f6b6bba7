// How the leader brings one learner up to date (LearnerHandler.syncFollower and
// queueCommittedProposals), from the learner's last zxid, the leader's in-memory committed log
// and, for a learner older than that, the leader's transaction log (Apache's txnLogSyncEnabled
// path: getProposalsFromTxnLog, bounded by snapshotSizeFactor x the newest snapshot's size).
// Pure: the leader sends what the plan says.
import { ZXID_MASK_32, zxidEpoch, type Zxid } from '../types';
import type { CommittedEntry } from './committed-log';

export type SyncMode = 'DIFF' | 'TRUNC' | 'TRUNC+DIFF' | 'SNAP';

export interface SyncPlan {
  mode: SyncMode;
  /** Zxid carried by the first packet: DIFF's last committed zxid, TRUNC's cut point; SNAP fills it in. */
  markerZxid: Zxid;
  /** Committed txns to send as PROPOSAL + COMMIT pairs, oldest first. */
  txns: CommittedEntry[];
  /** The learner's last zxid once these packets are applied; forwarding continues after it. */
  currentZxid: Zxid;
  /** Where the txns came from: the committed log ('memory') or the txn log too ('disk'); null for SNAP. */
  source: 'memory' | 'disk' | null;
}

/** The leader's transaction log as ZKDatabase.getProposalsFromTxnLog sees it. */
export interface TxnLogView {
  /** Every txn the log holds, oldest first (may run past the last commit: those are never sent). */
  entries: readonly CommittedEntry[];
  /**
   * calculateTxnLogSizeLimit: the most log bytes worth sending instead of a snapshot. Negative:
   * txn-log sync disabled; 0: unlimited (Apache's value when there is no snapshot yet).
   */
  sizeLimitBytes: number;
}

export interface SyncInput {
  peerLastZxid: Zxid;
  /** The committed log, oldest first. */
  log: readonly CommittedEntry[];
  /** The leader's data tree lastProcessedZxid. */
  lastProcessedZxid: Zxid;
  /** The transaction log, for learners older than the committed log; absent: they get a SNAP. */
  txnLog?: TxnLogView;
  /** Testing hook (Apache's forceSnapSync). */
  forceSnap?: boolean;
}

export function planSync(input: SyncInput): SyncPlan {
  const { peerLastZxid: peer, log, lastProcessedZxid } = input;
  const snap: SyncPlan = { mode: 'SNAP', markerZxid: lastProcessedZxid, txns: [], currentZxid: lastProcessedZxid, source: null };
  if (input.forceSnap === true) return snap;
  const isPeerNewEpochZxid = (peer & ZXID_MASK_32) === 0n;
  // An empty log behaves as a log holding only lastProcessedZxid (Apache does the same).
  const minZxid = log[0]?.zxid ?? lastProcessedZxid;
  const maxZxid = log[log.length - 1]?.zxid ?? lastProcessedZxid;
  if (lastProcessedZxid === peer) {
    return { mode: 'DIFF', markerZxid: peer, txns: [], currentZxid: peer, source: 'memory' };
  }
  if (peer > maxZxid && !isPeerNewEpochZxid) {
    // The learner has txns we never committed (an old leader): cut it back to our history.
    return { mode: 'TRUNC', markerZxid: maxZxid, txns: [], currentZxid: maxZxid, source: 'memory' };
  }
  if (maxZxid >= peer && minZxid <= peer) return queueCommittedProposals(log, peer, maxZxid) ?? snap;
  if (peer < minZxid && input.txnLog !== undefined) return planFromTxnLog(input.txnLog, log, peer, minZxid, maxZxid) ?? snap;
  return snap;
}

/**
 * The txn-log branch of syncFollower: the log's txns after the learner's up to the committed log's
 * first, then the committed log. Only when the log holds the learner's last zxid itself (else the
 * learner may hold txns we never had: SNAP), its size after it is within the limit, and it reaches
 * the committed log without a gap. The learner's zxid is in our history, so this is always a DIFF.
 */
function planFromTxnLog(txnLog: TxnLogView, log: readonly CommittedEntry[], peer: Zxid, minCommitted: Zxid, maxCommitted: Zxid): SyncPlan | null {
  if (txnLog.sizeLimitBytes < 0) return null;
  const entries = txnLog.entries;
  const start = entries.findIndex((e) => e.zxid >= peer);
  if (start < 0 || (entries[start] as CommittedEntry).zxid !== peer) return null;
  if (txnLog.sizeLimitBytes > 0) {
    let bytes = 0;
    for (let i = start + 1; i < entries.length; i++) bytes += (entries[i] as CommittedEntry).bytes.length;
    if (bytes > txnLog.sizeLimitBytes) return null;
  }
  const txns: CommittedEntry[] = [];
  let queuedZxid = peer;
  for (let i = start + 1; i < entries.length; i++) {
    const entry = entries[i] as CommittedEntry;
    if (entry.zxid > minCommitted) break;
    txns.push(entry);
    queuedZxid = entry.zxid;
  }
  // "Detected gap between end of txnlog and beginning of committedlog": SNAP.
  if (queuedZxid < minCommitted) return null;
  for (const entry of log) {
    if (entry.zxid <= queuedZxid) continue;
    txns.push(entry);
    queuedZxid = entry.zxid;
  }
  return { mode: 'DIFF', markerZxid: maxCommitted, txns, currentZxid: queuedZxid, source: 'disk' };
}

/** The committed-log walk; null when no DIFF/TRUNC marker could be chosen (then SNAP). */
function queueCommittedProposals(log: readonly CommittedEntry[], peer: Zxid, lastCommittedZxid: Zxid): SyncPlan | null {
  const isPeerNewEpochZxid = (peer & ZXID_MASK_32) === 0n;
  let marker: { mode: 'DIFF' | 'TRUNC'; zxid: Zxid } | null = null;
  let queuedZxid = peer;
  let prevProposalZxid: Zxid = -1n;
  const txns: CommittedEntry[] = [];
  for (const entry of log) {
    const zxid = entry.zxid;
    if (zxid < peer) {
      prevProposalZxid = zxid;
      continue;
    }
    if (marker === null) {
      if (zxid === peer) {
        marker = { mode: 'DIFF', zxid: lastCommittedZxid };
        continue;
      }
      if (isPeerNewEpochZxid) {
        marker = { mode: 'DIFF', zxid: lastCommittedZxid };
      } else {
        // The learner holds a txn we never saw; a TRUNC must not cross an epoch boundary.
        if (zxidEpoch(zxid) !== zxidEpoch(peer)) return null;
        marker = { mode: 'TRUNC', zxid: prevProposalZxid };
        // Its history now ends at prevProposalZxid: everything after it must be sent.
        queuedZxid = prevProposalZxid;
      }
    }
    if (zxid <= queuedZxid) continue;
    txns.push(entry);
    queuedZxid = zxid;
  }
  if (marker === null && isPeerNewEpochZxid) marker = { mode: 'DIFF', zxid: lastCommittedZxid };
  if (marker === null) return null;
  const mode = marker.mode === 'TRUNC' && txns.length > 0 ? 'TRUNC+DIFF' : marker.mode;
  return { mode, markerZxid: marker.zxid, txns, currentZxid: queuedZxid, source: 'memory' };
}
