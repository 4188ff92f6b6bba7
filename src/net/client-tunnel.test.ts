import { describe, expect, it } from 'vitest';
import { memoryPipe, type ByteStream } from './byte-stream';
import type { Clock } from './clock';
import { ClientTunnelAcceptor, channelByteStream, clientLabel, openClientTunnel, parseClientLabel, type DataChannelLike } from './client-tunnel';

// ---------- fakes: a pair of data channel ends; messages are delivered when the test flushes ----------

class FakeChannel implements DataChannelLike {
  readyState: RTCDataChannelState = 'connecting';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  binaryType: BinaryType = 'blob';
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: Event) => void) | null = null;
  onerror: ((event: RTCErrorEvent) => void) | null = null;
  onbufferedamountlow: ((event: Event) => void) | null = null;
  far: FakeChannel | null = null;
  /** Everything sent, in order (strings as they are, binary as copies). */
  sent: Array<string | Uint8Array> = [];
  /** While true, sends pile up in bufferedAmount instead of reaching the far side. */
  stalled = false;
  /** While true, the pair's open event skips this end (Chrome: messages first, open later); see openNow(). */
  openHeld = false;
  private backlog: Array<string | Uint8Array> = [];
  constructor(
    readonly label: string,
    private readonly net: FakeNet,
  ) {}
  send(data: string | ArrayBufferView<ArrayBuffer>): void {
    if (this.readyState !== 'open') throw new Error(`send on a ${this.readyState} channel`);
    const item = typeof data === 'string' ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    this.sent.push(item);
    if (this.stalled) {
      this.backlog.push(item);
      this.bufferedAmount += typeof item === 'string' ? item.length : item.length;
      return;
    }
    this.deliver(item);
  }
  /** The network catches up: the backlog leaves, bufferedAmount falls to 0. */
  unstall(): void {
    this.stalled = false;
    for (const item of this.backlog.splice(0)) this.deliver(item);
    this.bufferedAmount = 0;
    this.onbufferedamountlow?.(new Event('bufferedamountlow'));
  }
  close(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    const far = this.far;
    this.net.later(() => {
      this.onclose?.(new Event('close'));
      if (far !== null && far.readyState !== 'closed') {
        far.readyState = 'closed';
        far.onclose?.(new Event('close'));
      }
    });
  }
  /** The held open event arrives. */
  openNow(): void {
    this.openHeld = false;
    if (this.readyState !== 'connecting') return;
    this.readyState = 'open';
    this.onopen?.(new Event('open'));
  }
  private deliver(item: string | Uint8Array): void {
    const far = this.far;
    this.net.later(() => {
      // A still 'connecting' end receives too: Chrome dispatches a new channel's first messages
      // before its open event.
      if (far === null || far.readyState === 'closing' || far.readyState === 'closed') return;
      const data = typeof item === 'string' ? item : item.slice().buffer;
      far.onmessage?.({ data } as MessageEvent);
    });
  }
}

class FakeNet {
  private tasks: Array<() => void> = [];
  later(fn: () => void): void {
    this.tasks.push(fn);
  }
  /** A pair: [client end, server end]; both open at the next flush. */
  pair(label: string): [FakeChannel, FakeChannel] {
    const a = new FakeChannel(label, this);
    const b = new FakeChannel(label, this);
    a.far = b;
    b.far = a;
    this.later(() => {
      for (const ch of [a, b]) {
        if (ch.readyState !== 'connecting' || ch.openHeld) continue;
        ch.readyState = 'open';
        ch.onopen?.(new Event('open'));
      }
    });
    return [a, b];
  }
  async flush(): Promise<void> {
    for (let round = 0; round < 100 && this.tasks.length > 0; round++) {
      for (const task of this.tasks.splice(0)) task();
      await Promise.resolve();
    }
    await Promise.resolve();
  }
}

class ManualClock implements Clock {
  timers: Array<{ delayMs: number; fn: () => void; live: boolean }> = [];
  nowMs = () => 0;
  setTimer(delayMs: number, fn: () => void): () => void {
    const t = { delayMs, fn, live: true };
    this.timers.push(t);
    return () => void (t.live = false);
  }
  fireAll(): void {
    for (const t of this.timers.splice(0)) if (t.live) t.fn();
  }
}

function collect(stream: ByteStream): { bytes: number[]; closed: string[] } {
  const out = { bytes: [] as number[], closed: [] as string[] };
  stream.onData((b) => out.bytes.push(...b));
  stream.onClose((r) => out.closed.push(r));
  return out;
}

