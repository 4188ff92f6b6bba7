// One ZooKeeper server running in a worker: recovers from storage, hosts the pure core with
// CoreHost, drives its clock from the worker's own timers, accepts client connections as
// MessagePorts and reports traces and status to the page. Free of worker globals, so Node tests can
// run it with MemoryStorage and their own timers.
import { CoreHost } from '../host/core-host';
import type { Storage } from '../storage/storage';
import { Prng } from '../zk/prng';
import { defaultServerConfig, type ServerConfig } from '../zk/server-api';
import { StandaloneServer } from '../zk/standalone-server';
import type { TraceEvent } from '../zk/trace';
import type { Zxid } from '../zk/types';
import { ConnectionPorts } from './connection-ports';
import type { PortLike } from './port-stream';
import { databaseName, type ServerIdentity, type ServerStatus, type WorkerToPage } from './protocol';
import { readServerStatus, sameStatus } from './server-status';
import { TraceBatcher } from './trace-batcher';

/** The clock input period: well under tickTime so session expiry is on time. */
export const CLOCK_PERIOD_MS = 100;
/** The status report period when nothing else prompts one. */
export const STATUS_PERIOD_MS = 1000;

export interface RuntimeTimers {
  setInterval(fn: () => void, periodMs: number): unknown;
  clearInterval(handle: unknown): void;
  /** Runs `fn` soon, after the current turn (batches trace events). */
  defer(fn: () => void): void;
}

export interface RuntimeOptions {
  identity: ServerIdentity;
  tickTimeMs: number;
  storage: Storage;
  post: (message: WorkerToPage) => void;
  /** Wall-clock milliseconds (Stat ctime/mtime come from it). */
  now: () => number;
  seed: number;
  timers: RuntimeTimers;
}

export class ServerRuntime {
  private readonly timerHandles: unknown[] = [];
  private lastStatus: ServerStatus | null = null;
  private stopped = false;

  private constructor(
    private readonly options: RuntimeOptions,
    private readonly server: StandaloneServer,
    private readonly host: CoreHost,
    private readonly ports: ConnectionPorts,
  ) {}

  /** Loads storage, rebuilds the server from snapshot + log, and starts serving. */
  static async start(options: RuntimeOptions): Promise<ServerRuntime> {
    const { storage, post, identity } = options;
    const loaded = await storage.load();
    post({ type: 'recovered', snapshotZxid: loaded.snapshot?.zxid ?? null, logEntries: loaded.log.length, warnings: loaded.warnings });
    const config = serverConfig(identity, options.tickTimeMs);
    let server: StandaloneServer;
    try {
      server = new StandaloneServer(config, new Prng(options.seed), options.now(), {
        snapshot: loaded.snapshot?.bytes ?? null,
        log: loaded.log,
      });
    } catch (error) {
      throw new Error(`recovery of ${databaseName(identity)} failed: ${messageOf(error)}`);
    }
    // The host and the ports refer to each other: ports feed inputs, the host sends through ports.
    let host: CoreHost | null = null;
    const ports = new ConnectionPorts((input) => host?.feed(input));
    let runtime: ServerRuntime | null = null;
    const batcher = new TraceBatcher({
      post: (events) => {
        post({ type: 'trace', events });
        runtime?.reportStatus();
      },
      schedule: options.timers.defer,
    });
    host = new CoreHost(server, storage, ports, {
      now: options.now,
      onTrace: (event: TraceEvent) => batcher.push(event),
      onFatal: (error) => runtime?.fail(`durable write failed, server stopped: ${messageOf(error)}`),
    });
    runtime = new ServerRuntime(options, server, host, ports);
    runtime.begin();
    return runtime;
  }

  get lastZxid(): Zxid {
    return this.server.lastProcessedZxid;
  }

  attach(port: PortLike, remoteAddress: string): void {
    if (this.stopped) {
      port.postMessage({ type: 'close', reason: 'server is stopped' }, []);
      port.close();
      return;
    }
    this.ports.attach(port, remoteAddress);
  }

  /** Stops serving; pending durable writes finish first, then storage closes. */
  async stop(reason = 'server stopped'): Promise<void> {
    if (this.stopped) return;
    this.halt(reason);
    await this.host.drainStorage();
    await this.options.storage.close();
  }

  reportStatus(): void {
    if (this.stopped) return;
    const status = readServerStatus(this.server, this.ports.size);
    if (sameStatus(this.lastStatus, status)) return;
    this.lastStatus = status;
    this.options.post({ type: 'status', status });
  }

  private begin(): void {
    const { timers } = this.options;
    // The first step emits the `recovered` trace.
    this.host.advanceClock();
    this.timerHandles.push(timers.setInterval(() => this.host.advanceClock(), CLOCK_PERIOD_MS));
    this.timerHandles.push(timers.setInterval(() => this.reportStatus(), STATUS_PERIOD_MS));
    this.reportStatus();
    this.options.post({ type: 'phase', phase: 'serving', detail: `serving ${databaseName(this.options.identity)}` });
  }

  private fail(message: string): void {
    this.options.post({ type: 'error', message, fatal: true });
    this.options.post({ type: 'phase', phase: 'failed', detail: message });
    this.halt(message);
  }

  private halt(reason: string): void {
    this.stopped = true;
    for (const handle of this.timerHandles) this.options.timers.clearInterval(handle);
    this.timerHandles.length = 0;
    this.host.stop();
    this.ports.closeAll(reason);
  }
}

export function serverConfig(identity: ServerIdentity, tickTimeMs: number): ServerConfig {
  return defaultServerConfig({
    serverId: identity.myid,
    tickTimeMs,
    extendedTypesEnabled: true,
    fourLetterWords: '*',
    hostInfo: { dataDir: `indexeddb:${databaseName(identity)}`, clientPort: 'MessagePort' },
  });
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
