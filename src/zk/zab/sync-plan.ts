// How the leader brings one learner up to date (LearnerHandler.syncFollower and
// queueCommittedProposals), from the learner's last zxid and the leader's in-memory committed log.
// Pure: the leader sends what the plan says. There is no on-disk txn-log sync here (Apache's
// zookeeper.txnLogSyncEnabled path): a learner older than the committed log gets a SNAP.
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
}

export interface SyncInput {
  peerLastZxid: Zxid;
  /** The committed log, oldest first. */
  log: readonly CommittedEntry[];
  /** The leader's data tree lastProcessedZxid. */
  lastProcessedZxid: Zxid;
  /** Testing hook (Apache's forceSnapSync). */
  forceSnap?: boolean;
}

export function planSync(input: SyncInput): SyncPlan {
  const { peerLastZxid: peer, log, lastProcessedZxid } = input;
  const snap: SyncPlan = { mode: 'SNAP', markerZxid: lastProcessedZxid, txns: [], currentZxid: lastProcessedZxid };
  if (input.forceSnap === true) return snap;
  const isPeerNewEpochZxid = (peer & ZXID_MASK_32) === 0n;
  // An empty log behaves as a log holding only lastProcessedZxid (Apache does the same).
  const minZxid = log[0]?.zxid ?? lastProcessedZxid;
  const maxZxid = log[log.length - 1]?.zxid ?? lastProcessedZxid;
  if (lastProcessedZxid === peer) {
    return { mode: 'DIFF', markerZxid: peer, txns: [], currentZxid: peer };
  }
  if (peer > maxZxid && !isPeerNewEpochZxid) {
    // The learner has txns we never committed (an old leader): cut it back to our history.
    return { mode: 'TRUNC', markerZxid: maxZxid, txns: [], currentZxid: maxZxid };
  }
  if (maxZxid >= peer && minZxid <= peer) return queueCommittedProposals(log, peer, maxZxid) ?? snap;
  return snap;
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
  return { mode, markerZxid: marker.zxid, txns, currentZxid: queuedZxid };
}
