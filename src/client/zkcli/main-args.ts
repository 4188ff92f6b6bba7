// zkCli.sh's own arguments (ZooKeeperMain.MyCommandOptions.parseOptions): -server, -timeout, -r,
// -client-configuration, -waitforconnection, then an optional command with its words as given.
// Unknown "-x" flags are ignored, as zkCli ignores them.

export interface MainArgs {
  server: string;
  timeoutMs: number;
  readOnly: boolean;
  clientConfiguration: string | null;
  waitForConnection: boolean;
  /** The one-shot command and its arguments, or null for the interactive shell. */
  command: string[] | null;
  /** "Error: no argument found for option -server" when an option lacks its value. */
  error: string | null;
}

const VALUE_OPTIONS = new Set(['-server', '-timeout', '-client-configuration']);

export function parseMainArgs(argv: readonly string[]): MainArgs {
  const result: MainArgs = {
    server: 'localhost:2181',
    timeoutMs: 30000,
    readOnly: false,
    clientConfiguration: null,
    waitForConnection: false,
    command: null,
    error: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const opt = argv[i] as string;
    if (VALUE_OPTIONS.has(opt)) {
      const value = argv[i + 1];
      if (value === undefined) {
        result.error = `Error: no argument found for option ${opt}`;
        return result;
      }
      i++;
      if (opt === '-server') result.server = value;
      else if (opt === '-timeout') result.timeoutMs = Number.parseInt(value, 10);
      else result.clientConfiguration = value;
    } else if (opt === '-r') {
      result.readOnly = true;
    } else if (opt === '-waitforconnection') {
      result.waitForConnection = true;
    } else if (!opt.startsWith('-')) {
      result.command = argv.slice(i);
      return result;
    }
  }
  return result;
}
