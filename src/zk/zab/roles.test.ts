import { describe, it, expect } from 'vitest';
import { encodeTxn } from '../../jute/txn-codec';
import { OpCode } from '../../jute/opcodes';
import { MajorityQuorumVerifier } from '../election/quorum';
import type { Txn } from '../txn';
import { makeZxid } from '../types';
import { FakeHost } from './fake-host';
import { Leader } from './leader';
import { Learner } from './learner';

const timing = { initLimitTicks: 10, syncLimitTicks: 5 };
const quorum = new MajorityQuorumVerifier({ voters: [1, 2, 3], observers: [4] });

function leaderOf(host: FakeHost): Leader {
  const leader = new Leader(host, { myId: 3, quorum, timing, configBytes: new Uint8Array(0) });
  leader.start(0);
  return leader;
}

function txn(zxid: bigint): { txn: Txn; bytes: Uint8Array } {
  const t: Txn = { header: { sessionId: 0n, cxid: 0, zxid, timeMs: 0, type: OpCode.setData }, body: { type: OpCode.setData, path: '/', data: new Uint8Array(0), version: 1 } };
  return { txn: t, bytes: encodeTxn(t) };
}

/** Drives a leader through discovery and sync with follower 2 (empty histories). */
function establish(host: FakeHost): Leader {
  const leader = leaderOf(host);
  leader.onMessage(2, { kind: 'followerInfo', zxid: 0n, sid: 2, protocolVersion: 0x10000, configVersion: 0n });
  leader.onMetaSaved('acceptedEpoch', 1);
  leader.onMessage(2, { kind: 'ackEpoch', zxid: 0n, currentEpoch: 0 });
  leader.onMetaSaved('currentEpoch', 1);
  leader.onMessage(2, { kind: 'ack', zxid: makeZxid(1, 0) });
  expect(leader.phase).toBe('broadcast');
  host.take();
  return leader;
}

describe('Leader discovery', () => {
  it('proposes max(acceptedEpoch)+1 once a quorum said FOLLOWERINFO, and sends LEADERINFO only once it is durable', () => {
    const host = new FakeHost();
    host.accepted = 4;
    const leader = leaderOf(host);
    leader.onMessage(1, { kind: 'followerInfo', zxid: makeZxid(6, 0), sid: 1, protocolVersion: 0x10000, configVersion: 0n });
    expect(host.take()).toEqual([{ call: 'saveEpoch', key: 'acceptedEpoch', epoch: 7 }]);
    leader.onMessage(2, { kind: 'followerInfo', zxid: makeZxid(2, 0), sid: 2, protocolVersion: 0x10000, configVersion: 0n });
    expect(host.sent()).toEqual([]);
    leader.onMetaSaved('acceptedEpoch', 7);
    expect(host.sent().map((p) => p.kind)).toEqual(['leaderInfo', 'leaderInfo']);
    expect(host.sent(1)[0]?.zxid).toBe(makeZxid(7, 0));
  });

  it('steps down when a follower is ahead of it', () => {
    const host = new FakeHost();
    host.current = 1;
    host.lastLogged = makeZxid(1, 5);
    const leader = leaderOf(host);
    leader.onMessage(1, { kind: 'followerInfo', zxid: makeZxid(1, 0), sid: 1, protocolVersion: 0x10000, configVersion: 0n });
    leader.onMetaSaved('acceptedEpoch', 2);
    leader.onMessage(1, { kind: 'ackEpoch', zxid: makeZxid(1, 6), currentEpoch: 1 });
    expect(host.calls.at(-1)).toMatchObject({ call: 'lost' });
    expect(leader.phase).toBe('stopped');
  });

  it('an ACKEPOCH of -1 (already accepted) does not count toward the quorum', () => {
    const host = new FakeHost();
    const leader = leaderOf(host);
    leader.onMessage(1, { kind: 'followerInfo', zxid: 0n, sid: 1, protocolVersion: 0x10000, configVersion: 0n });
    leader.onMetaSaved('acceptedEpoch', 1);
    leader.onMessage(1, { kind: 'ackEpoch', zxid: 0n, currentEpoch: -1 });
    expect(leader.phase).toBe('epochAck');
  });

  it('gives up after initLimit ticks without a quorum, and ignores observers for it', () => {
    const host = new FakeHost();
    const leader = leaderOf(host);
    leader.onMessage(4, { kind: 'observerInfo', zxid: 0n, sid: 4, protocolVersion: 0x10000, configVersion: 0n });
    leader.onTick(10);
    expect(leader.phase).toBe('discovery');
    leader.onTick(11);
    expect(host.calls.at(-1)).toMatchObject({ call: 'lost', reason: 'timeout in phase discovery after initLimit' });
  });

  it('counts its own NEWLEADER ACK only once its currentEpoch is durable', () => {
    const host = new FakeHost();
    const leader = leaderOf(host);
    leader.onMessage(2, { kind: 'followerInfo', zxid: 0n, sid: 2, protocolVersion: 0x10000, configVersion: 0n });
    leader.onMetaSaved('acceptedEpoch', 1);
    leader.onMessage(2, { kind: 'ackEpoch', zxid: 0n, currentEpoch: 0 });
    expect(host.sent(2).map((p) => p.kind)).toEqual(['leaderInfo', 'diff', 'newLeader']);
    leader.onMessage(2, { kind: 'ack', zxid: makeZxid(1, 0) });
    expect(leader.phase).toBe('newLeader');
    leader.onMetaSaved('currentEpoch', 1);
    expect(leader.phase).toBe('broadcast');
    expect(host.sent(2).at(-1)?.kind).toBe('upToDate');
  });
});

