import { connect as netConnect, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame } from '../jute/framing';
import { decodePeerMessage, encodePeerMessage } from '../jute/quorum-packets';
import { encodePeerHello } from './peer-hello';
import { TcpTransport } from './tcp-transport';
import type { LinkState, Transport } from './transport';

const open: TcpTransport[] = [];
const rawSockets: Socket[] = [];
afterEach(() => {
  for (const t of open.splice(0)) t.close();
  for (const s of rawSockets.splice(0)) s.destroy();
});

async function start(selfId: number): Promise<TcpTransport> {
  const t = await TcpTransport.listen({ selfId, listenHost: '127.0.0.1', listenPort: 0, reconnectInitialMs: 5, reconnectMaxMs: 50 });
  open.push(t);
  return t;
}

function introduce(all: TcpTransport[]): void {
  for (const a of all) for (const b of all) if (a !== b) a.setPeerAddress(b.selfId, { host: '127.0.0.1', port: b.port });
}

/** Resolves once `check` holds, re-checking on every event loop turn (bounded by the test timeout). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}

const ack = (n: number) => encodePeerMessage({ kind: 'ack', zxid: BigInt(n) });
const zxidOf = (bytes: Uint8Array) => Number(decodePeerMessage(bytes).zxid);

function collect(t: Transport) {
  const got: Array<{ from: number; n: number }> = [];
  const links: Array<[number, LinkState]> = [];
  t.onMessage((from, bytes) => got.push({ from, n: zxidOf(bytes) }));
  t.onLinkChange((peer, state) => links.push([peer, state]));
  return { got, links };
}

async function rawClient(port: number): Promise<Socket> {
  const socket = netConnect({ host: '127.0.0.1', port });
  rawSockets.push(socket);
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  return socket;
}

describe('TcpTransport', () => {
  it('connects three servers, one connection per pair opened by the larger sid, ordered delivery', async () => {
    const [t1, t2, t3] = await Promise.all([start(1), start(2), start(3)]) as [TcpTransport, TcpTransport, TcpTransport];
    introduce([t1, t2, t3]);
    const c2 = collect(t2);
    for (const t of [t1, t2, t3]) for (const peer of [1, 2, 3]) if (peer !== t.selfId) t.connect(peer);
    // Sent before any link is up: queued, then delivered in order.
    for (let i = 0; i < 200; i++) {
      t1.send(2, ack(i));
      t3.send(2, ack(1000 + i));
    }
    await until(() => c2.got.length === 400);
    expect(c2.got.filter((m) => m.from === 1).map((m) => m.n)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(c2.got.filter((m) => m.from === 3).map((m) => m.n)).toEqual(Array.from({ length: 200 }, (_, i) => 1000 + i));
    await until(() => t1.linkState(3) === 'up' && t3.linkState(1) === 'up');
    expect([t1.connectionInitiator(2), t2.connectionInitiator(1), t1.connectionInitiator(3), t3.connectionInitiator(2)]).toEqual([2, 2, 3, 3]);
    expect(t1.stats.linkDowns + t2.stats.linkDowns + t3.stats.linkDowns).toBe(0);
    expect(c2.links.sort()).toEqual([[1, 'up'], [3, 'up']]);
  });

  it('sends the frames written to a peer in one turn as one writev (corked until the turn ends), in order', async () => {
    const [a, b] = await Promise.all([start(1), start(2)]);
    introduce([a, b]);
    const { got } = collect(b);
    a.send(2, ack(0));
    await until(() => got.length === 1);
    type WriteFn = (...args: unknown[]) => unknown;
    const proto = Socket.prototype as unknown as { _writev: WriteFn; _write: WriteFn };
    const original = { writev: proto._writev, write: proto._write };
    const calls = { writev: 0, write: 0 };
    proto._writev = function (this: unknown, ...args: unknown[]) {
      calls.writev++;
      return original.writev.apply(this, args);
    };
    proto._write = function (this: unknown, ...args: unknown[]) {
      calls.write++;
      return original.write.apply(this, args);
    };
    try {
      for (let n = 1; n <= 5; n++) a.send(2, ack(n));
      await until(() => got.length === 6);
    } finally {
      proto._writev = original.writev;
      proto._write = original.write;
    }
    expect(got.map((g) => g.n)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(calls).toEqual({ writev: 1, write: 0 });
  });

  it('a smaller sid asking for a link gets a connection from the larger one', async () => {
    const [t1, t2] = await Promise.all([start(1), start(2)]) as [TcpTransport, TcpTransport];
    t1.setPeerAddress(2, { host: '127.0.0.1', port: t2.port }); // t2 does not even know t1's address
    const c2 = collect(t2);
    t1.send(2, ack(42));
    await until(() => c2.got.length === 1);
    expect(c2.got).toEqual([{ from: 1, n: 42 }]);
    expect(t2.connectionInitiator(1)).toBe(2);
  });

  it('reconnects after the socket is destroyed, from either side', async () => {
    const [t1, t2] = await Promise.all([start(1), start(2)]) as [TcpTransport, TcpTransport];
    introduce([t1, t2]);
    const c1 = collect(t1);
    const c2 = collect(t2);
    t1.connect(2);
    await until(() => c1.links.length === 1 && c2.links.length === 1);
    t1.disconnect(2);
    expect(t1.linkState(2)).toBe('down');
    await until(() => c1.links.length === 3 && c2.links.length === 3);
    expect(c1.links).toEqual([[2, 'up'], [2, 'down'], [2, 'up']]);
    expect(c2.links).toEqual([[1, 'up'], [1, 'down'], [1, 'up']]);
    t2.disconnect(1);
    await until(() => c1.links.length === 5 && t1.linkState(2) === 'up' && t2.linkState(1) === 'up');
    t1.send(2, ack(7));
    t2.send(1, ack(8));
    await until(() => c1.got.length === 1 && c2.got.length === 1);
    expect([c1.got, c2.got]).toEqual([[{ from: 2, n: 8 }], [{ from: 1, n: 7 }]]);
  });

  it('a restarted peer on a new port is reached again', async () => {
    const [t1, t2] = await Promise.all([start(1), start(2)]) as [TcpTransport, TcpTransport];
    introduce([t1, t2]);
    const c1 = collect(t1);
    t1.connect(2);
    await until(() => t1.linkState(2) === 'up');
    t2.close();
    await until(() => t1.linkState(2) === 'down');
    const t2b = await start(2);
    introduce([t1, t2b]);
    t2b.connect(1);
    t2b.send(1, ack(5));
    await until(() => c1.got.length === 1);
    expect(c1.got).toEqual([{ from: 2, n: 5 }]);
  });

  it('drops and counts bad frames, and resets a stream with an absurd frame length', async () => {
    const t1 = await start(1);
    const c1 = collect(t1);
    const raw = await rawClient(t1.port);
    raw.write(encodeFrame(encodePeerHello({ sid: 9, listenPort: 0 })));
    raw.write(encodeFrame(Uint8Array.of(1, 99, 0))); // unknown kind
    raw.write(encodeFrame(new Uint8Array(0))); // empty
    raw.write(encodeFrame(ack(3)));
    await until(() => c1.got.length === 1);
    expect(c1.got).toEqual([{ from: 9, n: 3 }]);
    expect(t1.stats.badFrames).toBe(2);
    raw.write(Uint8Array.of(0x7f, 0xff, 0xff, 0xff));
    await until(() => c1.links.length === 2);
    expect(c1.links).toEqual([[9, 'up'], [9, 'down']]);
    expect(t1.stats.badFrames).toBe(3);
  });

  it('rejects connections with a bad hello', async () => {
    const t1 = await start(1);
    const raw = await rawClient(t1.port);
    const closed = new Promise((resolve) => raw.once('close', resolve));
    raw.write(encodeFrame(new TextEncoder().encode('GET / HTTP/1.1')));
    await closed;
    expect(t1.stats.badFrames).toBe(1);
    expect(t1.stats.linkUps).toBe(0);
  });
});