/** A server tab whose "worker" is an in-memory pipe; `server` ends are what the worker sees. */
function serverTab(net: FakeNet, up = true) {
  const server: ByteStream[] = [];
  const remotes: string[] = [];
  let running = up;
  const acceptor = new ClientTunnelAcceptor(
    (remoteAddress) => {
      if (!running) throw new Error('server 2 is down');
      const [pageEnd, workerEnd] = memoryPipe((fn) => net.later(fn));
      server.push(workerEnd);
      remotes.push(remoteAddress);
      return pageEnd;
    },
    { maxChunkBytes: 10 },
  );
  return { acceptor, server, remotes, kill: () => ((running = false), acceptor.closeAll('server 2 was killed')) };
}

async function connected(net: FakeNet, tab: ReturnType<typeof serverTab>, who = 'zkCli') {
  const [client, far] = net.pair(clientLabel('abc123', who));
  tab.acceptor.accept(1, far);
  const opened = openClientTunnel(client, { clock: new ManualClock(), serverName: 'server 2', maxChunkBytes: 10 });
  await net.flush();
  const stream = await opened;
  return { stream, client, far };
}

describe('client tunnel labels', () => {
  it('round-trips the token and who, and rejects other labels', () => {
    expect(parseClientLabel(clientLabel('a1b2', 'page'))).toEqual({ token: 'a1b2', who: 'page' });
    expect(parseClientLabel(clientLabel('a1b2', 'tab 1/zk:Cli'))).toEqual({ token: 'a1b2', who: 'tab 1/zk:Cli' });
    expect(parseClientLabel('quorum-1')).toBeNull();
    expect(parseClientLabel('client:')).toBeNull();
    expect(parseClientLabel('client:x y:z')).toBeNull();
    expect(() => clientLabel('not a token', 'x')).toThrow(RangeError);
  });
});

describe('client tunnel', () => {
  it('carries bytes both ways, cut into chunks no larger than the limit, in order', async () => {
    const net = new FakeNet();
    const tab = serverTab(net);
    const { stream, client, far } = await connected(net, tab);
    expect(tab.remotes).toEqual(['tab1/zkCli']);
    const atServer = collect(tab.server[0] as ByteStream);
    const atClient = collect(stream);
    const request = Uint8Array.from({ length: 35 }, (_, i) => i);
    stream.send(request);
    (tab.server[0] as ByteStream).send(Uint8Array.from([200, 201, 202]));
    await net.flush();
    expect(atServer.bytes).toEqual([...request]);
    expect(atClient.bytes).toEqual([200, 201, 202]);
    const binary = client.sent.filter((m): m is Uint8Array => typeof m !== 'string');
    expect(binary.map((m) => m.length)).toEqual([10, 10, 10, 5]);
    expect(far.sent[0]).toBe('ok');
  });

  it('the client closing closes the server connection, and the other way round', async () => {
    const net = new FakeNet();
    const tab = serverTab(net);
    const first = await connected(net, tab);
    const atServer = collect(tab.server[0] as ByteStream);
    first.stream.close();
    await net.flush();
    expect(atServer.closed).toHaveLength(1);
    expect(tab.acceptor.size).toBe(0);

    const second = await connected(net, tab);
    const atClient = collect(second.stream);
    (tab.server[1] as ByteStream).close(); // the worker closed the connection
    await net.flush();
    expect(atClient.closed).toHaveLength(1);
    expect(second.client.readyState).toBe('closed');
    expect(tab.acceptor.size).toBe(0);
  });

  it('a killed server resets every tunnelled connection, with the reason', async () => {
    const net = new FakeNet();
    const tab = serverTab(net);
    const a = await connected(net, tab, 'page');
    const b = await connected(net, tab, 'zkCli');
    const atA = collect(a.stream);
    const atB = collect(b.stream);
    expect(tab.acceptor.size).toBe(2);
    tab.kill();
    await net.flush();
    expect(atA.closed).toEqual(['closed by the far side: server 2 was killed']);
    expect(atB.closed).toHaveLength(1);
    expect(tab.acceptor.size).toBe(0);
  });

  it('a tab without a running server refuses at once, naming why', async () => {
    const net = new FakeNet();
    const tab = serverTab(net, false);
    const [client, far] = net.pair(clientLabel('ff', 'page'));
    tab.acceptor.accept(1, far);
    const opened = openClientTunnel(client, { clock: new ManualClock(), serverName: 'server 2' });
    const failure = expect(opened).rejects.toThrow('server 2 refused the connection: server 2 is down');
    await net.flush();
    await failure;
    expect(client.readyState).toBe('closed');
    expect(tab.acceptor.size).toBe(0);
  });

  it('gives up when the far tab never answers', async () => {
    const net = new FakeNet();
    const [client] = net.pair(clientLabel('ff', 'page'));
    const clock = new ManualClock();
    const opened = openClientTunnel(client, { clock, handshakeTimeoutMs: 1234, serverName: 'server 3' });
    await net.flush();
    clock.fireAll();
    await expect(opened).rejects.toThrow('server 3 did not answer the tunnel within 1234 ms');
    expect(client.readyState).toBe('closed');
  });

  it('fails when the channel closes before the handshake', async () => {
    const net = new FakeNet();
    const [client, far] = net.pair(clientLabel('ff', 'page'));
    const opened = openClientTunnel(client, { clock: new ManualClock(), serverName: 'server 3' });
    await net.flush();
    far.close();
    await net.flush();
    await expect(opened).rejects.toThrow('the tunnel to server 3 closed before it was accepted');
  });

  it("works when the far tab's 'ok' arrives before the channel's own open event (as in Chrome)", async () => {
    const net = new FakeNet();
    const tab = serverTab(net);
    const [client, far] = net.pair(clientLabel('abc123', 'zkCli'));
    client.openHeld = true;
    tab.acceptor.accept(1, far);
    const opened = openClientTunnel(client, { clock: new ManualClock(), serverName: 'server 2', maxChunkBytes: 10 });
    await net.flush();
    const stream = await opened;
    expect(client.readyState).toBe('connecting');
    const atClient = collect(stream);
    const atServer = collect(tab.server[0] as ByteStream);
    stream.send(Uint8Array.from([1, 2, 3])); // the ConnectRequest waits for the open event
    await net.flush();
    expect(atClient.closed).toEqual([]);
    expect(atServer.bytes).toEqual([]);
    client.openNow();
    await net.flush();
    expect(atServer.bytes).toEqual([1, 2, 3]);
    (tab.server[0] as ByteStream).send(Uint8Array.from([9]));
    await net.flush();
    expect(atClient.bytes).toEqual([9]);
    expect(atClient.closed).toEqual([]);
  });

  it('ignores channels whose label is not a client tunnel', async () => {
    const net = new FakeNet();
    const tab = serverTab(net);
    const [, far] = net.pair('client:bad label');
    tab.acceptor.accept(1, far);
    await net.flush();
    expect(far.readyState).toBe('closed');
    expect(tab.server).toHaveLength(0);
  });
});

