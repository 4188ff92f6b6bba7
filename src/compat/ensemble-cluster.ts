// A replicated ensemble of real server processes on 127.0.0.1, ours or Apache ZooKeeper 3.8, both
// started from the same zoo.cfg text (tickTime, initLimit, syncLimit, server.N lines with
// `;127.0.0.1:clientPort`, which Apache needs to know each server's client address). Each member
// runs as its own process group (bench/server-process.ts), so kill -9 and SIGSTOP reach the real
// server, and every group still alive is killed when the test or benchmark process exits.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { findFreePort, fourLetterWord, JAVA_DIR, javaArgs } from '../../scripts/apache/apache-zk.mjs';
import { type Launcher, oursTsxLauncher, type ServerProcess, spawnServer } from '../../bench/server-process';

export type EnsembleKind = 'ours' | 'apache';

export interface EnsembleTiming {
  tickTimeMs: number;
  initLimit: number;
  syncLimit: number;
}

export const FAST_TIMING: EnsembleTiming = { tickTimeMs: 200, initLimit: 10, syncLimit: 5 };

export interface MemberPorts {
  id: number;
  clientPort: number;
  quorumPort: number;
  electionPort: number;
}

/** What `srvr` says about a member: a serving mode, or why not. */
export type MemberMode = 'leader' | 'follower' | 'observer' | 'standalone' | 'not-serving' | 'down';

const QUORUM_MAIN = 'org.apache.zookeeper.server.quorum.QuorumPeerMain';

export const apacheQuorumLauncher: Launcher = {
  label: 'Apache 3.8 (QuorumPeerMain)',
  command: (cfgPath) => ({ file: 'java', args: javaArgs(QUORUM_MAIN, cfgPath) }),
};

/** Why Apache cannot run here, or null when java and the Debian jar are both present. */
export function apacheUnavailableReason(): string | null {
  if (!existsSync(path.join(JAVA_DIR, 'zookeeper.jar'))) return `${JAVA_DIR}/zookeeper.jar missing (apt-get install zookeeper)`;
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error !== undefined || java.status !== 0) return 'java not found on PATH';
  return null;
}

export function launcherFor(kind: EnsembleKind): Launcher {
  return kind === 'ours' ? oursTsxLauncher() : apacheQuorumLauncher;
}

/** Distinct free ports, three per member (client, quorum, election). */
export async function allocatePorts(size: number): Promise<MemberPorts[]> {
  const taken = new Set<number>();
  const next = async (): Promise<number> => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const port = await findFreePort();
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
    throw new Error('no free port found');
  };
  const members: MemberPorts[] = [];
  for (let id = 1; id <= size; id++) members.push({ id, clientPort: await next(), quorumPort: await next(), electionPort: await next() });
  return members;
}

/** The zoo.cfg of member `self`; identical for ours and Apache. */
export function ensembleCfgText(timing: EnsembleTiming, members: readonly MemberPorts[], self: MemberPorts, dataDir: string): string {
  return [
    `tickTime=${timing.tickTimeMs}`,
    `initLimit=${timing.initLimit}`,
    `syncLimit=${timing.syncLimit}`,
    `dataDir=${dataDir}`,
    `clientPort=${self.clientPort}`,
    'clientPortAddress=127.0.0.1',
    'maxClientCnxns=0',
    'admin.enableServer=false',
    '4lw.commands.whitelist=*',
    'autopurge.purgeInterval=0',
    'standaloneEnabled=false',
    ...members.map((m) => `server.${m.id}=127.0.0.1:${m.quorumPort}:${m.electionPort};127.0.0.1:${m.clientPort}`),
  ].join('\n') + '\n';
}

