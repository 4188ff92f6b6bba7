import { describe, expect, it } from 'vitest';
import {
  ControlPlane,
  decodeControlMessage,
  encodeControlMessage,
  messageHeadPrefix,
  newerFaults,
  peekMessageId,
  partitionCuts,
  type BroadcastLike,
  type ControlChannelLike,
  type ControlMessage,
} from './control-plane';
import { BroadcastHub, channelPair } from './control-plane.test-helpers';

const tick = () => new Promise((r) => setTimeout(r, 0));
const clock = { nowMs: () => 1000, setTimer: () => () => undefined };

function plane(selfId: number, broadcast: BroadcastLike | null, cluster = 'demo') {
  const p = new ControlPlane({ cluster, selfId, broadcast, clock, incarnation: 'i' });
  const got: Array<{ m: ControlMessage; via: string }> = [];
  p.onMessage((m, via) => got.push({ m, via }));
  return { p, got };
}

const status = {
  myid: 2,
  role: 'participant' as const,
  state: 'FOLLOWING' as const,
  epoch: 3,
  lastZxid: 0x300000007n,
  leader: 3,
  linksUp: [1, 3],
  sessionCount: 1,
  nodeCount: 10,
  atMs: 5,
};

describe('control messages', () => {
  it('round-trip through JSON, bigints included', () => {
    const message: ControlMessage = { v: 1, cluster: 'demo', id: '1.i.1', from: 1, to: 2, sentAtMs: 1, body: { type: 'status', report: status } };
    const back = decodeControlMessage(encodeControlMessage(message));
    expect(back).toEqual(message);
    expect(typeof (back?.body as { report: { lastZxid: unknown } }).report.lastZxid).toBe('bigint');
  });

  it('revive bigints at any depth, and leave a "__proto__" key a plain property', () => {
    const text = '{"a":[{"$bigint":"-5"},{"b":{"$bigint":"18446744073709551615"}}],"__proto__":{"$bigint":"1"},"c":{"$bigint":"2","d":1}}';
    const body = { type: 'ack', of: 'x', ok: true, detail: 'y', extra: JSON.parse(text) as unknown };
    const back = decodeControlMessage(JSON.stringify({ v: 1, cluster: 'c', id: 'x', from: 1, to: 2, sentAtMs: 0, body }));
    const extra = (back?.body as unknown as { extra: Record<string, unknown> }).extra;
    expect(extra['a']).toEqual([-5n, { b: 18446744073709551615n }]);
    expect(Object.getPrototypeOf(extra)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(extra, '__proto__')?.value).toBe(1n);
    expect(extra['c']).toEqual({ $bigint: '2', d: 1 }); // not a bigint: more than the one key
  });

  it("trace bodies: the sender's own well-formed events only, bounded", () => {
    const event = { type: 'proposal' as const, zxid: 0x100000001n, op: 'setData', server: 3, atMs: 9 };
    const message: ControlMessage = { v: 1, cluster: 'demo', id: '3.i.1', from: 3, to: 'all', sentAtMs: 1, body: { type: 'trace', events: [event], dropped: 2 } };
    expect(decodeControlMessage(encodeControlMessage(message))).toEqual(message);
    const with_ = (body: unknown, from = 3) => decodeControlMessage(encodeControlMessage({ ...message, from, body } as ControlMessage));
    expect(with_({ type: 'trace', events: [event], dropped: 0 }, 2)).toBeNull(); // another server's event
    expect(with_({ type: 'trace', events: [{ ...event, zxid: 'x' }], dropped: 0 })).toBeNull();
    expect(with_({ type: 'trace', events: [event], dropped: -1 })).toBeNull();
    expect(with_({ type: 'trace', events: {}, dropped: 0 })).toBeNull();
    expect(with_({ type: 'trace', events: Array.from({ length: 201 }, () => ({ type: 'commit', zxid: 1n, server: 3, atMs: 1 })), dropped: 0 })).toBeNull();
  });

  it('peekMessageId reads the id off an encoded message of the cluster, else says null', () => {
    const message: ControlMessage = { v: 1, cluster: 'de"mo', id: '3.k2.17', from: 3, to: 'all', sentAtMs: 1, body: { type: 'status', report: status } };
    const text = encodeControlMessage(message);
    expect(peekMessageId(text, messageHeadPrefix('de"mo'))).toBe('3.k2.17');
    expect(peekMessageId(text, messageHeadPrefix('demo'))).toBeNull();
    expect(peekMessageId(encodeControlMessage({ ...message, id: 'a\\"b' }), messageHeadPrefix('de"mo'))).toBeNull();
    expect(peekMessageId('{"garbage": true}', messageHeadPrefix('demo'))).toBeNull();
  });

  it('accept every fault command kind', () => {
    const commands = [
      { kind: 'kill', target: 1 },
      { kind: 'restart', target: 1 },
      { kind: 'freeze', target: 2, durationMs: 5000 },
      { kind: 'freeze', target: 2, durationMs: null },
      { kind: 'unfreeze', target: 2 },
      { kind: 'partition', groups: [[1, 2], [3]] },
      { kind: 'heal' },
      { kind: 'link', from: 1, to: 2, policy: { latencyMs: { minMs: 10, maxMs: 50 }, lossProbability: 0.1 } },
      { kind: 'link', from: 1, to: 2, policy: null },
    ];
    for (const command of commands) {
      const text = JSON.stringify({ v: 1, cluster: 'c', id: 'x', from: 1, to: 'all', sentAtMs: 0, body: { type: 'fault', command } });
      expect(decodeControlMessage(text), JSON.stringify(command)).not.toBeNull();
    }
  });

  it('reject malformed ones', () => {
    const wrap = (body: unknown, extra: object = {}) => JSON.stringify({ v: 1, cluster: 'c', id: 'x', from: 1, to: 2, sentAtMs: 0, body, ...extra });
    const bad = [
      'not json',
      42,
      wrap({ type: 'fault', command: { kind: 'kill' } }),
      wrap({ type: 'fault', command: { kind: 'kill', target: 0 } }),
      wrap({ type: 'fault', command: { kind: 'explode', target: 1 } }),
      wrap({ type: 'fault', command: { kind: 'partition', groups: [[1, 2], [2, 3]] } }),
      wrap({ type: 'fault', command: { kind: 'link', from: 1, to: 1, policy: null } }),
      wrap({ type: 'fault', command: { kind: 'link', from: 1, to: 2, policy: { lossProbability: 2 } } }),
      wrap({ type: 'fault', command: { kind: 'link', from: 1, to: 2, policy: { latencyMs: { minMs: 5, maxMs: 1 } } } }),
      wrap({ type: 'status', report: { ...status, lastZxid: 5 } }),
      wrap({ type: 'status', report: { ...status, lastZxid: { $bigint: '12abc' } } }),
      wrap({ type: 'ack', of: 'x' }),
      wrap({ type: 'fault', command: { kind: 'heal' } }, { v: 2 }),
      wrap({ type: 'fault', command: { kind: 'heal' } }, { to: 'everyone' }),
      wrap({ type: 'ack', of: 'x', ok: true, detail: 'y'.repeat(20_000) }),
    ];
    for (const text of bad) expect(decodeControlMessage(text), String(text).slice(0, 120)).toBeNull();
  });

  it('status reports may carry the fault model in force, validated, ordered by version', () => {
    const faults = {
      version: { atMs: 7, id: '1.i.3' },
      groups: [[1], [2, 3]],
      links: [{ from: 1, to: 2, latencyMs: 300, lossProbability: 0.25 }],
    };
    const wrap = (report: unknown) => encodeControlMessage({ v: 1, cluster: 'c', id: 'x', from: 1, to: 'all', sentAtMs: 0, body: { type: 'status', report: report as typeof status } });
    const ok = decodeControlMessage(encodeControlMessage({ v: 1, cluster: 'c', id: 'x', from: 1, to: 'all', sentAtMs: 0, body: { type: 'status', report: { ...status, faults } } }));
    expect(ok?.body).toEqual({ type: 'status', report: { ...status, faults } });
    expect(decodeControlMessage(wrap({ ...status, faults: { ...faults, groups: null, links: [] } }))).not.toBeNull();
    for (const bad of [
      { ...faults, groups: [[1, 2], [2]] },
      { ...faults, links: [{ from: 1, to: 1, latencyMs: 1, lossProbability: 0 }] },
      { ...faults, links: [{ from: 1, to: 2, latencyMs: 1, lossProbability: 1.5 }] },
      { ...faults, version: { atMs: -1, id: 'x' } },
      { groups: null, links: [] },
    ]) {
      expect(decodeControlMessage(wrap({ ...status, faults: bad })), JSON.stringify(bad)).toBeNull();
    }
    expect(newerFaults({ atMs: 2, id: 'a' }, { atMs: 1, id: 'z' })).toBe(true);
    expect(newerFaults({ atMs: 1, id: 'b' }, { atMs: 1, id: 'a' })).toBe(true);
    expect(newerFaults({ atMs: 1, id: 'a' }, { atMs: 1, id: 'a' })).toBe(false);
  });

  it('partition groups: unlisted servers form one more group', () => {
    const groups = [[1, 2], [3]];
    expect(partitionCuts(groups, 1, 2)).toBe(false);
    expect(partitionCuts(groups, 1, 3)).toBe(true);
    expect(partitionCuts(groups, 4, 5)).toBe(false);
    expect(partitionCuts(groups, 4, 1)).toBe(true);
  });
});

