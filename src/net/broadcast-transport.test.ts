import { describe, expect, it } from 'vitest';
import { BROADCAST_TAG, goneFrame, parseBroadcastFrame } from './broadcast-frames';
import { FakeChannel, FakeClock, FakeHub } from './broadcast-fakes.test-helpers';
import { BroadcastTransport, incarnationAt } from './broadcast-transport';
import { record, texts, utf8 } from './test-helpers';

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function cluster(ids: number[], incarnations: Record<number, number> = {}) {
  const clock = new FakeClock();
  const hub = new FakeHub();
  const nodes = new Map<number, { t: BroadcastTransport; channel: FakeChannel; rec: ReturnType<typeof record> }>();
  const add = (id: number, inc = incarnations[id] ?? 1000 + id): BroadcastTransport => {
    const channel = hub.open();
    const t = new BroadcastTransport({ selfId: id, channel, clock, incarnation: inc });
    nodes.set(id, { t, channel, rec: record(t) });
    for (const other of ids) if (other !== id) t.connect(other);
    return t;
  };
  for (const id of ids) add(id);
  const node = (id: number) => nodes.get(id) as { t: BroadcastTransport; channel: FakeChannel; rec: ReturnType<typeof record> };
  const run = async (ms: number): Promise<void> => {
    clock.advance(ms, hub);
    await settle();
  };
  return { clock, hub, add, node, run };
}

