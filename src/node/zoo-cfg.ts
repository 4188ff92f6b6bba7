// Parses Apache ZooKeeper's zoo.cfg (java.util.Properties syntax) into a typed config.
// Every key is accounted for: used, accepted-without-effect (reported), or unknown (reported).
// Apache turns unknown keys into "zookeeper.<key>" system properties; we name them instead.

export interface QuorumServerSpec {
  id: number;
  host: string;
  quorumPort: number;
  electionPort: number;
  role: 'participant' | 'observer';
  clientHost: string | null;
  clientPort: number | null;
}

export interface ZooCfg {
  tickTimeMs: number;
  initLimit: number;
  syncLimit: number;
  dataDir: string;
  dataLogDir: string;
  clientPort: number;
  clientPortAddress: string;
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  maxClientCnxns: number;
  snapCount: number;
  autopurgeSnapRetainCount: number;
  autopurgePurgeIntervalHours: number;
  fourLetterWords: ReadonlySet<string> | '*';
  superDigest: string | null;
  extendedTypesEnabled: boolean;
  maxBufferBytes: number;
  servers: QuorumServerSpec[];
  peerType: 'participant' | 'observer';
  /** Every key/value as read, for the `conf` four-letter word. */
  raw: ReadonlyMap<string, string>;
  /** Human-readable notes about keys that have no effect or are unknown. */
  warnings: string[];
}

export class ZooCfgError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZooCfgError';
  }
}

/** Keys Apache accepts that change nothing in ZooTabs; reported as such. */
const ACCEPTED_WITHOUT_EFFECT = new Set([
  'admin.enableServer',
  'admin.serverPort',
  'admin.serverAddress',
  'metricsProvider.className',
  'metricsProvider.httpPort',
  'metricsProvider.exportJvmInfo',
  'preAllocSize',
  'globalOutstandingLimit',
  'electionAlg',
  'standaloneEnabled',
  'reconfigEnabled',
  'quorumListenOnAllIPs',
  'cnxTimeout',
  'leaderServes',
  'syncEnabled',
  'forceSync',
  'audit.enable',
  'secureClientPort',
  'dynamicConfigFile',
  'localSessionsEnabled',
  'localSessionsUpgradingEnabled',
  'zookeeper.sasl.client',
  'connectToLearnerMasterLimit',
]);

const KNOWN = new Set([
  'tickTime',
  'initLimit',
  'syncLimit',
  'dataDir',
  'dataLogDir',
  'clientPort',
  'clientPortAddress',
  'minSessionTimeout',
  'maxSessionTimeout',
  'maxClientCnxns',
  'snapCount',
  'zookeeper.snapCount',
  'autopurge.snapRetainCount',
  'autopurge.purgeInterval',
  '4lw.commands.whitelist',
  'zookeeper.4lw.commands.whitelist',
  'DigestAuthenticationProvider.superDigest',
  'zookeeper.DigestAuthenticationProvider.superDigest',
  'extendedTypesEnabled',
  'zookeeper.extendedTypesEnabled',
  'jute.maxbuffer',
  'peerType',
]);

/** java.util.Properties-style lines: '#'/'!' comments, key=value or key:value or key value. */
export function parseProperties(text: string, duplicates: string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const match = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (match === null) {
      out.set(line, '');
      continue;
    }
    if (out.has(match[1] as string)) duplicates.push(match[1] as string);
    out.set(match[1] as string, (match[2] as string).trim());
  }
  return out;
}

function intValue(raw: Map<string, string>, key: string, fallback: number): number {
  const value = raw.get(key);
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value)) throw new ZooCfgError(`${key} must be an integer, got "${value}"`);
  return Number(value);
}

function boolValue(raw: Map<string, string>, keys: string[], fallback: boolean): boolean {
  for (const key of keys) {
    const value = raw.get(key);
    if (value !== undefined) return value.trim().toLowerCase() === 'true';
  }
  return fallback;
}

/** server.N=host:quorumPort:electionPort[:participant|:observer][;[clientHost:]clientPort] */
export function parseServerLine(key: string, value: string): QuorumServerSpec {
  const id = Number(key.slice('server.'.length));
  if (!Number.isInteger(id) || id < 0) throw new ZooCfgError(`${key}: server id must be a non-negative integer`);
  const [addressPart, clientPart] = value.split(';') as [string, string | undefined];
  const parts = addressPart.split(':');
  if (parts.length < 3 || parts.length > 4) {
    throw new ZooCfgError(`${key}=${value}: expected host:quorumPort:electionPort[:participant|:observer]`);
  }
  const [host, quorumPortText, electionPortText, roleText] = parts as [string, string, string, string | undefined];
  const quorumPort = Number(quorumPortText);
  const electionPort = Number(electionPortText);
  if (!validPort(quorumPort) || !validPort(electionPort)) throw new ZooCfgError(`${key}=${value}: invalid port`);
  const role = (roleText ?? 'participant').toLowerCase();
  if (role !== 'participant' && role !== 'observer') throw new ZooCfgError(`${key}=${value}: role must be participant or observer`);
  let clientHost: string | null = null;
  let clientPort: number | null = null;
  if (clientPart !== undefined && clientPart.trim() !== '') {
    const clientPieces = clientPart.trim().split(':');
    const portText = clientPieces.pop() as string;
    clientPort = Number(portText);
    if (!validPort(clientPort)) throw new ZooCfgError(`${key}=${value}: invalid client port`);
    clientHost = clientPieces.length > 0 ? clientPieces.join(':') : null;
  }
  return { id, host, quorumPort, electionPort, role, clientHost, clientPort };
}

