// Multi-tab mode without a PeerServer. When the PeerServer cannot be reached, this browser has no
// WebRTC, or its WebRTC finds no network interface (no ICE candidates: src/net/ice-probe.ts), tabs
// of other browsers cannot join, but the tabs of THIS browser still can: they claim
// myids with Web Locks (src/net/broadcast-claim.ts) and their server workers link over a
// BroadcastChannel (src/net/broadcast-transport.ts). The tab says so in plain words and offers the
// single-tab mode instead (src/ui/tabs-fallback-banner.ts).
import { announceGone } from '../net/broadcast-links';
import { claimMyidLocally, type LocalMyidClaim } from '../net/broadcast-claim';
import { iceProblem, probeIceCandidates, type IceProbeResult } from '../net/ice-probe';
import { iceServersFromConfig, peerServerFromEnv, type PeerServerAddress } from '../net/peerjs-factory';
import { ClaimError, type LockManagerLike, type StorageLike } from '../net/peerjs-identity';
import { roleOf } from '../net/peerjs-ids';
import type { ServerId } from '../zk/types';
import { TABS_SUFFIX } from './cluster-controller';
import { quorumSpec } from './cluster-model';
import type { TabMembership } from './tab-membership';
import { fallbackLinksLabel, showTabsFallbackBanner, type FallbackCause } from './tabs-fallback-banner';
import { peerServerOverride } from './url-params';

/** How long the PeerServer gets to answer before the tabs fall back to a BroadcastChannel. */
export const PEER_SERVER_TIMEOUT_MS = 4000;
/**
 * Once the PeerServer answered, a registration gets longer: a slow (loaded) PeerServer must not
 * split the tabs between WebRTC and BroadcastChannel, but a dead one still ends in the fallback.
 */
export const PEER_SERVER_REGISTER_TIMEOUT_MS = 10_000;

const NO_WEBRTC = 'this browser has no WebRTC, so tabs cannot connect to each other directly';

/** The part of fetch() the reachability probe uses. */
export type FetchLike = (url: string, init: { mode: 'no-cors'; cache: 'no-store'; signal: AbortSignal }) => Promise<unknown>;

/** The PeerServer of this page: `?peerServer=host:port` / `?peerPort=N`, else the one `npm start` runs. */
export function peerServerAddress(search: string): PeerServerAddress {
  const base = peerServerFromEnv();
  const override = peerServerOverride(search);
  return override === null ? base : { ...base, ...override };
}

export function describePeerServer(address: PeerServerAddress): string {
  return `${address.host}:${address.port}${address.path}`;
}

/**
 * Why this tab cannot use the PeerServer, in plain words, or null if it can. Any HTTP answer
 * (even an error status) proves the server is there; a refused connection or silence within
 * `timeoutMs` does not.
 */
