// Decoders fed random or mutated bytes must either succeed or throw JuteError: never another
// error type, never hang. (Runs are bounded by fast-check's numRuns; inputs are small.)
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JuteError } from './jute-io';
import { decodeRequest, encodeRequest } from './requests';
import { decodeNotification, decodeResponse, encodeNotification, encodeResponse } from './responses';
import type { ResponseOp } from './responses';
import { decodeConnectRequest, decodeConnectResponse, encodeConnectRequest } from './handshake';
import { decodeTxn, encodeTxn } from './txn-codec';
import { encodeFrame, FrameDecoder } from './framing';
import { OpCode } from './opcodes';
import { EventType, KeeperState } from '../zk/types';
import { zeroStat } from './test-arbitraries';

function onlyJuteErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof JuteError)) throw e;
  }
}

const acl = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
const seeds: Uint8Array[] = [
  encodeRequest({ xid: 1 }, { op: OpCode.create, path: '/a/b', data: new Uint8Array([1, 2]), acl, flags: 3 }),
  encodeRequest({ xid: 2 }, {
    op: OpCode.multi,
    ops: [
      { op: OpCode.create, path: '/m', data: new Uint8Array(0), acl, flags: 0 },
      { op: OpCode.setData, path: '/m', data: new Uint8Array([5]), version: -1 },
      { op: OpCode.check, path: '/m', version: 0 },
    ],
  }),
  encodeRequest({ xid: -8 }, {
    op: OpCode.setWatches2, relativeZxid: 9n, dataWatches: ['/a'], existWatches: ['/b'], childWatches: [],
    persistentWatches: ['/p'], persistentRecursiveWatches: [],
  }),
  encodeRequest({ xid: -4 }, { op: OpCode.auth, type: 0, scheme: 'digest', auth: new Uint8Array([1]) }),
  encodeConnectRequest({ protocolVersion: 0, lastZxidSeen: 0n, timeoutMs: 30000, sessionId: 0n, passwd: new Uint8Array(16), readOnly: false }),
  encodeResponse({ xid: 3, zxid: 1n, err: 0 }, OpCode.multi, {
    results: [{ op: OpCode.create2, path: '/x', stat: zeroStat() }, { op: OpCode.error, err: -101 }, { op: OpCode.getChildren, children: ['a'] }],
  }),
  encodeResponse({ xid: 4, zxid: 1n, err: 0 }, OpCode.getACL, { acl, stat: zeroStat() }),
  encodeNotification({ type: EventType.NodeCreated, state: KeeperState.SyncConnected, path: '/n' }, 5n),
  encodeTxn({
    header: { sessionId: 1n, cxid: 1, zxid: 2n, timeMs: 3, type: OpCode.multi },
    body: { type: OpCode.multi, txns: [{ type: OpCode.create, path: '/a', data: new Uint8Array(0), acl, ephemeral: true, parentCVersion: 1 }, { type: OpCode.error, err: 0 }] },
  }),
];

const RESPONSE_OPS: ResponseOp[] = [
  OpCode.create, OpCode.create2, OpCode.exists, OpCode.getData, OpCode.getACL, OpCode.getChildren,
  OpCode.getChildren2, OpCode.multi, OpCode.multiRead, OpCode.whoAmI, OpCode.getEphemerals, OpCode.sync,
];

function decodeEverything(bytes: Uint8Array): void {
  onlyJuteErrors(() => decodeRequest(bytes));
  onlyJuteErrors(() => decodeConnectRequest(bytes));
  onlyJuteErrors(() => decodeConnectResponse(bytes));
  onlyJuteErrors(() => decodeNotification(bytes));
  onlyJuteErrors(() => decodeTxn(bytes));
  for (const op of RESPONSE_OPS) onlyJuteErrors(() => decodeResponse(op, bytes));
  onlyJuteErrors(() => new FrameDecoder({ detectFourLetterWords: true }).push(bytes));
}

/** Mutations: overwrite bytes, truncate, splice in bytes, or set a length-ish int to an extreme. */
const mutated: fc.Arbitrary<Uint8Array> = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
    fc.option(fc.nat()),
    fc.option(fc.tuple(fc.nat(), fc.constantFrom(0x7fffffff, -1, -2, 0x100000, 0x40000000 | 0))),
  )
  .map(([seed, edits, cut, big]) => {
    const b = seed.slice();
    for (const [at, v] of edits) if (b.length > 0) b[at % b.length] = v;
    if (big !== null && b.length >= 4) {
      const at = big[0] % (b.length - 3);
      new DataView(b.buffer).setInt32(at, big[1]);
    }
    return cut === null ? b : b.subarray(0, cut % (b.length + 1));
  });

describe('decoder fuzz', () => {
  it('valid seeds decode (sanity: the fuzz starts from real packets)', () => {
    expect(decodeRequest(seeds[1]!).request.op).toBe(OpCode.multi);
    expect(decodeTxn(seeds[8]!).body.type).toBe(OpCode.multi);
  });

  it('random bytes only ever throw JuteError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => decodeEverything(b)), { numRuns: 2000 });
  });

  it('mutated valid packets only ever throw JuteError', () => {
    fc.assert(fc.property(mutated, (b) => decodeEverything(b)), { numRuns: 3000 });
  });

  it('every truncation of every seed throws JuteError or decodes', () => {
    for (const seed of seeds) {
      for (let n = 0; n <= seed.length; n++) decodeEverything(seed.subarray(0, n));
    }
  });

  it('the frame decoder survives random chunk streams', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 50 }), { maxLength: 10 }), (chunks) => {
        const d = new FrameDecoder({ maxFrameBytes: 1000 });
        for (const c of chunks) onlyJuteErrors(() => d.push(c));
      }),
      { numRuns: 1000 },
    );
  });

  it('framed seeds pass through the frame decoder unchanged', () => {
    const d = new FrameDecoder();
    const stream = seeds.map(encodeFrame);
    const out = stream.flatMap((f) => d.push(f));
    expect(out).toEqual(seeds);
  });
});

