// Regression for seed 221 (3 servers): a deposed leader thaws, still believes it leads and sends
// PROPOSALs; a server that is LOOKING (or following someone else) drops them. The checker must not
// count them as that server's history, or the next leader's first commit "commits" them too.
import { describe, expect, it } from 'vitest';
import { encodeTxn } from '../../jute/txn-codec';
import { OpCode } from '../../jute/opcodes';
import type { TraceBody, TraceEvent } from '../../zk/trace';
import { CommitChain } from './commit-chain';
import { ViolationLog } from './violation';

const E2 = 0x200000000n;
const E3 = 0x300000000n;

function ev(server: number, body: TraceBody): TraceEvent {
  return { ...body, server, atMs: 0 } as TraceEvent;
}

function txnBytes(zxid: bigint): Uint8Array {
  return encodeTxn({ header: { sessionId: 1n, cxid: 1, zxid, timeMs: 0, type: OpCode.create }, body: { type: OpCode.create, path: `/p${zxid}`, data: new Uint8Array(), acl: [], ephemeral: false, parentCVersion: 1 } });
}

function setup(): { chain: CommitChain; log: ViolationLog; commit: (server: number, zxid: bigint) => void; trace: (server: number, body: TraceBody) => void } {
  const log = new ViolationLog();
  const chain = new CommitChain(log, { commitEvent: 'applied', singleServer: false }, () => []);
  const trace = (server: number, body: TraceBody): void => chain.onTrace(ev(server, body));
  const commit = (server: number, zxid: bigint): void => {
    chain.onEffect(server, { kind: 'storage.append', batchId: 1, entries: [{ zxid, bytes: txnBytes(zxid) }] }, 0);
    trace(server, { type: 'applied', zxid, op: 'create', paths: [] });
  };
  return { chain, log, commit, trace };
}

/** s1 and s3 committed E2+1; s1 went LOOKING; s2 (old leader) proposes E2+2 to s1. */
function strayProposalScenario(s1FollowsS2: boolean): ReturnType<typeof setup> {
  const t = setup();
  t.commit(1, E2 + 1n);
  t.commit(3, E2 + 1n);
  t.trace(1, { type: 'state', from: 'FOLLOWING', to: 'LOOKING', epoch: 2 });
  if (s1FollowsS2) t.trace(1, { type: 'msg.sent', to: 2, kind: 'followerInfo', zxid: E2, bytes: 30 });
  t.trace(1, { type: 'msg.received', from: 2, kind: 'proposal', zxid: E2 + 2n, bytes: 50 });
  t.trace(1, { type: 'state', from: 'LOOKING', to: 'LEADING', epoch: 2 });
  t.commit(1, E3 + 1n);
  t.commit(3, E3 + 1n);
  return t;
}

describe('committed-prefix checker: proposals a server dropped', () => {
  it('a PROPOSAL received while LOOKING is not part of that server\'s history', () => {
    const { chain, log } = strayProposalScenario(false);
    expect(log.items).toEqual([]);
    expect(chain.committed.map((c) => c.zxid)).toEqual([E2 + 1n, E3 + 1n]);
  });

  it('a PROPOSAL from the leader it follows is, so a follower missing it is still flagged', () => {
    // Same trace, but s1 follows s2 when the proposal arrives: it holds E2+2, and the new leader's
    // first commit commits it; s3 then commits E3+1 without it, a gap the checker must report.
    const { chain, log } = strayProposalScenario(true);
    expect(chain.committed.map((c) => c.zxid)).toEqual([E2 + 1n, E2 + 2n, E3 + 1n]);
    expect(log.items.map((v) => v.checker)).toEqual(['committed-prefix']);
  });
});
