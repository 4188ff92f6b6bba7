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
  return {
    transport,
    handle(message) {
      if (!isPeerPageToWorker(message)) return false;
      if (message.peer === selfId) return true; // miswired: ignore rather than crash
      if (message.type === 'peer-channel') transport.attachChannel(message.peer, message.channel);
      else transport.attachChannel(message.peer, new RelayedChannel(message.port, message.label));
      return true;
    },
  };
}
