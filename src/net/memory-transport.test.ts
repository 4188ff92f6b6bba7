import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryNetwork, type NetworkTraceEvent } from './memory-transport';
import { record, texts, utf8 } from './test-helpers';

function trio(options: ConstructorParameters<typeof MemoryNetwork>[0] = {}) {
  const net = new MemoryNetwork(options);
  const t = [1, 2, 3].map((id) => net.attach(id)) as [ReturnType<MemoryNetwork['attach']>, ReturnType<MemoryNetwork['attach']>, ReturnType<MemoryNetwork['attach']>];
  const r = t.map(record);
  for (const a of t) for (const b of [1, 2, 3]) if (a.selfId < b) a.connect(b);
  net.runUntilIdle();
  return { net, t, r: r as [typeof r[0], typeof r[0], typeof r[0]] };
}

describe('MemoryNetwork', () => {
  it('brings links up on connect and delivers in order after the latency', () => {
    const net = new MemoryNetwork({ defaultPolicy: { latencyMs: 5 }, connectDelayMs: 2 });
    const a = net.attach(1);
    const b = net.attach(2);
    const ra = record(a);
    const rb = record(b);
    a.connect(2);
    expect(a.linkState(2)).toBe('down');
    net.runUntil(2);
    expect(ra.links).toEqual([{ peer: 2, state: 'up' }]);
    expect(rb.links).toEqual([{ peer: 1, state: 'up' }]);
    a.send(2, utf8('x'));
    a.send(2, utf8('y'));
    expect(rb.messages).toEqual([]); // never inside send()
    net.runUntil(6);
    expect(rb.messages).toEqual([]);
    net.runUntil(7);
    expect(texts(rb)).toEqual(['x', 'y']);
    expect(rb.messages[0]?.from).toBe(1);
    expect(b.stats.messagesReceived).toBe(2);
    expect(a.stats.messagesSent).toBe(2);
  });

  it('queues sends on a down link and delivers them before what the up handler sends', () => {
    const net = new MemoryNetwork();
    const a = net.attach(1);
    const b = net.attach(2);
    const rb = record(b);
    a.onLinkChange((peer, state) => state === 'up' && a.send(peer, utf8('hello-after-up')));
    a.send(2, utf8('early-1')); // implies connect
    a.send(2, utf8('early-2'));
    net.runUntilIdle();
    expect(texts(rb)).toEqual(['early-1', 'early-2', 'hello-after-up']);
  });

  it('bounds the outbox, dropping the oldest', () => {
    const net = new MemoryNetwork({ outbox: { maxMessages: 2 } });
    const a = net.attach(1);
    const rb = record(net.attach(2));
    for (const m of ['1', '2', '3']) a.send(2, utf8(m));
    net.runUntilIdle();
    expect(texts(rb)).toEqual(['2', '3']);
    expect(a.stats.messagesDropped).toBe(1);
  });

  it('keeps per-link FIFO under random latency, reproducibly from the seed', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const run = () => {
          const { net, t, r } = trio({ seed, defaultPolicy: { latencyMs: { minMs: 0, maxMs: 50 } } });
          for (let i = 0; i < 30; i++) {
            t[0].send(2, utf8(`a${i}`));
            t[2].send(2, utf8(`c${i}`));
            if (i % 7 === 0) net.runUntil(net.nowMs + 3);
          }
          net.runUntilIdle();
          return r[1].messages.map((m) => m.text);
        };
        const got = run();
        const range = Array.from({ length: 30 }, (_, i) => i);
        expect(got.filter((m) => m.startsWith('a'))).toEqual(range.map((i) => `a${i}`));
        expect(got.filter((m) => m.startsWith('c'))).toEqual(range.map((i) => `c${i}`));
        expect(run()).toEqual(got);
      }),
      { numRuns: 50 },
    );
  });

  it('partitions hold messages across groups and release them in order on heal', () => {
    const { net, t, r } = trio();
    net.partition([[1], [2, 3]]);
    t[0].send(2, utf8('held-1'));
    t[0].send(2, utf8('held-2'));
    t[1].send(3, utf8('same-side'));
    net.runUntil(net.nowMs + 1000);
    expect(texts(r[1])).toEqual([]);
    expect(texts(r[2])).toEqual(['same-side']);
    expect(t[0].linkState(2)).toBe('up'); // a silent partition: no link event
    expect(net.inFlight().map((m) => [m.from, m.to])).toEqual([[1, 2], [1, 2]]);
    net.heal();
    net.runUntilIdle();
    expect(texts(r[1])).toEqual(['held-1', 'held-2']);
  });

  it('supports one-way blocks and isolate()', () => {
    const { net, t, r } = trio();
    net.setLinkPolicy(1, 2, { blocked: true });
    t[0].send(2, utf8('1->2'));
    t[1].send(1, utf8('2->1'));
    net.runUntil(net.nowMs + 100);
    expect(texts(r[0])).toEqual(['2->1']);
    expect(texts(r[1])).toEqual([]);
    net.setLinkPolicy(1, 2, null);
    net.isolate(3);
    t[2].send(1, utf8('from-3'));
    net.runUntil(net.nowMs + 100);
    expect(texts(r[1])).toEqual(['1->2']);
    expect(texts(r[0])).toEqual(['2->1']);
    expect(net.isBlocked(3, 1) && net.isBlocked(2, 3) && !net.isBlocked(1, 2)).toBe(true);
  });

  it('breaking a link drops in-flight messages, reports down on both sides, then reconnects', () => {
    const { net, t, r } = trio({ defaultPolicy: { latencyMs: 10 }, reconnectDelayMs: 50 });
    t[0].send(2, utf8('lost'));
    net.breakLink(1, 2);
    expect(t[0].linkState(2)).toBe('down');
    t[0].send(2, utf8('after-break'));
    net.runUntilIdle();
    expect(texts(r[1])).toEqual(['after-break']);
    expect(r[0].links.slice(-2)).toEqual([{ peer: 2, state: 'down' }, { peer: 2, state: 'up' }]);
    expect(r[1].links.slice(-2)).toEqual([{ peer: 1, state: 'down' }, { peer: 1, state: 'up' }]);
    expect(t[0].stats.messagesDropped).toBe(1);
  });

  it('a partition with breakLinks keeps links down until healed', () => {
    const { net, t, r } = trio({ reconnectDelayMs: 10 });
    net.partition([[1, 2], [3]], { breakLinks: true });
    net.runUntil(net.nowMs + 10_000);
    expect(t[2].linkState(1)).toBe('down');
    expect(r[2].links).toEqual([
      { peer: 1, state: 'up' }, { peer: 2, state: 'up' }, { peer: 1, state: 'down' }, { peer: 2, state: 'down' },
    ]);
    net.heal();
    net.runUntilIdle();
    expect(t[2].linkState(1)).toBe('up');
    expect(t[2].linkState(2)).toBe('up');
  });

  it('treats a lost message as a connection reset (or plain loss when asked)', () => {
    const { net, t, r } = trio();
    net.setLinkPolicy(1, 2, { lossProbability: 1 });
    t[0].send(2, utf8('gone'));
    expect(t[0].linkState(2)).toBe('down');
    net.setLinkPolicy(1, 2, { lossProbability: 1, lossBreaksLink: false });
    net.runUntilIdle();
    t[0].send(2, utf8('gone-too'));
    expect(t[0].linkState(2)).toBe('up');
    net.setLinkPolicy(1, 2, null);
    t[0].send(2, utf8('arrives'));
    net.runUntilIdle();
    expect(texts(r[1])).toEqual(['arrives']);
  });

  it('a closed node takes its links down; a restarted one comes back', () => {
    const { net, t, r } = trio();
    t[2].close();
    net.runUntilIdle();
    expect(r[0].links.at(-1)).toEqual({ peer: 3, state: 'down' });
    expect(() => net.attach(1)).toThrow(/already attached/);
    const again = net.attach(3);
    const rAgain = record(again);
    net.runUntilIdle();
    expect(rAgain.links.map((l) => l.peer).sort()).toEqual([1, 2]);
    t[0].send(3, utf8('welcome back'));
    net.runUntilIdle();
    expect(texts(rAgain)).toEqual(['welcome back']);
  });

  it('runs clock timers in time order and lets them be cancelled', () => {
    const net = new MemoryNetwork();
    const fired: string[] = [];
    net.clock.setTimer(20, () => fired.push(`b@${net.nowMs}`));
    net.clock.setTimer(10, () => fired.push(`a@${net.nowMs}`));
    const cancel = net.clock.setTimer(15, () => fired.push('never'));
    cancel();
    expect(net.pendingCount).toBe(3);
    net.runUntil(100);
    expect(fired).toEqual(['a@10', 'b@20']);
    expect(net.nowMs).toBe(100);
    expect(() => net.runUntil(50)).toThrow(/back/);
  });

  it('emits a trace of sends, deliveries, drops and link changes', () => {
    const net = new MemoryNetwork({ defaultPolicy: { latencyMs: 3 } });
    const events: NetworkTraceEvent['type'][] = [];
    net.onTrace((e) => events.push(e.type));
    const a = net.attach(1);
    net.attach(2);
    a.send(2, utf8('x'));
    net.runUntilIdle();
    net.breakLink(1, 2);
    expect(events).toEqual(['link', 'sent', 'delivered', 'link']);
  });

  it('rejects sending to oneself and bad ids', () => {
    const net = new MemoryNetwork();
    const a = net.attach(1);
    expect(() => a.send(1, utf8('me'))).toThrow(RangeError);
    expect(() => a.connect(1.5)).toThrow(RangeError);
    expect(() => net.partition([[1], [1]])).toThrow(/two partition groups/);
    expect(() => net.setLinkPolicy(1, 2, { lossProbability: 2 })).toThrow(RangeError);
  });
});