export async function peerServerProblem(
  address: PeerServerAddress,
  options: { fetch?: FetchLike | undefined; timeoutMs?: number; hasWebRtc?: boolean } = {},
): Promise<string | null> {
  const hasWebRtc = options.hasWebRtc ?? hasRtcPeerConnection();
  if (!hasWebRtc) return NO_WEBRTC;
  const fetchFn = options.fetch ?? (globalThis.fetch as unknown as FetchLike | undefined);
  if (fetchFn === undefined) return null; // cannot tell: let the PeerServer registration decide
  const timeoutMs = options.timeoutMs ?? PEER_SERVER_TIMEOUT_MS;
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const url = `http://${address.host}:${address.port}${address.path}`;
  try {
    const answer = await Promise.race([fetchFn(url, { mode: 'no-cors', cache: 'no-store', signal: controller.signal }).then(() => 'ok' as const), timedOut]);
    if (answer === 'ok') return null;
    controller.abort();
    return `the PeerServer at ${describePeerServer(address)} did not answer within ${Math.round(timeoutMs / 100) / 10} s`;
  } catch (error) {
    return `the PeerServer at ${describePeerServer(address)} is unreachable (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    clearTimeout(timer);
  }
}

/** Why the tabs of this browser link over a BroadcastChannel: the cause, and plain words for it. */
export interface FallbackReason {
  cause: FallbackCause;
  text: string;
}

export interface LinkProblemOptions {
  fetch?: FetchLike | undefined;
  peerServerTimeoutMs?: number;
  hasWebRtc?: boolean;
  /** Default: src/net/ice-probe.ts with the configured ICE servers. */
  probeIce?: () => Promise<IceProbeResult>;
}

/**
 * Why the tabs cannot link over WebRTC, or null if they can. The PeerServer check and the ICE
 * probe run side by side, so a healthy boot waits for the slower of the two (the first candidate
 * comes within ~150 ms). A WebRTC without a network interface wins: a PeerServer would not help it.
 */
export async function tabsLinkProblem(address: PeerServerAddress, options: LinkProblemOptions = {}): Promise<FallbackReason | null> {
  if (!(options.hasWebRtc ?? hasRtcPeerConnection())) return { cause: 'no-webrtc', text: NO_WEBRTC };
  const probeIce = options.probeIce ?? (() => probeIceCandidates({ iceServers: iceServersFromConfig() }));
  const serverOptions = { fetch: options.fetch, hasWebRtc: true, ...(options.peerServerTimeoutMs === undefined ? {} : { timeoutMs: options.peerServerTimeoutMs }) };
  const [serverText, ice] = await Promise.all([peerServerProblem(address, serverOptions), probeIce()]);
  const iceText = iceProblem(ice);
  if (iceText !== null) return { cause: ice.kind === 'failed' ? 'no-webrtc' : 'no-network-interface', text: iceText };
  return serverText === null ? null : { cause: 'peer-server', text: serverText };
}

/** True when joining over the PeerServer failed because of the PeerServer (not because the cluster is full). */
export function isPeerServerFailure(error: unknown): boolean {
  return error instanceof ClaimError && /PeerServer/.test(error.message) && !/is taken|already has/.test(error.message);
}

export interface FallbackDeps {
  locks?: LockManagerLike | null;
  storage?: StorageLike | null;
  /** Tells the other workers that this tab's worker was terminated (default: a gone frame on the channel). */
  announceGone?: (workerCluster: string, myid: ServerId, nowMs: number) => void;
  nowMs?: () => number;
  /** Shows the plain-words banner (default: in this document). */
  showBanner?: (reason: string, size: number, linksLabel: string) => void;
}

/** Joins `cluster` over a BroadcastChannel: a Web-Locks myid and a membership whose worker opens the channel itself. */
export async function joinBroadcastCluster(cluster: string, size: number, why: FallbackReason, deps: FallbackDeps = {}): Promise<TabMembership> {
  const linksLabel = fallbackLinksLabel(why.cause);
  const claim: LocalMyidClaim = await claimMyidLocally({
    cluster,
    locks: deps.locks === undefined ? defaultLocks() : deps.locks,
    storage: deps.storage === undefined ? defaultSessionStorage() : deps.storage,
  });
  const spec = quorumSpec(size);
  const slots = [...spec.voters, ...spec.observers];
  if (!slots.includes(claim.myid)) {
    claim.release({ forget: true });
    throw new Error(`cluster ${cluster} already has ${slots.length} servers in this browser (${size} voters and ${slots.length - size} observers); no myid left for this tab`);
  }
  const gone = deps.announceGone ?? announceGone;
  const now = deps.nowMs ?? (() => Date.now());
  (deps.showBanner ?? showBannerHere)(why.text, size, linksLabel);
  return {
    myid: claim.myid,
    role: roleOf(claim.myid, size),
    peerLinks: 'broadcast',
    linksLabel,
    handleWorkerMessage: () => false,
    setWorker: () => undefined,
    // Called right after the worker was terminated: a terminated worker says nothing, so say it for it.
    resetLinks: () => gone(cluster + TABS_SUFFIX, claim.myid, now()),
    leave: () => claim.release(),
  };
}

/** This tab's URL in single-tab mode ("Simulate N servers here"), keeping cluster, size and tickTime. */
export function simulateUrl(search: string): string {
  const params = new URLSearchParams(search);
  params.set('mode', 'simulate');
  params.delete('peerServer');
  params.delete('peerPort');
  return `?${params.toString()}`;
}

function showBannerHere(reason: string, size: number, linksLabel: string): void {
  if (typeof document === 'undefined') return;
  showTabsFallbackBanner(document, { reason, size, linksLabel, simulateHref: simulateUrl(globalThis.location?.search ?? '') });
}

function hasRtcPeerConnection(): boolean {
  return typeof (globalThis as { RTCPeerConnection?: unknown }).RTCPeerConnection === 'function';
}

function defaultLocks(): LockManagerLike | null {
  return (globalThis.navigator?.locks as LockManagerLike | undefined) ?? null;
}

function defaultSessionStorage(): StorageLike | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}
