// Quota commands: listquota, setquota, delquota. Quotas live under /zookeeper/quota<path> as two
// nodes, zookeeper_limits and zookeeper_stats, which zkCli creates and edits with plain API calls.
import { Code } from '../../zk/errors';
import { CreateMode, OPEN_ACL_UNSAFE } from '../../zk/types';
import { isKeeperError } from './cli-errors';
import { CliCommand, translateFailure, utf8, type CommandContext } from './command';
import { IllegalArgumentException, javaSplit, NumberFormatException, parseJavaInt, parseJavaLong } from './java-text';
import { OptionSpec } from './option-parser';
import { StatsTrack } from './stats-track';
import { visitSubTreeDFS } from './tree-walk';
import type { ZkCalls } from './zk-calls';

const PROC_ZOOKEEPER = '/zookeeper';
const QUOTA_ZOOKEEPER = '/zookeeper/quota';
const LIMIT_NODE = 'zookeeper_limits';
const STAT_NODE = 'zookeeper_stats';

const quotaPath = (path: string): string => QUOTA_ZOOKEEPER + path;
const limitPath = (path: string): string => `${QUOTA_ZOOKEEPER}${path}/${LIMIT_NODE}`;
const statPath = (path: string): string => `${QUOTA_ZOOKEEPER}${path}/${STAT_NODE}`;
const trimQuotaPath = (path: string): string => path.slice(QUOTA_ZOOKEEPER.length);

function isNoNode(e: unknown): boolean {
  return isKeeperError(e) && e.code === Code.NoNode;
}

async function readTrack(zk: ZkCalls, path: string): Promise<StatsTrack> {
  const { data } = await zk.getData(path, false);
  return new StatsTrack(data === null ? '' : utf8.decode(data));
}

export class ListQuotaCommand extends CliCommand {
  constructor() {
    super('listquota', 'path');
  }
  async run(words: string[], ctx: CommandContext): Promise<void> {
    const path = this.parse(new OptionSpec([]), words).args[1];
    if (path === undefined) throw this.usageError();
    try {
      ctx.err.println(`absolute path is ${limitPath(path)}`);
      const limits = await readTrack(ctx.zk, limitPath(path));
      const stats = await readTrack(ctx.zk, statPath(path));
      ctx.out.println(`Output quota for ${path} ${limits.toString()}`);
      ctx.out.println(`Output stat for ${path} ${stats.toString()}`);
    } catch (e) {
      if (isNoNode(e)) ctx.err.println(`quota for ${path} does not exist.`);
      else throw translateFailure(e);
    }
  }
}

type QuotaOption = 'n' | 'b' | 'N' | 'B';
const QUOTA_OPTIONS: ReadonlyArray<readonly [QuotaOption, string]> = [
  ['n', 'num soft quota'],
  ['b', 'bytes soft quota'],
  ['N', 'num hard quota'],
  ['B', 'bytes hard quota'],
];

function quotaSpec(hasArg: boolean, required: boolean): OptionSpec {
  return new OptionSpec(
    QUOTA_OPTIONS.map(([opt, description]) => ({ opt, hasArg, description })),
    { opts: QUOTA_OPTIONS.map(([opt]) => opt), required },
  );
}

export class SetQuotaCommand extends CliCommand {
  private static readonly spec = quotaSpec(true, true);
  constructor() {
    super('setquota', '-n|-b|-N|-B val path');
  }
  async run(words: string[], ctx: CommandContext): Promise<void> {
    const cl = this.parse(SetQuotaCommand.spec, words);
    const path = cl.args[1];
    if (path === undefined) throw this.usageError();
    if (path.startsWith(QUOTA_ZOOKEEPER)) {
      ctx.err.println(`cannot set a quota under the path: ${QUOTA_ZOOKEEPER}`);
      return;
    }
    const quota = new StatsTrack();
    quota.count = -1n;
    quota.bytes = -1n;
    quota.countHardLimit = -1n;
    quota.byteHardLimit = -1n;
    const problem = applyQuotaOptions(quota, (o) => cl.optionValue(o));
    if (problem !== null) {
      ctx.err.println(problem);
      return;
    }
    try {
      await createQuota(ctx, path, quota);
    } catch (e) {
      throw translateFailure(e);
    }
  }
}

