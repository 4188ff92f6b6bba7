// Wiring of the quorum transport inside the server worker: one PeerChannelTransport whose channel
// requests go to the page, and a handler for the page's peer messages. The worker's onmessage calls
// handle() first and falls through to its own protocol when it returns false.
import type { ServerId } from '../zk/types';
import { isPeerPageToWorker, quorumSeqOf, type PeerWorkerToPage } from './peer-messages';
import { RelayedChannel } from './peer-relay-channel';
import { PeerChannelTransport, type PeerChannelTransportOptions } from './peer-transport';

export interface PeerHost {
  readonly transport: PeerChannelTransport;
  /** Takes a page message meant for the quorum transport; false if it is not one. */
  handle(message: unknown): boolean;
}

export function startPeerHost(
  selfId: ServerId,
  post: (message: PeerWorkerToPage) => void,
  options: Omit<PeerChannelTransportOptions, 'selfId' | 'requestChannel'> = {},
): PeerHost {
  const transport = new PeerChannelTransport({
    ...options,
    selfId,
    requestChannel: (peer, lastLabel) => post({ type: 'peer-channel-wanted', peer, after: quorumSeqOf(lastLabel) }),
  });
  /** The 'quorum-<n>' of the last channel attached per peer: the one the transport uses (a new one replaces it). */
  const attachedSeq = new Map<ServerId, number>();
  return {
    transport,
    handle(message) {
      if (!isPeerPageToWorker(message)) return false;
      if (message.peer === selfId) return true; // miswired: ignore rather than crash
      switch (message.type) {
        case 'peer-channel':
          attachedSeq.set(message.peer, quorumSeqOf(message.channel.label));
          transport.attachChannel(message.peer, message.channel);
          return true;
        case 'peer-relay':
          attachedSeq.set(message.peer, quorumSeqOf(message.label));
          transport.attachChannel(message.peer, new RelayedChannel(message.port, message.label));
          return true;
        case 'peer-channels-closed': {
          // The far server was killed: our end is its reset socket. A channel newer than `upTo`
          // reached its next worker (a restart) and stays. Liveness is still the heartbeats' business:
          // this only does what the crashed process's closed sockets would have done.
          const seq = attachedSeq.get(message.peer) ?? 0;
          if (seq >= 1 && seq <= message.upTo) transport.disconnect(message.peer);
          return true;
        }
      }
    },
  };
}
