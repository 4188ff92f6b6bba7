// The text of each four-letter word, in the formats of Apache's command classes
// (org.apache.zookeeper.server.command.*). The server sends it and closes the connection.
import type { Millis, SessionId, Zxid } from '../types';
import { hex } from '../types';
import type { ServerConfig } from '../server-api';
import type { WatchManager } from '../watch/watch-manager';
import { watchSummaryText, watchesByPathText, watchesBySessionText } from '../watch/watch-report';
import type { SessionTable } from '../session/session-table';
import { javaDateString } from '../session/java-date';
import { javaDouble, type ConnectionStats, type ServerStats } from './stats';
import { quorumMonitorRows, quorumStatLines, ZK_NOT_SERVING, type ServingRole } from './serving-role';

/** What `srvr` and `envi` print as Version.getFullVersion(). */
export const ZK_VERSION = '3.8.4-zootabs, built on 2026-01-01 00:00 UTC';
/** ZooTrace's default text trace mask (gtmk). */
export const DEFAULT_TRACE_MASK = 306n;

export interface ConnectionInfo {
  remoteAddress: string;
  /** NIO interest ops: 1 (read) for a served connection, 0 for the one running the command. */
  interestOps: number;
  queued: number;
  stats: ConnectionStats;
  /** 0n before a session is attached. */
  sessionId: SessionId;
  timeoutMs: number;
}

export interface FourLetterView {
  config: ServerConfig;
  stats: ServerStats;
  nowMs: Millis;
  startedAtMs: Millis;
  serverState: string;
  /** False while a quorum server does not serve: most words then answer ZK_NOT_SERVING. */
  serving?: boolean;
  /** The quorum role's extras (leader proposal sizes, peer state, learner counts). */
  role?: ServingRole;
  connections: ConnectionInfo[];
  outstandingRequests: number;
  lastZxid: Zxid;
  nodeCount: number;
  approximateDataSize: number;
  watches: WatchManager;
  sessions: SessionTable;
  ephemerals: ReadonlyMap<SessionId, readonly string[]>;
  resetConnectionStats(): void;
}

/** Apache prints InetSocketAddress.toString(): "/127.0.0.1:54321". */
function socketAddress(remoteAddress: string): string {
  return remoteAddress.startsWith('/') ? remoteAddress : `/${remoteAddress}`;
}

export function connectionInfoText(c: ConnectionInfo, brief: boolean): string {
  const s = c.stats;
  let out = ` ${socketAddress(c.remoteAddress)}[${c.interestOps.toString(16)}](queued=${c.queued},recved=${s.packetsReceived},sent=${s.packetsSent}`;
  if (!brief && c.sessionId !== 0n) {
    out += `,sid=${hex(c.sessionId)},lop=${s.lastOp},est=${s.establishedMs},to=${c.timeoutMs}`;
    if (s.lastCxid >= 0) out += `,lcxid=0x${s.lastCxid.toString(16)}`;
    out += `,lzxid=${hex(s.lastZxid)},lresp=${s.lastResponseTimeMs},llat=${s.lastLatencyMs}`;
    out += `,minlat=${s.latency.minMs},avglat=${s.latency.avgMsTruncated},maxlat=${s.latency.maxMs}`;
  }
  return out + ')';
}

/** ServerStats.toString() followed by the node count, as `srvr` and `stat` end. */
function serverStatsText(v: FourLetterView): string {
  const l = v.stats.latency;
  return (
    `Latency min/avg/max: ${l.minMs}/${javaDouble(l.avgMs)}/${l.maxMs}\n` +
    `Received: ${v.stats.packetsReceived}\n` +
    `Sent: ${v.stats.packetsSent}\n` +
    `Connections: ${v.connections.length}\n` +
    `Outstanding: ${v.outstandingRequests}\n` +
    `Zxid: ${hex(v.lastZxid)}\n` +
    `Mode: ${v.serverState}\n` +
    `Node count: ${v.nodeCount}\n`
  );
}

