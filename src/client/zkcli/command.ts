// What every zkCli command shares: its name and option string (for usage lines), a run() that
// parses the words and executes (throwing CliError for what zkCli prints to stderr), and the
// context: client, output streams, default watcher, time zone.
import type { Watcher } from '../api';
import type { Stat } from '../../zk/types';
import { CliError, cliWrapper } from './cli-errors';
import { IllegalArgumentException, JavaException } from './java-text';
import { OptionParseError, parseOptions, type OptionSpec, type ParsedCommand } from './option-parser';
import type { Output } from './output';
import type { ZkCalls } from './zk-calls';

/** Optional admin capability (ZooKeeperAdmin.reconfigure); the plain ZooKeeperApi has none. */
export type ReconfigFn = (
  joining: string | null,
  leaving: string | null,
  members: string | null,
  fromConfig: bigint,
) => Promise<{ data: Uint8Array | null; stat: Stat }>;

export interface CommandContext {
  readonly zk: ZkCalls;
  readonly out: Output;
  readonly err: Output;
  /** zkCli's default watcher: the one given to the client at connect (prints WATCHER::). */
  readonly watcher: Watcher;
  readonly timeZone: string;
  readonly cliVersion: string;
  readonly reconfig: ReconfigFn | undefined;
}

export abstract class CliCommand {
  constructor(
    readonly name: string,
    readonly optionStr: string,
  ) {}

  usage(): string {
    return `${this.name} ${this.optionStr}`;
  }

  /** Parses `words` (words[0] is the command name) and executes. */
  abstract run(words: string[], ctx: CommandContext): Promise<void>;

  /** new CliParseException(parseException): the message is the exception's toString(). */
  protected parse(spec: OptionSpec, words: readonly string[]): ParsedCommand {
    try {
      return parseOptions(spec, words);
    } catch (e) {
      if (e instanceof OptionParseError) throw new CliError(e.toString());
      throw e;
    }
  }

  protected usageError(): CliError {
    return new CliError(this.usage());
  }
}

/**
 * The catch clauses most commands share: IllegalArgumentException -> MalformedPathException, a
 * KeeperException (or any client failure) -> CliWrapperException. Other Java exceptions are not
 * caught by zkCli either and propagate.
 */
export function translateFailure(e: unknown): unknown {
  if (e instanceof CliError) return e;
  if (e instanceof IllegalArgumentException) return new CliError(e.message);
  if (e instanceof JavaException) return e;
  return cliWrapper(e);
}

export const utf8 = {
  encode: (text: string): Uint8Array => new TextEncoder().encode(text),
  decode: (bytes: Uint8Array): string => new TextDecoder('utf-8').decode(bytes),
};
