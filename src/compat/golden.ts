// Golden transcripts on disk (src/compat/golden/<case>.json) and the diff between two transcripts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Json } from './transcript';

export const GOLDEN_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');
/** Golden transcripts of the ZooKeeperApi cases (api-scenarios.ts). */
export const API_GOLDEN_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden-api');

export interface GoldenFile {
  case: string;
  about: string;
  informational?: boolean;
  server: string;
  transcript: Json[];
}

export function goldenPath(name: string, dir = GOLDEN_DIR): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`bad case name for a file: ${name}`);
  return path.join(dir, `${name}.json`);
}

/** One transcript entry per line, so git diffs of golden files stay readable. */
export function formatGolden(g: GoldenFile): string {
  const head = JSON.stringify({ case: g.case, about: g.about, ...(g.informational ? { informational: true } : {}), server: g.server });
  const lines = g.transcript.map((e) => '    ' + JSON.stringify(e));
  return `${head.slice(0, -1)},\n  "transcript": [\n${lines.join(',\n')}\n  ]\n}\n`;
}

export function writeGolden(g: GoldenFile, dir = GOLDEN_DIR): string {
  mkdirSync(dir, { recursive: true });
  const file = goldenPath(g.case, dir);
  writeFileSync(file, formatGolden(g));
  return file;
}

export function readGolden(name: string, dir = GOLDEN_DIR): GoldenFile | undefined {
  const file = goldenPath(name, dir);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as GoldenFile;
}

/** Drops keys (e.g. "rz") everywhere, for a more lenient comparison. */
export function stripKeys(v: Json, keys: ReadonlySet<string>): Json {
  if (keys.size === 0 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => stripKeys(x, keys));
  const out: { [k: string]: Json } = {};
  for (const [k, x] of Object.entries(v)) if (!keys.has(k)) out[k] = stripKeys(x, keys);
  return out;
}

/** Ignored keys from ZK_COMPAT_IGNORE="rz,ctime" (comma separated). */
export function ignoredKeysFromEnv(env: Record<string, string | undefined> = process.env): Set<string> {
  return new Set((env.ZK_COMPAT_IGNORE ?? '').split(',').map((s) => s.trim()).filter(Boolean));
}

/**
 * Line diff of two transcripts (entries compared as canonical JSON). Returns '' when equal,
 * else the first differences with a little context, marked "-" expected and "+" actual.
 */
export function diffTranscripts(expected: Json[], actual: Json[], ignore: ReadonlySet<string> = new Set(), maxHunks = 5): string {
  const e = expected.map((x) => JSON.stringify(stripKeys(x, ignore)));
  const a = actual.map((x) => JSON.stringify(stripKeys(x, ignore)));
  if (e.length === a.length && e.every((x, i) => x === a[i])) return '';
  const ops = lcsDiff(e, a);
  const out: string[] = [];
  let hunks = 0;
  for (let i = 0; i < ops.length && hunks < maxHunks; i++) {
    if (ops[i]!.kind === '=') continue;
    hunks++;
    const from = Math.max(0, i - 2);
    let j = i;
    while (j < ops.length && ops[j]!.kind !== '=') j++;
    const to = Math.min(ops.length, j + 2);
    out.push(`@@ entry ${ops[i]!.index + 1} @@`);
    for (let k = from; k < to; k++) out.push(`${ops[k]!.kind === '=' ? ' ' : ops[k]!.kind} ${ops[k]!.text}`);
    i = j;
  }
  return out.join('\n');
}

interface DiffOp {
  kind: '=' | '-' | '+';
  text: string;
  index: number;
}

/** Classic LCS table; transcripts are at most a few hundred entries. */
function lcsDiff(e: string[], a: string[]): DiffOp[] {
  const n = e.length;
  const m = a.length;
  const t: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) t[i]![j] = e[i] === a[j] ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
  const ops: DiffOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && e[i] === a[j]) {
      ops.push({ kind: '=', text: e[i]!, index: i });
      i++;
      j++;
    } else if (j < m && (i >= n || t[i]![j + 1]! >= t[i + 1]![j]!)) {
      ops.push({ kind: '+', text: a[j]!, index: i });
      j++;
    } else {
      ops.push({ kind: '-', text: e[i]!, index: i });
      i++;
    }
  }
  return ops;
}
