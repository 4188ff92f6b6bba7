// Trace files: JSON with bigints (zxids, session ids) written as {"$bigint":"<decimal>"} so they
// come back as bigint, never rounded through number. Loading checks the shape of every event.
import type { TraceEvent } from '../../zk/trace';

export const TRACE_FILE_FORMAT = 'zootabs-trace/1';
/** A file larger than this is refused rather than parsed (the recorder keeps 50k events). */
export const TRACE_FILE_BYTES_MAX = 64 * 1024 * 1024;

interface TraceFile {
  format: typeof TRACE_FILE_FORMAT;
  exportedAtMs: number;
  events: TraceEvent[];
}

export function traceToJson(events: readonly TraceEvent[], exportedAtMs: number): string {
  const file: TraceFile = { format: TRACE_FILE_FORMAT, exportedAtMs, events: [...events] };
  return JSON.stringify(file, (_key, value: unknown) => (typeof value === 'bigint' ? { $bigint: value.toString() } : value));
}

export function traceFromJson(text: string): TraceEvent[] {
  if (text.length > TRACE_FILE_BYTES_MAX) throw new Error(`trace file too large (${text.length} bytes, at most ${TRACE_FILE_BYTES_MAX})`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (_key, value: unknown) => reviveBigint(value));
  } catch (error) {
    throw new Error(`not a JSON trace file: ${error instanceof Error ? error.message : String(error)}`);
  }
  const file = parsed as Partial<TraceFile> | null;
  if (typeof file !== 'object' || file === null || file.format !== TRACE_FILE_FORMAT) throw new Error(`not a ${TRACE_FILE_FORMAT} file`);
  if (!Array.isArray(file.events)) throw new Error('trace file has no events array');
  file.events.forEach((event, i) => checkEvent(event, i));
  return file.events;
}

function reviveBigint(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value);
  const digits = (value as { $bigint?: unknown }).$bigint;
  if (keys.length === 1 && typeof digits === 'string' && /^-?\d{1,40}$/.test(digits)) return BigInt(digits);
  return value;
}

function checkEvent(event: unknown, index: number): void {
  const e = event as { type?: unknown; server?: unknown; atMs?: unknown } | null;
  if (typeof e !== 'object' || e === null) throw new Error(`event ${index} is not an object`);
  if (typeof e.type !== 'string') throw new Error(`event ${index} has no type`);
  if (!Number.isSafeInteger(e.server)) throw new Error(`event ${index} has no server id`);
  if (typeof e.atMs !== 'number' || !Number.isFinite(e.atMs)) throw new Error(`event ${index} has no time`);
}
