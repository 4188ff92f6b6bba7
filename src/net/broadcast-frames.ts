// The frames of the BroadcastChannel transport (broadcast-transport.ts) and their validation.
// Everything on a BroadcastChannel is untrusted input (another tab, another version of the app):
// a frame that does not match exactly is dropped and counted, never half-used.
import type { ServerId } from '../zk/types';

export const BROADCAST_TAG = 'ztb1';

interface Head {
  z: typeof BROADCAST_TAG;
  from: ServerId;
  /** The sender's incarnation. */
  inc: number;
}
interface Addressed extends Head {
  to: ServerId;
  /** The incarnation of `to` the sender is talking to. */
  peerInc: number;
  conn: number;
}

export type BroadcastFrame =
  | (Head & { t: 'hello' })
  | (Addressed & { t: 'open' | 'accept' | 'bye' })
  | (Addressed & { t: 'data'; seq: number; bytes: Uint8Array })
  /** Posted by a page that terminated server `from`'s worker: its incarnations below `before` are dead. */
  | { z: typeof BROADCAST_TAG; t: 'gone'; from: ServerId; before: number };

const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isPositive = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

export function parseBroadcastFrame(data: unknown, maxMessageBytes: number): BroadcastFrame | null {
  if (typeof data !== 'object' || data === null) return null;
  const f = data as Record<string, unknown>;
  if (f['z'] !== BROADCAST_TAG || !isId(f['from'])) return null;
  if (f['t'] === 'gone') return isPositive(f['before']) ? (data as BroadcastFrame) : null;
  if (!isPositive(f['inc'])) return null;
  if (f['t'] === 'hello') return data as BroadcastFrame;
  if (!isId(f['to']) || !isPositive(f['peerInc']) || !isPositive(f['conn'])) return null;
  switch (f['t']) {
    case 'open':
    case 'accept':
    case 'bye':
      return data as BroadcastFrame;
    case 'data': {
      const bytes = f['bytes'];
      return isPositive(f['seq']) && bytes instanceof Uint8Array && bytes.length <= maxMessageBytes ? (data as BroadcastFrame) : null;
    }
    default:
      return null;
  }
}

/** The BroadcastChannel of a cluster's quorum links (`cluster` as the workers name it, e.g. `demo-tab`). */
export function broadcastChannelName(cluster: string): string {
  return `zootabs-${cluster}-quorum`;
}

/** The frame a page posts after terminating server `myid`'s worker (see BroadcastTransport). */
export function goneFrame(myid: ServerId, beforeIncarnation: number): BroadcastFrame {
  return { z: BROADCAST_TAG, t: 'gone', from: myid, before: beforeIncarnation };
}
