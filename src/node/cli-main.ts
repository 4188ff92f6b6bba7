// `npm run cli -- -server 127.0.0.1:2181 [cmd args]`: zkCli.sh's behaviour over the ZooTabs client.
import readline from 'node:readline';
import { ZooKeeper } from '../client/zookeeper';
import { tcpConnector } from '../client/node-tcp';
import { parseMainArgs, ZkCli } from '../client/zkcli';

async function main(): Promise<void> {
  const args = parseMainArgs(process.argv.slice(2));
  if (args.error !== null) {
    process.stderr.write(`${args.error}\n`);
    process.exit(1);
  }
  let quitting = false;
  const cli = new ZkCli({
    print: (line) => process.stdout.write(`${line}\n`),
    printErr: (line) => process.stderr.write(`${line}\n`),
    connect: (address, watcher, options) => new ZooKeeper(address, options.sessionTimeoutMs, watcher, { connector: tcpConnector, canBeReadOnly: options.readOnly, random: Math.random }),
    onQuit: (code) => {
      quitting = true;
      process.exit(code);
    },
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    sessionTimeoutMs: args.timeoutMs,
    readOnly: args.readOnly,
  });
  await cli.open(args.server);
  if (args.command !== null) {
    await cli.executeArgs(args.command);
    await cli.client?.close();
    process.exit(cli.exitCode);
  }
  await repl(cli, () => quitting);
}

async function repl(cli: ZkCli, quitting: () => boolean): Promise<void> {
  const rl = readline.createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: process.stdin.isTTY === true,
    completer: (line: string, done: (err: Error | null, result: [string[], string]) => void) => {
      cli.completions(line).then(
        (c) => done(null, [c.candidates, line.slice(c.from)]),
        () => done(null, [[], line]),
      );
    },
  });
  const ask = (): void => {
    rl.setPrompt(cli.prompt());
    rl.prompt();
  };
  ask();
  for await (const line of rl) {
    await cli.execute(line);
    if (quitting()) return;
    ask();
  }
  await cli.client?.close();
  process.exit(cli.exitCode);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
