// The control plane: fault commands and status reports between the tabs of a cluster, on paths a
// simulated partition never cuts. Partitions, latency and loss are applied to the quorum plane
// only (the servers' transports); these messages travel beside it:
//   - a BroadcastChannel named after the cluster, reaching every tab of this browser (~1 ms), and
//   - the 'control' data channel of each WebRTC link (src/net/webrtc-links.ts), reaching tabs of
//     other browsers; it stays on the page, so a killed or frozen server worker does not silence it.
// A message may arrive both ways; receivers drop repeats by message id. The links form a full
// mesh, so a message for 'all' goes straight to every peer and is never forwarded.
//
// Messages are JSON text (bigints tagged), so the same bytes go over both paths, stay well under
// the data channel message limit, and are validated on arrival: anything malformed is counted and dropped.
import type { ServerStateName, TraceEvent } from '../zk/trace';
import { isTraceEventOf } from './trace-wire';
import type { ServerId, Zxid } from '../zk/types';
import { realClock, type Clock } from './clock';
import { Listeners } from './listeners';
import type { LatencyRange } from './link-policy';

export const CONTROL_PROTOCOL_VERSION = 1;
/** Largest control message (characters); below the ~16 KB data channel limit. */
export const MAX_CONTROL_MESSAGE_CHARS = 15_000;
/** How many message ids a receiver remembers to drop repeats. */
export const SEEN_IDS_MAX = 4096;

/**
 * Fault commands, applied by the target server's tab.
 * - kill: the server stops as if its process died: worker terminated, its quorum channels closed.
 * - restart: start a killed server again (recovering from its storage).
 * - freeze: the server stops processing (a long GC pause / SIGSTOP) for durationMs, or until unfreeze.
 * - partition: quorum links between different groups are blocked. Servers not listed in any group
 *   together form one more group. Replaces any previous partition.
 * - heal: removes the partition and every link policy.
 * - link: latency and/or loss on the quorum link from -> to (one direction); `null` clears it.
 */
export type FaultCommand =
  | { kind: 'kill'; target: ServerId }
  | { kind: 'restart'; target: ServerId }
  | { kind: 'freeze'; target: ServerId; durationMs: number | null }
  | { kind: 'unfreeze'; target: ServerId }
  | { kind: 'partition'; groups: ServerId[][] }
  | { kind: 'heal' }
  | { kind: 'link'; from: ServerId; to: ServerId; policy: ControlLinkPolicy | null };

export interface ControlLinkPolicy {
  latencyMs?: number | LatencyRange;
  lossProbability?: number;
}

/** What a tab says about its server, periodically and after changes. */
export interface StatusReport {
  myid: ServerId;
  role: 'participant' | 'observer';
  /** 'DOWN' when killed, 'FROZEN' while frozen. */
  state: ServerStateName | 'DOWN' | 'FROZEN';
  epoch: number;
  lastZxid: Zxid;
  leader: ServerId | null;
  /** Peers whose quorum link is up. */
  linksUp: ServerId[];
  sessionCount: number;
  nodeCount: number;
  /** The page's wall clock when the report was made. */
  atMs: number;
  /**
   * The partition and link settings this tab has in force, so a tab opened later (or one that
   * missed a broadcast) adopts them: the newest `version` wins.
   */
  faults?: FaultModelReport;
}

export interface FaultModelReport {
  /** Of the fault command that made this model: its sentAtMs, then its message id breaks ties. */
  version: { atMs: number; id: string };
  groups: ServerId[][] | null;
  links: Array<{ from: ServerId; to: ServerId; latencyMs: number; lossProbability: number }>;
}

/** Whether fault model version `a` is newer than `b`. */
export function newerFaults(a: FaultModelReport['version'], b: FaultModelReport['version']): boolean {
  return a.atMs !== b.atMs ? a.atMs > b.atMs : a.id > b.id;
}

export type ControlBody =
  | { type: 'fault'; command: FaultCommand }
  | { type: 'status'; report: StatusReport }
  | { type: 'ack'; of: string; ok: boolean; detail: string }
  /**
   * The sender's own server's trace events since its last trace message (every event of the
   * message's `from` server), and how many it left out since then to stay within its budget.
   */
  | { type: 'trace'; events: TraceEvent[]; dropped: number };

export interface ControlMessage {
  v: typeof CONTROL_PROTOCOL_VERSION;
  cluster: string;
  /** Unique per message: `<from>.<incarnation>.<seq>`. */
  id: string;
  from: ServerId;
  to: ServerId | 'all';
  sentAtMs: number;
  body: ControlBody;
}

// ---------- encoding ----------

export function encodeControlMessage(message: ControlMessage): string {
  return JSON.stringify(message, (_key, value: unknown) => (typeof value === 'bigint' ? { $bigint: value.toString() } : value));
}

