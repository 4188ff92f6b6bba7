// `?cluster=demo&size=3` names the cluster this tab joins and how many servers it has.
// The tab's myid is 1 for now; claiming a free myid through the PeerServer comes with replication.
import { CLUSTER_NAME_PATTERN, type ServerIdentity } from '../worker/protocol';

export const DEFAULT_CLUSTER = 'demo';
export const DEFAULT_SIZE = 3;
export const SIZE_MAX = 9;

export interface TabParams {
  identity: ServerIdentity;
  size: number;
  /** Problems with the URL, shown to the person instead of silently ignored. */
  warnings: string[];
}

export function parseTabParams(search: string): TabParams {
  const params = new URLSearchParams(search);
  const warnings: string[] = [];
  let cluster = params.get('cluster') ?? DEFAULT_CLUSTER;
  if (!CLUSTER_NAME_PATTERN.test(cluster)) {
    warnings.push(`cluster "${cluster}" is not a plain name (letters, digits, - and _); using "${DEFAULT_CLUSTER}"`);
    cluster = DEFAULT_CLUSTER;
  }
  let size = DEFAULT_SIZE;
  const sizeText = params.get('size');
  if (sizeText !== null) {
    const parsed = Number(sizeText);
    if (Number.isInteger(parsed) && parsed >= 1 && parsed <= SIZE_MAX) size = parsed;
    else warnings.push(`size "${sizeText}" must be an integer from 1 to ${SIZE_MAX}; using ${DEFAULT_SIZE}`);
  }
  return { identity: { cluster, myid: 1 }, size, warnings };
}
