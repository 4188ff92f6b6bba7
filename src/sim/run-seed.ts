// One simulated run from one seed: a safety phase (workload + drawn faults), then a liveness phase
// (heal everything, require a serving server or leader and a successful client write within a
// bound), then the client-side checks, then a power loss of every server and a recovery after which
// every acknowledged write must still be there.
import { CreateMode, OPEN_ACL_UNSAFE } from '../zk/types';
import type { ZooKeeper } from '../client/zookeeper';
import { Code } from '../zk/errors';
import { CheckerSuite } from './checkers/suite';
import type { ClientSessionView } from './checkers/ephemerals';
import type { Violation } from './checkers/violation';
import { describeFaultPlan, drawFaultPlan, type FaultPlan } from './fault-plan';
import { FaultSchedule } from './fault-schedule';
import { History } from './history';
import { standaloneFactory, type ServerFactory } from './server-factory';
import { formatLine, formatTrace } from './trace-format';
import { errorCode, Workload } from './workload';
import { World } from './world';

export interface SeedOptions {
  seed: number;
  /** 1 = standalone. More needs a quorum factory. */
  servers?: number;
  clients?: number;
  /** Virtual length of the safety phase. */
  safetyMs?: number;
  /** Bound on the liveness phase: serving + a successful write within this. */
  livenessMs?: number;
  factory?: ServerFactory;
  mode?: 'standalone' | 'quorum';
  /** Fixed weather instead of the seed's draw. */
  plan?: FaultPlan;
  /** Turn off the immediate durable-before-reply check (to prove the end-to-end checks alone). */
  localDurabilityCheck?: boolean;
  /** Readable trace lines (time, who, what) as they happen. */
  onLine?: (line: string) => void;
}

export interface SeedStats {
  virtualMs: number;
  operations: number;
  pendingOperations: number;
  commits: number;
  acknowledgedWrites: number;
  faults: number;
  watchEvents: number;
}

export interface SeedResult {
  seed: number;
  ok: boolean;
  violations: Violation[];
  suppressedViolations: number;
  warnings: string[];
  stats: SeedStats;
  plan: FaultPlan;
}

const SESSION_TIMEOUT_MS = 3000;
const PATHS = ['/k0', '/k1', '/k2'];
const SERVER_CHECK_INTERVAL_MS = 500;
const PROBE_CLIENT_ID = 99;
const FINAL_READER_ID = 98;

export async function runSeed(options: SeedOptions): Promise<SeedResult> {
  const serverCount = options.servers ?? 1;
  const mode = options.mode ?? (serverCount === 1 ? 'standalone' : 'quorum');
  const world = new World({ seed: options.seed, factory: options.factory ?? standaloneFactory });
  world.plan = options.plan ?? drawFaultPlan(world.prng);
  const plan = world.plan;
  const suite = new CheckerSuite(world, { mode, ...(options.localDurabilityCheck === undefined ? {} : { localDurability: options.localDurabilityCheck }) });
  world.observers.push(suite);
  const onLine = options.onLine;
  if (onLine !== undefined) {
    onLine(formatLine(0, 'world', `seed ${options.seed}, ${serverCount} server(s), ${mode}; plan: ${describeFaultPlan(plan)}`));
    world.observers.push({
      onTrace: (event) => onLine(formatTrace(event)),
      onNote: (atMs, who, text) => onLine(formatLine(atMs, who, text)),
    });
  }
  const history = new History();
  const warnings: string[] = [];
  const workload = new Workload(world, history, {
    clients: options.clients ?? 3,
    paths: PATHS,
    thinkMsMax: 150,
    sessionTimeoutMs: SESSION_TIMEOUT_MS,
    log: onLine === undefined ? undefined : (who, text) => onLine(formatLine(world.nowMs, who, text)),
  });
  const faults = new FaultSchedule(world, () => workload.slots.map((s) => s.clientId));

  world.addServers(serverCount);
  scheduleServerChecks(world, suite);
  workload.start();
  faults.start();
  await world.runFor(options.safetyMs ?? 6000);

  // ---- liveness -------------------------------------------------------------------------------
  faults.stop();
  workload.stop();
  calm(world, plan);
  const livenessMs = options.livenessMs ?? 20_000;
  const deadlineMs = world.nowMs + livenessMs;
  const serving = () => isServing(world, suite, mode);
  if (!(await world.runUntil(serving, deadlineMs - world.nowMs))) {
    suite.violations.add('liveness', world.nowMs, `no serving ${mode === 'standalone' ? 'server' : 'leader'} ${livenessMs}ms after healing`);
  } else if (!(await probeWrite(world, deadlineMs, 'a'))) {
    suite.violations.add('liveness', world.nowMs, `no client write succeeded within ${livenessMs}ms after healing`);
  }
  await world.runUntil(() => workload.settled, 4 * SESSION_TIMEOUT_MS);

  // ---- durability: every server loses power and recovers; what was acknowledged must be there.
  for (const id of world.servers.keys()) world.crash(id, true);
  for (const id of world.servers.keys()) world.restart(id);
  const recoveryDeadlineMs = world.nowMs + livenessMs;
  if (!(await world.runUntil(serving, livenessMs))) {
    suite.violations.add('liveness', world.nowMs, `no serving ${mode === 'standalone' ? 'server' : 'leader'} ${livenessMs}ms after the final recovery`);
  } else if (!(await probeWrite(world, recoveryDeadlineMs, 'b'))) {
    suite.violations.add('liveness', world.nowMs, `no client write succeeded within ${livenessMs}ms after the final recovery`);
  }
  suite.checkDurability();
  await finalReads(world, history, recoveryDeadlineMs);

  // ---- client-side checks, once the clients are back on their sessions.
  await world.runUntil(() => workload.slots.every((s) => ['CONNECTED', 'CLOSED'].includes(s.zk.getState())), 2 * SESSION_TIMEOUT_MS);
  await world.runFor(500);
  const report = suite.checkClients(history, clientViews(workload), 3 * SESSION_TIMEOUT_MS + 2000);
  if (report.unknown !== null) warnings.push(`linearizability undecided: ${report.unknown}`);

  return {
    seed: options.seed,
    ok: suite.violations.count === 0,
    violations: suite.violations.items,
    suppressedViolations: suite.violations.suppressed,
    warnings,
    plan,
    stats: {
      virtualMs: world.nowMs,
      operations: history.operations.length,
      pendingOperations: history.pendingCount(),
      commits: suite.chain.committed.length,
      acknowledgedWrites: suite.acked.acked.length,
      faults: faults.faultsInjected,
      watchEvents: history.watches.reduce((n, w) => n + w.events.length, 0),
    },
  };
}

