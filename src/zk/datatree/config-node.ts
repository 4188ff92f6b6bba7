// ZKDatabase.initConfigInZKDatabase: a quorum server writes its dynamic config into
// /zookeeper/config with version -1, mzxid = the config's version and the host's time.
import type { Zxid } from '../types';
import type { WatchTrigger } from './data-node';
import type { DataTree } from './data-tree';
import { CONFIG_ZOOKEEPER } from './quotas';

export function initConfigNode(tree: DataTree, configText: string, configVersion: Zxid, timeMs: bigint): WatchTrigger[] {
  const triggers: WatchTrigger[] = [];
  tree.setData(CONFIG_ZOOKEEPER, new TextEncoder().encode(configText), -1, configVersion, timeMs, triggers);
  return triggers;
}