function validPort(port: number): boolean {
  return Number.isInteger(port) && port > 0 && port < 65536;
}

function fourLetterWhitelist(raw: Map<string, string>): ReadonlySet<string> | '*' {
  const value = raw.get('4lw.commands.whitelist') ?? raw.get('zookeeper.4lw.commands.whitelist');
  // Apache's default whitelist is just "srvr".
  if (value === undefined) return new Set(['srvr']);
  const words = value.split(',').map((w) => w.trim()).filter((w) => w !== '');
  if (words.includes('*')) return '*';
  return new Set(words);
}

export function parseZooCfg(text: string): ZooCfg {
  const duplicates: string[] = [];
  const raw = parseProperties(text, duplicates);
  const warnings: string[] = [];
  for (const key of duplicates) {
    if (key.startsWith('server.')) throw new ZooCfgError(`${key} is defined twice`);
    warnings.push(`${key} is set more than once; the last value wins`);
  }
  const servers: QuorumServerSpec[] = [];
  for (const [key, value] of raw) {
    if (/^server\.\d+$/.test(key)) servers.push(parseServerLine(key, value));
    else if (/^group\.|^weight\./.test(key)) warnings.push(`${key}: hierarchical quorums are not supported; ignored`);
    else if (ACCEPTED_WITHOUT_EFFECT.has(key)) warnings.push(`${key}=${value}: accepted, has no effect in ZooTabs`);
    else if (!KNOWN.has(key)) warnings.push(`${key}=${value}: unknown key (Apache would set system property zookeeper.${key}); ignored`);
  }
  const dataDir = raw.get('dataDir');
  if (dataDir === undefined || dataDir === '') throw new ZooCfgError('dataDir is not set');
  const tickTimeMs = intValue(raw, 'tickTime', 3000);
  if (tickTimeMs <= 0) throw new ZooCfgError('tickTime must be positive');
  const clientPort = intValue(raw, 'clientPort', 0);
  if (clientPort !== 0 && !validPort(clientPort)) throw new ZooCfgError(`clientPort ${clientPort} is not a valid port`);
  const minSessionTimeoutMs = intValue(raw, 'minSessionTimeout', 2 * tickTimeMs);
  const maxSessionTimeoutMs = intValue(raw, 'maxSessionTimeout', 20 * tickTimeMs);
  if (minSessionTimeoutMs > maxSessionTimeoutMs) {
    throw new ZooCfgError(`minSessionTimeout ${minSessionTimeoutMs} must not be larger than maxSessionTimeout ${maxSessionTimeoutMs}`);
  }
  const peerType = (raw.get('peerType') ?? 'participant').toLowerCase();
  if (peerType !== 'participant' && peerType !== 'observer') throw new ZooCfgError('peerType must be participant or observer');
  const ids = new Set<number>();
  for (const server of servers) {
    if (ids.has(server.id)) throw new ZooCfgError(`server.${server.id} is defined twice`);
    ids.add(server.id);
  }
  return {
    tickTimeMs,
    initLimit: intValue(raw, 'initLimit', 10),
    syncLimit: intValue(raw, 'syncLimit', 5),
    dataDir,
    dataLogDir: raw.get('dataLogDir') ?? dataDir,
    clientPort,
    clientPortAddress: raw.get('clientPortAddress') ?? '0.0.0.0',
    minSessionTimeoutMs,
    maxSessionTimeoutMs,
    maxClientCnxns: intValue(raw, 'maxClientCnxns', 60),
    snapCount: intValue(raw, 'snapCount', intValue(raw, 'zookeeper.snapCount', 100_000)),
    autopurgeSnapRetainCount: Math.max(3, intValue(raw, 'autopurge.snapRetainCount', 3)),
    autopurgePurgeIntervalHours: intValue(raw, 'autopurge.purgeInterval', 0),
    fourLetterWords: fourLetterWhitelist(raw),
    superDigest: raw.get('DigestAuthenticationProvider.superDigest') ?? raw.get('zookeeper.DigestAuthenticationProvider.superDigest') ?? null,
    extendedTypesEnabled: boolValue(raw, ['extendedTypesEnabled', 'zookeeper.extendedTypesEnabled'], false),
    maxBufferBytes: intValue(raw, 'jute.maxbuffer', 0xfffff),
    servers: servers.sort((a, b) => a.id - b.id),
    peerType,
    raw,
    warnings,
  };
}
