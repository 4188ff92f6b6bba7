// Claiming a myid: a new tab takes the lowest free myid of its cluster by registering the peer id
// `zootabs-<cluster>-<myid>` with the PeerServer, which refuses an id somebody else holds
// ('unavailable-id'). That makes the myid unique across every tab and browser using that PeerServer.
// Inside one browser a Web Lock per (cluster, myid) is a second guard, which also catches a tab
// duplicated with its sessionStorage.
//
// A reload re-claims the same myid: sessionStorage keeps (myid, token), and the PeerServer hands an
// id to a new socket that shows the same token (the old socket's registration may linger a few ms).
// The lock is what makes reusing the token safe: only one tab of the browser can hold it.
import type { ServerId } from '../zk/types';
import { realClock, type Clock } from './clock';
import { MAX_CLAIMABLE_MYID, assertMyid, myidLockName, myidStorageKey, peerIdFor } from './peerjs-ids';

/** The part of a peerjs `Peer` this module uses. */
export interface PeerLike {
  readonly id: string | null;
  readonly destroyed: boolean;
  readonly disconnected: boolean;
  on(event: 'open', fn: (id: string) => void): unknown;
  on(event: 'error', fn: (error: { type?: string; message?: string }) => void): unknown;
  on(event: 'disconnected' | 'close', fn: () => void): unknown;
  off(event: string, fn: (...args: never[]) => void): unknown;
  reconnect(): void;
  destroy(): void;
}

/** Makes a Peer that registers `peerId` with `token` (peerjs: `new Peer(peerId, { ...opts, token })`). */
export type PeerFactory = (peerId: string, token: string) => PeerLike;

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The part of the Web Locks API used here (navigator.locks). */
export interface LockManagerLike {
  request(
    name: string,
    options: { ifAvailable?: boolean; signal?: AbortSignal },
    callback: (lock: unknown) => Promise<unknown>,
  ): Promise<unknown>;
}

export interface ClaimOptions {
  cluster: string;
  createPeer: PeerFactory;
  /** sessionStorage; null = no reload memory. */
  storage: StorageLike | null;
  /** navigator.locks; null = rely on the PeerServer alone. */
  locks: LockManagerLike | null;
  maxMyid?: number;
  /** How long a reloaded tab keeps trying its remembered myid before scanning (default 3000 ms). */
  reclaimWindowMs?: number;
  /** Give up on one registration attempt after this long (default 10000 ms). */
  registerTimeoutMs?: number;
  clock?: Clock;
  newToken?: () => string;
}

export interface MyidClaim {
  readonly cluster: string;
  readonly myid: ServerId;
  readonly peerId: string;
  readonly token: string;
  /** The registered Peer; it stays registered (and the myid held) until release(). */
  readonly peer: PeerLike;
  /** True when this is the myid the tab held before a reload. */
  readonly reclaimed: boolean;
  /** Unregisters, releases the lock, and forgets the myid (a closing tab need not: the browser does it). */
  release(options?: { forget?: boolean }): void;
}

export class ClaimError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClaimError';
  }
}

interface StoredClaim {
  myid: ServerId;
  token: string;
}

type Registration = { kind: 'open'; peer: PeerLike } | { kind: 'taken' } | { kind: 'failed'; reason: string };
type Release = () => void;

const RETRY_DELAY_MS = 50;

export async function claimMyid(options: ClaimOptions): Promise<MyidClaim> {
  const maxMyid = options.maxMyid ?? MAX_CLAIMABLE_MYID;
  assertMyid(maxMyid);
  const remembered = readStoredClaim(options.storage, options.cluster, maxMyid);
  if (remembered !== null) {
    const claim = await reclaim(options, remembered);
    if (claim !== null) return claim;
  }
  for (let myid = 1; myid <= maxMyid; myid++) {
    if (myid === remembered?.myid) continue;
    const claim = await tryClaim(options, myid, newToken(options), false);
    if (claim !== null) return claim;
  }
  throw new ClaimError(`every myid from 1 to ${maxMyid} of cluster "${options.cluster}" is taken`);
}

/** The remembered myid: wait briefly for the lock and for the old registration to go away. */
async function reclaim(options: ClaimOptions, stored: StoredClaim): Promise<MyidClaim | null> {
  const clock = options.clock ?? realClock;
  const deadline = clock.nowMs() + (options.reclaimWindowMs ?? 3000);
  const release = await acquireLock(options.locks, myidLockName(options.cluster, stored.myid), options.reclaimWindowMs ?? 3000);
  if (release === null) return null; // another tab of this browser holds it: we are a duplicated tab
  for (;;) {
    const result = await register(options, stored.myid, stored.token);
    if (result.kind === 'open') return finish(options, stored.myid, stored.token, result.peer, release, true);
    if (result.kind === 'failed') {
      release();
      throw new ClaimError(result.reason);
    }
    if (clock.nowMs() + RETRY_DELAY_MS > deadline) {
      release();
      return null;
    }
    await sleep(clock, RETRY_DELAY_MS);
  }
}

async function tryClaim(options: ClaimOptions, myid: ServerId, token: string, reclaimed: boolean): Promise<MyidClaim | null> {
  const release = await acquireLock(options.locks, myidLockName(options.cluster, myid), 0);
  if (release === null) return null;
  const result = await register(options, myid, token);
  if (result.kind === 'open') return finish(options, myid, token, result.peer, release, reclaimed);
  release();
  if (result.kind === 'failed') throw new ClaimError(result.reason);
  return null;
}

