import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue';
import { Reachability, parsePartition } from './partition';
import { Scheduler } from './scheduler';
import { World } from './world';
import { CreateMode, OPEN_ACL_UNSAFE } from '../zk/types';

describe('EventQueue', () => {
  it('orders by time, then by scheduling order, and skips cancelled events', () => {
    const queue = new EventQueue();
    const ran: string[] = [];
    queue.push(5, 'b', () => ran.push('b'));
    queue.push(1, 'a', () => ran.push('a'));
    queue.push(5, 'c', () => ran.push('c'));
    queue.push(3, 'x', () => ran.push('x')).cancelled = true;
    for (let e = queue.pop(); e !== undefined; e = queue.pop()) e.run();
    expect(ran).toEqual(['a', 'b', 'c']);
  });

  it('refuses to grow without bound', () => {
    const queue = new EventQueue(2);
    queue.push(1, 'a', () => {});
    queue.push(1, 'b', () => {});
    expect(() => queue.push(1, 'c', () => {})).toThrow(/queue full/);
  });
});

describe('Scheduler timers', () => {
  it('fires client timers at virtual times and honours clearTimeout', () => {
    const scheduler = new Scheduler();
    const timers = scheduler.timers('t');
    const fired: number[] = [];
    timers.setTimeout(() => fired.push(scheduler.nowMs), 30);
    const cancelled = timers.setTimeout(() => fired.push(-1), 10);
    timers.clearTimeout(cancelled);
    while (scheduler.runNext(1000));
    expect(fired).toEqual([30]);
  });
});

describe('Reachability', () => {
  it('cuts across groups, leaves unnamed nodes connected, and supports one-way blocks', () => {
    const r = new Reachability();
    r.partition(parsePartition('1|2,3'));
    expect(r.canSend('s1', 's2')).toBe(false);
    expect(r.canSend('s2', 's3')).toBe(true);
    expect(r.canSend('c1', 's1')).toBe(true);
    r.heal();
    r.block('s1', 's2');
    expect(r.canSend('s1', 's2')).toBe(false);
    expect(r.canSend('s2', 's1')).toBe(true);
    expect(r.describe()).toBe('block s1>s2');
  });

  it('rejects malformed partitions', () => {
    expect(() => parsePartition('1,2')).toThrow(/bad partition/);
    expect(() => parsePartition('1|x')).toThrow(/bad node name/);
    expect(() => new Reachability().partition([['s1'], ['s1']])).toThrow(/twice/);
  });
});

describe('World', () => {
  it('runs the real client against a simulated server, and a crash keeps only what was durable', async () => {
    const world = new World({ seed: 3 });
    world.addServers(1);
    const { zk } = world.createClient();
    let created = '';
    zk.create('/a', new TextEncoder().encode('x'), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT).then((p) => (created = p));
    expect(await world.runUntil(() => created !== '', 5000)).toBe(true);
    expect(created).toBe('/a');
    world.crash(1, true);
    world.restart(1);
    expect(world.server(1).core?.tree?.exists('/a')).toBe(true);
  });

  it('stalls client bytes across a partition and delivers them in order after the heal', async () => {
    const world = new World({ seed: 4 });
    world.addServers(1);
    const { zk } = world.createClient();
    await world.runUntil(() => zk.getState() === 'CONNECTED', 5000);
    world.partition([['c1'], ['s1']]);
    let done = false;
    zk.create('/b', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT).then(() => (done = true));
    await world.runFor(500);
    expect(done).toBe(false);
    world.heal();
    expect(await world.runUntil(() => done, 5000)).toBe(true);
  });
});
