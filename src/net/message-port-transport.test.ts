import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from './clock';
import { MessagePortTransport, type MessagePortLike } from './message-port-transport';
import { record, texts, utf8 } from './test-helpers';

/** Timers that fire only when the test says so. */
class ManualClock implements Clock {
  private timers: Array<{ fn: () => void; live: boolean }> = [];
  nowMs = () => 0;
  setTimer(_delayMs: number, fn: () => void): () => void {
    const timer = { fn, live: true };
    this.timers.push(timer);
    return () => void (timer.live = false);
  }
  fireAll(): void {
    const due = this.timers.splice(0);
    for (const t of due) if (t.live) t.fn();
  }
}

const ports: MessagePort[] = [];
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});
function channel(): [MessagePortLike, MessagePortLike, MessagePort] {
  const c = new MessageChannel();
  ports.push(c.port1, c.port2);
  return [c.port1 as unknown as MessagePortLike, c.port2 as unknown as MessagePortLike, c.port1];
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}

function pair() {
  const clock = new ManualClock();
  const a = new MessagePortTransport({ selfId: 1, clock });
  const b = new MessagePortTransport({ selfId: 2, clock });
  const ra = record(a);
  const rb = record(b);
  const [p1, p2, raw1] = channel();
  return { clock, a, b, ra, rb, p1, p2, raw1, wire: () => (a.attachPort(2, p1), b.attachPort(1, p2)) };
}

describe('MessagePortTransport', () => {
  it('opens a connection on a MessageChannel and delivers in order both ways', async () => {
    const { a, b, ra, rb, wire } = pair();
    a.send(2, utf8('queued-before-port'));
    wire();
    expect(a.linkState(2)).toBe('down');
    await until(() => a.linkState(2) === 'up' && b.linkState(1) === 'up');
    for (let i = 0; i < 50; i++) a.send(2, utf8(`m${i}`));
    b.send(1, utf8('back'));
    await until(() => rb.messages.length === 51 && ra.messages.length === 1);
    expect(texts(rb)).toEqual(['queued-before-port', ...Array.from({ length: 50 }, (_, i) => `m${i}`)]);
    expect(rb.messages.every((m) => m.from === 1)).toBe(true);
    expect(texts(ra)).toEqual(['back']);
    expect(ra.links).toEqual([{ peer: 2, state: 'up' }]);
    expect(rb.links).toEqual([{ peer: 1, state: 'up' }]);
    a.close();
    b.close();
  });

  it('disconnect drops what the old connection still carries, then reconnects', async () => {
    const { clock, a, b, ra, rb, wire } = pair();
    wire();
    await until(() => a.linkState(2) === 'up' && b.linkState(1) === 'up');
    b.send(1, utf8('in-flight')); // crosses a's bye
    a.disconnect(2);
    expect(a.linkState(2)).toBe('down');
    await until(() => b.linkState(1) === 'down');
    expect(texts(ra)).toEqual([]);
    expect(a.stats.messagesDropped).toBe(1);
    a.send(2, utf8('after'));
    clock.fireAll(); // reconnect timers
    await until(() => a.linkState(2) === 'up' && b.linkState(1) === 'up' && rb.messages.length === 1);
    expect(texts(rb)).toEqual(['after']);
    expect(ra.links).toEqual([{ peer: 2, state: 'up' }, { peer: 2, state: 'down' }, { peer: 2, state: 'up' }]);
    expect(rb.links).toEqual([{ peer: 1, state: 'up' }, { peer: 1, state: 'down' }, { peer: 1, state: 'up' }]);
    // Now from the opener's side; then make sure the handshake settles (no open/accept loop).
    b.disconnect(1);
    await until(() => a.linkState(2) === 'down');
    clock.fireAll();
    await until(() => a.linkState(2) === 'up' && b.linkState(1) === 'up');
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    clock.fireAll();
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect([a.stats.linkUps, b.stats.linkUps, a.stats.linkDowns, b.stats.linkDowns]).toEqual([3, 3, 2, 2]);
    a.close();
    b.close();
  });

  it('counts malformed port messages and messages from the wrong server', async () => {
    const { a, raw1, p2 } = pair();
    a.attachPort(2, p2);
    raw1.postMessage('nonsense');
    raw1.postMessage({ z: 'ztq1', t: 'data', conn: 1, bytes: 'not bytes' });
    raw1.postMessage({ z: 'ztq1', t: 'open', sid: 3, conn: 1 });
    raw1.postMessage({ z: 'ztq1', t: 'open', sid: 2, conn: 0 });
    await until(() => a.stats.badFrames === 4);
    expect(a.linkState(2)).toBe('down');
    raw1.postMessage({ z: 'ztq1', t: 'open', sid: 2, conn: 1 });
    await until(() => a.linkState(2) === 'up');
    raw1.postMessage({ z: 'ztq1', t: 'open', sid: 2, conn: 1 }); // stale: ignored, stays up
    raw1.postMessage({ z: 'ztq1', t: 'data', conn: 1, bytes: utf8('ok') });
    const got: string[] = [];
    a.onMessage((_from, bytes) => got.push(new TextDecoder().decode(bytes)));
    await until(() => got.length === 1);
    expect(a.stats.linkUps).toBe(1);
    a.close();
  });

  it('a replaced port (restarted peer) takes the link down and up again; close says bye', async () => {
    const { a, b, ra, wire } = pair();
    wire();
    await until(() => a.linkState(2) === 'up');
    b.close();
    await until(() => a.linkState(2) === 'down');
    const b2 = new MessagePortTransport({ selfId: 2 });
    const rb2 = record(b2);
    const [q1, q2] = channel();
    a.attachPort(2, q1);
    b2.attachPort(1, q2);
    a.send(2, utf8('hello again'));
    await until(() => rb2.messages.length === 1);
    expect(texts(rb2)).toEqual(['hello again']);
    expect(ra.links.map((l) => l.state)).toEqual(['up', 'down', 'up']);
    a.close();
    b2.close();
  });
});
