// The typed messages between a page and its server worker, and between a client connection's two
// MessagePort ends. Structured clone carries bigint and Uint8Array as they are, so zxids and session
// ids stay `bigint` across the boundary.
import type { LinkPolicy } from '../net/link-policy';
import type { ServerStateName, TraceEvent } from '../zk/trace';
import type { ServerId, Zxid } from '../zk/types';

/** Which server a worker hosts: database `zootabs-<cluster>-<myid>`. */
export interface ServerIdentity {
  cluster: string;
  myid: ServerId;
}

/** The ensemble a quorum worker belongs to (zoo.cfg server.N lines, initLimit, syncLimit). */
export interface QuorumSpec {
  voters: ServerId[];
  observers: ServerId[];
  initLimitTicks: number;
  syncLimitTicks: number;
}

/** Faults on the links from this server to one peer, as the page's fault controls set them. */
export interface LinkFaults {
  /** The peer is in another partition group: frames are dropped both ways, the channel stays open. */
  partitioned: boolean;
  /** Policy of this server's outbound direction (latency, loss); the peer sets its own direction. */
  outbound: LinkPolicy;
}

/** How a quorum worker reaches its peers (see the 'start' message). */
export type PeerLinksKind = 'ports' | 'webrtc' | 'broadcast';

export type PageToWorker =
  /**
   * Starts a standalone server, or with `quorum` a QuorumPeer of that ensemble. Its peer links are
   * the page's MessagePorts (`peer.port`), or with `peerLinks: 'webrtc'` data channels handed in by
   * the page as peer-messages.ts messages (multi-tab mode, src/worker/peer-host.ts), or with
   * `peerLinks: 'broadcast'` a BroadcastChannel the worker opens itself (multi-tab mode without a
   * PeerServer: tabs of one browser only, src/net/broadcast-transport.ts).
   */
  | { type: 'start'; identity: ServerIdentity; tickTimeMs: number; quorum?: QuorumSpec; peerLinks?: PeerLinksKind }
  /** A new client connection; `port` is transferred and carries `PortMessage`s. */
  | { type: 'connect'; port: MessagePort; remoteAddress: string }
  | { type: 'stop' }
  // ---- quorum workers only ----
  /** The channel to peer `peer` (one MessageChannel per pair, created by the page); replaces an old one. */
  | { type: 'peer.port'; peer: ServerId; port: MessagePort }
  /** The peer's worker died: its channel is dead, as a crashed process's sockets are reset. */
  | { type: 'peer.gone'; peer: ServerId }
  /** A long pause: inputs are buffered, not processed, until unfrozen; channels stay open. */
  | { type: 'freeze'; frozen: boolean }
  /** Replaces every link fault of this server; peers not listed have none. */
  | { type: 'faults'; links: Array<{ peer: ServerId; faults: LinkFaults }> };

/** What the page shows about its server; sent periodically and after changes. */
export interface ServerStatus {
  state: ServerStateName;
  epoch: number;
  lastZxid: Zxid;
  nodeCount: number;
  sessionCount: number;
  watchCount: number;
  connectionCount: number;
  /** Paths of container and TTL nodes (the client's Stat cannot tell them from persistent ones). */
  containerPaths: string[];
  ttlPaths: string[];
  /** Quorum servers only. */
  quorum?: QuorumStatus;
}

/** What a quorum server reports on top of ServerStatus. */
export interface QuorumStatus {
  leaderId: ServerId | null;
  serving: boolean;
  acceptedEpoch: number;
  /** The vote this server stands by: its last proposal while LOOKING, its leader otherwise. */
  vote: { leader: ServerId; zxid: Zxid; electionEpoch: number } | null;
  /** Client connections that carry a session. */
  connectedSessions: number;
  /** Transport link state to each peer. */
  links: Array<{ peer: ServerId; up: boolean }>;
  frozen: boolean;
  /** Inputs waiting while frozen. */
  buffered: number;
}

export type WorkerPhase = 'waiting-for-lock' | 'recovering' | 'serving' | 'failed' | 'stopped';

export type WorkerToPage =
  | { type: 'phase'; phase: WorkerPhase; detail: string }
  | { type: 'recovered'; snapshotZxid: Zxid | null; logEntries: number; warnings: string[] }
  | { type: 'status'; status: ServerStatus }
  /** Trace events batched per timer turn, so a burst costs one message. */
  | { type: 'trace'; events: TraceEvent[] }
  /** Something failed; `fatal` means the server stopped serving. */
  | { type: 'error'; message: string; fatal: boolean };

/** One end of a client connection: bytes in either direction, then a close. */
export type PortMessage = { type: 'data'; bytes: Uint8Array } | { type: 'close'; reason: string };

/** Bounds: at most this many trace events per batch and per second of backlog. */
export const TRACE_BATCH_MAX = 500;
/** Status lists (containers, TTLs) are cut to this length. */
export const STATUS_PATHS_MAX = 1000;

export function isPortMessage(value: unknown): value is PortMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { type?: unknown; bytes?: unknown; reason?: unknown };
  if (message.type === 'data') return message.bytes instanceof Uint8Array;
  return message.type === 'close' && typeof message.reason === 'string';
}

export function isPageToWorker(value: unknown): value is PageToWorker {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { type?: unknown; port?: unknown; identity?: unknown; peer?: unknown; frozen?: unknown; links?: unknown };
  switch (message.type) {
    case 'start':
      return typeof message.identity === 'object' && message.identity !== null;
    case 'connect':
      return typeof MessagePort !== 'undefined' && message.port instanceof MessagePort;
    case 'stop':
      return true;
    case 'peer.port':
      return Number.isSafeInteger(message.peer) && typeof MessagePort !== 'undefined' && message.port instanceof MessagePort;
    case 'peer.gone':
      return Number.isSafeInteger(message.peer);
    case 'freeze':
      return typeof message.frozen === 'boolean';
    case 'faults':
      return Array.isArray(message.links);
    default:
      return false;
  }
}

/** `zootabs-<cluster>-<myid>`: the IndexedDB database and Web Lock name of one server. */
export function databaseName(identity: ServerIdentity): string {
  return `zootabs-${identity.cluster}-${identity.myid}`;
}

/** Cluster names go into database names and URLs: keep them plain. */
export const CLUSTER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
