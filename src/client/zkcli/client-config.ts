// ConfigUtils.getClientConfigStr, used by `config -c`: "<version> <host:port>,<host:port>..." from the
// dynamic configuration text. Java walks a java.util.Properties (a ConcurrentHashMap inside), so
// the servers come out in hash-table order, not file order; that order is reproduced here.

function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

function spread(h: number): number {
  return (h ^ (h >>> 16)) & 0x7fffffff;
}

/** Properties.load for the simple lines a dynamic config has: key=value, key:value, # comments. */
function loadProperties(text: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.replace(/^[ \t\f]+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const match = /^([^=: \t\f]*)[ \t\f]*[=:]?[ \t\f]*(.*)$/.exec(line);
    if (match === null) continue;
    props.set(match[1] ?? '', match[2] ?? '');
  }
  return props;
}

/** Iteration order of a ConcurrentHashMap built by inserting `keys` in order (initial table 16). */
function hashTableOrder(keys: readonly string[]): string[] {
  let tableSize = 16;
  while (keys.length >= tableSize - (tableSize >>> 2)) tableSize *= 2;
  const bins = new Map<number, string[]>();
  for (const key of keys) {
    const index = spread(javaStringHash(key)) & (tableSize - 1);
    const bin = bins.get(index) ?? [];
    bin.push(key);
    bins.set(index, bin);
  }
  return [...bins.entries()].sort((a, b) => a[0] - b[0]).flatMap(([, bin]) => bin);
}

/** QuorumServer's client address ("host:port" after ';'), or null when the entry has none. */
function clientAddress(value: string): string | null {
  const parts = value.split(';');
  if (parts.length !== 2) return null;
  const client = parts[1] ?? '';
  const hostPort = client.split(':');
  if (hostPort.length > 2) return null;
  const host = hostPort.length === 2 ? (hostPort[0] ?? '') : '0.0.0.0';
  const port = hostPort[hostPort.length - 1] ?? '';
  if (!/^\d+$/.test(port)) return null;
  return `${host}:${Number(port)}`;
}

export function clientConfigString(configText: string): string {
  const props = loadProperties(configText);
  let version = '';
  const servers: string[] = [];
  for (const rawKey of hashTableOrder([...props.keys()])) {
    const key = rawKey.trim();
    const value = (props.get(rawKey) ?? '').trim();
    if (key === 'version') version = value;
    if (!key.startsWith('server.')) continue;
    servers.push(clientAddress(value) ?? '');
  }
  return `${version} ${servers.join(',')}`;
}
