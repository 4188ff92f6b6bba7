// StatPersisted: what a node stores. The client-visible Stat is derived from it (DataNode.copyStat).
import type { Stat, Zxid } from '../types';
import { clientEphemeralOwner } from './ephemeral-type';

export interface PersistedStat {
  czxid: Zxid;
  mzxid: Zxid;
  ctime: bigint;
  mtime: bigint;
  version: number;
  /** Count of child creations only; deletes never bump it (see toClientStat). */
  cversion: number;
  aversion: number;
  /** Signed 64-bit; also encodes container/TTL (ephemeral-type.ts). */
  ephemeralOwner: bigint;
  pzxid: Zxid;
}

/** DataTree.createStat: a new node's stat. */
export function createPersistedStat(zxid: Zxid, timeMs: bigint, ephemeralOwner: bigint): PersistedStat {
  return {
    czxid: zxid,
    mzxid: zxid,
    ctime: timeMs,
    mtime: timeMs,
    version: 0,
    cversion: 0,
    aversion: 0,
    ephemeralOwner: BigInt.asIntN(64, ephemeralOwner),
    pzxid: zxid,
  };
}

/** The all-zero stat of the built-in nodes (/, /zookeeper, /zookeeper/quota, /zookeeper/config). */
export function emptyPersistedStat(): PersistedStat {
  return createPersistedStat(0n, 0n, 0n);
}

export function copyPersistedStat(stat: PersistedStat): PersistedStat {
  return { ...stat };
}

/**
 * DataNode.copyStat. The stored cversion counts creates; clients see creates + deletes, which is
 * 2 * creates - (children still present).
 */
export function toClientStat(
  stat: PersistedStat,
  dataLength: number,
  numChildren: number,
  extendedTypesEnabled: boolean,
): Stat {
  return {
    czxid: stat.czxid,
    mzxid: stat.mzxid,
    ctime: stat.ctime,
    mtime: stat.mtime,
    version: stat.version,
    cversion: toInt32(stat.cversion * 2 - numChildren),
    aversion: stat.aversion,
    ephemeralOwner: clientEphemeralOwner(stat.ephemeralOwner, extendedTypesEnabled),
    dataLength,
    numChildren,
    pzxid: stat.pzxid,
  };
}

/** Java int arithmetic wraps. */
export function toInt32(value: number): number {
  return value | 0;
}
