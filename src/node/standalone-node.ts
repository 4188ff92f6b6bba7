// Starts a standalone ZooTabs server in Node from a parsed zoo.cfg: file storage in dataDir,
// recovery from snapshot + log, the pure core behind a CoreHost, TCP on clientPort.
import os from 'node:os';
import path from 'node:path';
import { FileStorage } from '../storage/file-storage';
import { StandaloneServer } from '../zk/standalone-server';
import { defaultServerConfig, type ServerConfig } from '../zk/server-api';
import { Prng } from '../zk/prng';
import type { ZooCfg } from './zoo-cfg';
import { CoreHost } from '../host/core-host';
import { listenTcp, type TcpListener } from './tcp-listener';
import type { TraceEvent } from '../zk/trace';

export interface RunningServer {
  readonly port: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  log: (line: string) => void;
  onTrace?: (event: TraceEvent) => void;
}

export function serverConfigFromCfg(cfg: ZooCfg, serverId: number, traceEnabled = false): ServerConfig {
  return defaultServerConfig({
    serverId,
    traceEnabled,
    tickTimeMs: cfg.tickTimeMs,
    minSessionTimeoutMs: cfg.minSessionTimeoutMs,
    maxSessionTimeoutMs: cfg.maxSessionTimeoutMs,
    snapCount: cfg.snapCount,
    maxClientCnxns: cfg.maxClientCnxns,
    superDigest: cfg.superDigest,
    fourLetterWords: cfg.fourLetterWords,
    extendedTypesEnabled: cfg.extendedTypesEnabled,
    maxBufferBytes: cfg.maxBufferBytes,
    hostInfo: {
      clientPort: String(cfg.clientPort),
      dataDir: path.join(path.resolve(cfg.dataDir), 'version-2'),
      dataLogDir: path.join(path.resolve(cfg.dataLogDir), 'version-2'),
      'host.name': os.hostname(),
      'java.version': 'n/a (ZooTabs on Node ' + process.version + ')',
      'os.name': os.type(),
      'os.arch': os.arch(),
      'os.version': os.release(),
      'user.name': os.userInfo().username,
      'user.dir': process.cwd(),
    },
  });
}

export async function startStandalone(cfg: ZooCfg, options: StartOptions): Promise<RunningServer> {
  const storage = new FileStorage({ dataDir: cfg.dataDir, dataLogDir: cfg.dataLogDir });
  const loaded = await storage.load();
  for (const warning of loaded.warnings) options.log(`WARN ${warning}`);
  const startMs = Date.now();
  const seed = startMs >>> 0;
  const server = new StandaloneServer(serverConfigFromCfg(cfg, 0, options.onTrace !== undefined), new Prng(seed), startMs, {
    snapshot: loaded.snapshot?.bytes ?? null,
    log: loaded.log,
  });
  let listener: TcpListener | null = null;
  const host: CoreHost = new CoreHost(
    server,
    storage,
    {
      send: (connection, bytes) => listener?.send(connection, bytes),
      close: (connection) => listener?.close(connection),
    },
    {
      now: () => Date.now(),
      onTrace: options.onTrace,
      onFatal: (error) => {
        options.log(`FATAL durable write failed, stopping to avoid acknowledging lost writes: ${String(error)}`);
        process.exit(2);
      },
    },
  );
  host.advanceClock();
  listener = await listenTcp(cfg.clientPortAddress, cfg.clientPort, (input) => host.feed(input));
  // The core derives expiry and cleanup from clock inputs; a fraction of a tick keeps them timely.
  const clockTimer = setInterval(() => host.advanceClock(), Math.max(10, Math.min(100, Math.floor(cfg.tickTimeMs / 4))));
  const purgeTimer = startAutopurge(cfg, storage, options.log);
  options.log(`ZooTabs standalone server serving on ${cfg.clientPortAddress}:${listener.port}, zxid ${'0x' + server.lastProcessedZxid.toString(16)}`);
  const running = listener;
  return {
    port: running.port,
    async stop() {
      clearInterval(clockTimer);
      if (purgeTimer !== null) clearInterval(purgeTimer);
      await running.shutdown();
      await host.drainStorage();
      host.stop();
      await storage.close();
    },
  };
}

function startAutopurge(cfg: ZooCfg, storage: FileStorage, log: (line: string) => void): NodeJS.Timeout | null {
  if (cfg.autopurgePurgeIntervalHours <= 0) return null;
  const everyMs = cfg.autopurgePurgeIntervalHours * 3_600_000;
  return setInterval(() => {
    storage.purge(cfg.autopurgeSnapRetainCount).then(
      () => log(`autopurge: kept the newest ${cfg.autopurgeSnapRetainCount} snapshots`),
      (error: unknown) => log(`WARN autopurge failed: ${String(error)}`),
    );
  }, everyMs);
}
