// Opening the BroadcastChannel transport inside a server worker (`peerLinks: 'broadcast'`), and the
// page's word after it terminated a worker. Kept apart from the transport so that one is testable
// with a fake channel.
import type { ServerId } from '../zk/types';
import { broadcastChannelName, goneFrame } from './broadcast-frames';
import { BroadcastTransport, incarnationAt, type BroadcastChannelLike } from './broadcast-transport';

function openChannel(name: string): BroadcastChannelLike {
  if (typeof BroadcastChannel === 'undefined') throw new Error('this browser has no BroadcastChannel: tabs cannot link without the PeerServer');
  return new BroadcastChannel(name) as unknown as BroadcastChannelLike;
}

/** The quorum transport of server `myid` of `cluster` (the workers' cluster name, e.g. `demo-tab`). */
export function openBroadcastTransport(cluster: string, myid: ServerId, nowMs: number): BroadcastTransport {
  return new BroadcastTransport({ selfId: myid, channel: openChannel(broadcastChannelName(cluster)), incarnation: incarnationAt(nowMs) });
}

/**
 * Tells the other workers that server `myid`'s worker was terminated just now (`nowMs`, wall clock):
 * their links to it go down at once instead of after the hello timeout.
 */
export function announceGone(cluster: string, myid: ServerId, nowMs: number): void {
  const channel = openChannel(broadcastChannelName(cluster));
  try {
    channel.postMessage(goneFrame(myid, incarnationAt(nowMs, 1)));
  } finally {
    channel.close();
  }
}
