// Spawns a ZooKeeper-compatible server (ours or Apache) from a zoo.cfg as its own process group, so
// `kill -9` reaches the real server even behind npm/tsx wrappers, and every group we started is
// killed when the benchmark exits, however it exits.
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync, closeSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import zookeeper from 'node-zookeeper-client';
import { apacheClasspath, fourLetterWord, javaArgs } from '../scripts/apache/apache-zk.mjs';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');

export interface CfgSettings {
  dataDir: string;
  clientPort: number;
  /** Omitted: the server's default (Apache: 100000). */
  snapCount?: number;
}

/** The one zoo.cfg text both servers read. */
export function zooCfgText(settings: CfgSettings): string {
  const lines = [
    'tickTime=2000',
    'initLimit=10',
    'syncLimit=5',
    `dataDir=${settings.dataDir}`,
    `clientPort=${settings.clientPort}`,
    'clientPortAddress=127.0.0.1',
    'maxClientCnxns=0',
    'admin.enableServer=false',
    '4lw.commands.whitelist=*',
    'autopurge.purgeInterval=0',
  ];
  if (settings.snapCount !== undefined) lines.push(`snapCount=${settings.snapCount}`);
  return lines.join('\n') + '\n';
}

export function writeZooCfg(dir: string, settings: CfgSettings): string {
  const cfgPath = path.join(dir, 'zoo.cfg');
  writeFileSync(cfgPath, zooCfgText(settings));
  return cfgPath;
}

/** How a server is launched; `command` gets the zoo.cfg path. */
export interface Launcher {
  label: string;
  command(cfgPath: string): { file: string; args: string[] };
}

export const apacheLauncher: Launcher = {
  label: 'Apache (java ZooKeeperServerMain)',
  command: (cfgPath) => {
    apacheClasspath(); // throws a clear error when the Debian package is missing
    return { file: 'java', args: javaArgs('org.apache.zookeeper.server.ZooKeeperServerMain', cfgPath) };
  },
};

/** Ours in one process: tsx registered as a loader, so the pid is the server itself. */
export function oursTsxLauncher(nodeFlags: string[] = []): Launcher {
  return {
    label: 'ours (node --import tsx)',
    command: (cfgPath) => ({ file: process.execPath, args: [...nodeFlags, '--import', 'tsx', 'src/node/zk-main.ts', cfgPath] }),
  };
}

/** Ours exactly as documented: `npm run zk -- cfg` (npm -> sh -> tsx cli -> node). */
export const oursNpmLauncher: Launcher = {
  label: 'ours (npm run zk)',
  command: (cfgPath) => ({ file: 'npm', args: ['run', '--silent', 'zk', '--', cfgPath] }),
};

/** Ours from a prebuilt bundle: no TypeScript transform at startup. */
export function oursBundleLauncher(bundlePath: string): Launcher {
  return {
    label: 'ours (prebuilt JS bundle)',
    command: (cfgPath) => ({ file: process.execPath, args: [bundlePath, cfgPath] }),
  };
}

export interface ServerProcess {
  readonly pid: number;
  readonly spawnedAtNs: bigint;
  readonly logFile: string;
  /** SIGKILL to the whole process group; resolves once the group is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (lets Node write --cpu-prof output, Java run shutdown hooks), SIGKILL after a grace period. */
  stop(graceMs?: number): Promise<void>;
}

const liveGroups = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => process.exit(130));
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitGroupGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(10);
  }
  return true;
}

export function spawnServer(launcher: Launcher, cfgPath: string, logFile: string): ServerProcess {
  installExitHook();
  const { file, args } = launcher.command(cfgPath);
  const fd = openSync(logFile, 'a');
  const spawnedAtNs = process.hrtime.bigint();
  const child: ChildProcess = spawn(file, args, { cwd: REPO_ROOT, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not spawn ${file}`);
  liveGroups.add(pid);
  child.on('error', () => undefined);
  const kill9 = async (): Promise<void> => {
    killGroup(pid, 'SIGKILL');
    await waitGroupGone(pid, 10_000);
    liveGroups.delete(pid);
  };
  return {
    pid,
    spawnedAtNs,
    logFile,
    kill9,
    async stop(graceMs = 10_000) {
      killGroup(pid, 'SIGTERM');
      if (!(await waitGroupGone(pid, graceMs))) await kill9();
      liveGroups.delete(pid);
    },
  };
}

const PROBE_EVERY_MS = 10;
const PROBE_TIMEOUT_MS = 500;

/** True once `srvr` reports a serving mode (standalone/leader/follower). */
async function reportsServing(port: number): Promise<boolean> {
  const reply = await fourLetterWord(port, 'srvr', PROBE_TIMEOUT_MS).catch(() => '');
  return /^Mode: (standalone|leader|follower)/m.test(reply);
}

function sessionGetData(connectString: string, timeoutMs: number): Promise<void> {
  const client = zookeeper.createClient(connectString, { sessionTimeout: 30_000, spinDelay: PROBE_EVERY_MS, retries: 0 });
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${connectString}: no session + getData within ${timeoutMs} ms`)), timeoutMs);
    client.once('connected', () =>
      client.getData('/', (error: Error | null) => {
        clearTimeout(timer);
        if (error === null) resolve();
        else reject(error);
      }),
    );
    client.connect();
  }).finally(() => client.close());
}

/**
 * Resolves with the milliseconds from spawn until a client session connected and getData('/')
 * succeeded: the first moment the server is of use to a client. It polls `srvr` first (every
 * PROBE_EVERY_MS) because Apache accepts connections while it loads its database, and a session
 * attempt in that window is left hanging (a NullPointerException in Apache's close path) instead of
 * being closed, which would make node-zookeeper-client wait forever.
 */
export async function waitServing(server: ServerProcess, connectString: string, timeoutMs = 120_000): Promise<number> {
  const port = Number(connectString.split(':')[1]);
  const deadline = Date.now() + timeoutMs;
  while (!(await reportsServing(port))) {
    if (Date.now() > deadline) throw new Error(`${connectString} not serving after ${timeoutMs} ms (log: ${server.logFile})`);
    await sleep(PROBE_EVERY_MS);
  }
  await sessionGetData(connectString, Math.max(1_000, deadline - Date.now()));
  return Number(process.hrtime.bigint() - server.spawnedAtNs) / 1e6;
}