function finish(options: ClaimOptions, myid: ServerId, token: string, peer: PeerLike, releaseLock: Release, reclaimed: boolean): MyidClaim {
  const key = myidStorageKey(options.cluster);
  options.storage?.setItem(key, JSON.stringify({ myid, token } satisfies StoredClaim));
  let released = false;
  return {
    cluster: options.cluster,
    myid,
    peerId: peerIdFor(options.cluster, myid),
    token,
    peer,
    reclaimed,
    release(releaseOptions) {
      if (released) return;
      released = true;
      peer.destroy();
      releaseLock();
      if (releaseOptions?.forget) options.storage?.removeItem(key);
    },
  };
}

/** One registration attempt: 'open', 'taken' (unavailable-id), or a failure that scanning cannot fix. */
function register(options: ClaimOptions, myid: ServerId, token: string): Promise<Registration> {
  const clock = options.clock ?? realClock;
  const peerId = peerIdFor(options.cluster, myid);
  return new Promise((resolve) => {
    let peer: PeerLike;
    try {
      peer = options.createPeer(peerId, token);
    } catch (error) {
      resolve({ kind: 'failed', reason: `cannot create a peer: ${String(error)}` });
      return;
    }
    let settled = false;
    const settle = (result: Registration): void => {
      if (settled) return;
      settled = true;
      cancelTimer();
      peer.off('open', onOpen);
      peer.off('error', onError);
      if (result.kind !== 'open') peer.destroy();
      resolve(result);
    };
    const onOpen = (): void => settle({ kind: 'open', peer });
    const onError = (error: { type?: string; message?: string }): void => {
      if (error.type === 'unavailable-id') settle({ kind: 'taken' });
      else settle({ kind: 'failed', reason: `PeerServer registration of ${peerId} failed: ${error.type ?? 'error'}: ${error.message ?? ''}` });
    };
    const cancelTimer = clock.setTimer(options.registerTimeoutMs ?? 10_000, () =>
      settle({ kind: 'failed', reason: `PeerServer did not answer the registration of ${peerId}` }),
    );
    peer.on('open', onOpen);
    peer.on('error', onError);
  });
}

/**
 * Holds the lock `name` until the returned release runs; null if it is not available within
 * `waitMs` (0 = only if free right now). Without Web Locks every claim succeeds here.
 */
export function acquireLock(locks: LockManagerLike | null, name: string, waitMs: number): Promise<Release | null> {
  if (locks === null) return Promise.resolve(() => undefined);
  return new Promise((resolve, reject) => {
    let release!: Release;
    const held = new Promise<void>((r) => (release = () => r()));
    const controller = waitMs > 0 && typeof AbortController !== 'undefined' ? new AbortController() : null;
    const timer = controller === null ? null : setTimeout(() => controller.abort(), waitMs);
    const lockOptions = controller === null ? { ifAvailable: true } : { signal: controller.signal };
    locks
      .request(name, lockOptions, async (lock) => {
        if (timer !== null) clearTimeout(timer);
        if (lock === null) return resolve(null);
        resolve(release);
        await held;
      })
      .catch((error: unknown) => {
        if (timer !== null) clearTimeout(timer);
        if ((error as { name?: string } | null)?.name === 'AbortError') resolve(null);
        else reject(error instanceof Error ? error : new Error(String(error)));
      });
  });
}

function readStoredClaim(storage: StorageLike | null, cluster: string, maxMyid: number): StoredClaim | null {
  const text = storage?.getItem(myidStorageKey(cluster)) ?? null;
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<StoredClaim>;
    const { myid, token } = value;
    if (typeof myid === 'number' && Number.isSafeInteger(myid) && myid >= 1 && myid <= maxMyid && typeof token === 'string' && token.length > 0) {
      return { myid, token };
    }
  } catch {
    // a damaged entry is the same as none
  }
  return null;
}

function newToken(options: ClaimOptions): string {
  if (options.newToken) return options.newToken();
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(36)).join('');
}

function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => void clock.setTimer(ms, resolve));
}

/**
 * Keeps a claim registered: after the PeerServer socket drops (server restart, network blip) it
 * re-registers with the same token, backing off up to `maxDelayMs`. If the id went to somebody else
 * meanwhile, the claim is lost and the tab must stop its server (two servers must never share a myid).
 */
export function keepClaim(
  claim: MyidClaim,
  handlers: { onLost(reason: string): void; onReconnected?(): void },
  options: { clock?: Clock; initialDelayMs?: number; maxDelayMs?: number } = {},
): () => void {
  const clock = options.clock ?? realClock;
  const initial = options.initialDelayMs ?? 250;
  const max = options.maxDelayMs ?? 5000;
  let delay = initial;
  let cancel: (() => void) | null = null;
  let stopped = false;
  const schedule = (): void => {
    if (stopped || cancel !== null) return;
    cancel = clock.setTimer(delay, () => {
      cancel = null;
      delay = Math.min(max, delay * 2);
      if (stopped || !claim.peer.disconnected || claim.peer.destroyed) return;
      try {
        claim.peer.reconnect();
      } catch {
        schedule(); // peerjs refuses while a previous attempt is still starting: try again later
      }
    });
  };
  const onDisconnected = (): void => schedule();
  const onOpen = (): void => {
    delay = initial;
    handlers.onReconnected?.();
  };
  const onError = (error: { type?: string }): void => {
    if (error.type === 'unavailable-id') {
      stop();
      handlers.onLost(`myid ${claim.myid} of cluster "${claim.cluster}" was taken by another tab while the PeerServer was unreachable`);
    } else if (claim.peer.disconnected) schedule();
  };
  const stop = (): void => {
    stopped = true;
    cancel?.();
    claim.peer.off('disconnected', onDisconnected);
    claim.peer.off('open', onOpen);
    claim.peer.off('error', onError);
  };
  claim.peer.on('disconnected', onDisconnected);
  claim.peer.on('open', onOpen);
  claim.peer.on('error', onError);
  return stop;
}
