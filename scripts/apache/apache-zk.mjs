#!/usr/bin/env node
// Start/stop a real Apache ZooKeeper (Debian package `zookeeper`, 3.8.0) for the compatibility
// harness: standalone or a 3-server ensemble on 127.0.0.1, from a generated zoo.cfg in a temp dir.
//
// Library use (from .mjs or .ts; types in apache-zk.d.mts):
//   const zk = await startApacheStandalone({ clientPort: 21810 });  ... await zk.stop();
//   const ens = await startApacheEnsemble({ basePort: 22180 });      ... await ens.stop();
// CLI:
//   node scripts/apache/apache-zk.mjs standalone [--port N (default: a free port)] [--dir D] [--detach]
//   node scripts/apache/apache-zk.mjs ensemble   [--base-port 22180] [--dir D] [--detach]
//   node scripts/apache/apache-zk.mjs stop --dir D        (stops a --detach'ed run)
//   node scripts/apache/apache-zk.mjs version
// Without --detach the server runs in the foreground until Ctrl-C / SIGTERM, then is stopped.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const JAVA_DIR = '/usr/share/java';
const MAIN_STANDALONE = 'org.apache.zookeeper.server.ZooKeeperServerMain';
const MAIN_QUORUM = 'org.apache.zookeeper.server.quorum.QuorumPeerMain';
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** Debian's zookeeper.jar names its dependencies in its manifest Class-Path; we only add a logger. */
export function apacheClasspath() {
  const jar = path.join(JAVA_DIR, 'zookeeper.jar');
  if (!existsSync(jar)) {
    throw new Error(`${jar} not found: install the Debian package with "apt-get install -y zookeeper"`);
  }
  const logger = path.join(JAVA_DIR, 'slf4j-simple.jar');
  return existsSync(logger) ? `${jar}:${logger}` : jar;
}

/** The Apache version, from the versioned jar name (e.g. zookeeper-3.8.0.jar -> "3.8.0"). */
export function apacheVersion() {
  const names = readdirSync(JAVA_DIR).filter((n) => /^zookeeper-\d+\.\d+\.\d+\.jar$/.test(n));
  const m = names[0]?.match(/^zookeeper-(\d+\.\d+\.\d+)\.jar$/);
  return m ? m[1] : 'unknown';
}

export function javaArgs(mainClass, cfgPath, extraProps = {}) {
  const props = {
    'zookeeper.extendedTypesEnabled': 'true',
    'zookeeper.4lw.commands.whitelist': '*',
    'zookeeper.admin.enableServer': 'false',
    'org.slf4j.simpleLogger.showDateTime': 'true',
    ...extraProps,
  };
  return [
    '-Xmx256m',
    ...Object.entries(props).map(([k, v]) => `-D${k}=${v}`),
    '-cp',
    apacheClasspath(),
    mainClass,
    cfgPath,
  ];
}

/** Sends a four-letter word; resolves with the full reply ('' if the server closed without one). */
export function fourLetterWord(port, word, timeoutMs = 2000, host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const chunks = [];
    const sock = net.connect({ host, port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`${word} on ${host}:${port}: timeout`));
    }, timeoutMs);
    sock.on('connect', () => sock.write(word));
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until `ruok` answers `imok` and `srvr` reports a serving mode (standalone/leader/follower).
 * `isAlive` lets us fail fast when the process died instead of waiting for the timeout.
 */
export async function waitReady(port, { timeoutMs = READY_TIMEOUT_MS, isAlive = () => true, logFile } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (!isAlive()) break;
    try {
      const ruok = await fourLetterWord(port, 'ruok');
      if (ruok === 'imok') {
        const srvr = await fourLetterWord(port, 'srvr');
        const mode = srvr.match(/^Mode: (\S+)/m)?.[1];
        if (mode === 'standalone' || mode === 'leader' || mode === 'follower') return srvr;
        last = srvr.trim();
      } else {
        last = ruok;
      }
    } catch (e) {
      last = String(e?.message ?? e);
    }
    await sleep(200);
  }
  const tail = logFile && existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n') : '';
  throw new Error(`Apache ZooKeeper on 127.0.0.1:${port} not ready (${isAlive() ? 'timeout' : 'process exited'}): ${last}\n${tail}`);
}

