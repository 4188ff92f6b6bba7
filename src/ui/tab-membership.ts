// Multi-tab mode (`?mode=tabs`): this tab is one server of an ensemble made of tabs. Before the
// page starts anything it claims its myid on the PeerServer (the lowest free one; a reload keeps
// it), then keeps WebRTC links to every other server slot of the cluster. The quorum channels of
// those links go to this tab's server worker; ClusterController drives the worker through the
// narrow TabMembership below.
import { joinCluster, type ClusterMembership, type WorkerPort } from '../net/webrtc-cluster';
import type { ServerId } from '../zk/types';
import type { WorkerLike } from './bridge';
import { quorumSpec } from './cluster-model';

/** What ClusterController needs from the cluster membership of this tab. */
export interface TabMembership {
  readonly myid: ServerId;
  readonly role: 'participant' | 'observer';
  /** Routes a worker message about quorum channels; false if it is not one. */
  handleWorkerMessage(message: unknown): boolean;
  /** The worker that now hosts this tab's server (null: none, it was killed). */
  setWorker(worker: WorkerLike | null): void;
  /** Closes every peer connection and dials again: a killed server's sockets reset. */
  resetLinks(): void;
  leave(): void;
}

/** Every server slot of the cluster (voters and observer slots), the ones this tab keeps links to. */
export function clusterSlots(size: number): ServerId[] {
  const spec = quorumSpec(size);
  return [...spec.voters, ...spec.observers];
}

export async function joinTabCluster(cluster: string, size: number): Promise<TabMembership> {
  const slots = clusterSlots(size);
  const membership: ClusterMembership = await joinCluster({ cluster, size });
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
    resetLinks: () => membership.links.resetAll(),
    leave: () => membership.leave(),
  };
}
