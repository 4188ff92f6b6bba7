// The leader's outstanding proposals (Leader.outstandingProposals): logged and sent, waiting for a
// quorum of ACKs. They commit strictly in zxid order: a later proposal with a quorum waits for
// every earlier one (Leader.tryToCommit).
import type { QuorumVerifier } from '../election/quorum';
import type { Txn } from '../txn';
import type { ServerId, Zxid } from '../types';

export interface Proposal {
  txn: Txn;
  bytes: Uint8Array;
  acks: Set<ServerId>;
}

/** Proposals in flight beyond this mean ACKs stopped coming: a bug or a dead quorum. */
export const MAX_OUTSTANDING_PROPOSALS = 100_000;

export class ProposalTracker {
  /** Insertion order is zxid order (propose asserts it). */
  private readonly outstanding = new Map<Zxid, Proposal>();
  private lastProposedZxid: Zxid;

  constructor(lastZxid: Zxid) {
    this.lastProposedZxid = lastZxid;
  }

  get lastProposed(): Zxid {
    return this.lastProposedZxid;
  }

  get size(): number {
    return this.outstanding.size;
  }

  add(txn: Txn, bytes: Uint8Array): Proposal {
    const zxid = txn.header.zxid;
    if (zxid <= this.lastProposedZxid) throw new Error(`proposal ${zxid} not after ${this.lastProposedZxid}`);
    if (this.outstanding.size >= MAX_OUTSTANDING_PROPOSALS) throw new Error('too many outstanding proposals');
    const proposal: Proposal = { txn, bytes, acks: new Set() };
    this.outstanding.set(zxid, proposal);
    this.lastProposedZxid = zxid;
    return proposal;
  }

  /** Records an ACK; false when the zxid is not outstanding (already committed or unknown). */
  ack(sid: ServerId, zxid: Zxid, quorum: QuorumVerifier): boolean {
    const proposal = this.outstanding.get(zxid);
    if (proposal === undefined) return false;
    // Observers never vote; their ACKs (if any) do not count.
    if (quorum.isVoter(sid)) proposal.acks.add(sid);
    return true;
  }

  /**
   * Removes and returns the proposals that may commit now, oldest first: the longest prefix
   * whose ack sets pass `canCommit`.
   */
  takeCommittable(canCommit: (proposal: Proposal) => boolean): Proposal[] {
    const out: Proposal[] = [];
    for (const [zxid, proposal] of this.outstanding) {
      if (!canCommit(proposal)) break;
      this.outstanding.delete(zxid);
      out.push(proposal);
    }
    return out;
  }

  /** Outstanding proposals after `zxid`, oldest first (startForwarding). */
  after(zxid: Zxid): Proposal[] {
    return [...this.outstanding.values()].filter((p) => p.txn.header.zxid > zxid);
  }
}
