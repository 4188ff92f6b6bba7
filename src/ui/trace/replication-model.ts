// Replication from the trace: the current leader's recent proposals with their ACKs against the
// quorum and whether they committed, each server's commit point, and each learner's sync mode
// every time it (re)joined a leader.
import type { TraceEvent } from '../../zk/trace';
import type { ServerId, Zxid } from '../../zk/types';

export interface ProposalRow {
  zxid: Zxid;
  acks: ServerId[];
  committed: boolean;
}

export interface SyncRow {
  leader: ServerId;
  learner: ServerId;
  mode: 'DIFF' | 'TRUNC' | 'TRUNC+DIFF' | 'SNAP';
  fromZxid: Zxid;
  toZxid: Zxid;
  /** Where a DIFF's txns came from: the leader's in-memory committed log or its on-disk txn log. */
  source: 'memory' | 'disk' | null;
  atMs: number;
}

export interface ReplicationView {
  leader: ServerId | null;
  /** Newest last; at most PROPOSALS_SHOWN. */
  proposals: ProposalRow[];
  /** myid -> highest zxid committed (leader) or applied (every server). */
  commitPoints: Record<number, Zxid>;
  /** Newest last; at most SYNCS_SHOWN. */
  syncs: SyncRow[];
}

export const PROPOSALS_SHOWN = 30;
export const SYNCS_SHOWN = 50;

export function replicationView(events: readonly TraceEvent[]): ReplicationView {
  let leader: ServerId | null = null;
  let proposals = new Map<Zxid, ProposalRow>();
  const commitPoints: Record<number, Zxid> = {};
  const syncs: SyncRow[] = [];
  for (const e of events) {
    if (e.type === 'state' && e.to === 'LEADING') {
      leader = e.server;
      proposals = new Map();
    } else if (e.type === 'state' && e.from === 'LEADING' && leader === e.server) {
      leader = null;
    } else if (e.server === leader && isBroadcastProposal(e)) {
      const zxid = e.zxid as Zxid;
      if (!proposals.has(zxid)) proposals.set(zxid, { zxid, acks: [], committed: false });
      if (proposals.size > PROPOSALS_SHOWN) proposals.delete(proposals.keys().next().value as Zxid);
    } else if (e.type === 'ack' && e.server === leader) {
      const row = proposals.get(e.zxid);
      if (row !== undefined && !row.acks.includes(e.from)) row.acks = [...row.acks, e.from];
    } else if (e.type === 'commit' && e.server === leader) {
      const row = proposals.get(e.zxid);
      if (row !== undefined) row.committed = true;
    } else if (e.type === 'sync.mode') {
      syncs.push({ leader: e.server, learner: e.learner, mode: e.mode, fromZxid: e.fromZxid, toZxid: e.toZxid, source: e.source ?? null, atMs: e.atMs });
      if (syncs.length > SYNCS_SHOWN) syncs.shift();
    }
    if ((e.type === 'commit' || e.type === 'applied') && e.zxid > (commitPoints[e.server] ?? -1n)) commitPoints[e.server] = e.zxid;
  }
  return { leader, proposals: [...proposals.values()].map((p) => ({ ...p })), commitPoints, syncs };
}

/** A leader's proposal message that carries a zxid; the ones sent while syncing a learner count too. */
function isBroadcastProposal(e: TraceEvent): e is Extract<TraceEvent, { type: 'msg.sent' }> & { zxid: Zxid } {
  return e.type === 'msg.sent' && e.kind === 'proposal' && e.zxid !== undefined;
}

/** Majority of `voters`. */
export function quorumOf(voters: number): number {
  return Math.floor(voters / 2) + 1;
}
