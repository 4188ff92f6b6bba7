// Starts OUR server (`npx tsx src/node/zk-main.ts <zoo.cfg>`) on a free port with a temp zoo.cfg,
// waits until it speaks the ZooKeeper protocol, and stops it (the whole process group we spawned).
// ZK_COMPAT_CONNECT=host:port skips the launch and uses a server that is already running.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zookeeper from 'node-zookeeper-client';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ZK_MAIN = path.join(REPO_ROOT, 'src/node/zk-main.ts');
const READY_TIMEOUT_MS = 60_000;
const PROBE_TIMEOUT_MS = 2_000;
const STOP_TIMEOUT_MS = 10_000;

export interface RunningServer {
  connectString: string;
  logFile?: string;
  stop(): Promise<void>;
}

/** True when the compat tests should run against our server. */
export function ourServerAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  return !!env.ZK_COMPAT_CONNECT || existsSync(ZK_MAIN);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host: '127.0.0.1' }, () => {
      const addr = srv.address() as net.AddressInfo;
      srv.close(() => resolve(addr.port));
    });
  });
}

/** One ZooKeeper handshake with node-zookeeper-client: proves the server is really serving. */
export function probeSession(connectString: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const c = zookeeper.createClient(connectString, { sessionTimeout: 10_000, spinDelay: 100 });
    const done = (ok: boolean): void => {
      clearTimeout(t);
      c.removeAllListeners();
      if (ok) c.close();
      else (c.connectionManager.socket as net.Socket | undefined)?.destroy();
      resolve(ok);
    };
    const t = setTimeout(() => done(false), timeoutMs);
    c.once('connected', () => done(true));
    c.connect();
  });
}

export async function startOurServer(): Promise<RunningServer> {
  const external = process.env.ZK_COMPAT_CONNECT;
  if (external) return { connectString: external, stop: async () => undefined };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zootabs-compat-'));
  const dataDir = path.join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const cfg = path.join(dir, 'zoo.cfg');
  // Same settings the Apache golden run used (-Dzookeeper.extendedTypesEnabled=true, 4lw "*").
  const lines = [`tickTime=2000`, `dataDir=${dataDir}`, `clientPort=${port}`, 'extendedTypesEnabled=true', '4lw.commands.whitelist=*'];
  writeFileSync(cfg, lines.join('\n') + '\n');
  const logFile = path.join(dir, 'server.log');
  const fd = openSync(logFile, 'a');
  // detached: its own process group, so stop() reaches tsx's child node process too.
  const child = spawn('npx', ['tsx', ZK_MAIN, cfg], { cwd: REPO_ROOT, stdio: ['ignore', fd, fd], detached: true });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const connectString = `127.0.0.1:${port}`;
  const stop = () => stopGroup(child, () => exited);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await probeSession(connectString))) {
    if (exited || Date.now() > deadline) {
      await stop();
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
      throw new Error(`our server did not come up on ${connectString} (${exited ? 'exited' : 'timeout'}); log ${logFile}:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  // The temp dir is kept when startup fails (its log is in the error), removed after a clean stop.
  return {
    connectString,
    logFile,
    stop: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function stopGroup(child: ChildProcess, exited: () => boolean): Promise<void> {
  if (child.pid === undefined || exited()) return;
  const signal = (s: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, s);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (!exited() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (!exited()) signal('SIGKILL');
}
