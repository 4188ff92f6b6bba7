// StatsTrack: the text stored in /zookeeper/quota/<path>/zookeeper_limits and zookeeper_stats,
// e.g. "count=2,bytes=-1=;byteHardLimit=3;countHardLimit=1". Values are Java longs.
import { JavaException, javaSplit, parseJavaLong } from './java-text';

const COUNT = 'count';
const BYTES = 'bytes';
const COUNT_HARD = 'countHardLimit';
const BYTES_HARD = 'byteHardLimit';

export class StatsTrack {
  private readonly stats = new Map<string, bigint>();

  /** Parses StatsTrack text; throws the Java exceptions the real parser would hit. */
  constructor(text = '') {
    if (text.length === 0) return;
    for (const pair of splitPairs(text)) {
      const kv = javaSplit(pair, '=');
      const key = kv[0] ?? '';
      const value = kv[1];
      if (value === undefined) {
        throw new JavaException('java.lang.ArrayIndexOutOfBoundsException', `Index 1 out of bounds for length ${kv.length}`);
      }
      this.stats.set(key, parseJavaLong(value === '' ? '-1' : value));
    }
  }

  get count(): bigint {
    return this.get(COUNT);
  }
  set count(v: bigint) {
    this.stats.set(COUNT, v);
  }
  get bytes(): bigint {
    return this.get(BYTES);
  }
  set bytes(v: bigint) {
    this.stats.set(BYTES, v);
  }
  get countHardLimit(): bigint {
    return this.get(COUNT_HARD);
  }
  set countHardLimit(v: bigint) {
    this.stats.set(COUNT_HARD, v);
  }
  get byteHardLimit(): bigint {
    return this.get(BYTES_HARD);
  }
  set byteHardLimit(v: bigint) {
    this.stats.set(BYTES_HARD, v);
  }

  private get(key: string): bigint {
    return this.stats.get(key) ?? -1n;
  }

  /** count and bytes first (for old parsers), then "=" and the other keys sorted, ';'-separated. */
  toString(): string {
    let text = `${COUNT}=${this.count},${BYTES}=${this.bytes}`;
    const extra = [...this.stats.keys()].filter((k) => k !== COUNT && k !== BYTES).sort();
    if (extra.length > 0) {
      text += '=';
      for (const key of extra) text += `;${key}=${this.stats.get(key)}`;
    }
    return text;
  }

  toBytes(): Uint8Array {
    return new TextEncoder().encode(this.toString());
  }
}

/** Pattern "[,;]+" split: runs of separators split once; trailing empties dropped. */
function splitPairs(text: string): string[] {
  const parts = text.split(/[,;]+/);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}
