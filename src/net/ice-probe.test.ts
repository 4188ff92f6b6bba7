import { afterEach, describe, expect, it, vi } from 'vitest';
import { iceProblem, probeIceCandidates, type IceProbeConnection } from './ice-probe';

/** A fake RTCPeerConnection that plays a scripted gathering once the local description is set. */
class FakeConnection implements IceProbeConnection {
  iceGatheringState = 'new';
  onicecandidate: IceProbeConnection['onicecandidate'] = null;
  onicegatheringstatechange: (() => void) | null = null;
  channels: string[] = [];
  closed = false;
  offered = false;

  constructor(
    readonly config: { iceServers: RTCIceServer[] },
    private readonly script: Array<string | null | 'complete'>,
    private readonly failOffer = false,
  ) {}

  createDataChannel(label: string): unknown {
    this.channels.push(label);
    return {};
  }

  async createOffer(): Promise<RTCSessionDescriptionInit> {
    if (this.failOffer) throw new Error('offer refused');
    this.offered = true;
    return { type: 'offer', sdp: 'v=0' };
  }

  async setLocalDescription(): Promise<void> {
    this.iceGatheringState = 'gathering';
    queueMicrotask(() => {
      for (const step of this.script) {
        if (step === 'complete') {
          this.iceGatheringState = 'complete';
          this.onicegatheringstatechange?.();
        } else this.onicecandidate?.({ candidate: step === null ? null : { candidate: step } });
      }
    });
  }

  close(): void {
    this.closed = true;
  }
}

function fake(script: Array<string | null | 'complete'>, failOffer = false): { connection: () => FakeConnection; create: (config: { iceServers: RTCIceServer[] }) => FakeConnection } {
  let made: FakeConnection | undefined;
  return {
    connection: () => {
      if (made === undefined) throw new Error('no connection was made');
      return made;
    },
    create: (config) => (made = new FakeConnection(config, script, failOffer)),
  };
}

afterEach(() => vi.useRealTimers());

describe('probeIceCandidates', () => {
  it('is satisfied by the first candidate, with the configured ICE servers, and closes its connection', async () => {
    const probe = fake(['candidate:1 1 udp 2113937151 abc.local 50000 typ host', 'complete']);
    const iceServers = [{ urls: 'stun:stun.example:3478' }];
    const result = await probeIceCandidates({ create: probe.create, iceServers });
    expect(result).toEqual({ kind: 'candidates' });
    expect(iceProblem(result)).toBeNull();
    const connection = probe.connection();
    expect(connection.config.iceServers).toEqual(iceServers);
    expect(connection.channels).toHaveLength(1);
    expect(connection.offered).toBe(true);
    expect(connection.closed).toBe(true);
    expect(connection.onicecandidate).toBeNull();
  });

  it('says "no network interface" when gathering completes with no candidate', async () => {
    const probe = fake(['complete']);
    const result = await probeIceCandidates({ create: probe.create });
    expect(result).toMatchObject({ kind: 'none', complete: true });
    expect(iceProblem(result)).toBe('WebRTC finds no network interface on this machine (it gathered no ICE candidates), so tabs cannot connect to each other directly');
    expect(probe.connection().closed).toBe(true);
  });

  it('takes an end-of-candidates marker (null or empty candidate) as the end, not as an address', async () => {
    expect(await probeIceCandidates({ create: fake([null]).create })).toMatchObject({ kind: 'none', complete: true });
    expect(await probeIceCandidates({ create: fake(['']).create })).toMatchObject({ kind: 'none', complete: true });
  });

  it('gives up after the bound when gathering never ends, and calls that no proof of a missing network', async () => {
    vi.useFakeTimers();
    const probe = fake([]);
    const pending = probeIceCandidates({ create: probe.create, timeoutMs: 3000 });
    await vi.advanceTimersByTimeAsync(2999);
    expect(probe.connection().closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const result = await pending;
    expect(result).toEqual({ kind: 'none', complete: false, waitedMs: 3000 });
    expect(iceProblem(result)).toBeNull();
    expect(probe.connection().closed).toBe(true);
  });

  it('reports a WebRTC that cannot start instead of throwing', async () => {
    const refused = fake([], true);
    const result = await probeIceCandidates({ create: refused.create });
    expect(result).toEqual({ kind: 'failed', message: 'offer refused' });
    expect(iceProblem(result)).toBe('WebRTC could not start on this machine (offer refused), so tabs cannot connect to each other directly');
    expect(refused.connection().closed).toBe(true);
    const throwing = await probeIceCandidates({
      create: () => {
        throw new Error('RTCPeerConnection is disabled');
      },
    });
    expect(throwing).toEqual({ kind: 'failed', message: 'RTCPeerConnection is disabled' });
  });

  it('without a browser RTCPeerConnection (Node), fails in plain words', async () => {
    expect(await probeIceCandidates()).toEqual({ kind: 'failed', message: 'this browser has no RTCPeerConnection' });
  });
});
