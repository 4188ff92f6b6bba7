// Session and server commands: sync, getEphemerals, getAllChildrenNumber, config, reconfig,
// close, version.
import { Code } from '../../zk/errors';
import { CliError, cliWrapper } from './cli-errors';
import { clientConfigString } from './client-config';
import { CliCommand, translateFailure, utf8, type CommandContext } from './command';
import { javaListString, parseJavaLong } from './java-text';
import { OptionSpec } from './option-parser';
import { printStat } from './stat-printer';

const NO_OPTIONS = new OptionSpec([]);

export class SyncCommand extends CliCommand {
  constructor() {
    super('sync', 'path');
  }
  async run(words: string[], ctx: CommandContext): Promise<void> {
    const path = this.parse(NO_OPTIONS, words).args[1];
    if (path === undefined) throw this.usageError();
    let rc;
    try {
      rc = await ctx.zk.sync(path);
    } catch (e) {
      throw translateFailure(e);
    }
    ctx.out.println(rc === Code.OK ? 'Sync is OK' : `Sync has failed. rc=${rc}`);
  }
}

export class GetEphemeralsCommand extends CliCommand {
  constructor() {
    super('getEphemerals', 'path');
  }
  async run(words: string[], ctx: CommandContext): Promise<void> {
    const path = this.parse(NO_OPTIONS, words).args[1];
    let ephemerals;
    try {
      ephemerals = await ctx.zk.getEphemerals(path);
    } catch (e) {
      throw translateFailure(e);
    }
    ctx.out.println(javaListString(ephemerals));
  }
}

export class GetAllChildrenNumberCommand extends CliCommand {
  constructor() {
    super('getAllChildrenNumber', 'path');
  }
  async run(words: string[], ctx: CommandContext): Promise<void> {
    const path = this.parse(NO_OPTIONS, words).args[1];
    if (path === undefined) throw this.usageError();
    try {
      ctx.out.println(String(await ctx.zk.getAllChildrenNumber(path)));
    } catch (e) {
      throw translateFailure(e);
    }
  }
}

export class GetConfigCommand extends CliCommand {
  private static readonly spec = new OptionSpec([
    { opt: 's', hasArg: false, description: 'stats' },
    { opt: 'w', hasArg: false, description: 'watch' },
    { opt: 'c', hasArg: false, description: 'client connection string' },
  ]);
  constructor() {
    super('config', '[-c] [-w] [-s]');
  }
  async run(words: string[], ctx: CommandContext): Promise<void> {
    const cl = this.parse(GetConfigCommand.spec, words);
    let result;
    try {
      result = await ctx.zk.getConfig(cl.hasOption('w'));
    } catch (e) {
      throw cliWrapper(e);
    }
    const text = result.data === null ? 'null' : utf8.decode(result.data);
    ctx.out.println(cl.hasOption('c') ? clientConfigString(text) : text);
    if (cl.hasOption('s')) printStat(ctx.out, result.stat, ctx.timeZone);
  }
}

export class ReconfigCommand extends CliCommand {
  private static readonly spec = new OptionSpec([
    { opt: 's', hasArg: false, description: 'stats' },
    { opt: 'v', hasArg: true, description: 'required current config version' },
    { opt: 'file', hasArg: true, description: 'path of config file to parse for membership' },
    { opt: 'members', hasArg: true, description: 'comma-separated list of config strings for non-incremental reconfig' },
    { opt: 'add', hasArg: true, description: 'comma-separated list of config strings for new servers' },
    { opt: 'remove', hasArg: true, description: 'comma-separated list of server IDs to remove' },
  ]);
  constructor() {
    super(
      'reconfig',
      '[-s] [-v version] [[-file path] | [-members serverID=host:port1:port2;port3[,...]*]] | ' +
        '[-add serverId=host:port1:port2;port3[,...]]* [-remove serverId[,...]*]',
    );
  }
  async run(words: string[], ctx: CommandContext): Promise<void> {
    const cl = this.parse(ReconfigCommand.spec, words);
    const has = (o: string): boolean => cl.hasOption(o);
    if (!(has('file') || has('members')) && !has('add') && !has('remove')) throw this.usageError();
    let version = -1n;
    if (has('v')) {
      try {
        version = parseJavaLong(cl.optionValue('v') ?? '', 16);
      } catch {
        throw new CliError('-v must be followed by a long (configuration version)');
      }
    }
    if ((has('file') || has('members')) && (has('add') || has('remove'))) {
      throw new CliError(
        "Can't use -file or -members together with -add or -remove (mixing incremental and non-incremental modes is not allowed)",
      );
    }
    if (has('file') && has('members')) {
      throw new CliError("Can't use -file and -members together (conflicting non-incremental modes)");
    }
    if (has('file')) {
      // There is no file system in the browser; the Node host has none to offer through this API.
      throw new CliError(`Error processing ${cl.optionValue('file') ?? ''} (No such file or directory)`);
    }
    const lower = (o: string): string | null => cl.optionValue(o)?.toLowerCase() ?? null;
    // Like zkCli with a client that is not a ZooKeeperAdmin: nothing happens without the capability.
    if (ctx.reconfig === undefined) return;
    let result;
    try {
      result = await ctx.reconfig(lower('add'), lower('remove'), lower('members'), version);
    } catch (e) {
      throw cliWrapper(e);
    }
    ctx.out.println(`Committed new configuration:\n${result.data === null ? 'null' : utf8.decode(result.data)}`);
    if (has('s')) printStat(ctx.out, result.stat, ctx.timeZone);
  }
}

export class CloseCommand extends CliCommand {
  constructor() {
    super('close', '');
  }
  async run(_words: string[], ctx: CommandContext): Promise<void> {
    try {
      await ctx.zk.close();
    } catch (e) {
      throw cliWrapper(e);
    }
  }
}

export class VersionCommand extends CliCommand {
  constructor() {
    super('version', '');
  }
  async run(words: string[], ctx: CommandContext): Promise<void> {
    if (this.parse(NO_OPTIONS, words).args.length > 1) throw this.usageError();
    ctx.out.println(`ZooKeeper CLI version: ${ctx.cliVersion}`);
  }
}
