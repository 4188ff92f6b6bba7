import { describe, expect, it } from 'vitest';
import type { Clock } from './clock';
import type { Signal, Signaller, SignalHandler } from './peerjs-signalling';
import { quorumClosedLabel, quorumClosedSeqOf, WebRtcLinks, type LinkPhase } from './webrtc-links';

// ---------- fakes: a signalling hub and RTCPeerConnections that "connect" once both sides have both descriptions ----------

const pcs = new Map<string, FakePc>();
let pcSeq = 0;

class FakeChannel {
  readyState = 'connecting';
  constructor(readonly label: string) {}
  close(): void {
    this.readyState = 'closed';
  }
}

class FakePc {
  readonly id = `pc${++pcSeq}`;
  connectionState: RTCPeerConnectionState = 'new';
  onicecandidate: ((e: { candidate: null }) => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;
  ondatachannel: ((e: { channel: FakeChannel }) => void) | null = null;
  channels: FakeChannel[] = [];
  local = false;
  remote: string | null = null;
  peerPc: FakePc | null = null;
  constructor() {
    pcs.set(this.id, this);
  }
  createDataChannel(label: string): FakeChannel {
    const ch = new FakeChannel(label);
    this.channels.push(ch);
    if (this.connectionState === 'connected') queueMicrotask(() => this.peerPc?.ondatachannel?.({ channel: new FakeChannel(label) }));
    return ch;
  }
  async createOffer() {
    return { type: 'offer', sdp: `fake:${this.id}` };
  }
  async createAnswer() {
    return { type: 'answer', sdp: `fake:${this.id}` };
  }
  async setLocalDescription(): Promise<void> {
    this.local = true;
    this.maybeConnect();
  }
  async setRemoteDescription(d: { sdp: string }): Promise<void> {
    this.remote = d.sdp.slice(5);
    this.maybeConnect();
  }
  async addIceCandidate(): Promise<void> {}
  close(): void {
    if (this.connectionState === 'closed') return;
    this.connectionState = 'closed';
    const far = this.peerPc;
    if (far !== null && far.connectionState === 'connected') {
      far.connectionState = 'failed';
      queueMicrotask(() => far.onconnectionstatechange?.());
    }
  }
  private maybeConnect(): void {
    const far = this.remote === null ? undefined : pcs.get(this.remote);
    if (!this.local || far === undefined || !far.local || far.remote !== this.id || this.connectionState !== 'new') return;
    this.peerPc = far;
    far.peerPc = this;
    for (const pc of [this, far]) {
      pc.connectionState = 'connected';
      queueMicrotask(() => pc.onconnectionstatechange?.());
    }
    // The dialer's channels appear on the acceptor.
    const dialer = this.channels.length > 0 ? this : far;
    const acceptor = dialer === this ? far : this;
    for (const ch of dialer.channels) queueMicrotask(() => acceptor.ondatachannel?.({ channel: new FakeChannel(ch.label) }));
  }
}

class Hub {
  private handlers = new Map<number, { signal: Set<SignalHandler>; unreachable: Set<(p: number) => void> }>();
  log: Array<[number, number, Signal['kind']]> = [];
  down = new Set<number>();
  signaller(self: number): Signaller {
    const entry = { signal: new Set<SignalHandler>(), unreachable: new Set<(p: number) => void>() };
    this.handlers.set(self, entry);
    return {
      send: (to, signal) => {
        this.log.push([self, to, signal.kind]);
        setTimeout(() => {
          if (this.down.has(to)) return;
          for (const h of this.handlers.get(to)?.signal ?? []) h(self, signal);
        }, 0);
      },
      onSignal: (h) => (entry.signal.add(h), () => entry.signal.delete(h)),
      onUnreachable: (h) => (entry.unreachable.add(h), () => entry.unreachable.delete(h)),
    };
  }
}

class ManualClock implements Clock {
  now = 0;
  timers: Array<{ delayMs: number; fn: () => void; live: boolean }> = [];
  nowMs = () => this.now;
  setTimer(delayMs: number, fn: () => void): () => void {
    const t = { delayMs, fn, live: true };
    this.timers.push(t);
    return () => void (t.live = false);
  }
  fire(delayMs: number): void {
    const due = this.timers.filter((t) => t.live && t.delayMs === delayMs);
    this.timers = this.timers.filter((t) => !due.includes(t));
    for (const t of due) t.fn();
  }
  live(): number[] {
    return this.timers.filter((t) => t.live).map((t) => t.delayMs);
  }
}

const settle = async () => {
  for (let i = 0; i < 6; i++) await new Promise((r) => setTimeout(r, 0));
};

function tab(hub: Hub, selfId: number, clock: ManualClock) {
  const quorum: string[] = [];
  const control: string[] = [];
  const phases: LinkPhase[] = [];
  const clients: Array<{ peer: number; channel: RTCDataChannel }> = [];
  const closed: string[] = [];
  const links = new WebRtcLinks({
    selfId,
    signaller: hub.signaller(selfId),
    clock,
    createPeerConnection: () => new FakePc() as unknown as RTCPeerConnection,
    onQuorumChannel: (peer, ch) => void quorum.push(`${peer}:${ch.label}`),
    onControlChannel: (peer, ch) => control.push(`${peer}:${ch.label}`),
    onPhase: (_peer, phase) => phases.push(phase),
    onClientChannel: (peer, channel) => void clients.push({ peer, channel }),
    onQuorumClosed: (peer, upTo) => void closed.push(`${peer}:${upTo}`),
  });
  return { links, quorum, control, phases, clients, closed };
}

/** Tabs 1 and 2 wanting each other, after their connection came up. */
async function connectedPair(): Promise<{ hub: Hub; clock: ManualClock; one: ReturnType<typeof tab>; two: ReturnType<typeof tab> }> {
  const hub = new Hub();
  const clock = new ManualClock();
  const one = tab(hub, 1, clock);
  const two = tab(hub, 2, clock);
  one.links.want(2);
  two.links.want(1);
  await settle();
  return { hub, clock, one, two };
}

describe('WebRtcLinks', () => {
  it('connects a pair with one connection: the larger myid dials, the smaller rings', async () => {
    const { hub, clock, one, two } = await connectedPair();
    expect(one.links.phase(2)).toBe('connected');
    expect(two.links.phase(1)).toBe('connected');
    expect(two.links.stats.dials).toBe(1);
    expect(one.links.stats.dials).toBe(0);
    expect(hub.log.filter(([from, , kind]) => kind === 'offer').map(([from]) => from)).toEqual([2]);
    expect(hub.log.filter(([, , kind]) => kind === 'ring').map(([from]) => from)).toEqual([1]);
    expect(two.quorum).toEqual(['1:quorum-1']);
    expect(one.quorum).toEqual(['2:quorum-1']);
    expect(one.control).toEqual(['2:control']);
    expect(two.control).toEqual(['1:control']);
  });

  it('opens one fresh quorum channel per break, however the requests of both workers cross', async () => {
    const hub = new Hub();
    const clock = new ManualClock();
    const one = tab(hub, 1, clock);
    const two = tab(hub, 2, clock);
    two.links.want(1);
    await settle();
    // Both workers lost quorum-1 and ask, each naming the last channel it got.
    one.links.requestQuorum(2, 1); // the acceptor rings
    two.links.requestQuorum(1, 1); // the dialer opens quorum-2 at once
    two.links.requestQuorum(1, 1); // a retry that crossed quorum-2: dropped
    await settle();
    one.links.requestQuorum(2, 1); // the acceptor's retry, after quorum-2 arrived: dropped
    await settle();
    expect(two.quorum).toEqual(['1:quorum-1', '1:quorum-2']);
    expect(one.quorum).toEqual(['2:quorum-1', '2:quorum-2']);
    expect(two.links.stats.dials).toBe(1); // same RTCPeerConnection
    // A new worker on the acceptor side holds nothing: it gets a channel of its own.
    one.links.workerReplaced();
    one.links.requestQuorum(2, 0);
    await settle();
    expect(one.quorum.at(-1)).toBe('2:quorum-3');
  });

  it('does not count a channel nobody took: the worker that starts later gets one', async () => {
    const hub = new Hub();
    const clock = new ManualClock();
    tab(hub, 1, clock).links.want(2);
    const refused: string[] = [];
    const two = new WebRtcLinks({
      selfId: 2,
      signaller: hub.signaller(2),
      clock,
      createPeerConnection: () => new FakePc() as unknown as RTCPeerConnection,
      onQuorumChannel: (peer, ch) => (refused.push(`${peer}:${ch.label}`), refused.length > 1),
    });
    two.want(1); // no worker yet: quorum-1 is refused
    await settle();
    two.requestQuorum(1, 0); // the worker, started now, has nothing
    await settle();
    expect(refused).toEqual(['1:quorum-1', '1:quorum-2']);
  });

  it('redials when the far tab was reloaded (a ring from a new incarnation)', async () => {
    const hub = new Hub();
    const clock = new ManualClock();
    tab(hub, 1, clock).links.want(2);
    const two = tab(hub, 2, clock);
    await settle();
    expect(two.links.phase(1)).toBe('connected');
    const reloaded = tab(hub, 1, clock); // same myid, new page
    reloaded.links.want(2);
    await settle();
    expect(two.links.stats.dials).toBe(2);
    expect(reloaded.links.phase(2)).toBe('connected');
    expect(reloaded.quorum).toEqual(['2:quorum-2']); // the dialer keeps numbering the pair's channels
  });

  it('tells the far side when it drops a peer, and the far side waits to be dialed again', async () => {
    const hub = new Hub();
    const clock = new ManualClock();
    const one = tab(hub, 1, clock);
    const two = tab(hub, 2, clock);
    one.links.want(2);
    await settle();
    two.links.drop(1);
    await settle();
    expect(hub.log.at(-1)?.[2]).toBe('bye');
    expect(one.links.phase(2)).toBe('idle');
    expect(one.phases.at(-1)).toBe('idle');
  });

  it('gives up an attempt that does not connect and retries with backoff', async () => {
    const hub = new Hub();
    const clock = new ManualClock();
    hub.down.add(1); // nobody at myid 1 yet
    const two = tab(hub, 2, clock);
    two.links.want(1);
    await settle();
    expect(two.links.phase(1)).toBe('connecting');
    clock.fire(10_000); // connect timeout
    expect(two.links.phase(1)).toBe('idle');
    expect(two.links.stats.failures).toBe(1);
    clock.fire(250);
    expect(two.links.stats.dials).toBe(2);
    clock.fire(10_000);
    expect(clock.live()).toContain(500); // doubled
    hub.down.delete(1);
    const one = tab(hub, 1, clock);
    one.links.want(2);
    await settle();
    expect(two.links.phase(1)).toBe('connected');
  });

  it('resetAll closes every connection (what a killed server does) and connects again', async () => {
    const hub = new Hub();
    const clock = new ManualClock();
    const one = tab(hub, 1, clock);
    const two = tab(hub, 2, clock);
    one.links.want(2);
    await settle();
    two.links.resetAll();
    await settle();
    expect(two.links.phase(1)).toBe('idle');
    clock.fire(250);
    await settle();
    expect(two.links.phase(1)).toBe('connected');
    expect(one.quorum).toEqual(['2:quorum-1', '2:quorum-2']);
  });

  for (const killed of [1, 2]) {
    it(`workerKilled on the ${killed === 2 ? 'dialer' : 'acceptor'}: the far side closes its dead quorum channels; the connection and the client tunnels stay`, async () => {
      const { hub, clock, one, two } = await connectedPair();
      two.links.requestQuorum(1, 1); // a break: quorum-2 replaces quorum-1
      await settle();
      const [dead, far] = killed === 2 ? [two, one] : [one, two];
      const peer = killed === 2 ? 1 : 2;
      // A client of the killed tab on the far tab's server, and one the other way round.
      const outgoing = dead.links.openClientChannel(peer, 'client:aa:zkCli');
      const incoming = far.links.openClientChannel(killed, 'client:bb:page');
      await settle();
      const farPc = far.links.peerConnection(killed) as unknown as FakePc;
      const signalsBefore = hub.log.length;

      dead.links.workerReplaced(); // setWorker(null), as the controller does first
      dead.links.workerKilled();
      await settle();

      expect(far.closed).toEqual([`${killed}:2`]);
      expect(far.links.stats.quorumClosedNotices).toBe(1);
      expect(dead.links.stats.quorumClosedNotices).toBe(1);
      // Same connection, nothing signalled, no tunnel closed by the kill here.
      expect(far.links.peerConnection(killed)).toBe(farPc);
      expect(farPc.connectionState).toBe('connected');
      expect(two.links.stats.dials).toBe(1);
      expect(hub.log.length).toBe(signalsBefore);
      expect(outgoing.readyState).not.toBe('closed');
      expect(incoming.readyState).not.toBe('closed');
      expect(far.clients.map((c) => c.channel.readyState)).not.toContain('closed');
      expect(dead.clients.map((c) => c.channel.readyState)).not.toContain('closed');
      // The notice never reaches anyone as a quorum, control or client channel.
      expect([...far.quorum, ...far.control, ...far.clients.map((c) => c.channel.label)].join()).not.toContain('quorum-closed');

      // The restarted worker asks with nothing in hand: it gets quorum-3, newer than the notice's 2.
      dead.links.requestQuorum(peer, 0);
      await settle();
      expect(dead.quorum.at(-1)).toBe(`${peer}:quorum-3`);
      expect(far.quorum.at(-1)).toBe(`${killed}:quorum-3`);
    });
  }

  it('workerKilled redials a connection still connecting: it carries no tunnel yet, and no channel of it opened', async () => {
    const hub = new Hub();
    const clock = new ManualClock();
    hub.down.add(1); // nobody answers yet
    const two = tab(hub, 2, clock);
    two.links.want(1);
    await settle();
    expect(two.links.phase(1)).toBe('connecting');
    two.links.workerKilled();
    expect(two.links.phase(1)).toBe('idle');
    expect(hub.log.at(-1)?.[2]).toBe('bye');
    expect(two.links.stats.quorumClosedNotices).toBe(0);
    clock.fire(250);
    expect(two.links.stats.dials).toBe(2);
  });

  it('names the notice by the last dead channel, and reads only its own labels', () => {
    expect(quorumClosedLabel(7)).toBe('quorum-closed:7');
    expect(quorumClosedSeqOf('quorum-closed:7')).toBe(7);
    expect(quorumClosedSeqOf('quorum-7')).toBe(0);
    expect(quorumClosedSeqOf('quorum-closed:')).toBe(0);
    expect(quorumClosedSeqOf('quorum-closed:1x')).toBe(0);
    expect(quorumClosedSeqOf('client:aa:quorum-closed:1')).toBe(0);
    expect(() => quorumClosedLabel(0)).toThrow(RangeError);
  });

  it('ignores signals that break the dialing rule, and ids it cannot link to', async () => {
    const hub = new Hub();
    const clock = new ManualClock();
    const two = tab(hub, 2, clock);
    const one = tab(hub, 1, clock);
    hub.signaller(1).send(2, { kind: 'offer', session: 'x', inc: 'y', sdp: 'fake:none' }); // smaller must not offer
    await settle();
    expect(two.links.stats.ignoredSignals).toBe(1);
    expect(two.links.stats.accepts).toBe(0);
    one.links.want(1);
    one.links.want(0);
    expect(one.links.phase(1)).toBe('idle');
  });
});

describe('WebRtcLinks client tunnels', () => {
  it('either tab opens client channels on the shared connection; they reach the other tab', async () => {
    const { hub, clock, one, two } = await connectedPair();
    const fromAcceptor = one.links.openClientChannel(2, 'client:aa:zkCli');
    const fromDialer = two.links.openClientChannel(1, 'client:bb:page');
    await settle();
    expect(fromAcceptor.label).toBe('client:aa:zkCli');
    expect(two.clients.map((c) => `${c.peer}:${c.channel.label}`)).toEqual(['1:client:aa:zkCli']);
    expect(one.clients.map((c) => `${c.peer}:${c.channel.label}`)).toEqual(['2:client:bb:page']);
    expect(fromDialer.label).toBe('client:bb:page');
    // No new connection and no stray quorum channel for it.
    expect(two.links.stats.dials).toBe(1);
    expect(one.quorum).toEqual(['2:quorum-1']);
    expect(two.quorum).toEqual(['1:quorum-1']);
  });

  it('refuses at once when the link is not connected, or the label is not a client label', async () => {
    const hub = new Hub();
    const clock = new ManualClock();
    const one = tab(hub, 1, clock);
    expect(() => one.links.openClientChannel(2, 'client:aa:zkCli')).toThrow('no WebRTC connection to server 2 (idle)');
    one.links.want(2); // ringing, nobody answers
    await settle();
    expect(() => one.links.openClientChannel(2, 'client:aa:zkCli')).toThrow(/no WebRTC connection to server 2/);
    const two = tab(hub, 2, clock);
    two.links.want(1);
    await settle();
    expect(() => one.links.openClientChannel(2, 'quorum-9')).toThrow(RangeError);
    expect(() => one.links.openClientChannel(2, 'client:aa:zkCli')).not.toThrow();
  });

  it('closes client channels when nobody takes them', async () => {
    const hub = new Hub();
    const clock = new ManualClock();
    const one = tab(hub, 1, clock);
    const seen: RTCDataChannel[] = [];
    const two = new WebRtcLinks({
      selfId: 2,
      signaller: hub.signaller(2),
      clock,
      createPeerConnection: () => new FakePc() as unknown as RTCPeerConnection,
      onQuorumChannel: () => true, // no onClientChannel: this tab takes no client tunnels
    });
    two.want(1);
    one.links.want(2);
    await settle();
    // Capture what arrives at tab 2 by wrapping its connection's handler.
    const pc = two.peerConnection(1) as unknown as FakePc;
    const handler = pc.ondatachannel;
    pc.ondatachannel = (e) => {
      seen.push(e.channel as unknown as RTCDataChannel);
      handler?.(e);
    };
    one.links.openClientChannel(2, 'client:cc:page');
    await settle();
    expect(seen.map((c) => c.label)).toEqual(['client:cc:page']);
    expect(seen[0]?.readyState).toBe('closed');
    expect(two.stats.clientChannels).toBe(1);
  });
});
