// `?cluster=demo&size=3` names the cluster this tab joins and how many servers it has.
// `mode=simulate` runs the whole ensemble in this tab (one worker per server, MessagePorts between
// them: "Simulate N servers here"); `mode=tabs` makes this tab one server of an ensemble of tabs
// (myid claimed on the PeerServer, WebRTC between tabs); without either the tab runs one
// standalone server, myid 1.
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
  let mode: TabMode = 'standalone';
  const modeText = params.get('mode');
  if (modeText === 'simulate' || modeText === 'tabs') mode = modeText;
  else if (modeText !== null && modeText !== 'standalone') warnings.push(`mode "${modeText}" is not standalone, simulate or tabs; using standalone`);
  return { identity: { cluster, myid: 1 }, size, mode, tickTimeMs, warnings };
}

/** The URL of this tab in another mode, keeping cluster, size and tickTime. */
export function tabUrl(params: TabParams, mode: TabMode): string {
  const query = new URLSearchParams({ cluster: params.identity.cluster, size: String(params.size) });
  if (mode !== 'standalone') query.set('mode', mode);
  if (params.tickTimeMs !== DEFAULT_TICK_TIME_MS) query.set('tickTime', String(params.tickTimeMs));
  return `?${query.toString()}`;
}

function intParam(params: URLSearchParams, name: string, min: number, max: number, fallback: number, warnings: string[]): number {
  const text = params.get(name);
  if (text === null) return fallback;
  const parsed = Number(text);
  if (Number.isInteger(parsed) && parsed >= min && parsed <= max) return parsed;
  warnings.push(`${name} "${text}" must be an integer from ${min} to ${max}; using ${fallback}`);
  return fallback;
}
