// StatsTrack: the text stored in zookeeper_limits / zookeeper_stats quota nodes, e.g.
// "count=10,bytes=-1" or, with 3.7+ hard limits, "count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=5".

export interface StatsTrack {
  /** Key -> value in the order keys were first seen; missing keys read as -1. */
  readonly values: Map<string, bigint>;
}

const COUNT = 'count';
const BYTES = 'bytes';
export const COUNT_HARD_LIMIT = 'countHardLimit';
export const BYTE_HARD_LIMIT = 'byteHardLimit';

const utf8Decoder = new TextDecoder('utf-8', { fatal: false });
const utf8Encoder = new TextEncoder();

/**
 * Parses like StatsTrack(String): pairs split on [,;]+, "k=" reads as -1. Bad pairs are skipped.
 * null (a quota node created with null data) reads as empty, where Java would throw.
 */
export function parseStatsTrack(text: string | Uint8Array | null): StatsTrack {
  const source = text === null ? '' : typeof text === 'string' ? text : utf8Decoder.decode(text);
  const values = new Map<string, bigint>();
  if (source.length === 0) return { values };
  for (const pair of source.split(/[,;]+/)) {
    const parts = javaSplitDropTrailing(pair, '=');
    const key = parts[0];
    if (key === undefined || parts.length < 2) continue; // Java would throw; ignore instead
    const raw = parts[1] === '' ? '-1' : (parts[1] ?? '-1');
    if (!/^[+-]?\d+$/.test(raw)) continue;
    values.set(key, BigInt(raw));
  }
  return { values };
}

/** String.split(sep) semantics: trailing empty strings are removed. */
function javaSplitDropTrailing(text: string, separator: string): string[] {
  const parts = text.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

export function statValue(track: StatsTrack, key: string): bigint {
  return track.values.get(key) ?? -1n;
}
export const trackCount = (t: StatsTrack): bigint => statValue(t, COUNT);
export const trackBytes = (t: StatsTrack): bigint => statValue(t, BYTES);
export const trackCountHardLimit = (t: StatsTrack): bigint => statValue(t, COUNT_HARD_LIMIT);
export const trackByteHardLimit = (t: StatsTrack): bigint => statValue(t, BYTE_HARD_LIMIT);

export function withValue(track: StatsTrack, key: string, value: bigint): StatsTrack {
  const values = new Map(track.values);
  values.set(key, value);
  return { values };
}

/** StatsTrack.toString: count and bytes first; extra keys sorted after a "=" guard for old parsers. */
export function formatStatsTrack(track: StatsTrack): string {
  let text = `${COUNT}=${trackCount(track)},${BYTES}=${trackBytes(track)}`;
  const extra = [...track.values.keys()].filter((k) => k !== COUNT && k !== BYTES).sort(javaStringCompare);
  if (extra.length > 0) {
    text += '=';
    for (const key of extra) text += `;${key}=${track.values.get(key)}`;
  }
  return text;
}

export function statsTrackBytes(track: StatsTrack): Uint8Array {
  return utf8Encoder.encode(formatStatsTrack(track));
}

export function makeStatsTrack(count: bigint, bytes: bigint): StatsTrack {
  return { values: new Map([[COUNT, count], [BYTES, bytes]]) };
}

/** Collections.sort on Strings compares UTF-16 code units, as JS `<` does. */
function javaStringCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
