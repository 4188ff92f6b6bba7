// Canonical text of plain data (objects, arrays, Map, Set, bigint, Uint8Array), so that two
// structurally equal model states get the same memoization key whatever their key order.

export function canonicalString(value: unknown): string {
  return write(value, 0);
}

const MAX_DEPTH = 64;

function write(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new Error('canonicalString: value nested too deeply (cycle?)');
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'string':
      return JSON.stringify(value);
    case 'object':
      return writeObject(value, depth);
    default:
      throw new Error(`canonicalString: cannot encode a ${typeof value}`);
  }
}

function writeObject(value: object, depth: number): string {
  if (Array.isArray(value)) return '[' + value.map((v) => write(v, depth + 1)).join(',') + ']';
  if (value instanceof Uint8Array) return 'bytes(' + Array.from(value).join(',') + ')';
  if (value instanceof Map) {
    const entries = Array.from(value.entries(), ([k, v]) => write(k, depth + 1) + '=>' + write(v, depth + 1));
    return 'Map{' + entries.sort().join(',') + '}';
  }
  if (value instanceof Set) {
    return 'Set{' + Array.from(value, (v) => write(v, depth + 1)).sort().join(',') + '}';
  }
  const keys = Object.keys(value).sort();
  const record = value as Record<string, unknown>;
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + write(record[k], depth + 1)).join(',') + '}';
}
