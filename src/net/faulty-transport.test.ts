import { describe, expect, it } from 'vitest';
import { Prng } from '../zk/prng';
import { FaultyTransport } from './faulty-transport';
import { MemoryNetwork } from './memory-transport';
import { record, texts, utf8 } from './test-helpers';

function setup(seed = 7) {
  const net = new MemoryNetwork({ defaultPolicy: { latencyMs: 0 }, connectDelayMs: 1, reconnectDelayMs: 10 });
  const prng = new Prng(seed);
  const a = new FaultyTransport(net.attach(1), { clock: net.clock, prng });
  const b = new FaultyTransport(net.attach(2), { clock: net.clock, prng });
  const ra = record(a);
  const rb = record(b);
  a.connect(2);
  net.runUntilIdle();
  return { net, a, b, ra, rb };
}

describe('FaultyTransport', () => {
  it('passes traffic through untouched without a policy', () => {
    const { net, a, rb, ra } = setup();
    a.send(2, utf8('plain'));
    net.runUntilIdle();
    expect(texts(rb)).toEqual(['plain']);
    expect(ra.links).toEqual([{ peer: 2, state: 'up' }]);
  });

  it('adds latency on an outbound link without reordering', () => {
    const { net, a, rb } = setup();
    a.setLinkPolicy(1, 2, { latencyMs: { minMs: 0, maxMs: 100 } });
    const start = net.nowMs;
    for (let i = 0; i < 20; i++) a.send(2, utf8(String(i)));
    net.runUntil(start + 0.5);
    const early = texts(rb).length;
    net.runUntilIdle();
    expect(texts(rb)).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    expect(early).toBeLessThan(20);
    expect(net.nowMs).toBeGreaterThan(start);
  });

  it('holds messages of a blocked direction (one-way partition) until healed', () => {
    const { net, a, b, ra, rb } = setup();
    a.setLinkPolicy(1, 2, { blocked: true });
    a.send(2, utf8('held'));
    b.send(1, utf8('flows'));
    net.runUntil(net.nowMs + 1000);
    expect(texts(rb)).toEqual([]);
    expect(texts(ra)).toEqual(['flows']);
    a.heal();
    expect(texts(rb)).toEqual([]); // released by a timer, not inside heal()
    net.runUntilIdle();
    expect(texts(rb)).toEqual(['held']);
  });

  it('blocks inbound traffic with cutOff', () => {
    const { net, a, b, ra, rb } = setup();
    a.cutOff([2]);
    b.send(1, utf8('in'));
    a.send(2, utf8('out'));
    net.runUntil(net.nowMs + 1000);
    expect(texts(ra)).toEqual([]);
    expect(texts(rb)).toEqual([]);
    a.heal();
    net.runUntilIdle();
    expect(texts(ra)).toEqual(['in']);
    expect(texts(rb)).toEqual(['out']);
  });

  it('a drawn loss resets the link: held messages are lost, both sides see down then up', () => {
    const { net, a, rb, ra } = setup();
    a.setLinkPolicy(1, 2, { latencyMs: 50 });
    a.send(2, utf8('in-flight'));
    a.setLinkPolicy(1, 2, { lossProbability: 1 });
    a.send(2, utf8('lost'));
    a.setLinkPolicy(1, 2, null);
    net.runUntilIdle();
    expect(texts(rb)).toEqual([]);
    expect(ra.links.slice(-2)).toEqual([{ peer: 2, state: 'down' }, { peer: 2, state: 'up' }]);
    expect(rb.links.slice(-2)).toEqual([{ peer: 1, state: 'down' }, { peer: 1, state: 'up' }]);
    expect(a.stats.messagesDropped).toBe(2);
    a.send(2, utf8('after'));
    net.runUntilIdle();
    expect(texts(rb)).toEqual(['after']);
  });

  it('draws losses from the given prng reproducibly', () => {
    const run = (seed: number) => {
      const { net, a, rb } = setup(seed);
      a.setLinkPolicy(1, 2, { lossProbability: 0.3, lossBreaksLink: false });
      for (let i = 0; i < 50; i++) a.send(2, utf8(String(i)));
      net.runUntilIdle();
      return texts(rb);
    };
    const got = run(3);
    expect(got.length).toBeGreaterThan(10);
    expect(got.length).toBeLessThan(50);
    expect(got.map(Number)).toEqual([...got.map(Number)].sort((x, y) => x - y));
    expect(run(3)).toEqual(got);
  });

  it('refuses policies for links it is not on', () => {
    const { a } = setup();
    expect(() => a.setLinkPolicy(2, 3, { blocked: true })).toThrow(RangeError);
  });
});
