// Multi-tab mode (`?mode=tabs`): this tab is one server of an ensemble made of tabs. Before the
// page starts anything it claims its myid on the PeerServer (the lowest free one; a reload keeps
// it), then keeps WebRTC links to every other server slot of the cluster. The quorum channels of
// those links go to this tab's server worker; ClusterController drives the worker through the
// narrow TabMembership below.
import type { ControlChannelLike } from '../net/control-plane';
import { joinCluster, type ClusterMembership, type WorkerPort } from '../net/webrtc-cluster';
import type { ByteStream } from '../net/byte-stream';
import type { ServerId } from '../zk/types';
import type { WorkerLike } from './bridge';
import { quorumSpec } from './cluster-model';
import { isPeerServerFailure, joinBroadcastCluster, PEER_SERVER_REGISTER_TIMEOUT_MS, peerServerAddress, tabsLinkProblem } from './tabs-fallback';

/** What ClusterController needs from the cluster membership of this tab. */
export interface TabMembership {
  readonly myid: ServerId;
  readonly role: 'participant' | 'observer';
  /** Routes a worker message about quorum channels; false if it is not one. */
  handleWorkerMessage(message: unknown): boolean;
  /** The worker that now hosts this tab's server (null: none, it was killed). */
  setWorker(worker: WorkerLike | null): void;
  /**
   * This tab's server was killed: its quorum connections reset, as a crashed process's sockets
   * would. This tab's client tunnels to other tabs' servers stay (WebRtcLinks.workerKilled).
   */
  resetLinks(): void;
  /** A client connection to another tab's server over WebRTC (src/net/client-tunnel.ts). */
  openClient?(peer: ServerId, who: string): Promise<ByteStream>;
  /** How the worker reaches its peers: WebRTC (default) or, without a PeerServer, a BroadcastChannel. */
  readonly peerLinks?: 'webrtc' | 'broadcast';
  /** Plain words for how this tab is linked, when it is not the usual WebRTC (src/ui/tabs-fallback.ts). */
  readonly linksLabel?: string;
  /**
   * Hands every link's 'control' data channel (those open now, then each new one) to `listener`,
   * for the control plane; returns a function that stops it. Optional: fakes and the
   * BroadcastChannel fallback have none (the control plane's BroadcastChannel reaches their tabs).
   */
  onControlChannel?(listener: (peer: ServerId, channel: ControlChannelLike) => void): () => void;
  leave(): void;
}

/** Every server slot of the cluster (voters and observer slots), the ones this tab keeps links to. */
export function clusterSlots(size: number): ServerId[] {
  const spec = quorumSpec(size);
  return [...spec.voters, ...spec.observers];
}

export async function joinTabCluster(cluster: string, size: number): Promise<TabMembership> {
  // No PeerServer, no WebRTC, or no network interface for WebRTC: the tabs of this browser still
  // form the cluster over a BroadcastChannel.
  const peerServer = peerServerAddress(globalThis.location?.search ?? '');
  const problem = await tabsLinkProblem(peerServer);
  if (problem !== null) return joinBroadcastCluster(cluster, size, problem);
  const slots = clusterSlots(size);
  // Control channels can open before anyone listens (the control plane needs the claimed myid):
  // the newest one per peer is kept and replayed to each listener.
  const controlChannels = new Map<ServerId, ControlChannelLike>();
  const controlListeners = new Set<(peer: ServerId, channel: ControlChannelLike) => void>();
  let membership: ClusterMembership;
  try {
    membership = await joinCluster({
      cluster,
      size,
      server: peerServer,
      registerTimeoutMs: PEER_SERVER_REGISTER_TIMEOUT_MS,
      onControlChannel(peer, channel) {
        controlChannels.set(peer, channel);
        for (const listener of controlListeners) listener(peer, channel);
      },
    });
  } catch (error) {
    // It answered the probe, but the registration failed or timed out: the same fallback.
    if (!isPeerServerFailure(error)) throw error;
    return joinBroadcastCluster(cluster, size, { cause: 'peer-server', text: (error as Error).message });
  }
  if (!slots.includes(membership.myid)) {
    membership.leave({ forget: true });
    throw new Error(`cluster ${cluster} already has ${slots.length} servers (${size} voters and ${slots.length - size} observers); no myid left for this tab`);
  }
  for (const peer of slots) if (peer !== membership.myid) membership.links.want(peer);
  return {
    myid: membership.myid,
    role: membership.role,
    handleWorkerMessage: (message) => membership.handleWorkerMessage(message),
    setWorker: (worker) => membership.setWorker(worker as unknown as WorkerPort | null),
    resetLinks: () => membership.links.workerKilled(),
    openClient: (peer, who) => membership.openClient(peer, who),
    onControlChannel(listener) {
      controlListeners.add(listener);
      for (const [peer, channel] of controlChannels) listener(peer, channel);
      return () => controlListeners.delete(listener);
    },
    leave: () => membership.leave(),
  };
}