export function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1' }, () => srv.close(() => resolve(true)));
  });
}

/** A port the OS says is free right now (bind to 0, read, close). */
export function findFreePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function spawnJava(args, logFile, detach) {
  const fd = openSync(logFile, 'a');
  const child = spawn('java', args, { stdio: ['ignore', fd, fd], detached: detach });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  if (detach) child.unref();
  return { child, isAlive: () => !exited };
}

/** SIGTERM (Java runs its shutdown hooks), then SIGKILL if it lingers. */
export async function stopPid(pid, timeoutMs = STOP_TIMEOUT_MS) {
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (alive() && Date.now() < deadline) await sleep(100);
  if (alive()) process.kill(pid, 'SIGKILL');
  while (alive()) await sleep(50);
}

function baseCfg(dataDir, clientPort) {
  return [
    'tickTime=2000',
    'initLimit=10',
    'syncLimit=5',
    `dataDir=${dataDir}`,
    `clientPort=${clientPort}`,
    'clientPortAddress=127.0.0.1',
    'maxClientCnxns=0',
    'admin.enableServer=false',
    '4lw.commands.whitelist=*',
    'autopurge.purgeInterval=0',
  ];
}

/**
 * Standalone server (ZooKeeperServerMain, like `zkServer.sh start` with no server.N lines).
 * Returns { version, clientPort, connectString, dir, pid, logFile, srvr, stop() }.
 */
