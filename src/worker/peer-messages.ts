// Messages between a page and its server worker about quorum channels (they extend PageToWorker /
// WorkerToPage in protocol.ts; the worker's onmessage routes them to handlePeerMessage in peer-host.ts).
//   page -> worker: a data channel to `peer`, transferred ('peer-channel'); or, in relay mode, a
//                   MessagePort standing for one ('peer-relay', see peer-relay-channel.ts)
//   worker -> page: "I need a (new) channel to `peer`" ('peer-channel-wanted')
import type { ServerId } from '../zk/types';

export type PeerPageToWorker =
  | { type: 'peer-channel'; peer: ServerId; channel: RTCDataChannel }
  | { type: 'peer-relay'; peer: ServerId; port: MessagePort };

export type PeerWorkerToPage = { type: 'peer-channel-wanted'; peer: ServerId };

function isPeerId(value: unknown): value is ServerId {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

export function isPeerPageToWorker(value: unknown): value is PeerPageToWorker {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { type?: unknown; peer?: unknown; channel?: unknown; port?: unknown };
  if (!isPeerId(m.peer)) return false;
  if (m.type === 'peer-channel') return typeof RTCDataChannel !== 'undefined' && m.channel instanceof RTCDataChannel;
  if (m.type === 'peer-relay') return typeof MessagePort !== 'undefined' && m.port instanceof MessagePort;
  return false;
}

export function isPeerWorkerToPage(value: unknown): value is PeerWorkerToPage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { type?: unknown; peer?: unknown };
  return m.type === 'peer-channel-wanted' && isPeerId(m.peer);
}