/** No more faults: heal, thaw, restart, and stop losing messages or stalling disks. */
function calm(world: World, plan: FaultPlan): void {
  world.plan = {
    ...plan,
    peerLossProbability: 0,
    connectionBreakProbability: 0,
    crashProbability: 0,
    partitionProbability: 0,
    freezeProbability: 0,
    slowStorageProbability: 0,
  };
  world.heal();
  for (const server of world.servers.values()) {
    if (server.life === 'down') world.restart(server.id);
    else server.unfreeze();
  }
  world.note('world', 'liveness phase: healed, all servers up');
}

function isServing(world: World, suite: CheckerSuite, mode: 'standalone' | 'quorum'): boolean {
  const up = [...world.servers.values()].filter((s) => s.life === 'up' && !s.frozen);
  if (mode === 'standalone') return up.length === world.servers.size;
  const quorum = Math.floor(world.servers.size / 2) + 1;
  return up.length >= quorum && suite.leaders.leaders().some((id) => world.server(id).life === 'up');
}

/** A fresh client must get one write through before the deadline (retrying lost connections). */
async function probeWrite(world: World, deadlineMs: number, tag: string): Promise<boolean> {
  const { zk } = world.createClient({ id: PROBE_CLIENT_ID, sessionTimeoutMs: SESSION_TIMEOUT_MS });
  let succeeded = false;
  let attempt = 0;
  while (!succeeded && world.nowMs < deadlineMs && attempt < 50) {
    attempt++;
    let settled = false;
    probeOnce(zk, `/probe-${tag}${attempt}`).then((ok) => {
      succeeded = ok;
      settled = true;
    });
    await world.runUntil(() => settled, Math.max(0, deadlineMs - world.nowMs));
    if (!succeeded && world.nowMs < deadlineMs) await world.runFor(100);
  }
  world.note('c' + PROBE_CLIENT_ID, succeeded ? `probe write succeeded after ${attempt} attempt(s)` : 'probe write failed');
  void zk.close();
  return succeeded;
}

async function probeOnce(zk: ZooKeeper, path: string): Promise<boolean> {
  try {
    await zk.create(path, new Uint8Array([1]), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    return true;
  } catch (error) {
    return errorCode(error) === Code.NodeExists;
  }
}

/** A fresh client reads every path after the recovery (sync + getData): lost writes show up here. */
async function finalReads(world: World, history: History, deadlineMs: number): Promise<void> {
  const { zk } = world.createClient({ id: FINAL_READER_ID, sessionTimeoutMs: SESSION_TIMEOUT_MS });
  for (const path of PATHS) {
    const op = history.addOperation({ clientId: FINAL_READER_ID, callTime: world.nowMs, input: { type: 'syncGetData', path } });
    let done = false;
    const read = async (): Promise<void> => {
      try {
        await zk.sync(path);
        const { data, stat } = await zk.getData(path);
        op.output = { code: Code.OK, data: new TextDecoder().decode(data ?? new Uint8Array()), version: stat.version };
      } catch (error) {
        if (errorCode(error) === Code.NoNode) op.output = { code: Code.NoNode };
      }
      if (op.output !== undefined) op.returnTime = world.nowMs;
    };
    read().finally(() => (done = true));
    await world.runUntil(() => done, Math.max(1, deadlineMs - world.nowMs));
  }
  void zk.close();
}

function clientViews(workload: Workload): ClientSessionView[] {
  const views: ClientSessionView[] = workload.slots.map((slot) => ({
    clientId: slot.clientId,
    instance: slot.instance,
    sessionId: slot.zk.getSessionId(),
    live: slot.zk.getState() === 'CONNECTED',
    endedAtMs: null,
  }));
  for (const ended of workload.endedSessions) views.push({ ...ended, live: false });
  return views;
}

function scheduleServerChecks(world: World, suite: CheckerSuite): void {
  world.scheduler.after(SERVER_CHECK_INTERVAL_MS, 'server check', () => {
    suite.checkServers();
    scheduleServerChecks(world, suite);
  });
}
