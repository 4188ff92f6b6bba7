// What kind of znode a mirror entry is, for its glyph. The client's Stat shows ephemeral owners but
// reports 0 for containers and TTL nodes, so those come from the server's status lists; sequential
// is read from the name (Apache stores no flag: a sequential name ends in a 10-digit counter).
import type { Stat } from '../zk/types';

export type NodeKind = 'persistent' | 'ephemeral' | 'container' | 'ttl';

export interface NodeKindInfo {
  kind: NodeKind;
  sequential: boolean;
}

const SEQUENTIAL_SUFFIX = /\d{10}$/;

export function nodeKindOf(path: string, stat: Stat | null, containers: ReadonlySet<string>, ttls: ReadonlySet<string>): NodeKindInfo {
  const sequential = path !== '/' && SEQUENTIAL_SUFFIX.test(path);
  if (containers.has(path)) return { kind: 'container', sequential };
  if (ttls.has(path)) return { kind: 'ttl', sequential };
  if (stat !== null && stat.ephemeralOwner !== 0n) return { kind: 'ephemeral', sequential };
  return { kind: 'persistent', sequential };
}

export function describeKind(info: NodeKindInfo): string {
  return info.sequential ? `${info.kind}, sequential` : info.kind;
}
