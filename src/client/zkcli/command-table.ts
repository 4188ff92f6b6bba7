// The command table: ZooKeeperMain's own commands (connect, history, redo, printwatches, quit) plus
// one instance per CliCommand, kept for the interpreter's lifetime as zkCli keeps them.
import type { CliCommand } from './command';
import { AddAuthCommand, GetAclCommand, SetAclCommand, WhoAmICommand } from './commands-acl';
import {
  CloseCommand,
  GetAllChildrenNumberCommand,
  GetConfigCommand,
  GetEphemeralsCommand,
  ReconfigCommand,
  SyncCommand,
  VersionCommand,
} from './commands-misc';
import {
  CreateCommand,
  DeleteAllCommand,
  DeleteCommand,
  GetCommand,
  LsCommand,
  SetCommand,
  StatCommand,
} from './commands-node';
import { DelQuotaCommand, ListQuotaCommand, SetQuotaCommand } from './commands-quota';
import { AddWatchCommand, RemoveWatchesCommand } from './commands-watch';

/** ZooKeeperMain's built-in commands and their option strings. */
const BUILT_INS: ReadonlyArray<readonly [string, string]> = [
  ['connect', 'host:port'],
  ['history', ''],
  ['redo', 'cmdno'],
  ['printwatches', 'on|off'],
  ['quit', ''],
];

export const USAGE_HEADER = 'ZooKeeper -server host:port -client-configuration properties-file cmd args';

export class CommandTable {
  readonly cliCommands = new Map<string, CliCommand>();
  private readonly optionStrings = new Map<string, string>(BUILT_INS);

  constructor() {
    const commands: CliCommand[] = [
      new CloseCommand(),
      new CreateCommand(),
      new DeleteCommand(),
      new DeleteAllCommand(),
      new SetCommand(),
      new GetCommand(),
      new LsCommand(),
      new GetAclCommand(),
      new SetAclCommand(),
      new StatCommand(),
      new SyncCommand(),
      new SetQuotaCommand(),
      new ListQuotaCommand(),
      new DelQuotaCommand(),
      new AddAuthCommand(),
      new ReconfigCommand(),
      new GetConfigCommand(),
      new RemoveWatchesCommand(),
      new GetEphemeralsCommand(),
      new GetAllChildrenNumberCommand(),
      new VersionCommand(),
      new AddWatchCommand(),
      new WhoAmICommand(),
    ];
    for (const command of commands) {
      this.cliCommands.set(command.name, command);
      this.optionStrings.set(command.name, command.optionStr);
    }
  }

  has(name: string): boolean {
    return this.optionStrings.has(name);
  }

  /** ZooKeeperMain.getCommands(): every command name, sorted as Java sorts strings. */
  names(): string[] {
    return [...this.optionStrings.keys()].sort();
  }

  /** ZooKeeperMain.usage(): printed to stderr before "Command not found". */
  usageLines(): string[] {
    return [USAGE_HEADER, ...this.names().map((name) => `\t${name} ${this.optionStrings.get(name) ?? ''}`)];
  }
}