function statText(v: FourLetterView, withClients: boolean): string {
  let out = `Zookeeper version: ${ZK_VERSION}\n`;
  if (withClients) {
    out += 'Clients:\n';
    for (const c of v.connections) out += connectionInfoText(c, true) + '\n';
    out += '\n';
  }
  return out + serverStatsText(v);
}

function consText(v: FourLetterView): string {
  return v.connections.map((c) => connectionInfoText(c, false) + '\n').join('') + '\n';
}

function host(v: FourLetterView, key: string, fallback: string): string {
  return v.config.hostInfo[key] ?? fallback;
}

function confText(v: FourLetterView): string {
  const c = v.config;
  const lines: Array<[string, string | number]> = [
    ['clientPort', host(v, 'clientPort', '2181')],
    ['secureClientPort', host(v, 'secureClientPort', '-1')],
    ['dataDir', host(v, 'dataDir', '/data/version-2')],
    ['dataDirSize', host(v, 'dataDirSize', '0')],
    ['dataLogDir', host(v, 'dataLogDir', host(v, 'dataDir', '/data/version-2'))],
    ['dataLogSize', host(v, 'dataLogSize', '0')],
    ['tickTime', c.tickTimeMs],
    ['maxClientCnxns', c.maxClientCnxns],
    ['minSessionTimeout', c.minSessionTimeoutMs],
    ['maxSessionTimeout', c.maxSessionTimeoutMs],
    ['clientPortListenBacklog', host(v, 'clientPortListenBacklog', '-1')],
    ['serverId', c.serverId],
  ];
  return lines.map(([k, value]) => `${k}=${value}\n`).join('') + quorumConfText(v);
}

/** What a quorum server adds (QuorumZooKeeperServer.dumpConf); its host puts these in hostInfo. */
const QUORUM_CONF_KEYS = ['initLimit', 'syncLimit', 'electionAlg', 'electionPort', 'quorumPort', 'peerType'] as const;

function quorumConfText(v: FourLetterView): string {
  const membership = v.config.hostInfo['membership'];
  if (membership === undefined) return '';
  const lines = QUORUM_CONF_KEYS.map((k) => `${k}=${host(v, k, '')}\n`).join('');
  // "membership: " is println'd; the QuorumVerifier text after it ends without a newline.
  return `${lines}membership: \n${membership}`;
}

/** Environment.list(): our version, then the host's dotted keys (host.name, os.name, ...). */
function enviText(v: FourLetterView): string {
  let out = `Environment:\nzookeeper.version=${ZK_VERSION}\n`;
  for (const [k, value] of Object.entries(v.config.hostInfo)) if (k.includes('.')) out += `${k}=${value}\n`;
  return out;
}

function dumpText(v: FourLetterView): string {
  let out = 'SessionTracker dump:\n' + v.sessions.dumpText();
  out += 'ephemeral nodes dump:\n';
  out += `Sessions with Ephemerals (${v.ephemerals.size}):\n`;
  for (const [sessionId, paths] of v.ephemerals) {
    out += `${hex(sessionId)}:\n`;
    for (const p of paths) out += `\t${p}\n`;
  }
  // NIOServerCnxnFactory.dumpConnections: the idle-connection expiry queue; one bucket here.
  out += 'Connections dump:\n';
  const live = v.connections;
  out += `Connections Sets (${live.length === 0 ? 0 : 1})/(${live.length}):\n`;
  if (live.length > 0) {
    const expiry = (Math.floor((v.nowMs + v.config.tickTimeMs * 10) / v.config.tickTimeMs) + 1) * v.config.tickTimeMs;
    out += `${live.length} expire at ${javaDateString(expiry)}:\n`;
    for (const c of live) out += `\t${connectionInfoText(c, false).slice(1)}\n`;
  }
  return out;
}