describe('Leader broadcast', () => {
  it('commits in zxid order once a quorum ACKed, counting its own ACK only when durable', () => {
    const host = new FakeHost();
    const leader = establish(host);
    const a = txn(makeZxid(1, 1));
    const b = txn(makeZxid(1, 2));
    leader.propose(a.txn, a.bytes);
    leader.propose(b.txn, b.bytes);
    expect(host.take().map((c) => c.call)).toEqual(['log', 'send', 'log', 'send']);
    leader.onMessage(2, { kind: 'ack', zxid: makeZxid(1, 2) });
    leader.onLogDurable(makeZxid(1, 2));
    expect(host.calls).toEqual([]); // 0x100000002 has a quorum but 0x100000001 does not yet
    leader.onLogDurable(makeZxid(1, 1));
    leader.onMessage(2, { kind: 'ack', zxid: makeZxid(1, 1) });
    expect(host.take().filter((c) => c.call === 'commit')).toEqual([
      { call: 'commit', zxid: makeZxid(1, 1) },
      { call: 'commit', zxid: makeZxid(1, 2) },
    ]);
  });

  it('with unsafeCommitWithoutQuorum commits on its own ACK', () => {
    const host = new FakeHost();
    const leader = new Leader(host, { myId: 3, quorum, timing, configBytes: new Uint8Array(0), faults: { unsafeCommitWithoutQuorum: true } });
    leader.start(0);
    leader.onMessage(2, { kind: 'followerInfo', zxid: 0n, sid: 2, protocolVersion: 0x10000, configVersion: 0n });
    leader.onMetaSaved('acceptedEpoch', 1);
    leader.onMessage(2, { kind: 'ackEpoch', zxid: 0n, currentEpoch: 0 });
    leader.onMetaSaved('currentEpoch', 1);
    leader.onMessage(2, { kind: 'ack', zxid: makeZxid(1, 0) });
    const a = txn(makeZxid(1, 1));
    leader.propose(a.txn, a.bytes);
    leader.onLogDurable(makeZxid(1, 1));
    expect(host.calls.some((c) => c.call === 'commit')).toBe(true);
  });

  it('steps down when it stops hearing from a quorum for syncLimit ticks', () => {
    const host = new FakeHost();
    const leader = establish(host);
    leader.onTick(5);
    expect(leader.phase).toBe('broadcast');
    leader.onTick(6);
    expect(host.calls.at(-1)).toMatchObject({ call: 'lost' });
  });
});

