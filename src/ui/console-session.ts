// The console's zkCli: the real interpreter with its own client session to the tab's server (as a
// zkCli.sh process would have), its output lines going into the store.
import type { Connector } from '../net/byte-stream';
import { ZooKeeper } from '../client/zookeeper';
import { ZkCli, type Completion } from '../client/zkcli';
import { APP_SPIN_DELAY } from './page-session';
import { appendConsole, type AppStore } from './store';

export const HISTORY_MAX = 500;
const PROMPT_REFRESH_MS = 500;

export class ConsoleSession {
  private readonly cli: ZkCli;
  private readonly history: string[] = [];
  private timer: ReturnType<typeof setInterval> | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: AppStore,
    connector: Connector,
    private readonly address: string,
  ) {
    this.cli = new ZkCli({
      print: (line) => appendConsole(store, 'out', line),
      printErr: (line) => appendConsole(store, 'err', line),
      connect: (addr, watcher, options) => new ZooKeeper(addr, options.sessionTimeoutMs, watcher, { connector, canBeReadOnly: options.readOnly, spinDelay: APP_SPIN_DELAY }),
      onQuit: () => appendConsole(store, 'err', 'Quit: the session is closed; type "connect" to open a new one.'),
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    });
  }

  async open(): Promise<void> {
    await this.cli.open(this.address);
    this.refreshPrompt();
    // The prompt shows the client state, which changes without a command (e.g. on connect).
    this.timer = setInterval(() => this.refreshPrompt(), PROMPT_REFRESH_MS);
  }

  /** Lines typed while one runs wait their turn, so each echo sits right above its own output. */
  run(line: string): Promise<void> {
    if (line.trim() !== '' && this.history[this.history.length - 1] !== line) {
      this.history.push(line);
      if (this.history.length > HISTORY_MAX) this.history.shift();
    }
    const run = this.queue.then(async () => {
      appendConsole(this.store, 'cmd', this.cli.prompt() + line);
      await this.cli.execute(line);
      this.refreshPrompt();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  complete(buffer: string): Promise<Completion> {
    return this.cli.completions(buffer);
  }

  /** Typed lines, oldest first (Up walks back through them). */
  get lines(): readonly string[] {
    return this.history;
  }

  close(): void {
    if (this.timer !== null) clearInterval(this.timer);
    void this.cli.client?.close();
  }

  private refreshPrompt(): void {
    const prompt = this.cli.prompt();
    if (this.store.getState().prompt !== prompt) this.store.setState({ prompt });
  }
}
