// Replication from the trace: the current leader's recent proposals with their ACKs against the
// quorum and whether they committed, each server's commit point, and each learner's sync mode
// every time it (re)joined a leader.
import type { TraceEvent } from '../../zk/trace';
import type { ServerId, Zxid } from '../../zk/types';
import { viewOfEvents, type TraceModel } from './trace-model';

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

/** The folded state: the view's fields, proposals by zxid (insertion order = proposal order). */
export interface ReplicationState {
  leader: ServerId | null;
  proposals: Map<Zxid, ProposalRow>;
  commitPoints: Record<number, Zxid>;
  syncs: SyncRow[];
}

export const replicationModel: TraceModel<ReplicationState, ReplicationView> = {
  empty: () => ({ leader: null, proposals: new Map(), commitPoints: {}, syncs: [] }),
  clone: (s) => ({
    leader: s.leader,
    proposals: new Map([...s.proposals].map(([zxid, row]) => [zxid, { ...row }])),
    commitPoints: { ...s.commitPoints },
    syncs: [...s.syncs],
  }),
  fold(s, events, from) {
    let changed = false;
    for (let i = from; i < events.length; i++) changed = foldOne(s, events[i] as TraceEvent) || changed;
    return changed;
  },
  view: (s) => ({ leader: s.leader, proposals: [...s.proposals.values()].map((p) => ({ ...p })), commitPoints: { ...s.commitPoints }, syncs: [...s.syncs] }),
};

export function replicationView(events: readonly TraceEvent[]): ReplicationView {
  return viewOfEvents(replicationModel, events);
}

function foldOne(s: ReplicationState, e: TraceEvent): boolean {
  let changed = true;
  if (e.type === 'state' && e.to === 'LEADING') {
    s.leader = e.server;
    s.proposals = new Map();
  } else if (e.type === 'state' && e.from === 'LEADING' && s.leader === e.server) {
    s.leader = null;
  } else if (e.server === s.leader && isBroadcastProposal(e)) {
    const zxid = e.zxid as Zxid;
    if (!s.proposals.has(zxid)) s.proposals.set(zxid, { zxid, acks: [], committed: false });
    if (s.proposals.size > PROPOSALS_SHOWN) s.proposals.delete(s.proposals.keys().next().value as Zxid);
  } else if (e.type === 'ack' && e.server === s.leader) {
    const row = s.proposals.get(e.zxid);
    if (row !== undefined && !row.acks.includes(e.from)) row.acks = [...row.acks, e.from];
  } else if (e.type === 'commit' && e.server === s.leader) {
    const row = s.proposals.get(e.zxid);
    if (row !== undefined) row.committed = true;
  } else if (e.type === 'sync.mode') {
    s.syncs.push({ leader: e.server, learner: e.learner, mode: e.mode, fromZxid: e.fromZxid, toZxid: e.toZxid, source: e.source ?? null, atMs: e.atMs });
    if (s.syncs.length > SYNCS_SHOWN) s.syncs.shift();
  } else {
    changed = false;
  }
  if ((e.type === 'commit' || e.type === 'applied') && e.zxid > (s.commitPoints[e.server] ?? -1n)) {
    s.commitPoints[e.server] = e.zxid;
    changed = true;
  }
  return changed;
}

/** A leader's proposal message that carries a zxid; the ones sent while syncing a learner count too. */
function isBroadcastProposal(e: TraceEvent): e is Extract<TraceEvent, { type: 'msg.sent' }> & { zxid: Zxid } {
  return e.type === 'msg.sent' && e.kind === 'proposal' && e.zxid !== undefined;
}

/** Majority of `voters`. */
export function quorumOf(voters: number): number {
  return Math.floor(voters / 2) + 1;
}
