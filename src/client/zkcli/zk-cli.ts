// The zkCli interpreter (ZooKeeperMain): reads one line at a time, keeps the numbered history,
// handles connect/history/redo/printwatches/quit itself and hands every other command to its
// CliCommand. Output goes to two line sinks standing for System.out and System.err.
import type { Watcher, WatchedEvent, ZooKeeperApi } from '../api';
import { CliError, commandNotFound } from './cli-errors';
import { CommandTable } from './command-table';
import type { CommandContext, ReconfigFn } from './command';
import { completeLine, type Completion } from './completion';
import { decodeJavaInt, JavaException } from './java-text';
import { Output } from './output';
import { tokenizeCommand } from './tokenize';
import { formatWatchedEvent, type EventFormat } from './watched-event';
import { ZkCalls } from './zk-calls';

export interface ConnectOptions {
  /** Session timeout zkCli asks for (-timeout, default 30000). */
  readonly sessionTimeoutMs: number;
  /** -r: allow a read-only connection. */
  readonly readOnly: boolean;
}

/** A client that can also reconfigure the ensemble (ZooKeeperAdmin); optional. */
export interface ZooKeeperAdminApi extends ZooKeeperApi {
  reconfig: ReconfigFn;
}

export interface ZkCliOptions {
  /** One line of standard output (no trailing newline). */
  print(line: string): void;
  /** One line of standard error. */
  printErr(line: string): void;
  /** Creates a client for `address` ("host:port,..."), with `watcher` as its default watcher. */
  connect(address: string, watcher: Watcher, options: ConnectOptions): ZooKeeperApi | Promise<ZooKeeperApi>;
  /** Called by `quit` after the session is closed, with the exit code zkCli would exit with. */
  onQuit?(exitCode: number): void;
  /** IANA zone for Stat times (Java prints the JVM's zone). Default 'UTC'. */
  timeZone?: string;
  /** WatchedEvent text: '3.8' (default, no zxid) or '3.9' (adds " zxid: N"). */
  eventFormat?: EventFormat;
  /** What `version` prints after "ZooKeeper CLI version: ". */
  cliVersion?: string;
  sessionTimeoutMs?: number;
  readOnly?: boolean;
}

const HISTORY_SHOWN = 10;
const MAX_HISTORY_ENTRIES = 10_000;
const DEFAULT_VERSION = '3.8.0';

function isAlive(zk: ZooKeeperApi | undefined): zk is ZooKeeperApi {
  if (zk === undefined) return false;
  const state = zk.getState();
  return state !== 'CLOSED' && state !== 'AUTH_FAILED';
}

export class ZkCli {
  private readonly out: Output;
  private readonly err: Output;
  private readonly table = new CommandTable();
  private readonly history = new Map<number, string>();
  private zk: ZooKeeperApi | undefined;
  private host = '';
  private count = 0;
  private watchesPrinted = true;
  private code = 0;
  /** The last parsed words; a line that yields none re-runs them, as zkCli does. */
  private words: string[] | null = null;
  private queue: Promise<void> = Promise.resolve();
  private readonly watcher: Watcher = (event) => this.printEvent(event);

  constructor(private readonly options: ZkCliOptions) {
    this.out = new Output((line) => options.print(line));
    this.err = new Output((line) => options.printErr(line));
  }

  /** zkCli's start-up: prints "Connecting to <address>" and connects. */
  async open(address: string): Promise<void> {
    this.out.println(`Connecting to ${address}`);
    try {
      await this.connectTo(address);
    } catch (e) {
      this.reportUncaught(e);
    }
  }

