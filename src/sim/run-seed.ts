// One simulated run from one seed: a safety phase (workload + drawn faults), then a liveness phase
// (heal everything, require a serving server or leader and a successful client write within a
// bound), then the client-side checks, then a power loss of every server and a recovery after which
// every acknowledged write must still be there.
import { CreateMode, OPEN_ACL_UNSAFE } from '../zk/types';
import type { ZooKeeper } from '../client/zookeeper';
import { Code } from '../zk/errors';
import { CheckerSuite } from './checkers/suite';
import { converged } from './checkers/replicas';
import { hexZxid } from './checkers/violation';
import type { ClientSessionView } from './checkers/ephemerals';
import type { Violation } from './checkers/violation';
import { describeFaultPlan, drawFaultPlan, type FaultPlan } from './fault-plan';
import { FaultSchedule } from './fault-schedule';
import { History } from './history';
import { quorumFactory, standaloneFactory, type ServerFactory } from './server-factory';
import { formatLine, formatTrace } from './trace-format';
import { errorCode, Workload } from './workload';
import { World } from './world';

export interface SeedOptions {
  seed: number;
  /** 1 = standalone server; more = an ensemble of quorum peers. */
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
/** Bound on followers catching up once the ensemble serves again. */
const CONVERGE_MS_MAX = 5000;

interface Run {
  world: World;
  suite: CheckerSuite;
  history: History;
  workload: Workload;
  faults: FaultSchedule;
  mode: 'standalone' | 'quorum';
  livenessMs: number;
  warnings: string[];
}

export async function runSeed(options: SeedOptions): Promise<SeedResult> {
  const run = setUp(options);
  const { world, suite, history } = run;
  try {
    world.addServers(options.servers ?? 1);
    scheduleServerChecks(world, suite);
    run.workload.start();
    run.faults.start();
    await world.runFor(options.safetyMs ?? 6000);
    await livenessPhase(run);
    await durabilityPhase(run);
    await clientChecks(run);
  } catch (error) {
    // An exception out of a server core (a failed assertion) or the simulator is a finding too.
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    suite.violations.add('exception', world.nowMs, text);
  }
  return {
    seed: options.seed,
    ok: suite.violations.count === 0,
    violations: suite.violations.items,
    suppressedViolations: suite.violations.suppressed,
    warnings: run.warnings,
    plan: world.plan,
    stats: {
      virtualMs: world.nowMs,
      operations: history.operations.length,
      pendingOperations: history.pendingCount(),
      commits: suite.chain.committed.length,
      acknowledgedWrites: suite.acked.acked.length,
      faults: run.faults.faultsInjected,
      watchEvents: history.watches.reduce((n, w) => n + w.events.length, 0),
    },
  };
}

function setUp(options: SeedOptions): Run {
  const serverCount = options.servers ?? 1;
  const mode = options.mode ?? (serverCount === 1 ? 'standalone' : 'quorum');
  const factory = options.factory ?? (serverCount === 1 ? standaloneFactory : quorumFactory());
  const world = new World({ seed: options.seed, factory });
  world.plan = options.plan ?? drawFaultPlan(world.prng);
  const localDurability = options.localDurabilityCheck;
  const suite = new CheckerSuite(world, { mode, ...(localDurability === undefined ? {} : { localDurability }) });
  world.observers.push(suite);
  const onLine = options.onLine;
  if (onLine !== undefined) {
    onLine(formatLine(0, 'world', `seed ${options.seed}, ${serverCount} server(s), ${mode}; plan: ${describeFaultPlan(world.plan)}`));
    world.observers.push({
      onTrace: (event) => onLine(formatTrace(event)),
      onNote: (atMs, who, text) => onLine(formatLine(atMs, who, text)),
    });
  }
  const history = new History();
  const workload = new Workload(world, history, {
    clients: options.clients ?? 3,
    paths: PATHS,
    thinkMsMax: 150,
    sessionTimeoutMs: SESSION_TIMEOUT_MS,
    log: onLine === undefined ? undefined : (who, text) => onLine(formatLine(world.nowMs, who, text)),
  });
  const faults = new FaultSchedule(world, () => workload.slots.map((s) => s.clientId), () => suite.leaders.leaders()[0] ?? null);
  return { world, suite, history, workload, faults, mode, livenessMs: options.livenessMs ?? 20_000, warnings: [] };
}

/** Heal everything; a serving server (or leader) and a successful write must follow in bounded time. */
async function livenessPhase(run: Run): Promise<void> {
  const { world } = run;
  run.faults.stop();
  run.workload.stop();
  calm(world, world.plan);
  await requireProgress(run, 'after healing', 'a');
  await world.runUntil(() => run.workload.settled, 4 * SESSION_TIMEOUT_MS);
  await requireConvergence(run, 'after healing');
}

/** Every server catches up with the same history within a bound; then their trees must agree. */
async function requireConvergence(run: Run, when: string): Promise<void> {
  const { world, suite } = run;
  const caughtUp = () => suite.replicas().length === world.servers.size && converged(suite.replicas());
  if (!(await world.runUntil(caughtUp, CONVERGE_MS_MAX))) {
    const zxids = suite.replicas().map((r) => `s${r.id}@${hexZxid(r.lastProcessedZxid)}`).join(' ');
    suite.violations.add('liveness', world.nowMs, `servers did not converge within ${CONVERGE_MS_MAX}ms ${when}: ${zxids}`);
  }
  suite.checkReplicas();
}

/** Every server loses power and recovers; every acknowledged write must still be there. */
async function durabilityPhase(run: Run): Promise<void> {
  const { world, suite } = run;
  for (const id of world.servers.keys()) world.crash(id, true);
  for (const id of world.servers.keys()) world.restart(id);
  const deadlineMs = await requireProgress(run, 'after the final recovery', 'b');
  // Followers apply a commit a moment after the leader answers: let the ensemble settle first.
  await requireConvergence(run, 'after the final recovery');
  suite.checkDurability();
  await finalReads(world, run.history, deadlineMs);
}

/** Once the clients are back on their sessions: watches, ephemerals, linearizability. */
async function clientChecks(run: Run): Promise<void> {
  const { world, suite, workload } = run;
  await world.runUntil(() => workload.slots.every((s) => ['CONNECTED', 'CLOSED'].includes(s.zk.getState())), 2 * SESSION_TIMEOUT_MS);
  await world.runFor(500);
  const report = suite.checkClients(run.history, clientViews(workload), 3 * SESSION_TIMEOUT_MS + 2000);
  if (report.unknown !== null) run.warnings.push(`linearizability undecided: ${report.unknown}`);
}

/** Returns the deadline it worked to. */
async function requireProgress(run: Run, when: string, tag: string): Promise<number> {
  const { world, suite, mode, livenessMs } = run;
  const deadlineMs = world.nowMs + livenessMs;
  const what = mode === 'standalone' ? 'server' : 'leader';
  if (!(await world.runUntil(() => isServing(world, suite, mode), livenessMs))) {
    suite.violations.add('liveness', world.nowMs, `no serving ${what} ${livenessMs}ms ${when}`);
  } else if (!(await probeWrite(world, deadlineMs, tag))) {
    suite.violations.add('liveness', world.nowMs, `no client write succeeded within ${livenessMs}ms ${when}`);
  }
  return deadlineMs;
}

/** No more faults: heal, thaw, restart, and stop losing messages or stalling disks. */
function calm(world: World, plan: FaultPlan): void {
  world.plan = {
    ...plan,
    peerLossProbability: 0,
    connectionBreakProbability: 0,
    crashProbability: 0,
    powerLossProbability: 0,
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
  return up.length >= quorum && suite.leaders.leaders().some((id) => up.includes(world.server(id)));
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
