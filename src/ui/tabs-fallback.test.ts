import { describe, expect, it } from 'vitest';
import { ClaimError } from '../net/peerjs-identity';
import { FakeLocks, MemoryStorage } from '../net/peerjs-fakes.test-helpers';
import { OBSERVER_SLOTS } from './cluster-model';
import type { IceProbeResult } from '../net/ice-probe';
import { isPeerServerFailure, joinBroadcastCluster, peerServerProblem, simulateUrl, tabsLinkProblem, type FetchLike } from './tabs-fallback';
import { fallbackLinksLabel, fallbackMessage, FALLBACK_LINKS_LABEL } from './tabs-fallback-banner';

const address = { host: '127.0.0.1', port: 9199, path: '/peerjs' };

describe('peerServerProblem', () => {
  it('is null when the PeerServer answers at all', async () => {
    const urls: string[] = [];
    const fetch: FetchLike = async (url) => void urls.push(url);
    expect(await peerServerProblem(address, { fetch, hasWebRtc: true })).toBeNull();
    expect(urls).toEqual(['http://127.0.0.1:9199/peerjs']);
  });

  it('says in plain words that a refused connection is unreachable', async () => {
    const fetch: FetchLike = () => Promise.reject(new TypeError('Failed to fetch'));
    expect(await peerServerProblem(address, { fetch, hasWebRtc: true })).toBe('the PeerServer at 127.0.0.1:9199/peerjs is unreachable (Failed to fetch)');
  });

  it('gives up on a silent PeerServer after the timeout and aborts the request', async () => {
    let aborted = false;
    const fetch: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => init.signal.addEventListener('abort', () => ((aborted = true), reject(new Error('aborted')))));
    expect(await peerServerProblem(address, { fetch, hasWebRtc: true, timeoutMs: 5 })).toMatch(/did not answer within/);
    expect(aborted).toBe(true);
  });

  it('falls back without WebRTC, whatever the PeerServer says', async () => {
    const fetch: FetchLike = async () => undefined;
    expect(await peerServerProblem(address, { fetch, hasWebRtc: false })).toMatch(/no WebRTC/);
  });
});

describe('tabsLinkProblem', () => {
  const answering: FetchLike = async () => undefined;
  const refusing: FetchLike = () => Promise.reject(new TypeError('Failed to fetch'));
  const ice = (result: IceProbeResult) => async () => result;
  const noInterface = ice({ kind: 'none', complete: true, waitedMs: 3000 });

  it('is null when the PeerServer answers and WebRTC gathers a candidate', async () => {
    expect(await tabsLinkProblem(address, { fetch: answering, hasWebRtc: true, probeIce: ice({ kind: 'candidates' }) })).toBeNull();
  });

  it('names a WebRTC without network interface, although the PeerServer answers', async () => {
    const problem = await tabsLinkProblem(address, { fetch: answering, hasWebRtc: true, probeIce: noInterface });
    expect(problem).toEqual({
      cause: 'no-network-interface',
      text: 'WebRTC finds no network interface on this machine (it gathered no ICE candidates), so tabs cannot connect to each other directly',
    });
    expect(fallbackMessage(problem?.text ?? '')).toMatch(/^WebRTC finds no network interface on this machine .*linked over a BroadcastChannel\.$/);
  });

  it('puts the missing interface before an unreachable PeerServer, which would not help it', async () => {
    expect(await tabsLinkProblem(address, { fetch: refusing, hasWebRtc: true, probeIce: noInterface })).toMatchObject({ cause: 'no-network-interface' });
  });

  it('still names an unreachable PeerServer when WebRTC is fine', async () => {
    expect(await tabsLinkProblem(address, { fetch: refusing, hasWebRtc: true, probeIce: ice({ kind: 'candidates' }) })).toEqual({
      cause: 'peer-server',
      text: 'the PeerServer at 127.0.0.1:9199/peerjs is unreachable (Failed to fetch)',
    });
  });

  it('calls a WebRTC that cannot make an offer "no WebRTC", and does not probe a browser without one', async () => {
    expect(await tabsLinkProblem(address, { fetch: answering, hasWebRtc: true, probeIce: ice({ kind: 'failed', message: 'boom' }) })).toMatchObject({ cause: 'no-webrtc', text: expect.stringContaining('(boom)') });
    let probed = false;
    const probeIce = async (): Promise<IceProbeResult> => ((probed = true), { kind: 'candidates' });
    expect(await tabsLinkProblem(address, { fetch: answering, hasWebRtc: false, probeIce })).toMatchObject({ cause: 'no-webrtc' });
    expect(probed).toBe(false);
  });
});

