// ZooKeeperServer.checkQuota (3.7+): soft limits only log, hard limits reject with QuotaExceeded.
// Reads the applied tree (not the overlay), as Apache does.
import { Code } from '../errors';
import { dataLength } from '../datatree/data-node';
import { quotaLimitPath, quotaStatPath } from '../datatree/quotas';
import {
  parseStatsTrack,
  trackByteHardLimit,
  trackBytes,
  trackCount,
  trackCountHardLimit,
} from '../datatree/stats-track';
import { fail, type PrepContext } from './prep-context';

/** null data (either side) counts as 0 bytes, as in ZooKeeperServer.checkQuota. */
export function checkQuota(ctx: PrepContext, path: string, lastData: Uint8Array | null, data: Uint8Array | null, countDiff: 0 | 1): void {
  if (ctx.enforceQuota !== true) return;
  const lastPrefix = ctx.tree.maxPrefixWithQuota(path);
  if (lastPrefix === null) return;
  const bytesDiff = BigInt(dataLength(data) - dataLength(lastData));
  const limitNode = ctx.tree.getNode(quotaLimitPath(lastPrefix));
  if (limitNode === undefined) return;
  const limits = parseStatsTrack(limitNode.data);
  const checkCount = countDiff !== 0 && (trackCount(limits) > -1n || trackCountHardLimit(limits) > -1n);
  const checkBytes = bytesDiff !== 0n && (trackBytes(limits) > -1n || trackByteHardLimit(limits) > -1n);
  if (!checkCount && !checkBytes) return;
  const statNode = ctx.tree.getNode(quotaStatPath(lastPrefix));
  if (statNode === undefined) return;
  const current = parseStatsTrack(statNode.data);
  if (checkCount) {
    const hard = trackCountHardLimit(limits) > -1n;
    const limit = hard ? trackCountHardLimit(limits) : trackCount(limits);
    const next = trackCount(current) + BigInt(countDiff);
    if (next > limit) exceeded(ctx, lastPrefix, `current count=${next}, ${hard ? 'hard' : 'soft'}CountLimit=${limit}`, hard);
  }
  if (checkBytes) {
    const hard = trackByteHardLimit(limits) > -1n;
    const limit = hard ? trackByteHardLimit(limits) : trackBytes(limits);
    const next = trackBytes(current) + bytesDiff;
    if (next > limit) exceeded(ctx, lastPrefix, `current bytes=${next}, ${hard ? 'hard' : 'soft'}ByteLimit=${limit}`, hard);
  }
}

function exceeded(ctx: PrepContext, lastPrefix: string, detail: string, hard: boolean): void {
  ctx.quotaWarnings.push(`Quota exceeded: ${lastPrefix} [${detail}]`);
  if (hard) fail(Code.QuotaExceeded, lastPrefix);
}