  /** Runs one typed line. Calls are serialized: each waits for the previous one to finish. */
  execute(line: string): Promise<void> {
    const run = this.queue.then(() => this.executeLine(line));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** One-shot mode (`zkCli.sh -server h cmd args...`): the words as given, no history entry. */
  executeArgs(words: readonly string[]): Promise<void> {
    const run = this.queue.then(async () => {
      this.words = [...words];
      await this.processCmd(this.words);
      this.flush();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Tab completion of the text before the cursor (JLineZNodeCompleter). */
  completions(buffer: string): Promise<Completion> {
    return completeLine(buffer, this.table.names(), (dir) => {
      if (this.zk === undefined) return Promise.reject(new Error('not connected'));
      return this.zk.getChildren(dir, false);
    });
  }

  /** "[zk: 127.0.0.1:2181(CONNECTED) 3] " */
  prompt(): string {
    return `[zk: ${this.host}(${this.zk?.getState() ?? 'CLOSED'}) ${this.count}] `;
  }

  /** Exit status of the last command (0, 1, or 127 for an unknown command). */
  get exitCode(): number {
    return this.code;
  }
  get printWatches(): boolean {
    return this.watchesPrinted;
  }
  /** Number of lines executed so far: the next history index. */
  get commandCount(): number {
    return this.count;
  }
  /** The current client, if any. */
  get client(): ZooKeeperApi | undefined {
    return this.zk;
  }

  private async executeLine(line: string): Promise<void> {
    if (line === '') return;
    const words = tokenizeCommand(line);
    if (words.length > 0) this.words = words;
    this.history.set(this.count, line);
    this.history.delete(this.count - MAX_HISTORY_ENTRIES);
    await this.processCmd(this.words ?? []);
    this.count++;
    this.flush();
  }

  private flush(): void {
    this.out.flush();
    this.err.flush();
  }

  private async processCmd(words: string[]): Promise<void> {
    try {
      await this.processZkCmd(words);
      this.code = 0;
    } catch (e) {
      if (e instanceof CliError) {
        this.code = e.exitCode;
        this.err.println(e.message);
      } else {
        this.reportUncaught(e);
      }
    }
  }

  /** zkCli dies on these; the interpreter reports them as the JVM would and carries on. */
  private reportUncaught(e: unknown): void {
    this.code = 1;
    if (e instanceof JavaException) this.err.println(`Exception in thread "main" ${e.toString()}`);
    else this.err.println(e instanceof Error ? e.message : String(e));
  }

  private async processZkCmd(words: string[]): Promise<void> {
    const cmd = words[0];
    if (cmd === undefined) {
      this.printUsage();
      throw new CliError('No command entered');
    }
    if (!this.table.has(cmd)) {
      this.printUsage();
      throw commandNotFound(cmd);
    }
    if (cmd === 'quit') {
      await this.quit();
      return;
    } else if (cmd === 'redo' && words.length >= 2) {
      await this.redo(words[1] as string);
    } else if (cmd === 'history') {
      this.printHistory();
    } else if (cmd === 'printwatches') {
      if (words.length === 1) this.out.println(`printwatches is ${this.watchesPrinted ? 'on' : 'off'}`);
      else this.watchesPrinted = words[1] === 'on';
    } else if (cmd === 'connect') {
      await this.connectTo(words.length >= 2 ? (words[1] as string) : this.host);
    }
    // Everything below needs a live session (zkCli checks even after history/printwatches).
    if (!isAlive(this.zk)) {
      this.out.println('Not connected');
      return;
    }
    const command = this.table.cliCommands.get(cmd);
    if (command !== undefined) await command.run([...words], this.context(this.zk));
  }

  private async redo(indexText: string): Promise<void> {
    const index = decodeJavaInt(indexText);
    const line = this.history.get(index);
    if (this.count <= index || index < 0 || line === undefined) throw new CliError('Command index out of range');
    const words = tokenizeCommand(line);
    if (words.length > 0) this.words = words;
    const current = this.words ?? [];
    if (current[0] === 'redo') throw new CliError('No redoing redos');
    this.history.set(this.count, line);
    await this.processCmd(current);
  }

  private printHistory(): void {
    for (let i = Math.max(0, this.count - HISTORY_SHOWN); i <= this.count; i++) {
      this.out.println(`${i} - ${this.history.get(i) ?? 'null'}`);
    }
  }

  private printUsage(): void {
    for (const line of this.table.usageLines()) this.err.println(line);
  }

  private async quit(): Promise<void> {
    if (this.zk !== undefined) await this.zk.close().catch(() => undefined);
    this.flush();
    this.options.onQuit?.(this.code);
  }

  private async connectTo(address: string): Promise<void> {
    if (isAlive(this.zk)) await this.zk.close().catch(() => undefined);
    this.host = address;
    this.zk = await this.options.connect(address, this.watcher, {
      sessionTimeoutMs: this.options.sessionTimeoutMs ?? 30_000,
      readOnly: this.options.readOnly ?? false,
    });
  }

  private context(zk: ZooKeeperApi): CommandContext {
    const admin = zk as Partial<ZooKeeperAdminApi>;
    return {
      zk: new ZkCalls(zk),
      out: this.out,
      err: this.err,
      watcher: this.watcher,
      timeZone: this.options.timeZone ?? 'UTC',
      cliVersion: this.options.cliVersion ?? DEFAULT_VERSION,
      reconfig: typeof admin.reconfig === 'function' ? admin.reconfig.bind(zk) : undefined,
    };
  }

  private printEvent(event: WatchedEvent): void {
    if (!this.watchesPrinted) return;
    this.out.println('');
    this.out.println('WATCHER::');
    this.out.println('');
    this.out.println(formatWatchedEvent(event, this.options.eventFormat ?? '3.8'));
  }
}
