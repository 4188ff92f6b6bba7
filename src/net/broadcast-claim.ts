// Claiming a myid without the PeerServer (multi-tab mode over a BroadcastChannel): only the tabs of
// this browser profile can be in the cluster, so a Web Lock per (cluster, myid) is enough to make
// the myid unique: the lowest myid whose lock is free (`ifAvailable`) wins, held until the tab
// closes. The lock names are the same as the PeerServer path's second guard (peerjs-ids.ts), so a
// tab that did reach the PeerServer and one that did not can never hold the same myid either.
// A reload keeps its myid: sessionStorage remembers it, and the new page waits briefly for the old
// page's lock to be released.
import type { ServerId } from '../zk/types';
import { acquireLock, ClaimError, type LockManagerLike, type StorageLike } from './peerjs-identity';
import { MAX_CLAIMABLE_MYID, assertMyid, myidLockName } from './peerjs-ids';

export interface LocalClaimOptions {
  cluster: string;
  /** navigator.locks; without it myids cannot be made unique, and the claim fails. */
  locks: LockManagerLike | null;
  /** sessionStorage; null = no reload memory. */
  storage: StorageLike | null;
  maxMyid?: number;
  /** How long a reloaded tab waits for its remembered myid's lock (default 3000 ms). */
  reclaimWindowMs?: number;
}

export interface LocalMyidClaim {
  readonly cluster: string;
  readonly myid: ServerId;
  readonly reclaimed: boolean;
  /** Releases the lock; `forget` also drops the myid kept for reloads. */
  release(options?: { forget?: boolean }): void;
}

/** sessionStorage key of the myid this tab holds in `cluster` when linked over a BroadcastChannel. */
export function localClaimKey(cluster: string): string {
  return `zootabs-myid-local-${cluster}`;
}

export async function claimMyidLocally(options: LocalClaimOptions): Promise<LocalMyidClaim> {
  if (options.locks === null) {
    throw new ClaimError('this browser has no Web Locks, so tabs cannot claim distinct myids without the PeerServer');
  }
  const maxMyid = options.maxMyid ?? MAX_CLAIMABLE_MYID;
  assertMyid(maxMyid);
  const remembered = readRemembered(options.storage, options.cluster, maxMyid);
  if (remembered !== null) {
    const release = await acquireLock(options.locks, myidLockName(options.cluster, remembered), options.reclaimWindowMs ?? 3000);
    if (release !== null) return finish(options, remembered, release, true);
  }
  for (let myid = 1; myid <= maxMyid; myid++) {
    if (myid === remembered) continue;
    const release = await acquireLock(options.locks, myidLockName(options.cluster, myid), 0);
    if (release !== null) return finish(options, myid, release, false);
  }
  throw new ClaimError(`every myid from 1 to ${maxMyid} of cluster "${options.cluster}" is taken in this browser`);
}

function finish(options: LocalClaimOptions, myid: ServerId, releaseLock: () => void, reclaimed: boolean): LocalMyidClaim {
  const key = localClaimKey(options.cluster);
  options.storage?.setItem(key, String(myid));
  let released = false;
  return {
    cluster: options.cluster,
    myid,
    reclaimed,
    release(releaseOptions) {
      if (released) return;
      released = true;
      releaseLock();
      if (releaseOptions?.forget) options.storage?.removeItem(key);
    },
  };
}

function readRemembered(storage: StorageLike | null, cluster: string, maxMyid: number): ServerId | null {
  const text = storage?.getItem(localClaimKey(cluster)) ?? null;
  if (text === null || !/^[1-9][0-9]{0,5}$/.test(text)) return null;
  const myid = Number(text);
  return myid <= maxMyid ? myid : null;
}
