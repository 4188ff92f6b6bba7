// The ensemble as a quorum server sees it (zoo.cfg server.N lines, initLimit, syncLimit) and the
// text Apache writes into /zookeeper/config (QuorumVerifier.toString of a static config).
import { MajorityQuorumVerifier } from '../election/quorum';
import type { ServerId } from '../types';
import type { ZabFaults, ZabTiming } from './zab-host';

export interface QuorumServerSpec {
  id: ServerId;
  host: string;
  quorumPort: number;
  electionPort: number;
  role: 'participant' | 'observer';
  clientPort: number;
  /** clientPortAddress; Apache prints 0.0.0.0 when none is set. */
  clientAddress?: string;
}

export interface QuorumPeerConfig extends ZabTiming {
  servers: readonly QuorumServerSpec[];
  /** Version of the static config (Apache: 0 unless a dynamic config file says otherwise). */
  configVersion?: bigint;
  /** zookeeper.commitLogCount: committed txns kept in memory for DIFF (default 500). */
  committedLogCount?: number;
  /**
   * zookeeper.snapshotSizeFactor (default 0.33): a learner older than the committed log gets a
   * DIFF from the txn log when the log after its zxid is at most this times the newest
   * snapshot's size; negative: always a SNAP (Apache's txnLogSyncEnabled false).
   */
  snapshotSizeFactor?: number;
  /** FLE finalizeWait and notification retry (Apache: 200 ms, 200 ms .. 60 s). */
  finalizeWaitMs?: number;
  minNotificationIntervalMs?: number;
  maxNotificationIntervalMs?: number;
  /** Testing: every learner syncs with a SNAP (Apache forceSnapSync). */
  forceSnapSync?: boolean;
  /** Testing: classic bugs to switch on (see ZabFaults). */
  faults?: ZabFaults;
}

export function defaultQuorumPeerConfig(servers: readonly QuorumServerSpec[], overrides: Partial<QuorumPeerConfig> = {}): QuorumPeerConfig {
  return { servers, initLimitTicks: 10, syncLimitTicks: 5, ...overrides };
}

/** Specs for servers 1..n on one host, ports as in the ZooKeeper docs' examples. */
export function localEnsemble(ids: readonly ServerId[], observers: readonly ServerId[] = []): QuorumServerSpec[] {
  return [...ids, ...observers].map((id) => ({
    id,
    host: '127.0.0.1',
    quorumPort: 2887 + id,
    electionPort: 3887 + id,
    role: observers.includes(id) ? 'observer' : 'participant',
    clientPort: 2180 + id,
  }));
}

export function quorumVerifierOf(config: QuorumPeerConfig): MajorityQuorumVerifier {
  return new MajorityQuorumVerifier({
    voters: config.servers.filter((s) => s.role === 'participant').map((s) => s.id),
    observers: config.servers.filter((s) => s.role === 'observer').map((s) => s.id),
  });
}

/** server.N=host:quorumPort:electionPort:role;clientAddress:clientPort lines, then version=hex. */
export function quorumConfigText(config: QuorumPeerConfig): string {
  const lines = [...config.servers]
    .sort((a, b) => a.id - b.id)
    .map((s) => `server.${s.id}=${s.host}:${s.quorumPort}:${s.electionPort}:${s.role};${s.clientAddress ?? '0.0.0.0'}:${s.clientPort}`);
  lines.push(`version=${(config.configVersion ?? 0n).toString(16)}`);
  return lines.join('\n');
}

export function validateQuorumPeerConfig(config: QuorumPeerConfig, myId: ServerId): void {
  const ids = new Set<ServerId>();
  for (const s of config.servers) {
    if (ids.has(s.id)) throw new Error(`quorum config: server.${s.id} listed twice`);
    ids.add(s.id);
  }
  if (!ids.has(myId)) throw new Error(`quorum config: my id ${myId} is not among the servers`);
  for (const key of ['initLimitTicks', 'syncLimitTicks'] as const) {
    const value = config[key];
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${key} must be an integer >= 1, got ${value}`);
  }
}
