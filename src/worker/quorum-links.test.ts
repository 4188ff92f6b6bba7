// Partition, heal, latency: QuorumLinks over real (node:worker_threads) MessageChannels.
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../net/clock';
import type { MessagePortLike } from '../net/message-port-transport';
import { Prng } from '../zk/prng';
import type { ServerId } from '../zk/types';
import { QuorumLinks } from './quorum-links';

/** Timers that fire when the test says so, at the time the test sets. */
class ManualClock implements Clock {
  now = 0;
  private timers: Array<{ atMs: number; fn: () => void; live: boolean }> = [];
  nowMs = () => this.now;
  setTimer(delayMs: number, fn: () => void): () => void {
    const timer = { atMs: this.now + delayMs, fn, live: true };
    this.timers.push(timer);
    return () => void (timer.live = false);
  }
  advance(ms: number): void {
    this.now += ms;
    const due = this.timers.filter((t) => t.atMs <= this.now);
    this.timers = this.timers.filter((t) => t.atMs > this.now);
    for (const t of due) if (t.live) t.fn();
  }
}

const open: MessagePort[] = [];
const links: QuorumLinks[] = [];
afterEach(() => {
  for (const l of links.splice(0)) l.close();
  for (const p of open.splice(0)) p.close();
});

async function until(check: () => boolean, turns = 1000): Promise<void> {
  for (let i = 0; !check(); i++) {
    if (i >= turns) throw new Error('condition not reached');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function pair() {
  const clock = new ManualClock();
  const make = (selfId: ServerId) => {
    const l = new QuorumLinks({ selfId, peers: [1, 2], clock, prng: new Prng(selfId) });
    links.push(l);
    const got: string[] = [];
    const changes: string[] = [];
    l.onMessage((_from, bytes) => got.push(new TextDecoder().decode(bytes)));
    l.onLinkChange((_peer, state) => changes.push(state));
    return { l, got, changes };
  };
  const a = make(1);
  const b = make(2);
  const channel = new MessageChannel();
  open.push(channel.port1, channel.port2);
  a.l.attachPort(2, channel.port1 as unknown as MessagePortLike);
  b.l.attachPort(1, channel.port2 as unknown as MessagePortLike);
  return { clock, a, b };
}

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('QuorumLinks', () => {
  it('connects a pair over one channel and carries frames both ways', async () => {
    const { a, b } = pair();
    await until(() => a.l.linkStates()[0]?.up === true && b.l.linkStates()[0]?.up === true);
    a.l.send(2, utf8('hi'));
    b.l.send(1, utf8('ho'));
    await until(() => a.got.length === 1 && b.got.length === 1);
    expect(b.got).toEqual(['hi']);
    expect(a.got).toEqual(['ho']);
  });

  it('drops frames both ways while partitioned, keeps the link up, and resets it on heal', async () => {
    const { clock, a, b } = pair();
    await until(() => a.l.linkStates()[0]?.up === true && b.l.linkStates()[0]?.up === true);
    // Only one side is told: the partition must still silence both directions.
    a.l.setFaults([{ peer: 2, faults: { partitioned: true, outbound: {} } }]);
    expect(a.l.isPartitioned(2)).toBe(true);
    a.l.send(2, utf8('lost-1'));
    b.l.send(1, utf8('lost-2'));
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(a.got).toEqual([]);
    expect(b.got).toEqual([]);
    expect(a.l.linkStates()[0]?.up).toBe(true);

    b.l.setFaults([]);
    a.l.setFaults([]);
    // The healed side resets the connection: both see it go down, then up again.
    await until(() => a.changes.includes('down') && b.changes.includes('down'));
    clock.advance(1000);
    await until(() => a.l.linkStates()[0]?.up === true && b.l.linkStates()[0]?.up === true);
    a.l.send(2, utf8('after'));
    await until(() => b.got.length === 1);
    expect(b.got).toEqual(['after']);
  });

  it('comes back up when both sides heal at once, as the page tells them', async () => {
    const { clock, a, b } = pair();
    await until(() => a.l.linkStates()[0]?.up === true && b.l.linkStates()[0]?.up === true);
    const cut = { partitioned: true, outbound: {} };
    a.l.setFaults([{ peer: 2, faults: cut }]);
    b.l.setFaults([{ peer: 1, faults: cut }]);
    a.l.setFaults([]);
    b.l.setFaults([]);
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      clock.advance(200);
    }
    await until(() => a.l.linkStates()[0]?.up === true && b.l.linkStates()[0]?.up === true);
    b.l.send(1, utf8('healed'));
    await until(() => a.got.length === 1);
    expect(a.got).toEqual(['healed']);
  });

  it('delays the outbound direction by its latency, keeping order', async () => {
    const { clock, a, b } = pair();
    await until(() => a.l.linkStates()[0]?.up === true && b.l.linkStates()[0]?.up === true);
    a.l.setFaults([{ peer: 2, faults: { partitioned: false, outbound: { latencyMs: 300 } } }]);
    a.l.send(2, utf8('one'));
    a.l.send(2, utf8('two'));
    b.l.send(1, utf8('back'));
    await until(() => a.got.length === 1);
    expect(b.got).toEqual([]);
    clock.advance(300);
    await until(() => b.got.length === 2);
    expect(b.got).toEqual(['one', 'two']);
  });

  it('refuses a peer outside the ensemble', () => {
    const { a } = pair();
    expect(() => a.l.setFaults([{ peer: 7, faults: { partitioned: true, outbound: {} } }])).toThrow(/no peer 7/);
  });
});