describe('channelByteStream backpressure', () => {
  it('holds chunks while the channel is above its high water mark and sends them in order after', async () => {
    const net = new FakeNet();
    const [a, b] = net.pair('client:t:x');
    await net.flush();
    const sender = channelByteStream(a, { maxChunkBytes: 4, highWaterBytes: 8 });
    const receiver = collect(channelByteStream(b));
    a.stalled = true;
    sender.send(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])); // 4 + 4 reach the buffer, 2 wait
    expect(a.sent).toHaveLength(2);
    sender.send(Uint8Array.from([11])); // waits behind the queue, keeping the order
    expect(a.sent).toHaveLength(2);
    a.unstall();
    await net.flush();
    expect(receiver.bytes).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('closes the stream when the backlog passes its bound instead of growing without limit', async () => {
    const net = new FakeNet();
    const [a] = net.pair('client:t:x');
    await net.flush();
    const sender = channelByteStream(a, { maxChunkBytes: 4, highWaterBytes: 4, maxQueuedBytes: 8 });
    const seen = collect(sender);
    a.stalled = true;
    sender.send(new Uint8Array(4)); // into the channel buffer
    sender.send(new Uint8Array(8)); // queued: 8 bytes
    expect(seen.closed).toEqual([]);
    sender.send(new Uint8Array(1)); // 9 > 8
    expect(seen.closed).toEqual(['tunnel backlog above 8 bytes']);
    expect(a.readyState).toBe('closed');
  });

  it('tells a close handler registered after the stream closed why it closed', async () => {
    const net = new FakeNet();
    const [a, b] = net.pair('client:t:x');
    await net.flush();
    const stream = channelByteStream(a);
    channelByteStream(b).close();
    await net.flush();
    const seen = collect(stream); // e.g. the client, a promise turn after the connector resolved
    await Promise.resolve();
    expect(seen.closed).toEqual(['closed by the far side: closed locally']);
  });

  it('keeps bytes that arrive before anyone listens', async () => {
    const net = new FakeNet();
    const [a, b] = net.pair('client:t:x');
    await net.flush();
    const receiver = channelByteStream(b);
    a.send(Uint8Array.from([7, 8]));
    await net.flush();
    const out = collect(receiver);
    expect(out.bytes).toEqual([7, 8]);
  });
});