describe('BroadcastTransport', () => {
  it('links every pair after a hello and delivers in order per peer, both ways', async () => {
    const { node, run } = cluster([1, 2, 3]);
    node(1).t.send(3, utf8('queued'));
    await run(10);
    for (const a of [1, 2, 3]) for (const b of [1, 2, 3]) if (a !== b) expect(node(a).t.linkState(b)).toBe('up');
    for (let i = 0; i < 30; i++) node(1).t.send(3, utf8(`m${i}`));
    node(2).t.send(3, utf8('from2'));
    node(3).t.send(1, utf8('back'));
    await run(10);
    expect(texts(node(3).rec, 1)).toEqual(['queued', ...Array.from({ length: 30 }, (_, i) => `m${i}`)]);
    expect(texts(node(3).rec, 2)).toEqual(['from2']);
    expect(texts(node(1).rec)).toEqual(['back']);
    // Nobody got a frame meant for another server.
    expect(texts(node(2).rec)).toEqual([]);
    expect(node(1).rec.links).toEqual([
      { peer: 2, state: 'up' },
      { peer: 3, state: 'up' },
    ]);
  });

  it('takes a killed worker\'s links down once its hellos stop (within deadAfterMs)', async () => {
    const { hub, node, run } = cluster([1, 2, 3]);
    await run(10);
    hub.kill(node(3).channel);
    await run(2000);
    expect(node(1).t.linkState(3)).toBe('up'); // still within the bound
    await run(1300);
    expect(node(1).t.linkState(3)).toBe('down');
    expect(node(2).t.linkState(3)).toBe('down');
    expect(node(1).t.linkState(2)).toBe('up');
    expect(node(1).rec.links).toContainEqual({ peer: 3, state: 'down' });
    expect(node(1).t.alivePeers()).toEqual([2]);
  });

  it('takes the links down at once on the page\'s gone frame, and a restart links up again', async () => {
    const { hub, add, node, run } = cluster([1, 2, 3]);
    await run(10);
    hub.kill(node(2).channel);
    hub.open().postMessage(goneFrame(2, 5000));
    await run(1);
    expect(node(1).t.linkState(2)).toBe('down');
    expect(node(3).t.linkState(2)).toBe('down');
    add(2, 6000);
    await run(10);
    expect(node(1).t.linkState(2)).toBe('up');
    expect(node(3).t.linkState(2)).toBe('up');
    node(2).t.send(1, utf8('new life'));
    await run(1);
    expect(texts(node(1).rec, 2)).toEqual(['new life']);
  });

  it('sees a restart (bigger incarnation) as a break, and ignores frames of the old incarnation', async () => {
    const { hub, add, node, run } = cluster([1, 2]);
    await run(10);
    const stale = hub.open();
    hub.kill(node(2).channel);
    add(2, 9000);
    await run(10);
    expect(node(1).rec.links).toEqual([
      { peer: 2, state: 'up' },
      { peer: 2, state: 'down' },
      { peer: 2, state: 'up' },
    ]);
    // A late frame of the dead worker (incarnation 1002) is not delivered.
    stale.postMessage({ z: BROADCAST_TAG, t: 'data', from: 2, inc: 1002, to: 1, peerInc: 1001, conn: 1, seq: 1, bytes: utf8('ghost') });
    await run(1);
    expect(texts(node(1).rec)).toEqual([]);
    expect(node(1).t.linkState(2)).toBe('up');
  });

  it('drops and counts malformed frames without breaking links', async () => {
    const { hub, node, run } = cluster([1, 2]);
    await run(10);
    const evil = hub.open();
    for (const junk of [null, 42, 'x', {}, { z: BROADCAST_TAG }, { z: BROADCAST_TAG, t: 'data', from: 2, inc: 1002, to: 1, peerInc: 1001, conn: 1, seq: 1, bytes: 'no' }, { z: BROADCAST_TAG, t: 'nope', from: 2, inc: 1, to: 1, peerInc: 1, conn: 1 }]) {
      evil.postMessage(junk);
    }
    await run(1);
    expect(node(1).t.stats.badFrames).toBe(7);
    expect(node(1).t.linkState(2)).toBe('up');
    node(2).t.send(1, utf8('still fine'));
    await run(1);
    expect(texts(node(1).rec)).toEqual(['still fine']);
  });

  it('breaks the connection on a gap in the sequence instead of delivering past a hole', async () => {
    const { hub, node, run } = cluster([1, 2]);
    await run(10);
    const forger = hub.open();
    forger.postMessage({ z: BROADCAST_TAG, t: 'data', from: 2, inc: 1002, to: 1, peerInc: 1001, conn: 1, seq: 5, bytes: utf8('after a hole') });
    await run(1);
    expect(texts(node(1).rec)).toEqual([]);
    expect(node(1).rec.links).toContainEqual({ peer: 2, state: 'down' });
    expect(node(2).rec.links).toContainEqual({ peer: 1, state: 'down' }); // the bye reached the other side
    await run(500);
    expect(node(1).t.linkState(2)).toBe('up');
    expect(node(2).t.linkState(1)).toBe('up');
  });

  it('disconnect breaks both ends, loses nothing queued afterwards, and reconnects', async () => {
    const { node, run } = cluster([1, 2]);
    await run(10);
    node(1).t.disconnect(2);
    node(1).t.send(2, utf8('after break'));
    await run(1);
    expect(node(2).rec.links).toEqual([
      { peer: 1, state: 'up' },
      { peer: 1, state: 'down' },
    ]);
    await run(500);
    expect(node(1).t.linkState(2)).toBe('up');
    expect(texts(node(2).rec)).toEqual(['after break']);
  });

  it('bounds the outbox of a down link (oldest dropped, counted)', async () => {
    const clock = new FakeClock();
    const hub = new FakeHub();
    const t = new BroadcastTransport({ selfId: 1, channel: hub.open(), clock, incarnation: 5, outbox: { maxMessages: 3 } });
    t.connect(2);
    for (let i = 0; i < 5; i++) t.send(2, utf8(`m${i}`));
    expect(t.stats.messagesDropped).toBe(2);
    const other = new BroadcastTransport({ selfId: 2, channel: hub.open(), clock, incarnation: 6 });
    const rec = record(other);
    other.connect(1);
    clock.advance(10, hub);
    await settle();
    expect(texts(rec)).toEqual(['m2', 'm3', 'm4']);
  });

  it('close says bye: the peer sees the link go down at once and no handler runs afterwards', async () => {
    const { node, run } = cluster([1, 2]);
    await run(10);
    node(2).t.close();
    await run(1);
    expect(node(1).t.linkState(2)).toBe('down');
    node(2).t.send(1, utf8('after close'));
    await run(10);
    expect(texts(node(1).rec)).toEqual([]);
  });

  it('refuses a link to itself and validates frames strictly', () => {
    const hub = new FakeHub();
    const t = new BroadcastTransport({ selfId: 1, channel: hub.open(), incarnation: 1, clock: new FakeClock() });
    expect(() => t.connect(1)).toThrow(RangeError);
    t.close();
    expect(parseBroadcastFrame({ z: BROADCAST_TAG, t: 'hello', from: 1, inc: 3 }, 10)).not.toBeNull();
    expect(parseBroadcastFrame({ z: BROADCAST_TAG, t: 'hello', from: 1, inc: 0 }, 10)).toBeNull();
    expect(parseBroadcastFrame({ z: BROADCAST_TAG, t: 'data', from: 1, inc: 3, to: 2, peerInc: 4, conn: 1, seq: 1, bytes: new Uint8Array(11) }, 10)).toBeNull();
    expect(incarnationAt(2000, 0.5)).toBeGreaterThan(incarnationAt(1999, 0.999));
  });
});