/** SetQuotaCommand.checkOptionValue: fills `quota`, or returns the complaint zkCli prints. */
function applyQuotaOptions(quota: StatsTrack, value: (o: QuotaOption) => string | undefined): string | null {
  try {
    const n = value('n');
    if (n !== undefined) {
      const count = parseJavaInt(n);
      if (count <= 0) return 'the num quota must be greater than zero';
      quota.count = BigInt(count);
    }
    const b = value('b');
    if (b !== undefined) {
      const bytes = parseJavaLong(b);
      if (bytes < 0n) return 'the bytes quota must be greater than or equal to zero';
      quota.bytes = bytes;
    }
    const hardN = value('N');
    if (hardN !== undefined) {
      const count = parseJavaInt(hardN);
      if (count <= 0) return 'the num quota must be greater than zero';
      quota.countHardLimit = BigInt(count);
    }
    const hardB = value('B');
    if (hardB !== undefined) {
      const bytes = parseJavaLong(hardB);
      if (bytes < 0n) return 'the bytes quota must be greater than or equal to zero';
      quota.byteHardLimit = bytes;
    }
  } catch (e) {
    if (e instanceof NumberFormatException) return 'NumberFormatException happens when parsing the option value';
    throw e;
  }
  return null;
}

/** SetQuotaCommand.createQuota. */
async function createQuota(ctx: CommandContext, path: string, quota: StatsTrack): Promise<void> {
  const zk = ctx.zk;
  if ((await zk.exists(path, false)) === null) throw new IllegalArgumentException(`${path} does not exist.`);
  await checkIfChildQuota(zk, path);
  await checkIfParentQuota(zk, path);
  if ((await zk.exists(QUOTA_ZOOKEEPER, false)) === null) {
    try {
      await zk.create(PROC_ZOOKEEPER, null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      await zk.create(QUOTA_ZOOKEEPER, null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    } catch (e) {
      if (!(isKeeperError(e) && e.code === Code.NodeExists)) throw e;
    }
  }
  let node = QUOTA_ZOOKEEPER;
  for (const part of javaSplit(path, '/').slice(1)) {
    node = `${node}/${part}`;
    if ((await zk.exists(node, false)) !== null) continue;
    try {
      await zk.create(node, null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    } catch (e) {
      if (!(isKeeperError(e) && e.code === Code.NodeExists)) throw e;
    }
  }
  const stats = `${node}/${STAT_NODE}`;
  const limits = `${node}/${LIMIT_NODE}`;
  if ((await zk.exists(limits, false)) === null) {
    await zk.create(limits, quota.toBytes(), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    const initial = new StatsTrack();
    initial.count = 0n;
    initial.bytes = 0n;
    await zk.create(stats, initial.toBytes(), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    warnIfBelowUsage(ctx, await readTrack(zk, limits), await readTrack(zk, stats));
  } else {
    const current = await readTrack(zk, limits);
    if (quota.count > -1n) current.count = quota.count;
    if (quota.bytes > -1n) current.bytes = quota.bytes;
    if (quota.countHardLimit > -1n) current.countHardLimit = quota.countHardLimit;
    if (quota.byteHardLimit > -1n) current.byteHardLimit = quota.byteHardLimit;
    warnIfBelowUsage(ctx, current, await readTrack(zk, stats));
    await zk.setData(limits, current.toBytes(), -1);
  }
}

function warnIfBelowUsage(ctx: CommandContext, quota: StatsTrack, usage: StatsTrack): void {
  const below = (limit: bigint, used: bigint): boolean => limit > -1n && limit < used;
  if (below(quota.count, usage.count) || below(quota.countHardLimit, usage.count)) {
    ctx.out.println(`[Warning]: the count quota you create is less than the existing count:${usage.count}`);
  }
  if (below(quota.bytes, usage.bytes) || below(quota.byteHardLimit, usage.bytes)) {
    ctx.out.println(`[Warning]: the bytes quota you create is less than the existing bytes:${usage.bytes}`);
  }
}

async function checkIfChildQuota(zk: ZkCalls, path: string): Promise<void> {
  try {
    await visitSubTreeDFS(zk, quotaPath(path), false, async (node) => {
      let children: string[];
      try {
        children = await zk.getChildren(node, false);
      } catch (e) {
        // zkCli ignores a node removed meanwhile, and only logs other failures here.
        if (isKeeperError(e)) return;
        throw e;
      }
      if (node !== QUOTA_ZOOKEEPER + path && children.includes(LIMIT_NODE)) {
        throw new IllegalArgumentException(`${path} has a child ${trimQuotaPath(node)} which has a quota`);
      }
    });
  } catch (e) {
    if (!isNoNode(e)) throw e;
  }
}

async function checkIfParentQuota(zk: ZkCalls, path: string): Promise<void> {
  const parts = javaSplit(path, '/');
  let node = QUOTA_ZOOKEEPER;
  for (let i = 1; i < parts.length - 1; i++) {
    node = `${node}/${parts[i]}`;
    let children: string[];
    try {
      children = await zk.getChildren(node, false);
    } catch (e) {
      if (isNoNode(e)) return;
      throw e;
    }
    if (children.length === 0) return;
    if (node !== quotaPath(path) && children.includes(LIMIT_NODE)) {
      throw new IllegalArgumentException(`${path} has a parent ${trimQuotaPath(node)} which has a quota`);
    }
  }
}

export class DelQuotaCommand extends CliCommand {
  private static readonly spec = quotaSpec(false, false);
  constructor() {
    super('delquota', '[-n|-b|-N|-B] path');
  }
  async run(words: string[], ctx: CommandContext): Promise<void> {
    const cl = this.parse(DelQuotaCommand.spec, words);
    const path = cl.args[1];
    if (path === undefined) throw this.usageError();
    const chosen = QUOTA_OPTIONS.map(([o]) => o).filter((o) => cl.hasOption(o));
    try {
      await delQuota(ctx, path, chosen.length > 0 ? chosen : null);
    } catch (e) {
      if (isNoNode(e)) ctx.err.println(`quota for ${path} does not exist.`);
      else throw translateFailure(e);
    }
  }
}

/** DelQuotaCommand.delQuota: `which` null removes the whole quota, else resets those limits. */
async function delQuota(ctx: CommandContext, path: string, which: QuotaOption[] | null): Promise<void> {
  const zk = ctx.zk;
  const limits = limitPath(path);
  if ((await zk.exists(limits, false)) === null) {
    ctx.out.println(`Quota does not exist for ${path}`);
    return;
  }
  const track = await readTrack(zk, limits);
  if (which === null) {
    const parent = quotaPath(path);
    for (const child of await zk.getChildren(parent, false)) await zk.delete(`${parent}/${child}`, -1);
    await trimProcQuotas(zk, parent);
    return;
  }
  if (which.includes('n')) track.count = -1n;
  if (which.includes('b')) track.bytes = -1n;
  if (which.includes('N')) track.countHardLimit = -1n;
  if (which.includes('B')) track.byteHardLimit = -1n;
  await zk.setData(limits, track.toBytes(), -1);
}

/** Removes now-empty quota ancestors up to /zookeeper/quota (a bad path ends in validatePath). */
async function trimProcQuotas(zk: ZkCalls, path: string): Promise<void> {
  for (let node = path; node !== QUOTA_ZOOKEEPER; node = node.slice(0, node.lastIndexOf('/'))) {
    if ((await zk.getChildren(node, false)).length > 0) return;
    await zk.delete(node, -1);
  }
}