const isId = (v: unknown): v is ServerId => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
const isNonNegative = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function validPolicy(p: unknown): boolean {
  if (p === null) return true;
  if (!isRecord(p)) return false;
  const latency = p['latencyMs'];
  const loss = p['lossProbability'];
  if (latency !== undefined && !isNonNegative(latency)) {
    if (!isRecord(latency) || !isNonNegative(latency['minMs']) || !isNonNegative(latency['maxMs'])) return false;
    if ((latency['maxMs'] as number) < (latency['minMs'] as number)) return false;
  }
  return loss === undefined || (isNonNegative(loss) && loss <= 1);
}

export function validFaultCommand(c: unknown): c is FaultCommand {
  if (!isRecord(c)) return false;
  switch (c['kind']) {
    case 'kill':
    case 'restart':
    case 'unfreeze':
      return isId(c['target']);
    case 'freeze':
      return isId(c['target']) && (c['durationMs'] === null || isNonNegative(c['durationMs']));
    case 'partition': {
      const groups = c['groups'];
      if (!Array.isArray(groups) || groups.length > 64) return false;
      const seen = new Set<number>();
      for (const g of groups) {
        if (!Array.isArray(g) || !g.every(isId)) return false;
        for (const id of g) {
          if (seen.has(id)) return false; // a server in two groups
          seen.add(id);
        }
      }
      return true;
    }
    case 'heal':
      return true;
    case 'link':
      return isId(c['from']) && isId(c['to']) && c['from'] !== c['to'] && validPolicy(c['policy']);
    default:
      return false;
  }
}

function validFaultModel(f: unknown): f is FaultModelReport {
  if (!isRecord(f) || !isRecord(f['version'])) return false;
  const { atMs, id } = f['version'];
  if (!isNonNegative(atMs) || typeof id !== 'string' || id.length > 100) return false;
  if (f['groups'] !== null && !validFaultCommand({ kind: 'partition', groups: f['groups'] })) return false;
  const links = f['links'];
  if (!Array.isArray(links) || links.length > 256) return false;
  return links.every(
    (l: unknown) =>
      isRecord(l) && isId(l['from']) && isId(l['to']) && l['from'] !== l['to'] && isNonNegative(l['latencyMs']) && isNonNegative(l['lossProbability']) && (l['lossProbability'] as number) <= 1,
  );
}

function validStatus(r: unknown): r is StatusReport {
  if (!isRecord(r)) return false;
  if (r['faults'] !== undefined && !validFaultModel(r['faults'])) return false;
  const states = ['LOOKING', 'FOLLOWING', 'LEADING', 'OBSERVING', 'STANDALONE', 'DOWN', 'FROZEN'];
  return (
    isId(r['myid']) &&
    (r['role'] === 'participant' || r['role'] === 'observer') &&
    states.includes(r['state'] as string) &&
    isNonNegative(r['epoch']) &&
    typeof r['lastZxid'] === 'bigint' &&
    (r['leader'] === null || isId(r['leader'])) &&
    Array.isArray(r['linksUp']) &&
    r['linksUp'].every(isId) &&
    isNonNegative(r['sessionCount']) &&
    isNonNegative(r['nodeCount']) &&
    isNonNegative(r['atMs'])
  );
}

/** Most trace events in one control message (a message is at most MAX_CONTROL_MESSAGE_CHARS anyway). */
export const TRACE_EVENTS_PER_MESSAGE_MAX = 200;

function validTraceBody(b: Record<string, unknown>, from: unknown): boolean {
  const events = b['events'];
  return (
    isId(from) &&
    typeof b['dropped'] === 'number' &&
    Number.isSafeInteger(b['dropped']) &&
    b['dropped'] >= 0 &&
    Array.isArray(events) &&
    events.length <= TRACE_EVENTS_PER_MESSAGE_MAX &&
    events.every((e) => isTraceEventOf(e, from))
  );
}

/** `from` is the message's sender: a trace body carries that server's events only. */
function validBody(b: unknown, from: unknown): b is ControlBody {
  if (!isRecord(b)) return false;
  switch (b['type']) {
    case 'fault':
      return validFaultCommand(b['command']);
    case 'status':
      return validStatus(b['report']);
    case 'ack':
      return typeof b['of'] === 'string' && typeof b['ok'] === 'boolean' && typeof b['detail'] === 'string';
    case 'trace':
      return validTraceBody(b, from);
    default:
      return false;
  }
}

/** Nesting beyond any control message: deeper input is rejected, not walked. */
const REVIVE_DEPTH_MAX = 32;

