// Messages between a page and its server worker about quorum channels (they extend PageToWorker /
// WorkerToPage in protocol.ts; the worker's onmessage routes them to handlePeerMessage in peer-host.ts).
//   page -> worker: a data channel to `peer`, transferred ('peer-channel'); or, in relay mode, a
//                   MessagePort standing for one ('peer-relay', see peer-relay-channel.ts);
//                   or "`peer`'s server was killed: close your channels to it up to 'quorum-<upTo>'"
//                   ('peer-channels-closed'; its page cannot close them, its dead worker held them)
//   worker -> page: "I need a (new) channel to `peer`; the last one I got was number `after`"
//                   ('peer-channel-wanted'; channels are labelled 'quorum-<n>', after = 0: none)
import type { ServerId } from '../zk/types';

export type PeerPageToWorker =
  | { type: 'peer-channel'; peer: ServerId; channel: RTCDataChannel }
  | { type: 'peer-relay'; peer: ServerId; port: MessagePort; label: string }
  | { type: 'peer-channels-closed'; peer: ServerId; upTo: number };

export type PeerWorkerToPage = { type: 'peer-channel-wanted'; peer: ServerId; after: number };

/** n of a 'quorum-<n>' channel label; 0 for anything else (or no channel). */
export function quorumSeqOf(label: string | null): number {
  const match = label === null ? null : /^quorum-(\d{1,9})$/.exec(label);
  return match === null ? 0 : Number(match[1]);
}

function isPeerId(value: unknown): value is ServerId {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

export function isPeerPageToWorker(value: unknown): value is PeerPageToWorker {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { type?: unknown; peer?: unknown; channel?: unknown; port?: unknown };
  if (!isPeerId(m.peer)) return false;
  if (m.type === 'peer-channel') return typeof RTCDataChannel !== 'undefined' && m.channel instanceof RTCDataChannel;
  if (m.type === 'peer-relay') {
    return typeof MessagePort !== 'undefined' && m.port instanceof MessagePort && typeof (value as { label?: unknown }).label === 'string';
  }
  if (m.type === 'peer-channels-closed') {
    const upTo = (value as { upTo?: unknown }).upTo;
    return typeof upTo === 'number' && Number.isSafeInteger(upTo) && upTo >= 1;
  }
  return false;
}

export function isPeerWorkerToPage(value: unknown): value is PeerWorkerToPage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { type?: unknown; peer?: unknown; after?: unknown };
  return m.type === 'peer-channel-wanted' && isPeerId(m.peer) && typeof m.after === 'number' && Number.isSafeInteger(m.after) && m.after >= 0;
}