describe('Learner', () => {
  function follower(host: FakeHost): Learner {
    const learner = new Learner(host, { myId: 1, leaderId: 3, observer: false, timing });
    learner.start(0);
    return learner;
  }

  it('repeats FOLLOWERINFO until LEADERINFO, persists acceptedEpoch before ACKEPOCH', () => {
    const host = new FakeHost();
    host.accepted = 1;
    host.current = 1;
    host.lastLogged = makeZxid(1, 4);
    const learner = follower(host);
    learner.onTick(1);
    expect(host.sent(3).map((p) => p.kind)).toEqual(['followerInfo', 'followerInfo']);
    host.take();
    learner.onMessage(3, { kind: 'leaderInfo', zxid: makeZxid(2, 0), protocolVersion: 0x10000 });
    expect(host.take()).toEqual([{ call: 'saveEpoch', key: 'acceptedEpoch', epoch: 2 }]);
    learner.onMetaSaved('acceptedEpoch', 2);
    expect(host.sent(3)).toEqual([{ kind: 'ackEpoch', zxid: makeZxid(1, 4), currentEpoch: 1 }]);
  });

  it('refuses a leader whose epoch is below its acceptedEpoch', () => {
    const host = new FakeHost();
    host.accepted = 5;
    const learner = follower(host);
    learner.onMessage(3, { kind: 'leaderInfo', zxid: makeZxid(4, 0), protocolVersion: 0x10000 });
    expect(host.calls.at(-1)).toEqual({ call: 'lost', reason: 'Leaders epoch, 4 is less than accepted epoch, 5' });
  });

  it('ACKs NEWLEADER only after currentEpoch and the synced txns are durable, then proposals as they become durable', () => {
    const host = new FakeHost();
    const learner = follower(host);
    learner.onMessage(3, { kind: 'leaderInfo', zxid: makeZxid(1, 0), protocolVersion: 0x10000 });
    learner.onMetaSaved('acceptedEpoch', 1);
    learner.onMessage(3, { kind: 'diff', zxid: makeZxid(1, 1) });
    const a = txn(makeZxid(1, 1));
    learner.onMessage(3, { kind: 'proposal', zxid: makeZxid(1, 1), txn: a.bytes });
    learner.onMessage(3, { kind: 'commit', zxid: makeZxid(1, 1) });
    const b = txn(makeZxid(1, 2));
    learner.onMessage(3, { kind: 'proposal', zxid: makeZxid(1, 2), txn: b.bytes }); // outstanding
    learner.onMessage(3, { kind: 'newLeader', zxid: makeZxid(1, 0), config: new Uint8Array(0) });
    host.take();
    learner.onMetaSaved('currentEpoch', 1);
    learner.onLogDurable(makeZxid(1, 1));
    expect(host.sent(3)).toEqual([]);
    learner.onLogDurable(makeZxid(1, 2));
    expect(host.sent(3)).toEqual([
      { kind: 'ack', zxid: makeZxid(1, 0) },
      { kind: 'ack', zxid: makeZxid(1, 2) },
    ]);
    host.take();
    expect(host.calls.some((c) => c.call === 'commit')).toBe(false); // synced txns wait for UPTODATE
    learner.onMessage(3, { kind: 'upToDate', zxid: -1n });
    expect(host.take()).toEqual([{ call: 'commit', zxid: makeZxid(1, 1) }, { call: 'established' }]);
    const c = txn(makeZxid(1, 3));
    learner.onMessage(3, { kind: 'proposal', zxid: makeZxid(1, 3), txn: c.bytes });
    expect(host.sent(3)).toEqual([]);
    learner.onLogDurable(makeZxid(1, 3));
    expect(host.sent(3)).toEqual([{ kind: 'ack', zxid: makeZxid(1, 3) }]);
  });

  it('a COMMIT that is not for the oldest pending proposal is fatal', () => {
    const host = new FakeHost();
    const learner = follower(host);
    learner.onMessage(3, { kind: 'leaderInfo', zxid: makeZxid(1, 0), protocolVersion: 0x10000 });
    learner.onMetaSaved('acceptedEpoch', 1);
    learner.onMessage(3, { kind: 'diff', zxid: 0n });
    learner.onMessage(3, { kind: 'commit', zxid: makeZxid(1, 1) });
    expect(host.calls.at(-1)).toMatchObject({ call: 'lost' });
    expect(learner.phase).toBe('stopped');
  });

  it('goes LOOKING after syncLimit ticks of silence once serving', () => {
    const host = new FakeHost();
    const learner = follower(host);
    learner.onMessage(3, { kind: 'leaderInfo', zxid: makeZxid(1, 0), protocolVersion: 0x10000 });
    learner.onMetaSaved('acceptedEpoch', 1);
    learner.onMessage(3, { kind: 'diff', zxid: 0n });
    learner.onMessage(3, { kind: 'newLeader', zxid: makeZxid(1, 0), config: new Uint8Array(0) });
    learner.onMetaSaved('currentEpoch', 1);
    learner.onMessage(3, { kind: 'upToDate', zxid: -1n });
    learner.onTick(5);
    expect(learner.phase).toBe('serving');
    learner.onTick(6);
    expect(learner.phase).toBe('stopped');
  });
});
