// Watch commands: addWatch, removewatches.
import { AddWatchMode, WatcherType } from '../../zk/types';
import { CliError, cliWrapper } from './cli-errors';
import { CliCommand, translateFailure, type CommandContext } from './command';
import { JavaException } from './java-text';
import { OptionSpec } from './option-parser';

const MODE_NAMES = ['PERSISTENT', 'PERSISTENT_RECURSIVE'] as const;

export class AddWatchCommand extends CliCommand {
  private static readonly spec = new OptionSpec([{ opt: 'm', hasArg: true, description: '' }]);
  /**
   * zkCli keeps one AddWatchCommand for the whole session and never resets its mode, so after
   * `addWatch -m persistent /a`, a plain `addWatch /b` is PERSISTENT too. Kept on purpose.
   */
  private mode: AddWatchMode = AddWatchMode.PERSISTENT_RECURSIVE;

  constructor() {
    super(
      'addWatch',
      `[-m mode] path # optional mode is one of [${MODE_NAMES.join(', ')}] - default is PERSISTENT_RECURSIVE`,
    );
  }

  async run(words: string[], ctx: CommandContext): Promise<void> {
    const cl = this.parse(AddWatchCommand.spec, words);
    if (cl.args.length !== 2) throw this.usageError();
    if (cl.hasOption('m')) {
      const name = (cl.optionValue('m') ?? '').toUpperCase();
      const index = MODE_NAMES.indexOf(name as (typeof MODE_NAMES)[number]);
      if (index === -1) throw this.usageError();
      this.mode = index === 0 ? AddWatchMode.PERSISTENT : AddWatchMode.PERSISTENT_RECURSIVE;
    }
    const path = cl.args[1] as string;
    try {
      await ctx.zk.addWatch(path, ctx.watcher, this.mode);
    } catch (e) {
      // zkCli does not catch a bad path here: IllegalArgumentException escapes (and kills it).
      if (e instanceof JavaException || e instanceof CliError) throw e;
      throw cliWrapper(e);
    }
  }
}

export class RemoveWatchesCommand extends CliCommand {
  private static readonly spec = new OptionSpec([
    { opt: 'c', hasArg: false, description: 'child watcher type' },
    { opt: 'd', hasArg: false, description: 'data watcher type' },
    { opt: 'a', hasArg: false, description: 'any watcher type' },
    { opt: 'l', hasArg: false, description: 'remove locally when there is no server connection' },
  ]);
  constructor() {
    super('removewatches', 'path [-c|-d|-a] [-l]');
  }
  async run(words: string[], ctx: CommandContext): Promise<void> {
    const cl = this.parse(RemoveWatchesCommand.spec, words);
    const path = cl.args[1];
    if (path === undefined) throw this.usageError();
    let type = WatcherType.Any;
    if (cl.hasOption('c')) type = WatcherType.Children;
    else if (cl.hasOption('d')) type = WatcherType.Data;
    try {
      await ctx.zk.removeAllWatches(path, type, cl.hasOption('l'));
    } catch (e) {
      throw translateFailure(e);
    }
  }
}
