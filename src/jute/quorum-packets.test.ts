import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JuteError } from './jute-io';
import { OpCode } from './opcodes';
import { peerMessageArb } from './quorum-arbitraries';
import {
  decodePeerMessage,
  encodePeerMessage,
  QUORUM_PACKET_TYPE,
  QuorumPacketType,
  tryDecodePeerMessage,
  type PeerMessage,
} from './quorum-packets';
import { makeZxid } from '../zk/types';
import { encodeTxn } from './txn-codec';

function hexOf(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
function fromHex(text: string): Uint8Array {
  const clean = text.replace(/[\s|]/g, '');
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
}

describe('peer message codec', () => {
  it('round-trips every kind', () => {
    fc.assert(
      fc.property(peerMessageArb, (message) => {
        expect(decodePeerMessage(encodePeerMessage(message))).toEqual(message);
      }),
      { numRuns: 2000 },
    );
  });

  it('covers every quorum packet kind in the arbitrary', () => {
    const seen = new Set<string>();
    fc.assert(fc.property(peerMessageArb, (m) => void seen.add(m.kind)), { numRuns: 2000 });
    expect([...seen].sort()).toEqual(['notification', ...Object.keys(QUORUM_PACKET_TYPE)].sort());
  });

  it('encodes a notification to golden bytes', () => {
    const message: PeerMessage = {
      kind: 'notification',
      state: 'FOLLOWING',
      leader: 3,
      zxid: makeZxid(2, 5),
      electionEpoch: 7,
      peerEpoch: 2,
      sid: 1,
    };
    const golden = fromHex(`01 00 | 01 | 0000000000000003 | 0000000200000005 | 0000000000000007
      | 0000000000000002 | 0000000000000001 | 00`);
    expect(hexOf(encodePeerMessage(message))).toBe(hexOf(golden));
    expect(decodePeerMessage(golden)).toEqual(message);
    const withConfig = encodePeerMessage({ ...message, configVersion: 0x100000000n });
    expect(hexOf(withConfig)).toBe(hexOf(golden).slice(0, -2) + '01' + '0000000100000000');
  });

  it('encodes a PING with session activity to golden bytes', () => {
    const message: PeerMessage = {
      kind: 'ping',
      zxid: makeZxid(1, 3),
      sessions: [{ sessionId: 0x1000000abcn, timeoutMs: 30000 }],
    };
    const golden = fromHex('01 05 | 0000000100000003 | 00000001 | 0000001000000abc | 00007530');
    expect(hexOf(encodePeerMessage(message))).toBe(hexOf(golden));
    expect(decodePeerMessage(golden)).toEqual(message);
  });

  it('uses Apache Leader.java type numbers as kind codes', () => {
    expect(encodePeerMessage({ kind: 'ack', zxid: 1n })[1]).toBe(QuorumPacketType.ACK);
    expect(encodePeerMessage({ kind: 'followerInfo', zxid: 0n, sid: 1, protocolVersion: 0x10000, configVersion: 0n })[1]).toBe(11);
    expect(encodePeerMessage({ kind: 'revalidate', zxid: 0n, sessionId: 1n, timeoutMs: 5 })[1]).toBe(6);
    expect(encodePeerMessage({ kind: 'revalidateReply', zxid: 0n, sessionId: 1n, valid: true })[1]).toBe(0x86);
  });

  it('carries a real txn in a PROPOSAL', () => {
    const txn = encodeTxn({
      header: { sessionId: 5n, cxid: 1, zxid: makeZxid(1, 1), timeMs: 1000, type: OpCode.delete },
      body: { type: OpCode.delete, path: '/a' },
    });
    const decoded = decodePeerMessage(encodePeerMessage({ kind: 'proposal', zxid: makeZxid(1, 1), txn }));
    expect(decoded).toEqual({ kind: 'proposal', zxid: makeZxid(1, 1), txn });
  });

  it('rejects bad versions, unknown kinds, truncation and trailing bytes', () => {
    const ack = encodePeerMessage({ kind: 'ack', zxid: 7n });
    expect(() => decodePeerMessage(Uint8Array.of(2, ...ack.subarray(1)))).toThrow(/version 2/);
    expect(() => decodePeerMessage(Uint8Array.of(1, 9, ...ack.subarray(2)))).toThrow(/kind code 9/);
    expect(() => decodePeerMessage(ack.subarray(0, ack.length - 1))).toThrow(JuteError);
    expect(() => decodePeerMessage(Uint8Array.of(...ack, 0))).toThrow(/trailing/);
    expect(() => decodePeerMessage(new Uint8Array(0))).toThrow(JuteError);
    expect(tryDecodePeerMessage(Uint8Array.of(1))).toEqual({ ok: false, reason: expect.stringMatching(/kind/) });
  });

  it('rejects out-of-range values on decode', () => {
    const n = encodePeerMessage({ kind: 'notification', state: 'LOOKING', leader: 1, zxid: 0n, electionEpoch: 1, peerEpoch: 0, sid: 1 });
    const badState = n.slice();
    badState[2] = 4;
    expect(() => decodePeerMessage(badState)).toThrow(/state code 4/);
    const hugeLeader = n.slice();
    hugeLeader[3] = 0x7f;
    expect(() => decodePeerMessage(hugeLeader)).toThrow(/safe integer/);
    const badFlag = n.slice();
    badFlag[badFlag.length - 1] = 2;
    expect(() => decodePeerMessage(badFlag)).toThrow(/flag/);
  });

  it('rejects invalid messages on encode', () => {
    const bad = [
      { kind: 'nope', zxid: 0n },
      { kind: 'notification', state: 'LOOKING', leader: 1.5, zxid: 0n, electionEpoch: 1, peerEpoch: 0, sid: 1 },
      { kind: 'notification', state: 'LOOKING', leader: 1, zxid: 0n, electionEpoch: 2 ** 53, peerEpoch: 0, sid: 1 },
      { kind: 'notification', state: 'DANCING', leader: 1, zxid: 0n, electionEpoch: 1, peerEpoch: 0, sid: 1 },
      { kind: 'ack', zxid: 1n << 63n },
      { kind: 'ackEpoch', zxid: 0n, currentEpoch: 2 ** 31 },
      { kind: 'snap', zxid: 0n, snapshot: [1, 2] },
    ];
    for (const message of bad) expect(() => encodePeerMessage(message as unknown as PeerMessage)).toThrow(JuteError);
  });

  it('enforces the size limit on both sides', () => {
    const snap: PeerMessage = { kind: 'snap', zxid: 1n, snapshot: new Uint8Array(1000) };
    const encoded = encodePeerMessage(snap);
    expect(encoded.length).toBe(1 + 1 + 8 + 4 + 1000);
    expect(() => encodePeerMessage(snap, { maxMessageBytes: 1013 })).toThrow(/exceeds 1013/);
    expect(encodePeerMessage(snap, { maxMessageBytes: 1014 })).toEqual(encoded);
    expect(() => decodePeerMessage(encoded, { maxMessageBytes: 1013 })).toThrow(/exceeds/);
    // A SNAP bigger than the jute field limit (2 MiB) still fits the 16 MiB default.
    const snapshot = new Uint8Array(3 * 1024 * 1024).fill(0xab);
    const decoded = decodePeerMessage(encodePeerMessage({ kind: 'snap', zxid: 1n, snapshot }));
    expect(decoded.kind === 'snap' && decoded.snapshot.length === snapshot.length && decoded.snapshot.every((b) => b === 0xab)).toBe(true);
  });

  it('fuzz: random bytes only ever decode or fail with JuteError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.boolean(), (bytes, validPrefix) => {
        if (validPrefix && bytes.length > 0) bytes[0] = 1;
        const result = tryDecodePeerMessage(bytes);
        if (result.ok) expect(encodePeerMessage(result.message)).toEqual(bytes);
      }),
      { numRuns: 5000 },
    );
  });

  it('fuzz: mutated valid messages only ever decode or fail with JuteError', () => {
    const mutation = fc.record({ index: fc.nat(), value: fc.integer({ min: 0, max: 255 }), cut: fc.nat(), op: fc.nat(2) });
    fc.assert(
      fc.property(peerMessageArb, fc.array(mutation, { minLength: 1, maxLength: 4 }), (message, mutations) => {
        let bytes = encodePeerMessage(message);
        for (const m of mutations) {
          if (m.op === 0 && bytes.length > 0) bytes[m.index % bytes.length] = m.value;
          else if (m.op === 1) bytes = bytes.slice(0, m.cut % (bytes.length + 1));
          else bytes = Uint8Array.of(...bytes, m.value);
        }
        const result = tryDecodePeerMessage(bytes);
        // Decoding is canonical: whatever decodes re-encodes to the very same bytes.
        if (result.ok) expect(encodePeerMessage(result.message)).toEqual(bytes);
      }),
      { numRuns: 3000 },
    );
  });
});
