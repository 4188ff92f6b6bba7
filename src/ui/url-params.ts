// `?cluster=demo&size=3` names the cluster this tab joins and how many servers it has.
// By default (`mode=tabs`) this tab is one server of an ensemble of tabs (myid claimed on the
// PeerServer, WebRTC between tabs): open the app in a few tabs and they are an ensemble.
// `mode=simulate` runs the whole ensemble in this tab (one worker per server, MessagePorts between
// them: "Simulate N servers here"); `mode=standalone` runs one standalone server, myid 1.
// `tickTime=200` (ms) shortens every protocol timeout, for demos and tests.
import { CLUSTER_NAME_PATTERN, type ServerIdentity } from '../worker/protocol';

export const DEFAULT_CLUSTER = 'demo';
export const DEFAULT_SIZE = 3;
export const SIZE_MAX = 9;
export const DEFAULT_TICK_TIME_MS = 2000;
export const TICK_TIME_MIN_MS = 20;
export const TICK_TIME_MAX_MS = 60_000;

export type TabMode = 'standalone' | 'simulate' | 'tabs';

export interface TabParams {
  identity: ServerIdentity;
  size: number;
  mode: TabMode;
  tickTimeMs: number;
  /** Problems with the URL, shown to the person instead of silently ignored. */
  warnings: string[];
}

export function parseTabParams(search: string): TabParams {
  const params = new URLSearchParams(search);
  const warnings: string[] = [];
  let cluster = params.get('cluster') ?? DEFAULT_CLUSTER;
  if (!CLUSTER_NAME_PATTERN.test(cluster)) {
    warnings.push(`cluster "${cluster}" is not a plain name (letters, digits, - and _); using "${DEFAULT_CLUSTER}"`);
    cluster = DEFAULT_CLUSTER;
  }
  const size = intParam(params, 'size', 1, SIZE_MAX, DEFAULT_SIZE, warnings);
  const tickTimeMs = intParam(params, 'tickTime', TICK_TIME_MIN_MS, TICK_TIME_MAX_MS, DEFAULT_TICK_TIME_MS, warnings);
  // The product's promise: open the app in a few tabs and they are an ensemble.
  let mode: TabMode = 'tabs';
  const modeText = params.get('mode');
  if (modeText === 'simulate' || modeText === 'standalone') mode = modeText;
  else if (modeText !== null && modeText !== 'tabs') warnings.push(`mode "${modeText}" is not tabs, simulate or standalone; using tabs`);
  return { identity: { cluster, myid: 1 }, size, mode, tickTimeMs, warnings };
}

/** The URL of this tab in another mode, keeping cluster, size and tickTime. */
export function tabUrl(params: TabParams, mode: TabMode): string {
  const query = new URLSearchParams({ cluster: params.identity.cluster, size: String(params.size) });
  query.set('mode', mode);
  if (params.tickTimeMs !== DEFAULT_TICK_TIME_MS) query.set('tickTime', String(params.tickTimeMs));
  return `?${query.toString()}`;
}

/** Where multi-tab mode looks for the PeerServer instead of the default (`?peerServer=host:port` or `?peerPort=N`). */
export interface PeerServerOverride {
  host?: string;
  port: number;
}

const HOST_PATTERN = /^[A-Za-z0-9.-]{1,253}$|^\[[0-9A-Fa-f:.]{2,45}\]$/;

/**
 * `?peerServer=host:port` or `?peerPort=N`: another PeerServer for multi-tab mode (tests point tabs
 * at a port where nothing listens to see the BroadcastChannel fallback). Null when absent; a
 * malformed value is an error, not silently the default, so a typo cannot look like an outage.
 */
export function peerServerOverride(search: string): PeerServerOverride | null {
  const params = new URLSearchParams(search);
  const server = params.get('peerServer');
  const portText = server === null ? params.get('peerPort') : server.slice(server.lastIndexOf(':') + 1);
  if (portText === null) return null;
  const host = server === null ? undefined : server.slice(0, server.lastIndexOf(':'));
  const port = Number(portText);
  if (!/^[0-9]{1,5}$/.test(portText) || port < 1 || port > 65535) {
    throw new RangeError(`PeerServer port "${portText}" is not a port number from 1 to 65535 (use ?peerServer=host:port or ?peerPort=N)`);
  }
  if (host !== undefined && !HOST_PATTERN.test(host)) throw new RangeError(`PeerServer host "${host}" is not a host name (use ?peerServer=host:port)`);
  return host === undefined ? { port } : { host, port };
}

function intParam(params: URLSearchParams, name: string, min: number, max: number, fallback: number, warnings: string[]): number {
  const text = params.get(name);
  if (text === null) return fallback;
  const parsed = Number(text);
  if (Number.isInteger(parsed) && parsed >= min && parsed <= max) return parsed;
  warnings.push(`${name} "${text}" must be an integer from ${min} to ${max}; using ${fallback}`);
  return fallback;
}
