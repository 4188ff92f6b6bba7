// Node commands: ls, create, get, set, delete, deleteall, stat.
import { Code } from '../../zk/errors';
import { CreateMode, OPEN_ACL_UNSAFE, type ACL } from '../../zk/types';
import { parseAcl } from './acl-text';
import { CliError, cliWrapper, isKeeperError, keeperError } from './cli-errors';
import { CliCommand, translateFailure, utf8, type CommandContext } from './command';
import { javaCompare, javaListString, parseJavaInt, parseJavaLong } from './java-text';
import { helpLines, OptionSpec, type ParsedCommand } from './option-parser';
import { printStat } from './stat-printer';
import { deleteRecursive, visitSubTreeDFS } from './tree-walk';

const MAX_TTL = 0xffffffffffn;

/**
 * `cmd path [watch]` was the pre-3.5 syntax; zkCli warns, overwrites the third word with "-w"
 * (whatever that word was, even an option's value) and parses again.
 */
function rewriteLegacyWatch(
  cmd: CliCommand & { reparse(words: string[]): ParsedCommand },
  parsed: ParsedCommand,
  words: string[],
  ctx: CommandContext,
  warning: string,
): ParsedCommand {
  if (parsed.args.length <= 2) return parsed;
  words[2] = '-w';
  ctx.err.println(warning);
  return cmd.reparse(words);
}

export class LsCommand extends CliCommand {
  private static readonly spec = new OptionSpec([
    { opt: '?', hasArg: false, description: 'help' },
    { opt: 's', hasArg: false, description: 'stat' },
    { opt: 'w', hasArg: false, description: 'watch' },
    { opt: 'R', hasArg: false, description: 'recurse' },
  ]);
  constructor() {
    super('ls', '[-s] [-w] [-R] path');
  }
  reparse(words: string[]): ParsedCommand {
    return this.parse(LsCommand.spec, words);
  }
  async run(words: string[], ctx: CommandContext): Promise<void> {
    let cl = this.reparse(words);
    if (cl.hasOption('?')) for (const line of helpLines('ls [options] path', LsCommand.spec)) ctx.out.println(line);
    cl = rewriteLegacyWatch(this, cl, words, ctx, "'ls path [watch]' has been deprecated. Please use 'ls [-w] path' instead.");
    const path = cl.args[1];
    if (path === undefined) throw this.usageError();
    const watch = cl.hasOption('w');
    try {
      if (cl.hasOption('R')) {
        await visitSubTreeDFS(ctx.zk, path, watch, (p) => ctx.out.println(p));
      } else if (cl.hasOption('s')) {
        const { children, stat } = await ctx.zk.getChildren2(path, watch);
        ctx.out.println(javaListString(children.sort(javaCompare)));
        printStat(ctx.out, stat, ctx.timeZone);
      } else {
        const children = await ctx.zk.getChildren(path, watch);
        ctx.out.println(javaListString(children.sort(javaCompare)));
      }
    } catch (e) {
      throw translateFailure(e);
    }
  }
}

function createModeFor(ephemeral: boolean, sequential: boolean, container: boolean, ttl: boolean): CreateMode {
  if (ephemeral && sequential) return CreateMode.EPHEMERAL_SEQUENTIAL;
  if (ephemeral) return CreateMode.EPHEMERAL;
  if (sequential) return ttl ? CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL : CreateMode.PERSISTENT_SEQUENTIAL;
  if (container) return CreateMode.CONTAINER;
  return ttl ? CreateMode.PERSISTENT_WITH_TTL : CreateMode.PERSISTENT;
}

export class CreateCommand extends CliCommand {
  private static readonly spec = new OptionSpec([
    { opt: 'e', hasArg: false, description: 'ephemeral' },
    { opt: 's', hasArg: false, description: 'sequential' },
    { opt: 'c', hasArg: false, description: 'container' },
    { opt: 't', hasArg: true, description: 'ttl' },
  ]);
  constructor() {
    super('create', '[-s] [-e] [-c] [-t ttl] path [data] [acl]');
  }
  async run(words: string[], ctx: CommandContext): Promise<void> {
    const cl = this.parse(CreateCommand.spec, words);
    const [, path, data, aclText] = cl.args;
    if (path === undefined) throw this.usageError();
    const [e, s, c, t] = ['e', 's', 'c', 't'].map((o) => cl.hasOption(o)) as [boolean, boolean, boolean, boolean];
    if (c && (e || s)) {
      throw new CliError('-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.');
    }
    const ttl = t ? parseTtl(cl.optionValue('t') ?? '') : 0n;
    if (t && e) throw new CliError('TTLs cannot be used with Ephemeral znodes');
    if (t && c) throw new CliError('TTLs cannot be used with Container znodes');
    const mode = createModeFor(e, s, c, t);
    if (t && (ttl <= 0n || ttl > MAX_TTL)) {
      throw new CliError(`ttl must be positive and cannot be larger than: ${MAX_TTL}`);
    }
    const bytes = data === undefined ? null : utf8.encode(data);
    const acl: readonly ACL[] = aclText === undefined ? OPEN_ACL_UNSAFE : parseAcl(aclText, (l) => ctx.err.println(l));
    try {
      const created = t
        ? await ctx.zk.create(path, bytes, acl, mode, Number(ttl))
        : await ctx.zk.create(path, bytes, acl, mode);
      ctx.err.println(`Created ${created}`);
    } catch (err) {
      if (isKeeperError(err) && err.code === Code.EphemeralOnLocalSession) {
        ctx.err.println('Unable to create ephemeral node on a local session');
      } else if (isKeeperError(err) && err.code === Code.InvalidACL) {
        ctx.err.println(err.message);
      }
      throw translateFailure(err);
    }
  }
}

