// Parses "host1:port1,host2:port2/chroot" as the Java ConnectStringParser does.
import { IllegalArgumentException, validatePath } from './path-utils';

export const DEFAULT_PORT = 2181;

export interface ParsedConnectString {
  /** "host:port" addresses in the order given (IPv6 hosts keep their brackets: "[::1]:2181"). */
  addresses: string[];
  /** Validated chroot without trailing slash, or null for none ("/" alone counts as none). */
  chroot: string | null;
}

export function parseConnectString(connectString: string): ParsedConnectString {
  if (typeof connectString !== 'string' || connectString.trim().length === 0) {
    throw new IllegalArgumentException('Connect string cannot be null or empty');
  }
  let serverPart = connectString;
  let chroot: string | null = null;
  const slash = connectString.indexOf('/');
  if (slash >= 0) {
    const candidate = connectString.substring(slash);
    if (candidate.length > 1) {
      validatePath(candidate);
      chroot = candidate;
    }
    serverPart = connectString.substring(0, slash);
  }
  const addresses = splitHosts(serverPart).map(parseHostPort);
  if (addresses.length === 0) throw new IllegalArgumentException('A HostProvider may not be empty!');
  return { addresses, chroot };
}

// Java's StringUtils.split trims and drops empty parts.
function splitHosts(serverPart: string): string[] {
  return serverPart
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function parseHostPort(entry: string): string {
  const v6 = /^\[([^\]]+)\](?::(.*))?$/.exec(entry);
  if (v6 !== null) return `[${v6[1]}]:${parsePort(v6[2] ?? '', entry)}`;
  const colon = entry.lastIndexOf(':');
  if (colon < 0) return `${entry}:${DEFAULT_PORT}`;
  const host = entry.substring(0, colon);
  // "host:" (colon at the end) keeps the default port, as in Java.
  const port = colon < entry.length - 1 ? parsePort(entry.substring(colon + 1), entry) : DEFAULT_PORT;
  return `${host}:${port}`;
}

function parsePort(text: string, entry: string): number {
  if (text === '') return DEFAULT_PORT;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
    throw new IllegalArgumentException(`Invalid port in connect string entry "${entry}"`);
  }
  return Number(text);
}
