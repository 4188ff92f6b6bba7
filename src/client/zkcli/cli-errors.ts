// zkCli's CliException family: what ZooKeeperMain.processCmd prints to stderr, and with which exit
// code. CliWrapperException turns KeeperExceptions into the friendlier zkCli messages.
import { Code, KeeperException } from '../../zk/errors';

export const DEFAULT_EXIT_CODE = 1;
export const COMMAND_NOT_FOUND_EXIT_CODE = 127;

/** CliException (and its subclasses): processCmd prints `message` to stderr. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = DEFAULT_EXIT_CODE) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export function commandNotFound(command: string): CliError {
  // ZooKeeperMain passes "Command not found X" and the exception prefixes it again.
  return new CliError(`Command not found: Command not found ${command}`, COMMAND_NOT_FOUND_EXIT_CODE);
}

/** Duck-typed KeeperException from any client implementation: a numeric `code`. */
export function isKeeperError(e: unknown): e is { code: number; path?: string; message: string } {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'number';
}

/** KeeperException.getPath() rendered as Java string concatenation renders it ("null" if absent). */
function pathText(e: { path?: string | null }): string {
  return e.path === undefined || e.path === null ? 'null' : e.path;
}

const SPECIAL_MESSAGES: Partial<Record<Code, (path: string) => string>> = {
  [Code.NoNode]: (p) => `Node does not exist: ${p}`,
  [Code.NoChildrenForEphemerals]: (p) => `Ephemerals cannot have children: ${p}`,
  [Code.NodeExists]: (p) => `Node already exists: ${p}`,
  [Code.NotEmpty]: (p) => `Node not empty: ${p}`,
  [Code.NotReadOnly]: (p) => `Not a read-only call: ${p}`,
  [Code.InvalidACL]: (p) => `Acl is not valid : ${p}`,
  [Code.NoAuth]: (p) => `Insufficient permission : ${p}`,
  [Code.BadArguments]: (p) => `Arguments are not valid : ${p}`,
  [Code.BadVersion]: (p) => `version No is not valid : ${p}`,
  [Code.ReconfigInProgress]: () => 'Another reconfiguration is in progress -- concurrent reconfigs not supported (yet)',
  [Code.NewConfigNoQuorum]: () =>
    'No quorum of new config is connected and up-to-date with the leader of last commmitted config - try invoking reconfiguration after new servers are connected and synced',
  [Code.QuotaExceeded]: (p) => `Quota has exceeded : ${p}`,
};

/** The message of `new CliWrapperException(cause)`. */
export function wrapperMessage(cause: unknown): string {
  if (isKeeperError(cause)) {
    const special = SPECIAL_MESSAGES[cause.code as Code];
    if (special !== undefined) return special(pathText(cause));
    return cause.message;
  }
  if (cause instanceof Error) return cause.message;
  return String(cause);
}

export function cliWrapper(cause: unknown): CliError {
  return new CliError(wrapperMessage(cause));
}

/** A KeeperException carrying the client path, as the Java client's synchronous calls create it. */
export function keeperError(code: number, path: string | undefined): KeeperException {
  return new KeeperException(code as Code, path === undefined || path === '' ? undefined : path);
}