function mntrText(v: FourLetterView): string {
  const l = v.stats.latency;
  const ephemeralsCount = [...v.ephemerals.values()].reduce((n, paths) => n + paths.length, 0);
  const rows: Array<[string, string | number]> = [
    ['version', ZK_VERSION],
    ['server_state', v.serverState],
    ['avg_latency', javaDouble(l.avgMs)],
    ['max_latency', l.maxMs],
    ['min_latency', l.minMs],
    ['packets_received', v.stats.packetsReceived],
    ['packets_sent', v.stats.packetsSent],
    ['num_alive_connections', v.connections.length],
    ['outstanding_requests', v.outstandingRequests],
    ['uptime', Math.max(0, v.nowMs - v.startedAtMs)],
    ['znode_count', v.nodeCount],
    ['watch_count', v.watches.count()],
    ['ephemerals_count', ephemeralsCount],
    ['approximate_data_size', v.approximateDataSize],
    ['global_sessions', v.sessions.size()],
    ['local_sessions', 0],
    ['open_file_descriptor_count', v.connections.length],
    ['max_file_descriptor_count', 1048576],
    ['connection_drop_probability', '0.0'],
    ['auth_failed_count', v.stats.authFailedCount],
    ['cnt_request_latency', l.samples],
    ['sum_request_latency', l.sumMs],
  ];
  return rows.map(([k, value]) => `zk_${k}\t${value}\n`).join('');
}

/**
 * The reply to a four-letter word. The caller checks the whitelist first (see
 * `fourLetterWordAllowed`). Unknown words never reach here: they are not 4lw at all.
 */
export function runFourLetterWord(word: string, v: FourLetterView): string {
  if (v.serving === false) return notServingText(word, v);
  const text = wordText(word, v);
  const role = v.role;
  if (role === undefined) return text;
  if (word === 'srvr' || word === 'stat') return text + quorumStatLines(role);
  if (word === 'mntr') return text + quorumMonitorRows(role).map(([k, value]) => `zk_${k}\t${value}\n`).join('');
  return text;
}

/** Commands that need a running ZooKeeperServer print ZK_NOT_SERVING (isro prints null). */
function notServingText(word: string, v: FourLetterView): string {
  switch (word) {
    case 'ruok':
    case 'envi':
    case 'gtmk':
    case 'stmk':
      return wordText(word, v);
    case 'isro':
      return 'null';
    default:
      return `${ZK_NOT_SERVING}\n`;
  }
}

function wordText(word: string, v: FourLetterView): string {
  switch (word) {
    case 'ruok':
      return 'imok';
    case 'srvr':
      return statText(v, false);
    case 'stat':
      return statText(v, true);
    case 'conf':
      return confText(v);
    case 'cons':
      return consText(v);
    case 'crst':
      v.resetConnectionStats();
      return 'Connection stats reset.\n';
    case 'srst':
      v.stats.reset();
      return 'Server stats reset.\n';
    case 'dump':
      return dumpText(v);
    case 'envi':
      return enviText(v);
    case 'mntr':
      return mntrText(v);
    case 'wchs':
      return watchSummaryText(v.watches);
    case 'wchc':
      return watchesBySessionText(v.watches);
    case 'wchp':
      return watchesByPathText(v.watches);
    case 'isro':
      return 'rw';
    case 'dirs':
      return `datadir_size: ${host(v, 'dataDirSize', '0')}\nlogdir_size: ${host(v, 'dataLogSize', '0')}\n`;
    case 'gtmk':
    case 'stmk':
      return DEFAULT_TRACE_MASK.toString();
    case 'hash':
      return '';
    default:
      return '';
  }
}

/** FourLetterCommands.isEnabled: the whitelist, '*' for all; `srvr` is always on (zkServer.sh uses it). */
export function fourLetterWordAllowed(word: string, allowed: ReadonlySet<string> | '*'): boolean {
  return word === 'srvr' || allowed === '*' || allowed.has(word);
}

/** NopCommand's text for a word outside the whitelist. */
export function notWhitelistedText(word: string): string {
  return `${word} is not executed because it is not in the whitelist.\n`;
}
