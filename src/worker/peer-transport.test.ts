import { describe, expect, it } from 'vitest';
import type { Clock } from '../net/clock';
import { chunkFrames } from '../net/chunking';
import { encodePeerHello } from '../net/peer-hello';
import { record, texts, utf8 } from '../net/test-helpers';
import { FakeChannel, fakeChannelPair, settle } from './peer-channel.test-helpers';
import { PeerChannelTransport } from './peer-transport';

/** Timers that fire only when the test says so; remembers the delays asked for. */
class ManualClock implements Clock {
  private timers: Array<{ delayMs: number; fn: () => void; live: boolean }> = [];
  nowMs = () => 0;
  setTimer(delayMs: number, fn: () => void): () => void {
    const timer = { delayMs, fn, live: true };
    this.timers.push(timer);
    return () => void (timer.live = false);
  }
  pendingDelays(): number[] {
    return this.timers.filter((t) => t.live).map((t) => t.delayMs);
  }
  /** Fires live timers of exactly `delayMs` (all if omitted). */
  fire(delayMs?: number): void {
    const due = this.timers.filter((t) => t.live && (delayMs === undefined || t.delayMs === delayMs));
    this.timers = this.timers.filter((t) => !due.includes(t));
    for (const t of due) t.fn();
  }
}

function setup() {
  const clock = new ManualClock();
  const requests: Array<[number, number]> = [];
  const a = new PeerChannelTransport({ selfId: 1, clock, requestChannel: (p) => requests.push([1, p]), maxChunkBytes: 1000 });
  const b = new PeerChannelTransport({ selfId: 2, clock, requestChannel: (p) => requests.push([2, p]), maxChunkBytes: 1000 });
  const ra = record(a);
  const rb = record(b);
  const wire = (): [FakeChannel, FakeChannel] => {
    const [ca, cb] = fakeChannelPair();
    a.attachChannel(2, ca);
    b.attachChannel(1, cb);
    ca.open();
    return [ca, cb];
  };
  return { clock, requests, a, b, ra, rb, wire };
}

