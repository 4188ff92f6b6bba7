// fast-check arbitraries for peer messages (test-only helper; imported by *.test.ts).
import fc from 'fast-check';
import type { Id } from '../zk/types';
import type { PeerMessage, QuorumPacket, ServerState } from './quorum-messages';
import { bytes, int32, int64, text } from './test-arbitraries';

const safeInt = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
const safeLong = fc.oneof(fc.integer({ min: -1, max: 1000 }), fc.constantFrom(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER), safeInt);
const state = fc.constantFrom<ServerState>('LOOKING', 'FOLLOWING', 'LEADING', 'OBSERVING');
const authId: fc.Arbitrary<Id> = fc.record({ scheme: text, id: text });

export const notificationArb: fc.Arbitrary<PeerMessage> = fc.record(
  {
    kind: fc.constant('notification' as const),
    leader: safeLong,
    zxid: int64,
    electionEpoch: safeLong,
    state,
    sid: safeLong,
    peerEpoch: safeLong,
    configVersion: int64,
  },
  { requiredKeys: ['kind', 'leader', 'zxid', 'electionEpoch', 'state', 'sid', 'peerEpoch'] },
);

const zxidOnly = fc.record({
  kind: fc.constantFrom('diff', 'trunc', 'upToDate', 'ack', 'commit', 'sync') as fc.Arbitrary<'diff'>,
  zxid: int64,
});

export const quorumPacketArb: fc.Arbitrary<QuorumPacket> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('followerInfo', 'observerInfo') as fc.Arbitrary<'followerInfo'>,
    zxid: int64,
    sid: safeLong,
    protocolVersion: int32,
    configVersion: int64,
  }),
  fc.record({ kind: fc.constant('leaderInfo' as const), zxid: int64, protocolVersion: int32 }),
  fc.record({ kind: fc.constant('ackEpoch' as const), zxid: int64, currentEpoch: int32 }),
  zxidOnly,
  fc.record({ kind: fc.constant('snap' as const), zxid: int64, snapshot: fc.uint8Array({ maxLength: 512 }) }),
  fc.record({ kind: fc.constant('newLeader' as const), zxid: int64, config: bytes }),
  fc.record({ kind: fc.constantFrom('proposal', 'inform') as fc.Arbitrary<'proposal'>, zxid: int64, txn: bytes }),
  fc.record({
    kind: fc.constant('ping' as const),
    zxid: int64,
    sessions: fc.array(fc.record({ sessionId: int64, timeoutMs: int32 }), { maxLength: 5 }),
  }),
  fc.record({
    kind: fc.constant('request' as const),
    zxid: int64,
    sessionId: int64,
    cxid: int32,
    type: int32,
    request: bytes,
    authIds: fc.array(authId, { maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant('revalidate' as const), zxid: int64, sessionId: int64, timeoutMs: int32 }),
  fc.record({ kind: fc.constant('revalidateReply' as const), zxid: int64, sessionId: int64, valid: fc.boolean() }),
);

export const peerMessageArb: fc.Arbitrary<PeerMessage> = fc.oneof(notificationArb, quorumPacketArb);
