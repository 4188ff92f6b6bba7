export { validatePath, parentOf, childNameOf, displayPath } from './path-validation';
export {
  EphemeralType,
  CONTAINER_EPHEMERAL_OWNER,
  MAX_EXTENDED_SERVER_ID,
  TTL_MAX_MS,
  ephemeralTypeOf,
  isValidTtl,
  ttlToEphemeralOwner,
  ttlOfEphemeralOwner,
  clientEphemeralOwner,
} from './ephemeral-type';
export { type PersistedStat, createPersistedStat, toClientStat, copyPersistedStat } from './persisted-stat';
export { DataNode, dataLength, type WatchTrigger } from './data-node';
export { DataTree, type DataTreeOptions } from './data-tree';
export { JavaHashSet, javaHashOrder, javaStringHash } from './java-hash-set';
export {
  PROC_ZOOKEEPER,
  QUOTA_ZOOKEEPER,
  CONFIG_ZOOKEEPER,
  LIMIT_NODE,
  STAT_NODE,
  quotaLimitPath,
  quotaStatPath,
  QuotaRoots,
} from './quotas';
export {
  type StatsTrack,
  parseStatsTrack,
  formatStatsTrack,
  statsTrackBytes,
  makeStatsTrack,
  withValue,
  trackCount,
  trackBytes,
  trackCountHardLimit,
  trackByteHardLimit,
} from './stats-track';
export { treeDigest } from './tree-digest';
export { serializeTree, deserializeTree, SnapshotFormatError } from './snapshot-codec';
export { initConfigNode } from './config-node';