describe('PeerChannelTransport', () => {
  it('comes up after the hello exchange and delivers in order both ways, queued messages first', async () => {
    const { a, b, ra, rb, wire, requests } = setup();
    a.send(2, utf8('queued'));
    expect(requests).toEqual([[1, 2]]); // sending on a missing link asks the page for a channel
    wire();
    expect(a.linkState(2)).toBe('down');
    await settle();
    expect(a.linkState(2)).toBe('up');
    expect(b.linkState(1)).toBe('up');
    for (let i = 0; i < 20; i++) a.send(2, utf8(`m${i}`));
    b.send(1, utf8('back'));
    await settle();
    expect(texts(rb)).toEqual(['queued', ...Array.from({ length: 20 }, (_, i) => `m${i}`)]);
    expect(texts(ra)).toEqual(['back']);
    expect(ra.links).toEqual([{ peer: 2, state: 'up' }]);
    expect(rb.links).toEqual([{ peer: 1, state: 'up' }]);
    expect(a.stats.messagesSent).toBe(21);
    expect(b.stats.messagesReceived).toBe(21);
  });

  it('chunks a frame larger than the channel limit, every chunk within it', async () => {
    const { a, rb, wire } = setup();
    const [ca] = wire();
    await settle();
    a.send(2, new Uint8Array(100 * 1024));
    a.send(2, utf8('after'));
    await settle();
    const chunks = ca.sent.slice(1); // after the hello
    expect(chunks.length).toBe(104);
    expect(chunks.every((c) => c.length <= 1000)).toBe(true);
    expect(rb.messages).toHaveLength(2);
    expect(rb.messages[1]?.text).toBe('after');
  });

  it('delivers a big frame byte for byte', async () => {
    const { a, b, wire } = setup();
    const received: Uint8Array[] = [];
    b.onMessage((_from, bytes) => received.push(bytes));
    wire();
    await settle();
    const big = new Uint8Array(100 * 1024).map((_, i) => (i * 7) % 251);
    a.send(2, big);
    await settle();
    expect(received).toHaveLength(1);
    expect(received[0]?.length).toBe(big.length);
    expect(received[0]?.every((byte, i) => byte === big[i])).toBe(true);
  });

  it('sees down on both ends when either closes, then asks for a new channel with backoff', async () => {
    const { a, b, ra, rb, wire, clock, requests } = setup();
    a.connect(2);
    b.connect(1);
    requests.length = 0;
    const [ca] = wire();
    await settle();
    a.disconnect(2);
    expect(a.linkState(2)).toBe('down');
    expect(ra.links).toEqual([{ peer: 2, state: 'up' }]); // 'down' is reported later, never inside disconnect()
    await settle();
    expect(ra.links.at(-1)).toEqual({ peer: 2, state: 'down' });
    expect(rb.links.at(-1)).toEqual({ peer: 1, state: 'down' });
    expect(ca.readyState).toBe('closed');
    expect(ca.listenerCount()).toBe(0);
    clock.fire(100);
    expect(requests).toContainEqual([1, 2]);
    expect(requests).toContainEqual([2, 1]);
    // Nobody answers: the next ask waits twice as long.
    expect(clock.pendingDelays()).toContain(200);
  });

  it('loses what was in flight on a break and never delivers it on the next channel', async () => {
    const { a, rb, wire } = setup();
    const [ca] = wire();
    await settle();
    a.send(2, utf8('lost'));
    ca.close(); // the break happens before delivery
    await settle();
    expect(texts(rb)).toEqual([]);
    wire();
    await settle();
    a.send(2, utf8('fresh'));
    await settle();
    expect(texts(rb)).toEqual(['fresh']);
  });

  it('waits for the open event when the far hello comes first (a transferred channel still says connecting)', async () => {
    const { a, ra } = setup();
    const [ca] = fakeChannelPair();
    a.attachChannel(2, ca);
    // The far hello arrives while our end still says 'connecting' (and would refuse send()).
    ca.inject(encodePeerHello({ sid: 2, listenPort: 0 }).slice().buffer);
    await settle();
    expect(a.linkState(2)).toBe('down');
    expect(a.stats.badFrames).toBe(0);
    expect(ca.sent).toEqual([]);
    ca.readyState = 'open';
    ca.emit('open', {});
    await settle();
    expect(a.linkState(2)).toBe('up');
    expect(ca.sent).toHaveLength(1); // our hello
    expect(ra.links).toEqual([{ peer: 2, state: 'up' }]);
    // A second hello on an up link is a bad frame.
    ca.inject(encodePeerHello({ sid: 2, listenPort: 0 }).slice().buffer);
    await settle();
    expect(a.stats.badFrames).toBe(1);
    expect(a.linkState(2)).toBe('down');
  });

  it('starts every new channel from scratch, even after a failed hello', async () => {
    const { a, b, wire } = setup();
    const [c1] = fakeChannelPair();
    a.attachChannel(2, c1);
    c1.readyState = 'open';
    c1.failSends = true;
    c1.emit('open', {}); // our hello fails: the channel is given up
    expect(c1.readyState).toBe('closed');
    wire();
    await settle();
    expect(a.linkState(2)).toBe('up');
    expect(b.linkState(1)).toBe('up');
    expect(a.stats.badFrames + b.stats.badFrames).toBe(0);
  });

  it('drops and counts a hello from the wrong server, and closes that channel', async () => {
    const { a, ra } = setup();
    const [ca, far] = fakeChannelPair();
    a.attachChannel(2, ca);
    ca.open();
    await settle();
    far.send(encodePeerHello({ sid: 3, listenPort: 0 }) as Uint8Array<ArrayBuffer>);
    await settle();
    expect(a.stats.badFrames).toBe(1);
    expect(a.linkState(2)).toBe('down');
    expect(ca.readyState).toBe('closed');
    expect(ra.links).toEqual([]);
  });

  it('drops and counts malformed chunks and text messages, breaking the connection', async () => {
    const { a, rb, b, wire } = setup();
    const [, cb] = wire();
    await settle();
    cb.inject(new Uint8Array([9, 9, 9]).buffer);
    await settle();
    expect(b.stats.badFrames).toBe(1);
    expect(b.linkState(1)).toBe('down');
    expect(rb.links.at(-1)).toEqual({ peer: 1, state: 'down' });
    const [, cb2] = wire();
    await settle();
    cb2.inject('text');
    await settle();
    expect(b.stats.badFrames).toBe(2);
    expect(a.linkState(2)).toBe('down');
  });

  it('rejects a continuation chunk without a first chunk', async () => {
    const { b, wire } = setup();
    const [, cb] = wire();
    await settle();
    const chunks = chunkFrames(new Uint8Array(3000), 1000);
    cb.inject(chunks[1]);
    await settle();
    expect(b.stats.badFrames).toBe(1);
  });

  it('holds chunks while the channel is congested and sends them in order once it drains', async () => {
    const clock = new ManualClock();
    const a = new PeerChannelTransport({ selfId: 1, clock, requestChannel: () => undefined, highWaterBytes: 100, maxBacklogBytes: 10_000 });
    const b = new PeerChannelTransport({ selfId: 2, clock, requestChannel: () => undefined });
    const rb = record(b);
    const [ca, cb] = fakeChannelPair();
    a.attachChannel(2, ca);
    b.attachChannel(1, cb);
    ca.open();
    await settle();
    ca.bufferedAmount = 1000;
    a.send(2, utf8('one'));
    a.send(2, utf8('two'));
    await Promise.resolve(); // frames of one turn are written from a microtask
    expect(a.backlogBytes(2)).toBeGreaterThan(0);
    await settle();
    expect(texts(rb)).toEqual([]);
    ca.drain();
    await settle();
    expect(texts(rb)).toEqual(['one', 'two']);
    expect(a.backlogBytes(2)).toBe(0);
    // A peer that never drains: past maxBacklogBytes the connection is given up.
    ca.bufferedAmount = 1000;
    a.send(2, new Uint8Array(20_000));
    await Promise.resolve();
    expect(a.linkState(2)).toBe('down');
  });

  it('treats a send that throws as a broken connection', async () => {
    const { a, wire } = setup();
    const [ca] = wire();
    await settle();
    ca.failSends = true;
    a.send(2, utf8('x'));
    await Promise.resolve();
    expect(a.linkState(2)).toBe('down');
  });

  it('writes the frames of one turn as one packed channel message, delivered as separate frames in order', async () => {
    const { a, rb, wire } = setup();
    const [ca] = wire();
    await settle();
    const before = ca.sent.length;
    for (const word of ['p1', 'p2', 'p3', 'p4']) a.send(2, utf8(word));
    await settle();
    expect(ca.sent.length - before).toBe(1);
    expect(texts(rb)).toEqual(['p1', 'p2', 'p3', 'p4']);
  });

  it('drops frames of a turn whose channel broke before they were written', async () => {
    const { a, b, rb, wire } = setup();
    const [ca] = wire();
    await settle();
    a.send(2, utf8('lost'));
    ca.close();
    await settle();
    expect(texts(rb)).toEqual([]);
    expect(a.stats.messagesDropped + b.stats.messagesDropped).toBeGreaterThan(0);
  });

  it('treats a packed message inside a chunked frame as a bad frame', async () => {
    const { b, wire } = setup();
    const [, cb] = wire();
    await settle();
    cb.inject(Uint8Array.of(1, 0, 0, 0, 100, 1, 2).buffer); // the first chunk of a 100-byte frame
    cb.inject(Uint8Array.of(4, 0, 0, 0, 1, 9).buffer); // a packed message before the frame's next chunk
    await settle();
    expect(b.stats.badFrames).toBe(1);
    expect(b.linkState(1)).toBe('down');
  });

  it('gives up a channel whose far hello never comes', async () => {
    const { a, clock, requests } = setup();
    const [ca] = fakeChannelPair();
    a.attachChannel(2, ca);
    ca.open();
    await settle();
    clock.fire(10_000);
    expect(ca.readyState).toBe('closed');
    clock.fire(100);
    expect(requests).toContainEqual([1, 2]);
  });

  it('replaces a channel with a newer one for the same peer', async () => {
    const { a, rb, wire } = setup();
    const [c1] = wire();
    await settle();
    const [c2] = wire();
    expect(c1.readyState).toBe('closed');
    await settle();
    a.send(2, utf8('on-new'));
    await settle();
    expect(texts(rb)).toEqual(['on-new']);
    expect(c2.sent.length).toBeGreaterThan(1);
  });

  it('runs no handler after close and closes its channels', async () => {
    const { a, ra, wire } = setup();
    const [ca] = wire();
    await settle();
    const before = ra.links.length;
    a.close();
    expect(ca.readyState).toBe('closed');
    await settle();
    expect(ra.links.length).toBe(before);
    a.send(2, utf8('ignored'));
    expect(() => a.connect(2)).not.toThrow();
  });

  it('refuses links to itself and non-integer ids', () => {
    const { a } = setup();
    expect(() => a.send(1, utf8('me'))).toThrow(RangeError);
    expect(() => a.connect(1.5)).toThrow(RangeError);
  });

  it('drops frames larger than maxMessageBytes and counts them', async () => {
    const a = new PeerChannelTransport({ selfId: 1, requestChannel: () => undefined, maxMessageBytes: 10 });
    a.send(2, new Uint8Array(11));
    expect(a.stats.messagesDropped).toBe(1);
    a.close();
  });
});
