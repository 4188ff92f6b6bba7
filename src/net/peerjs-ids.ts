// Names on the PeerServer. A server's peer id is `zootabs-<cluster>-<myid>`: the PeerServer refuses a
// second live registration of an id, which is what makes a myid unique across every tab and browser
// using that PeerServer. peerjs only accepts ids of alphanumeric words joined by single ' ', '_' or
// '-', so a cluster name that breaks that rule (a trailing '-', '--') is hex-encoded behind a
// different prefix (`zootabs_x<hex>-<myid>`), which no plain name can produce.
import type { ServerId } from '../zk/types';

/** The peerjs id rule (peerjs util.validateId). */
export const PEERJS_ID_PATTERN = /^[A-Za-z0-9]+(?:[ _-][A-Za-z0-9]+)*$/;
/** Highest myid a tab may claim: the scan gives up beyond it (ZooKeeper sids are bounded by config anyway). */
export const MAX_CLAIMABLE_MYID = 255;

const PLAIN_PREFIX = 'zootabs-';
const ENCODED_PREFIX = 'zootabs_x';

function clusterPart(cluster: string): string {
  if (cluster.length === 0) throw new RangeError('cluster name is empty');
  if (PEERJS_ID_PATTERN.test(`${PLAIN_PREFIX}${cluster}-1`)) return `${PLAIN_PREFIX}${cluster}`;
  const hex = [...new TextEncoder().encode(cluster)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${ENCODED_PREFIX}${hex}`;
}

export function assertMyid(myid: number): void {
  if (!Number.isSafeInteger(myid) || myid < 1 || myid > MAX_CLAIMABLE_MYID) {
    throw new RangeError(`myid must be an integer from 1 to ${MAX_CLAIMABLE_MYID}: ${myid}`);
  }
}

/** The PeerServer id of server `myid` of `cluster`. */
export function peerIdFor(cluster: string, myid: ServerId): string {
  assertMyid(myid);
  return `${clusterPart(cluster)}-${myid}`;
}

/** The myid behind a peer id of `cluster`, or null if the id belongs to something else. */
export function myidOfPeerId(cluster: string, peerId: string): ServerId | null {
  const prefix = `${clusterPart(cluster)}-`;
  if (!peerId.startsWith(prefix)) return null;
  const rest = peerId.slice(prefix.length);
  if (!/^[1-9][0-9]{0,5}$/.test(rest)) return null;
  const myid = Number(rest);
  return myid <= MAX_CLAIMABLE_MYID ? myid : null;
}

export type ServerRole = 'participant' | 'observer';

/** Servers 1..size vote; any tab beyond the cluster size joins as an observer. */
export function roleOf(myid: ServerId, size: number): ServerRole {
  assertMyid(myid);
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`cluster size must be a positive integer: ${size}`);
  return myid <= size ? 'participant' : 'observer';
}

/** Web Lock name guarding a myid claim inside one browser. Distinct from the server worker's database lock. */
export function myidLockName(cluster: string, myid: ServerId): string {
  assertMyid(myid);
  return `zootabs-myid-${cluster}-${myid}`;
}

/** sessionStorage key remembering which myid (and PeerServer token) this tab holds in `cluster`. */
export function myidStorageKey(cluster: string): string {
  return `zootabs-myid-claim-${cluster}`;
}