describe('ControlPlane', () => {
  it('reaches the tabs of one browser over the BroadcastChannel, by target', async () => {
    const hub = new BroadcastHub();
    const [a, b, c] = [plane(1, hub.join()), plane(2, hub.join()), plane(3, hub.join())];
    const id = a.p.send(2, { type: 'fault', command: { kind: 'kill', target: 2 } });
    await tick();
    expect(b.got.map((g) => g.m.id)).toEqual([id]);
    expect(b.got[0]?.via).toBe('broadcast');
    expect(c.got).toEqual([]);
    expect(a.got).toEqual([]);
    a.p.send('all', { type: 'fault', command: { kind: 'heal' } });
    await tick();
    expect([a.got.length, b.got.length, c.got.length]).toEqual([1, 2, 1]); // 'all' includes the sender
  });

  it('reaches other browsers over the peer control channels', async () => {
    const a = plane(1, null);
    const b = plane(2, null);
    const [ab, ba] = channelPair();
    a.p.attachPeerChannel(2, ab);
    b.p.attachPeerChannel(1, ba);
    expect(a.p.peerChannels()).toEqual([2]);
    a.p.send(2, { type: 'fault', command: { kind: 'partition', groups: [[1], [2, 3]] } });
    b.p.send('all', { type: 'status', report: status });
    await tick();
    const seenByB = b.got.map((g) => `${g.via}:${g.m.body.type}`).sort();
    expect(seenByB).toEqual(['broadcast:status', 'peer:fault']); // its own 'all' comes back locally
    expect(a.got.map((g) => g.m.body.type)).toEqual(['status']);
    expect(a.got[0]?.m.body.type === 'status' && a.got[0].m.body.report.lastZxid).toBe(0x300000007n);
  });

  it('delivers a message that arrives both ways once, counting the repeat', async () => {
    const hub = new BroadcastHub();
    const a = plane(1, hub.join());
    const b = plane(2, hub.join());
    const [ab, ba] = channelPair();
    a.p.attachPeerChannel(2, ab);
    b.p.attachPeerChannel(1, ba);
    a.p.send(2, { type: 'ack', of: 'q', ok: true, detail: '' });
    await tick();
    await tick();
    expect(b.got).toHaveLength(1);
    expect(b.p.stats.duplicates).toBe(1);
  });

  it('knows a repeat by its id without decoding it again', async () => {
    const hub = new BroadcastHub();
    const a = plane(1, hub.join());
    const b = plane(2, hub.join());
    const [ab, ba] = channelPair();
    b.p.attachPeerChannel(1, ba);
    const id = a.p.send(2, { type: 'ack', of: 'q', ok: true, detail: '' });
    await tick();
    // The same id again with a body that would not decode: counted as the repeat it is.
    ab.send(`${messageHeadPrefix('demo')}${id}","from":1,"to":2,"body":{"type":"nonsense"}}`);
    await tick();
    expect(b.got).toHaveLength(1);
    expect(b.p.stats).toMatchObject({ duplicates: 1, malformed: 0 });
  });

  it('ignores other clusters and counts malformed input', async () => {
    const hub = new BroadcastHub();
    const a = plane(1, hub.join(), 'one');
    const b = plane(2, hub.join(), 'two');
    a.p.send('all', { type: 'fault', command: { kind: 'heal' } });
    hub.join().postMessage('{"garbage": true}');
    await tick();
    expect(b.got).toEqual([]);
    expect(b.p.stats.foreign).toBe(1);
    expect(b.p.stats.malformed).toBe(1);
  });

  it('forgets a peer channel once it closes, and sends nothing after close()', async () => {
    const a = plane(1, null);
    const [ab] = channelPair();
    a.p.attachPeerChannel(2, ab);
    ab.close();
    expect(a.p.peerChannels()).toEqual([]);
    a.p.close();
    expect(() => a.p.send('all', { type: 'fault', command: { kind: 'heal' } })).toThrow(/closed/);
  });

  it('refuses a message too large for a data channel', () => {
    const a = plane(1, null);
    expect(() => a.p.send(2, { type: 'ack', of: 'x', ok: false, detail: 'y'.repeat(20_000) })).toThrow(RangeError);
    expect(a.p.stats.tooLarge).toBe(1);
  });
});
