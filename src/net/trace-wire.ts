// Which values are trace events (src/zk/trace.ts) as another tab sends them over the control
// plane: every field of the event's type present with the right kind, nothing taken on trust
// (a broken or hostile tab must not reach the views with a half-formed event).
import type { TraceEvent } from '../zk/trace';

type FieldKind = 'bigint' | 'int' | 'string' | 'strings' | 'bool' | 'id' | 'state' | 'watch' | 'syncMode' | 'closeReason' | 'source';
/** A field name, with a trailing '?' when it may be absent. */
type Schema = Readonly<Record<string, FieldKind>>;

const STATES = ['LOOKING', 'FOLLOWING', 'LEADING', 'OBSERVING', 'STANDALONE'];
const WATCH_KINDS = ['data', 'exists', 'child', 'persistent', 'persistentRecursive'];
const SYNC_MODES = ['DIFF', 'TRUNC', 'TRUNC+DIFF', 'SNAP'];
/** Longest string field accepted (paths are at most a few KiB in practice). */
const STRING_CHARS_MAX = 4096;
const STRINGS_MAX = 1000;

const SCHEMAS: Readonly<Record<TraceEvent['type'], Schema>> = {
  request: { sessionId: 'bigint', cxid: 'int', op: 'string', 'path?': 'string' },
  reply: { sessionId: 'bigint', cxid: 'int', op: 'string', zxid: 'bigint', err: 'int' },
  txn: { zxid: 'bigint', sessionId: 'bigint', op: 'string', 'path?': 'string', 'err?': 'int' },
  applied: { zxid: 'bigint', op: 'string', paths: 'strings' },
  'session.created': { sessionId: 'bigint', timeoutMs: 'int' },
  'session.closed': { sessionId: 'bigint', reason: 'closeReason' },
  'session.connected': { sessionId: 'bigint', connection: 'int', reconnect: 'bool' },
  'session.disconnected': { sessionId: 'bigint', connection: 'int' },
  'watch.set': { sessionId: 'bigint', path: 'string', kind: 'watch' },
  'watch.fired': { sessionId: 'bigint', path: 'string', kind: 'watch', event: 'string', zxid: 'bigint' },
  'watch.removed': { sessionId: 'bigint', path: 'string', kind: 'watch' },
  'log.append': { fromZxid: 'bigint', toZxid: 'bigint', count: 'int' },
  'log.durable': { toZxid: 'bigint' },
  snapshot: { zxid: 'bigint' },
  recovered: { zxid: 'bigint', txnsReplayed: 'int' },
  warn: { message: 'string' },
  state: { from: 'state', to: 'state', epoch: 'int' },
  'vote.sent': { to: 'id', leader: 'id', zxid: 'bigint', electionEpoch: 'int', peerEpoch: 'int' },
  'vote.received': { from: 'id', leader: 'id', zxid: 'bigint', electionEpoch: 'int', peerEpoch: 'int', state: 'state' },
  'msg.sent': { to: 'id', kind: 'string', 'zxid?': 'bigint', bytes: 'int' },
  'msg.received': { from: 'id', kind: 'string', 'zxid?': 'bigint', bytes: 'int' },
  'msg.dropped': { from: 'id', reason: 'string' },
  proposal: { zxid: 'bigint', op: 'string' },
  ack: { zxid: 'bigint', from: 'id' },
  commit: { zxid: 'bigint' },
  'sync.mode': { learner: 'id', mode: 'syncMode', fromZxid: 'bigint', toZxid: 'bigint', 'source?': 'source' },
};

const isString = (v: unknown): v is string => typeof v === 'string' && v.length <= STRING_CHARS_MAX;

function fieldOk(kind: FieldKind, v: unknown): boolean {
  switch (kind) {
    case 'bigint':
      return typeof v === 'bigint';
    case 'int':
      return typeof v === 'number' && Number.isSafeInteger(v);
    case 'id':
      return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
    case 'string':
      return isString(v);
    case 'strings':
      return Array.isArray(v) && v.length <= STRINGS_MAX && v.every(isString);
    case 'bool':
      return typeof v === 'boolean';
    case 'state':
      return STATES.includes(v as string);
    case 'watch':
      return WATCH_KINDS.includes(v as string);
    case 'syncMode':
      return SYNC_MODES.includes(v as string);
    case 'closeReason':
      return v === 'close' || v === 'expire';
    case 'source':
      return v === 'memory' || v === 'disk';
  }
}

/** Whether `value` is a well-formed trace event of server `server`. */
export function isTraceEventOf(value: unknown, server: number): value is TraceEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  if (record['server'] !== server || typeof record['atMs'] !== 'number' || !Number.isFinite(record['atMs'])) return false;
  const type = record['type'];
  if (typeof type !== 'string' || !Object.hasOwn(SCHEMAS, type)) return false;
  const schema = SCHEMAS[type as TraceEvent['type']];
  for (const [key, kind] of Object.entries(schema)) {
    const optional = key.endsWith('?');
    const name = optional ? key.slice(0, -1) : key;
    const v = record[name];
    if (v === undefined ? !optional : !fieldOk(kind, v)) return false;
  }
  return true;
}