describe('isPeerServerFailure', () => {
  it('tells PeerServer trouble from a full cluster', () => {
    expect(isPeerServerFailure(new ClaimError('PeerServer did not answer the registration of zootabs-c-1'))).toBe(true);
    expect(isPeerServerFailure(new ClaimError('PeerServer registration of zootabs-c-1 failed: network: Lost connection to server.'))).toBe(true);
    expect(isPeerServerFailure(new ClaimError('every myid from 1 to 255 of cluster "c" is taken'))).toBe(false);
    expect(isPeerServerFailure(new Error('PeerServer whatever'))).toBe(false);
  });
});

describe('joinBroadcastCluster', () => {
  it('claims the lowest free myids with Web Locks, links over a BroadcastChannel, and shows the reason', async () => {
    const locks = new FakeLocks();
    const banners: string[] = [];
    const gone: Array<[string, number, number]> = [];
    const deps = {
      locks,
      showBanner: (reason: string) => void banners.push(reason),
      announceGone: (cluster: string, myid: number, nowMs: number) => void gone.push([cluster, myid, nowMs]),
      nowMs: () => 1234,
    };
    const tabs = [];
    for (let i = 0; i < 3 + OBSERVER_SLOTS; i++) tabs.push(await joinBroadcastCluster('c', 3, { cause: 'peer-server', text: 'the PeerServer is unreachable' }, { ...deps, storage: new MemoryStorage() }));
    expect(tabs.map((t) => [t.myid, t.role])).toEqual([
      [1, 'participant'],
      [2, 'participant'],
      [3, 'participant'],
      ...Array.from({ length: OBSERVER_SLOTS }, (_, i) => [4 + i, 'observer']),
    ]);
    expect(tabs.every((t) => t.peerLinks === 'broadcast' && t.linksLabel === FALLBACK_LINKS_LABEL)).toBe(true);
    expect(banners).toHaveLength(3 + OBSERVER_SLOTS);
    await expect(joinBroadcastCluster('c', 3, { cause: 'peer-server', text: 'x' }, { ...deps, storage: new MemoryStorage() })).rejects.toThrow(/already has/);
    // A kill: the terminated worker says nothing, so the page announces it on the workers' channel.
    tabs[1]?.resetLinks();
    expect(gone).toEqual([['c-tab', 2, 1234]]);
    expect(tabs[1]?.handleWorkerMessage({ type: 'peer-channel-wanted', peer: 1 })).toBe(false);
  });

  it('shows the cause of a missing network interface in the banner and the links label', async () => {
    const shown: Array<[string, string]> = [];
    const reason = { cause: 'no-network-interface' as const, text: 'WebRTC finds no network interface on this machine' };
    const tab = await joinBroadcastCluster('n', 3, reason, { locks: new FakeLocks(), storage: new MemoryStorage(), showBanner: (text, _size, label) => void shown.push([text, label]) });
    expect(tab.peerLinks).toBe('broadcast');
    expect(tab.linksLabel).toBe('links: BroadcastChannel (WebRTC finds no network interface)');
    expect(shown).toEqual([[reason.text, 'links: BroadcastChannel (WebRTC finds no network interface)']]);
    expect(fallbackLinksLabel('peer-server')).toBe(FALLBACK_LINKS_LABEL);
    expect(new Set((['peer-server', 'no-webrtc', 'no-network-interface'] as const).map(fallbackLinksLabel)).size).toBe(3);
  });

  it('offers the single-tab mode at the same cluster, size and tickTime', () => {
    expect(simulateUrl('?cluster=c&size=3&mode=tabs&tickTime=200&peerServer=127.0.0.1:1')).toBe('?cluster=c&size=3&mode=simulate&tickTime=200');
    expect(fallbackMessage('the PeerServer at h:1/peerjs is unreachable (Failed to fetch)')).toBe(
      'The PeerServer at h:1/peerjs is unreachable (Failed to fetch). Tabs in other browsers cannot join this cluster; the tabs of this browser still form it, linked over a BroadcastChannel.',
    );
  });
});