/** `value` with every `{ $bigint: "<digits>" }` replaced by its bigint (in place); throws on a bad one. */
function reviveBigints(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > REVIVE_DEPTH_MAX) throw new SyntaxError('too deep');
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const revived = reviveBigints(value[i], depth + 1);
      if (revived !== value[i]) value[i] = revived;
    }
    return value;
  }
  const record = value as Record<string, unknown>;
  const digits = record['$bigint'];
  if (typeof digits === 'string' && Object.keys(record).length === 1) {
    if (!/^-?[0-9]{1,20}$/.test(digits)) throw new SyntaxError('bad bigint');
    return BigInt(digits);
  }
  for (const key of Object.keys(record)) {
    const revived = reviveBigints(record[key], depth + 1);
    // defineProperty, not assignment: a "__proto__" key must stay a plain property.
    if (revived !== record[key]) Object.defineProperty(record, key, { value: revived, writable: true, enumerable: true, configurable: true });
  }
  return record;
}

/** The message in `text`, or null if it is not a well-formed control message. */
export function decodeControlMessage(text: unknown): ControlMessage | null {
  if (typeof text !== 'string' || text.length > MAX_CONTROL_MESSAGE_CHARS) return null;
  let value: unknown;
  try {
    // A plain parse and one walk for the bigints: a JSON.parse reviver costs four times as much
    // (every tab decodes every report of every other tab, twice for a tab of this browser).
    value = reviveBigints(JSON.parse(text), 0);
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  const ok =
    value['v'] === CONTROL_PROTOCOL_VERSION &&
    typeof value['cluster'] === 'string' &&
    typeof value['id'] === 'string' &&
    value['id'].length <= 100 &&
    isId(value['from']) &&
    (value['to'] === 'all' || isId(value['to'])) &&
    isNonNegative(value['sentAtMs']) &&
    validBody(value['body'], value['from']);
  return ok ? (value as unknown as ControlMessage) : null;
}

/** The start of every encoded message of `cluster` (encodeControlMessage writes v, cluster, id first). */
export function messageHeadPrefix(cluster: string): string {
  return `{"v":${CONTROL_PROTOCOL_VERSION},"cluster":${JSON.stringify(cluster)},"id":"`;
}

/**
 * The id of the encoded message `text` if it starts with `prefix` (messageHeadPrefix) and the id
 * has no escapes, read without parsing; null otherwise (the caller decodes the message in full).
 */
export function peekMessageId(text: string, prefix: string): string | null {
  if (!text.startsWith(prefix)) return null;
  const end = text.indexOf('"', prefix.length);
  if (end < 0 || end - prefix.length > 100) return null;
  const id = text.slice(prefix.length, end);
  return id.includes('\\') ? null : id;
}

/** Whether the quorum link from -> to is cut by a partition into `groups` (see FaultCommand). */
export function partitionCuts(groups: ServerId[][], from: ServerId, to: ServerId): boolean {
  const groupOf = (id: ServerId): number => groups.findIndex((g) => g.includes(id));
  return groupOf(from) !== groupOf(to);
}

// ---------- transport of control messages ----------

/** The part of BroadcastChannel used (tests pass a fake). */
export interface BroadcastLike {
  postMessage(message: string): void;
  addEventListener(type: 'message', listener: (event: { data?: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data?: unknown }) => void): void;
  close(): void;
}

/** The part of a page-side RTCDataChannel used. */
export interface ControlChannelLike {
  readonly readyState: string;
  send(data: string): void;
  addEventListener(type: 'message' | 'close', listener: (event: { data?: unknown }) => void): void;
  removeEventListener(type: 'message' | 'close', listener: (event: { data?: unknown }) => void): void;
}

export type ControlHandler = (message: ControlMessage, via: 'broadcast' | 'peer') => void;

export interface ControlPlaneOptions {
  cluster: string;
  selfId: ServerId;
  /** Tabs of this browser; default `new BroadcastChannel('zootabs-control-<cluster>')`, null for none. */
  broadcast?: BroadcastLike | null;
  clock?: Clock;
  /** Distinguishes this page load's message ids from a previous one's. */
  incarnation?: string;
}

export class ControlPlane {
  readonly stats = { sent: 0, received: 0, duplicates: 0, malformed: 0, foreign: 0, tooLarge: 0 };
  private readonly broadcast: BroadcastLike | null;
  private readonly clock: Clock;
  private readonly incarnation: string;
  private readonly handlers = new Listeners<[ControlMessage, 'broadcast' | 'peer']>();
  private readonly peers = new Map<ServerId, { channel: ControlChannelLike; off: () => void }>();
  private readonly seen = new Set<string>();
  private readonly onBroadcast = (event: { data?: unknown }): void => this.receive(event.data, 'broadcast');
  private seq = 0;
  private closed = false;
  /** How encodeControlMessage starts a message of this cluster, up to the id's first character. */
  private readonly headPrefix: string;

  constructor(private readonly options: ControlPlaneOptions) {
    this.clock = options.clock ?? realClock;
    this.incarnation = options.incarnation ?? Math.floor(this.clock.nowMs()).toString(36);
    this.headPrefix = messageHeadPrefix(options.cluster);
    this.broadcast =
      options.broadcast !== undefined
        ? options.broadcast
        : typeof BroadcastChannel === 'undefined'
          ? null
          : (new BroadcastChannel(`zootabs-control-${options.cluster}`) as unknown as BroadcastLike);
    this.broadcast?.addEventListener('message', this.onBroadcast);
  }

  /** Uses `channel` (a link's 'control' data channel) to reach `peer`; it is dropped when it closes. */
  attachPeerChannel(peer: ServerId, channel: ControlChannelLike): void {
    if (this.closed) return;
    this.peers.get(peer)?.off();
    const onMessage = (event: { data?: unknown }): void => this.receive(event.data, 'peer');
    const onClose = (): void => {
      if (this.peers.get(peer)?.channel === channel) this.peers.get(peer)?.off();
    };
    channel.addEventListener('message', onMessage);
    channel.addEventListener('close', onClose);
    const off = (): void => {
      channel.removeEventListener('message', onMessage);
      channel.removeEventListener('close', onClose);
      if (this.peers.get(peer)?.channel === channel) this.peers.delete(peer);
    };
    this.peers.set(peer, { channel, off });
  }

  /** Peers reachable over a data channel right now (tabs of this browser are reached anyway). */
  peerChannels(): ServerId[] {
    return [...this.peers.entries()].filter(([, p]) => p.channel.readyState === 'open').map(([id]) => id);
  }

  /** Sends `body` to one server or all (this tab included); returns the message id (acks refer to it). */
  send(to: ServerId | 'all', body: ControlBody): string {
    if (this.closed) throw new Error('control plane is closed');
    const message: ControlMessage = {
      v: CONTROL_PROTOCOL_VERSION,
      cluster: this.options.cluster,
      id: `${this.options.selfId}.${this.incarnation}.${++this.seq}`,
      from: this.options.selfId,
      to,
      sentAtMs: this.clock.nowMs(),
      body,
    };
    const text = encodeControlMessage(message);
    if (text.length > MAX_CONTROL_MESSAGE_CHARS) {
      this.stats.tooLarge++;
      throw new RangeError(`control message of ${text.length} characters exceeds ${MAX_CONTROL_MESSAGE_CHARS}`);
    }
    this.stats.sent++;
    this.remember(message.id);
    this.broadcast?.postMessage(text);
    for (const [peer, { channel }] of this.peers) {
      if ((to === 'all' || to === peer) && channel.readyState === 'open') {
        try {
          channel.send(text);
        } catch {
          // closing under us: the broadcast (same browser) or a later retry by the sender covers it
        }
      }
    }
    if (to === this.options.selfId || to === 'all') this.deliverLater(message, 'broadcast'); // 'all' includes us
    return message.id;
  }

  onMessage(handler: ControlHandler): () => void {
    return this.handlers.add(handler);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const { off } of [...this.peers.values()]) off();
    this.broadcast?.removeEventListener('message', this.onBroadcast);
    if (this.options.broadcast === undefined) this.broadcast?.close();
    this.handlers.clear();
  }

  private receive(data: unknown, via: 'broadcast' | 'peer'): void {
    if (this.closed) return;
    // A tab of this browser gets each message twice (broadcast and data channel): the second is
    // known by its id, read off the text's head, and not decoded again.
    const seenId = typeof data === 'string' ? peekMessageId(data, this.headPrefix) : null;
    if (seenId !== null && this.seen.has(seenId)) return void this.stats.duplicates++;
    const message = decodeControlMessage(data);
    if (message === null) return void this.stats.malformed++;
    if (message.cluster !== this.options.cluster) return void this.stats.foreign++;
    if (message.to !== 'all' && message.to !== this.options.selfId) return; // for another tab of this browser
    if (this.seen.has(message.id)) return void this.stats.duplicates++;
    this.remember(message.id);
    this.stats.received++;
    this.handlers.emit(message, via);
  }

  private deliverLater(message: ControlMessage, via: 'broadcast' | 'peer'): void {
    queueMicrotask(() => {
      if (this.closed) return;
      this.stats.received++;
      this.handlers.emit(message, via);
    });
  }

  private remember(id: string): void {
    this.seen.add(id);
    if (this.seen.size > SEEN_IDS_MAX) this.seen.delete(this.seen.values().next().value as string);
  }
}