export function modeOf(srvrReply: string): MemberMode {
  const mode = /^Mode: (\S+)/m.exec(srvrReply)?.[1];
  if (mode === 'leader' || mode === 'follower' || mode === 'observer' || mode === 'standalone') return mode;
  return 'not-serving';
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface EnsembleOptions {
  kind: EnsembleKind;
  size: number;
  timing: EnsembleTiming;
  /** Keep the temp dir (logs, data) after stop. */
  keepDir?: boolean;
  /** How each member is started (default: launcherFor(kind)); e.g. a tracing launcher for diagnosis. */
  launcher?: Launcher;
}

export class Ensemble {
  readonly dir: string;
  private readonly processes = new Map<number, ServerProcess>();
  private readonly frozen = new Set<number>();

  private constructor(
    readonly options: EnsembleOptions,
    readonly members: readonly MemberPorts[],
  ) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), `zootabs-ens-${options.kind}-`));
    for (const m of members) {
      const dataDir = this.dataDir(m.id);
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(path.join(dataDir, 'myid'), `${m.id}\n`);
      writeFileSync(this.cfgPath(m.id), ensembleCfgText(options.timing, members, m, dataDir));
    }
  }

  static async create(options: EnsembleOptions): Promise<Ensemble> {
    return new Ensemble(options, await allocatePorts(options.size));
  }

  get label(): string {
    return this.options.kind === 'ours' ? 'ours' : 'Apache 3.8';
  }

  member(id: number): MemberPorts {
    const m = this.members.find((x) => x.id === id);
    if (m === undefined) throw new Error(`no member ${id}`);
    return m;
  }

  dataDir(id: number): string {
    return path.join(this.dir, `server${id}`, 'data');
  }

  cfgPath(id: number): string {
    return path.join(this.dir, `server${id}`, 'zoo.cfg');
  }

  logFile(id: number): string {
    return path.join(this.dir, `server${id}`, 'server.log');
  }

  logTail(id: number, lines = 30): string {
    const file = this.logFile(id);
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '(no log)';
  }

  connectString(ids: readonly number[] = this.members.map((m) => m.id)): string {
    return ids.map((id) => `127.0.0.1:${this.member(id).clientPort}`).join(',');
  }

  isRunning(id: number): boolean {
    return this.processes.has(id);
  }

  /** OS pid of a running member's process (group leader), for CPU sampling in benchmarks. */
  pidOf(id: number): number | undefined {
    return this.processes.get(id)?.pid;
  }

  running(): number[] {
    return [...this.processes.keys()].sort((a, b) => a - b);
  }

  start(id: number): ServerProcess {
    if (this.processes.has(id)) throw new Error(`member ${id} already running`);
    const proc = spawnServer(this.options.launcher ?? launcherFor(this.options.kind), this.cfgPath(id), this.logFile(id));
    this.processes.set(id, proc);
    return proc;
  }

  async startAll(): Promise<void> {
    for (const m of this.members) this.start(m.id);
  }

  async kill9(id: number): Promise<void> {
    const proc = this.processes.get(id);
    if (proc === undefined) return;
    this.processes.delete(id);
    this.frozen.delete(id);
    await proc.kill9();
  }

  /** SIGSTOP the whole process group: the sockets stay open, nothing answers. */
  freeze(id: number): void {
    const proc = this.processes.get(id);
    if (proc === undefined) throw new Error(`member ${id} not running`);
    process.kill(-proc.pid, 'SIGSTOP');
    this.frozen.add(id);
  }

  thaw(id: number): void {
    const proc = this.processes.get(id);
    if (proc === undefined || !this.frozen.has(id)) return;
    process.kill(-proc.pid, 'SIGCONT');
    this.frozen.delete(id);
  }

  async srvr(id: number, timeoutMs = 1_000): Promise<string> {
    return fourLetterWord(this.member(id).clientPort, 'srvr', timeoutMs);
  }

  async mode(id: number, timeoutMs = 1_000): Promise<MemberMode> {
    if (!this.processes.has(id) || this.frozen.has(id)) return 'down';
    try {
      return modeOf(await this.srvr(id, timeoutMs));
    } catch {
      return 'down';
    }
  }

  async modes(ids: readonly number[] = this.running()): Promise<Map<number, MemberMode>> {
    const entries = await Promise.all(ids.map(async (id) => [id, await this.mode(id)] as const));
    return new Map(entries);
  }

  /**
   * Waits until the running members have exactly one leader and every other running member
   * follows; resolves with the leader's id.
   */
  async waitQuorum(timeoutMs = 60_000, ids: readonly number[] = this.running()): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let last = new Map<number, MemberMode>();
    while (Date.now() < deadline) {
      last = await this.modes(ids);
      const leaders = [...last].filter(([, mode]) => mode === 'leader').map(([id]) => id);
      const followers = [...last].filter(([, mode]) => mode === 'follower');
      if (leaders.length === 1 && leaders.length + followers.length === ids.length) return leaders[0]!;
      await sleep(50);
    }
    const tails = ids.map((id) => `--- server ${id} (${last.get(id)}) ${this.logFile(id)}\n${this.logTail(id, 15)}`).join('\n');
    throw new Error(`${this.label}: no leader with all of ${ids.join(',')} following after ${timeoutMs} ms: ${JSON.stringify([...last])}\n${tails}`);
  }

  /** Kills every member (SIGCONT first so a frozen one dies cleanly), removes the temp dir unless kept. */
  async stopAll(keepDir = this.options.keepDir === true): Promise<void> {
    for (const id of [...this.frozen]) this.thaw(id);
    for (const id of this.running()) await this.kill9(id);
    if (!keepDir) rmSync(this.dir, { recursive: true, force: true });
  }
}
