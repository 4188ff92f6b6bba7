// Multi-tab mode without a PeerServer. When the PeerServer cannot be reached (or this browser has
// no WebRTC), tabs of other browsers cannot join, but the tabs of THIS browser still can: they claim
// myids with Web Locks (src/net/broadcast-claim.ts) and their server workers link over a
// BroadcastChannel (src/net/broadcast-transport.ts). The tab says so in plain words and offers the
// single-tab mode instead (src/ui/tabs-fallback-banner.ts).
import { announceGone } from '../net/broadcast-links';
import { claimMyidLocally, type LocalMyidClaim } from '../net/broadcast-claim';
import { peerServerFromEnv, type PeerServerAddress } from '../net/peerjs-factory';
import { ClaimError, type LockManagerLike, type StorageLike } from '../net/peerjs-identity';
import { roleOf } from '../net/peerjs-ids';
import type { ServerId } from '../zk/types';
import { TABS_SUFFIX } from './cluster-controller';
import { quorumSpec } from './cluster-model';
import type { TabMembership } from './tab-membership';
import { FALLBACK_LINKS_LABEL, showTabsFallbackBanner } from './tabs-fallback-banner';
import { peerServerOverride } from './url-params';

/** How long the PeerServer gets to answer before the tabs fall back to a BroadcastChannel. */
export const PEER_SERVER_TIMEOUT_MS = 4000;
/**
 * Once the PeerServer answered, a registration gets longer: a slow (loaded) PeerServer must not
 * split the tabs between WebRTC and BroadcastChannel, but a dead one still ends in the fallback.
 */
export const PEER_SERVER_REGISTER_TIMEOUT_MS = 10_000;

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
  const hasWebRtc = options.hasWebRtc ?? typeof (globalThis as { RTCPeerConnection?: unknown }).RTCPeerConnection === 'function';
  if (!hasWebRtc) return 'this browser has no WebRTC, so tabs cannot connect to each other directly';
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
  showBanner?: (reason: string, size: number) => void;
}

/** Joins `cluster` over a BroadcastChannel: a Web-Locks myid and a membership whose worker opens the channel itself. */
export async function joinBroadcastCluster(cluster: string, size: number, reason: string, deps: FallbackDeps = {}): Promise<TabMembership> {
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
  (deps.showBanner ?? showBannerHere)(reason, size);
  return {
    myid: claim.myid,
    role: roleOf(claim.myid, size),
    peerLinks: 'broadcast',
    linksLabel: FALLBACK_LINKS_LABEL,
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

function showBannerHere(reason: string, size: number): void {
  if (typeof document === 'undefined') return;
  showTabsFallbackBanner(document, { reason, size, simulateHref: simulateUrl(globalThis.location?.search ?? '') });
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
