// The boundary between the pure server core and its hosts (Node TCP, Web Worker, simulator).
// Hosts feed inputs with `step` and carry out the effects it returns, in order. Storage effects
// (append, snapshot, setMeta, truncate) must be carried out in the order given: a completion
// input for one implies every storage effect before it is durable too.
import type { ConnectionId, Millis, ServerId, Zxid } from './types';
import type { TraceEvent } from './trace';
import type { LogEntry } from '../storage/storage';

export interface ServerConfig {
  serverId: ServerId;
  tickTimeMs: number;
  /** Defaults 2 * tickTime and 20 * tickTime as in Apache ZooKeeper. */
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  /** A snapshot is taken after about this many txns (ZooKeeper randomizes by snapCount/2). */
  snapCount: number;
  /** 0 = unlimited, per remote address. */
  maxClientCnxns: number;
  /** `DigestAuthenticationProvider.superDigest`, e.g. "super:D/InIHSb7yEEbrWz8b9l71RjZJU=". */
  superDigest: string | null;
  /** Four-letter words allowed (`4lw.commands.whitelist`); '*' means all. */
  fourLetterWords: ReadonlySet<string> | '*';
  /** `zookeeper.extendedTypesEnabled` (TTL nodes). */
  extendedTypesEnabled: boolean;
  /** `jute.maxbuffer`: a frame larger than this closes the connection. */
  maxBufferBytes: number;
  /** Text the 4lw `conf`, `envi` and `dirs` commands report about the host (dataDir, clientPort...). */
  hostInfo: Readonly<Record<string, string>>;
  /** Emit `trace` effects. Hosts with no trace reader (a Node server without --trace) turn it off. */
  traceEnabled: boolean;
}

export function defaultServerConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  const tickTimeMs = overrides.tickTimeMs ?? 2000;
  return {
    serverId: 0,
    tickTimeMs,
    minSessionTimeoutMs: 2 * tickTimeMs,
    maxSessionTimeoutMs: 20 * tickTimeMs,
    snapCount: 100_000,
    maxClientCnxns: 60,
    superDigest: null,
    fourLetterWords: new Set(['srvr']),
    extendedTypesEnabled: false,
    maxBufferBytes: 0xfffff,
    hostInfo: {},
    traceEnabled: true,
    ...overrides,
  };
}

export type ServerInput =
  | { kind: 'connection.open'; connection: ConnectionId; remoteAddress: string }
  | { kind: 'connection.data'; connection: ConnectionId; bytes: Uint8Array }
  | { kind: 'connection.close'; connection: ConnectionId }
  /** The host's clock moved; the core derives ticks and session expiry from it. */
  | { kind: 'clock'; nowMs: Millis }
  /** A `storage.append` batch is durable: replies (later: ACKs) waiting on it may go. */
  | { kind: 'storage.durable'; batchId: number }
  | { kind: 'storage.snapshotSaved'; zxid: Zxid }
  // ---- quorum servers (QuorumPeer) ----
  /** Bytes of one peer message (encodePeerMessage) from server `from`, in per-link FIFO order. */
  | { kind: 'peer.message'; from: ServerId; bytes: Uint8Array }
  /** The link to `peer` came up or went down (a down link loses what was in flight on it). */
  | { kind: 'peer.link'; peer: ServerId; up: boolean }
  /** A `storage.setMeta` is durable. */
  | { kind: 'storage.metaSaved'; key: string; value: string };

export type ServerEffect =
  | { kind: 'connection.send'; connection: ConnectionId; bytes: Uint8Array }
  /** Close after flushing earlier sends on that connection. */
  | { kind: 'connection.close'; connection: ConnectionId }
  /** Make these log entries durable, then feed `storage.durable` with the same batchId. One batch = one durable write. */
  | { kind: 'storage.append'; batchId: number; entries: LogEntry[] }
  | { kind: 'storage.snapshot'; zxid: Zxid; bytes: Uint8Array }
  | { kind: 'trace'; event: TraceEvent }
  // ---- quorum servers (QuorumPeer) ----
  /** Send one encoded peer message to server `to` (lost if the link is down: the protocol retries). */
  | { kind: 'peer.send'; to: ServerId; bytes: Uint8Array }
  /** Storage.setMeta(key, value) (acceptedEpoch, currentEpoch); then feed `storage.metaSaved`. */
  | { kind: 'storage.setMeta'; key: string; value: string }
  /** Storage.truncateAfter(zxid) (ZAB TRUNC, or a SNAP replacing a diverged log). No completion input. */
  | { kind: 'storage.truncate'; zxid: Zxid };