export async function startApacheStandalone({ clientPort, dir, detach = false, extraProps } = {}) {
  clientPort ??= await findFreePort();
  if (!(await portIsFree(clientPort))) throw new Error(`port ${clientPort} is already in use`);
  const root = dir ?? mkdtempSync(path.join(os.tmpdir(), 'apache-zk-'));
  const dataDir = path.join(root, 'data');
  mkdirSync(dataDir, { recursive: true });
  const cfgPath = path.join(root, 'zoo.cfg');
  writeFileSync(cfgPath, baseCfg(dataDir, clientPort).join('\n') + '\n');
  const logFile = path.join(root, 'zookeeper.log');
  const { child, isAlive } = spawnJava(javaArgs(MAIN_STANDALONE, cfgPath, extraProps), logFile, detach);
  const pid = child.pid;
  writeFileSync(path.join(root, 'state.json'), JSON.stringify({ kind: 'standalone', pids: [pid], ports: [clientPort] }));
  let srvr;
  try {
    srvr = await waitReady(clientPort, { isAlive, logFile });
  } catch (e) {
    await stopPid(pid);
    throw e;
  }
  return {
    version: srvr.match(/^Zookeeper version: ([^,-]+)/m)?.[1] ?? apacheVersion(),
    clientPort,
    connectString: `127.0.0.1:${clientPort}`,
    dir: root,
    pid,
    logFile,
    srvr,
    // A temp dir we created is removed on stop (pass `dir` to keep logs and data).
    stop: async () => {
      await stopPid(pid);
      if (dir === undefined && !detach) rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * 3-server ensemble (QuorumPeerMain), one dir per server with its myid. Client ports are
 * basePort+1..3; quorum ports basePort+11..13; election ports basePort+21..23.
 */
export async function startApacheEnsemble({ basePort = 22180, size = 3, dir, detach = false, extraProps } = {}) {
  const root = dir ?? mkdtempSync(path.join(os.tmpdir(), 'apache-zk-ens-'));
  const ids = Array.from({ length: size }, (_, i) => i + 1);
  const clientPort = (id) => basePort + id;
  for (const id of ids) {
    for (const p of [clientPort(id), basePort + 10 + id, basePort + 20 + id]) {
      if (!(await portIsFree(p))) throw new Error(`port ${p} is already in use`);
    }
  }
  const serverLines = ids.map((id) => `server.${id}=127.0.0.1:${basePort + 10 + id}:${basePort + 20 + id};127.0.0.1:${clientPort(id)}`);
  const procs = [];
  for (const id of ids) {
    const sdir = path.join(root, `server${id}`);
    const dataDir = path.join(sdir, 'data');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, 'myid'), `${id}\n`);
    const cfgPath = path.join(sdir, 'zoo.cfg');
    writeFileSync(cfgPath, [...baseCfg(dataDir, clientPort(id)), 'standaloneEnabled=false', ...serverLines].join('\n') + '\n');
    const logFile = path.join(sdir, 'zookeeper.log');
    procs.push({ id, logFile, ...spawnJava(javaArgs(MAIN_QUORUM, cfgPath, extraProps), logFile, detach) });
  }
  const pids = procs.map((p) => p.child.pid);
  const ports = ids.map(clientPort);
  writeFileSync(path.join(root, 'state.json'), JSON.stringify({ kind: 'ensemble', pids, ports }));
  const stop = async () => {
    for (const pid of pids) await stopPid(pid);
    if (dir === undefined && !detach) rmSync(root, { recursive: true, force: true });
  };
  const modes = {};
  try {
    for (const p of procs) {
      const srvr = await waitReady(clientPort(p.id), { isAlive: p.isAlive, logFile: p.logFile });
      modes[p.id] = srvr.match(/^Mode: (\S+)/m)?.[1];
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    version: apacheVersion(),
    clientPorts: ports,
    connectString: ports.map((p) => `127.0.0.1:${p}`).join(','),
    dir: root,
    pids,
    modes,
    stop,
  };
}

/** Stops a run started with --detach, from its state.json. */
export async function stopFromDir(dir) {
  const state = JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8'));
  for (const pid of state.pids) await stopPid(pid);
}

function parseArgs(argv) {
  const out = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--detach') out.detach = true;
    else if (a.startsWith('--')) out[a.slice(2)] = argv[++i];
    else out._.push(a);
  }
  return out;
}

async function runForeground(handle) {
  console.log(JSON.stringify({ ...handle, stop: undefined, srvr: undefined }, null, 2));
  await new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await handle.stop();
  console.log('stopped');
}

async function cli() {
  const args = parseArgs(process.argv.slice(2));
  const cmd = args._[0];
  if (cmd === 'version') {
    console.log(apacheVersion());
  } else if (cmd === 'standalone') {
    const h = await startApacheStandalone({ clientPort: args.port === undefined ? undefined : Number(args.port), dir: args.dir, detach: !!args.detach });
    if (args.detach) console.log(`started pid ${h.pid} on ${h.connectString}; stop with: node scripts/apache/apache-zk.mjs stop --dir ${h.dir}`);
    else await runForeground(h);
  } else if (cmd === 'ensemble') {
    const h = await startApacheEnsemble({ basePort: Number(args['base-port'] ?? 22180), dir: args.dir, detach: !!args.detach });
    if (args.detach) console.log(`started pids ${h.pids.join(',')} on ${h.connectString} (${JSON.stringify(h.modes)}); stop with: node scripts/apache/apache-zk.mjs stop --dir ${h.dir}`);
    else await runForeground(h);
  } else if (cmd === 'stop') {
    if (!args.dir) throw new Error('stop needs --dir');
    await stopFromDir(args.dir);
    console.log('stopped');
  } else {
    console.error('usage: apache-zk.mjs standalone [--port N] [--dir D] [--detach] | ensemble [--base-port N] [--dir D] [--detach] | stop --dir D | version');
    process.exit(2);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  cli().catch((e) => {
    console.error(String(e?.stack ?? e));
    process.exit(1);
  });
}
