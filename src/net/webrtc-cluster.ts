// Joining a cluster from a tab: claim a myid on the PeerServer, then keep WebRTC links to the other
// servers, handing their quorum channels to the server worker and their control channels to the
// control plane. This is the page-side assembly; the worker side is src/worker/peer-host.ts.
// The same connections carry client tunnels (src/net/client-tunnel.ts): this tab's clients reach
// the other tabs' servers through them, and the other tabs' clients reach the server here.
import type { ByteStream } from './byte-stream';
import { ClientTunnelAcceptor, clientLabel, openClientTunnel } from './client-tunnel';
import { portByteStream } from '../worker/port-stream';
import type { PageToWorker } from '../worker/protocol';
import type { ServerId } from '../zk/types';
import { iceServersFromConfig, peerjsFactory, peerServerFromEnv, peerSocket, type PeerServerAddress } from './peerjs-factory';
import { claimMyid, keepClaim, type LockManagerLike, type MyidClaim, type StorageLike } from './peerjs-identity';
import { roleOf, type ServerRole } from './peerjs-ids';
import { PeerjsSignaller } from './peerjs-signalling';
import { relayChannel } from './webrtc-relay';
import { randomToken, WebRtcLinks, type LinkPhase } from './webrtc-links';
import { isPeerWorkerToPage, type PeerPageToWorker } from '../worker/peer-messages';

export interface WorkerPort {
  postMessage(message: PeerPageToWorker | Extract<PageToWorker, { type: 'connect' }>, transfer: Transferable[]): void;
}

/** 'transfer' hands the RTCDataChannel to the worker (measured faster); 'relay' keeps it on the page. */
export type ChannelMode = 'transfer' | 'relay';

export interface JoinOptions {
  cluster: string;
  size: number;
  server?: PeerServerAddress;
  storage?: StorageLike | null;
  locks?: LockManagerLike | null;
  /** Where quorum channels go (the server worker). May be set later with setWorker(). */
  worker?: WorkerPort | null;
  mode?: ChannelMode;
  onControlChannel?(peer: ServerId, channel: RTCDataChannel): void;
  onPhase?(peer: ServerId, phase: LinkPhase): void;
  /** The myid went to another tab while the PeerServer was unreachable: stop the server. */
  onClaimLost?(reason: string): void;
  /** Give up on one PeerServer registration after this long (default: claimMyid's). */
  registerTimeoutMs?: number;
}

export interface ClusterMembership {
  readonly claim: MyidClaim;
  readonly myid: ServerId;
  readonly role: ServerRole;
  readonly links: WebRtcLinks;
  readonly signaller: PeerjsSignaller;
  setWorker(worker: WorkerPort | null): void;
  /**
   * A client connection to server `peer` in another tab, tunnelled over the link to it; rejects
   * quickly (link down, no server there) so the client tries its next server. `who` names the client.
   */
  openClient(peer: ServerId, who: string): Promise<ByteStream>;
  /** Routes a worker message about quorum channels; false if it is not one. */
  handleWorkerMessage(message: unknown): boolean;
  /** Leaves: closes links, unregisters. `forget` also drops the myid kept for reloads. */
  leave(options?: { forget?: boolean }): void;
}

export async function joinCluster(options: JoinOptions): Promise<ClusterMembership> {
  const claim = await claimMyid({
    cluster: options.cluster,
    createPeer: peerjsFactory(options.server ?? peerServerFromEnv()),
    storage: options.storage === undefined ? defaultSessionStorage() : options.storage,
    locks: options.locks === undefined ? ((globalThis.navigator?.locks as LockManagerLike | undefined) ?? null) : options.locks,
    ...(options.registerTimeoutMs === undefined ? {} : { registerTimeoutMs: options.registerTimeoutMs }),
  });
  const role = roleOf(claim.myid, options.size);
  const signaller = new PeerjsSignaller(peerSocket(claim.peer), options.cluster, claim.myid);
  let worker = options.worker ?? null;
  const mode = options.mode ?? 'transfer';
  // Other tabs' clients, bridged to this tab's server worker as ordinary client connections.
  const tunnels = new ClientTunnelAcceptor((remoteAddress) => {
    if (worker === null) throw new Error(`server ${claim.myid} is down`);
    const { port1, port2 } = new MessageChannel();
    worker.postMessage({ type: 'connect', port: port2, remoteAddress }, [port2]);
    return portByteStream(port1);
  });
  const links = new WebRtcLinks({
    selfId: claim.myid,
    signaller,
    // STUN/TURN from `npm run serve`'s ICE_SERVERS (none by default: one machine or one LAN).
    rtcConfig: { iceServers: iceServersFromConfig() },
    onQuorumChannel(peer, channel) {
      if (worker === null) {
        channel.close();
        return false;
      }
      if (mode === 'transfer') worker.postMessage({ type: 'peer-channel', peer, channel }, [channel]);
      else {
        const port = relayChannel(channel);
        worker.postMessage({ type: 'peer-relay', peer, port, label: channel.label }, [port]);
      }
      return true;
    },
    ...(options.onControlChannel ? { onControlChannel: options.onControlChannel } : {}),
    onClientChannel: (peer, channel) => tunnels.accept(peer, channel),
    // The far tab's server was killed: our worker holds the live ends of its dead quorum channels.
    onQuorumClosed: (peer, upTo) => worker?.postMessage({ type: 'peer-channels-closed', peer, upTo }, []),
    ...(options.onPhase ? { onPhase: options.onPhase } : {}),
  });
  const stopKeeping = keepClaim(claim, {
    onLost: (reason) => {
      links.close();
      options.onClaimLost?.(reason);
    },
  });
  return {
    claim,
    myid: claim.myid,
    role,
    links,
    signaller,
    setWorker(next) {
      if (next !== worker) {
        links.workerReplaced();
        // A terminated worker closes none of its ports: reset its tunnelled clients here.
        tunnels.closeAll(`server ${claim.myid} stopped`);
      }
      worker = next;
    },
    async openClient(peer, who) {
      const channel = links.openClientChannel(peer, clientLabel(randomToken(), who));
      return openClientTunnel(channel, { serverName: `server ${peer}` });
    },
    handleWorkerMessage(message) {
      if (!isPeerWorkerToPage(message)) return false;
      links.requestQuorum(message.peer, message.after);
      return true;
    },
    leave(leaveOptions) {
      stopKeeping();
      tunnels.closeAll('the tab is leaving');
      links.close();
      signaller.close();
      claim.release(leaveOptions);
    },
  };
}

/** sessionStorage, or null where the page may not use it (sandboxed frames throw on access). */
function defaultSessionStorage(): StorageLike | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}
