// ACL and authentication commands: getAcl, setAcl, addauth, whoami.
import { aclEntryLines, parseAcl } from './acl-text';
import { cliWrapper, isKeeperError } from './cli-errors';
import { CliCommand, translateFailure, utf8, type CommandContext } from './command';
import { parseJavaInt } from './java-text';
import { OptionSpec } from './option-parser';
import { printStat } from './stat-printer';
import { visitSubTreeDFS } from './tree-walk';

const NO_OPTIONS = new OptionSpec([]);

export class GetAclCommand extends CliCommand {
  private static readonly spec = new OptionSpec([{ opt: 's', hasArg: false, description: 'stats' }]);
  constructor() {
    super('getAcl', '[-s] path');
  }
  async run(words: string[], ctx: CommandContext): Promise<void> {
    const cl = this.parse(GetAclCommand.spec, words);
    const path = cl.args[1];
    if (path === undefined) throw this.usageError();
    let result;
    try {
      result = await ctx.zk.getACL(path);
    } catch (e) {
      throw translateFailure(e);
    }
    for (const entry of result.acl) for (const line of aclEntryLines(entry)) ctx.out.println(line);
    if (cl.hasOption('s')) printStat(ctx.out, result.stat, ctx.timeZone);
  }
}

export class SetAclCommand extends CliCommand {
  private static readonly spec = new OptionSpec([
    { opt: 's', hasArg: false, description: 'stats' },
    { opt: 'v', hasArg: true, description: 'version' },
    { opt: 'R', hasArg: false, description: 'recursive' },
  ]);
  constructor() {
    super('setAcl', '[-s] [-v version] [-R] path acl');
  }
  async run(words: string[], ctx: CommandContext): Promise<void> {
    const cl = this.parse(SetAclCommand.spec, words);
    const [, path, aclText] = cl.args;
    if (path === undefined || aclText === undefined) throw this.usageError();
    const acl = parseAcl(aclText, (l) => ctx.err.println(l));
    const version = cl.hasOption('v') ? parseJavaInt(cl.optionValue('v') ?? '') : -1;
    try {
      if (cl.hasOption('R')) {
        await visitSubTreeDFS(ctx.zk, path, false, async (p) => {
          try {
            await ctx.zk.setACL(p, acl, version);
          } catch (e) {
            // zkCli prints these with print(), not println(): they run together on one line.
            if (!isKeeperError(e)) throw e;
            ctx.out.print(e.message);
          }
        });
      } else {
        const stat = await ctx.zk.setACL(path, acl, version);
        if (cl.hasOption('s')) printStat(ctx.out, stat, ctx.timeZone);
      }
    } catch (e) {
      throw translateFailure(e);
    }
  }
}

export class AddAuthCommand extends CliCommand {
  constructor() {
    super('addauth', 'scheme auth');
  }
  async run(words: string[], ctx: CommandContext): Promise<void> {
    const cl = this.parse(NO_OPTIONS, words);
    const [, scheme, auth] = cl.args;
    if (scheme === undefined) throw this.usageError();
    // Java sends a null buffer when no auth is given; the API takes bytes, so send none.
    const bytes = auth === undefined ? new Uint8Array(0) : utf8.encode(auth);
    // ZooKeeper.addAuthInfo only queues the packet and never reports failure to zkCli (a bad
    // credential shows up as an AuthFailed event), so neither wait for it nor report it. Later
    // requests are still sent after it.
    void ctx.zk.addAuthInfo(scheme, bytes).catch(() => undefined);
  }
}

export class WhoAmICommand extends CliCommand {
  constructor() {
    super('whoami', '');
  }
  async run(_words: string[], ctx: CommandContext): Promise<void> {
    let infos;
    try {
      infos = await ctx.zk.whoAmI();
    } catch (e) {
      throw cliWrapper(e);
    }
    ctx.out.println('Auth scheme: User');
    for (const info of infos) ctx.out.println(`${info.authScheme}: ${info.user}`);
  }
}