function parseTtl(text: string): bigint {
  try {
    return parseJavaLong(text);
  } catch {
    throw new CliError('-t argument must be a long value');
  }
}

export class GetCommand extends CliCommand {
  private static readonly spec = new OptionSpec([
    { opt: 's', hasArg: false, description: 'stats' },
    { opt: 'w', hasArg: false, description: 'watch' },
  ]);
  constructor() {
    super('get', '[-s] [-w] path');
  }
  reparse(words: string[]): ParsedCommand {
    return this.parse(GetCommand.spec, words);
  }
  async run(words: string[], ctx: CommandContext): Promise<void> {
    let cl = this.reparse(words);
    if (cl.args.length < 2) throw this.usageError();
    const warning = "'get path [watch]' has been deprecated. Please use 'get [-s] [-w] path' instead.";
    cl = rewriteLegacyWatch(this, cl, words, ctx, warning);
    const watch = cl.hasOption('w');
    const path = cl.args[1] as string;
    let result;
    try {
      result = await ctx.zk.getData(path, watch);
    } catch (e) {
      throw translateFailure(e);
    }
    ctx.out.println(result.data === null ? 'null' : utf8.decode(result.data));
    if (cl.hasOption('s')) printStat(ctx.out, result.stat, ctx.timeZone);
  }
}

export class SetCommand extends CliCommand {
  private static readonly spec = new OptionSpec([
    { opt: 's', hasArg: false, description: 'stats' },
    { opt: 'v', hasArg: true, description: 'version' },
  ]);
  constructor() {
    super('set', '[-s] [-v version] path data');
  }
  async run(words: string[], ctx: CommandContext): Promise<void> {
    const cl = this.parse(SetCommand.spec, words);
    const [, path, data] = cl.args;
    if (path === undefined || data === undefined) throw this.usageError();
    // An unparsable version is an uncaught NumberFormatException in zkCli too.
    const version = cl.hasOption('v') ? parseJavaInt(cl.optionValue('v') ?? '') : -1;
    try {
      const stat = await ctx.zk.setData(path, utf8.encode(data), version);
      if (cl.hasOption('s')) printStat(ctx.out, stat, ctx.timeZone);
    } catch (e) {
      throw translateFailure(e);
    }
  }
}

export class DeleteCommand extends CliCommand {
  private static readonly spec = new OptionSpec([{ opt: 'v', hasArg: true, description: 'version' }]);
  constructor() {
    super('delete', '[-v version] path');
  }
  async run(words: string[], ctx: CommandContext): Promise<void> {
    const cl = this.parse(DeleteCommand.spec, words);
    const path = cl.args[1];
    if (path === undefined) throw this.usageError();
    if (cl.args.length > 2) {
      // zkCli warns but, unlike ls/get/stat, ignores the old positional version.
      ctx.err.println("'delete path [version]' has been deprecated. Please use 'delete [-v version] path' instead.");
    }
    const version = cl.hasOption('v') ? parseJavaInt(cl.optionValue('v') ?? '') : -1;
    try {
      await ctx.zk.delete(path, version);
    } catch (e) {
      throw translateFailure(e);
    }
  }
}

export class DeleteAllCommand extends CliCommand {
  private static readonly spec = new OptionSpec([{ opt: 'b', hasArg: true, description: 'batch size' }]);
  constructor() {
    super('deleteall', 'path [-b batch size]');
  }
  async run(words: string[], ctx: CommandContext): Promise<void> {
    const cl = this.parse(DeleteAllCommand.spec, words);
    const path = cl.args[1];
    if (path === undefined) throw this.usageError();
    let batchSize = 1000;
    if (cl.hasOption('b')) {
      try {
        batchSize = parseJavaInt(cl.optionValue('b') ?? '');
      } catch {
        throw new CliError('-b argument must be an int value');
      }
    }
    try {
      if (!(await deleteRecursive(ctx.zk, path, batchSize))) ctx.err.println('Failed to delete some node(s) in the subtree!');
    } catch (e) {
      throw translateFailure(e);
    }
  }
}

export class StatCommand extends CliCommand {
  private static readonly spec = new OptionSpec([{ opt: 'w', hasArg: false, description: 'watch' }]);
  constructor() {
    super('stat', '[-w] path');
  }
  reparse(words: string[]): ParsedCommand {
    return this.parse(StatCommand.spec, words);
  }
  async run(words: string[], ctx: CommandContext): Promise<void> {
    let cl = this.reparse(words);
    if (cl.args.length < 2) throw this.usageError();
    const warning = "'stat path [watch]' has been deprecated. Please use 'stat [-w] path' instead.";
    cl = rewriteLegacyWatch(this, cl, words, ctx, warning);
    const path = cl.args[1] as string;
    const watch = cl.hasOption('w');
    let stat;
    try {
      stat = await ctx.zk.exists(path, watch);
    } catch (e) {
      throw translateFailure(e);
    }
    if (stat === null) throw cliWrapper(keeperError(Code.NoNode, path));
    printStat(ctx.out, stat, ctx.timeZone);
  }
}
