// One failover trial on a running 3-server ensemble (ours or Apache): a client writes every 10 ms
// through the two followers; the leader is killed (SIGKILL) or frozen (SIGSTOP); we time from the
// fault to the first acknowledged write issued after it. Meanwhile `srvr` is polled on the two
// survivors so the client-side time can be split into: followers notice the leader is gone, a new
// leader serves, both survivors serve, and the client's own reconnect. Afterwards the member is
// brought back (restart / SIGCONT) and the trial checks its writes (ensemble-verify.ts).
import { type Ensemble, type MemberMode, modeOf } from '../src/compat/ensemble-cluster';
import { ContinuousWriter } from '../src/compat/ensemble-writer';
import { verifyWrites } from '../src/compat/ensemble-verify';

export type Fault = 'kill' | 'stop';

export interface FailoverTrial {
  fault: Fault;
  oldLeader: number;
  newLeader: number | null;
  /** Fault -> first acknowledged write issued after the fault (the headline number). */
  firstWriteMs: number;
  /** Fault -> first srvr on a survivor that no longer says leader/follower (it noticed). */
  noticedMs: number | null;
  /** Fault -> first srvr of the new leader saying "leader". */
  leaderServingMs: number | null;
  /** Fault -> both survivors answer leader/follower. */
  quorumServingMs: number | null;
  clientReconnects: number;
  problems: string[];
}

const POLL_EVERY_MS = 20;
const FIRST_WRITE_TIMEOUT_MS = 90_000;
const REJOIN_TIMEOUT_MS = 90_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface SurvivorTimeline {
  noticedAtMs: number | null;
  servingAtMs: Map<number, number>;
  leaderAtMs: number | null;
  newLeader: number | null;
}

interface SrvrView {
  mode: MemberMode;
  /** Upper 32 bits of srvr's Zxid line: the epoch of the leader this server last served under. */
  epoch: bigint | null;
}

async function srvrView(ensemble: Ensemble, id: number): Promise<SrvrView> {
  try {
    const text = await ensemble.srvr(id, 500);
    const zxid = /^Zxid: (0x[0-9a-f]+)/m.exec(text)?.[1];
    return { mode: modeOf(text), epoch: zxid === undefined ? null : BigInt(zxid) >> 32n };
  } catch {
    return { mode: 'down', epoch: null };
  }
}

/**
 * Polls srvr on the survivors until both serve under a newer epoch than `oldEpoch` (a new leader)
 * and `done()` holds. A survivor has "noticed" once it stops serving or reports a newer epoch (an
 * election faster than one poll would otherwise go unseen).
 */
async function watchSurvivors(ensemble: Ensemble, survivors: readonly number[], oldEpoch: bigint, faultAtMs: number, done: () => boolean): Promise<SurvivorTimeline> {
  const timeline: SurvivorTimeline = { noticedAtMs: null, servingAtMs: new Map(), leaderAtMs: null, newLeader: null };
  const serving = (mode: MemberMode): boolean => mode === 'leader' || mode === 'follower';
  while (!done() || timeline.servingAtMs.size < survivors.length) {
    if (performance.now() - faultAtMs > FIRST_WRITE_TIMEOUT_MS) break;
    const views = await Promise.all(survivors.map(async (id) => [id, await srvrView(ensemble, id)] as const));
    const at = performance.now();
    for (const [id, view] of views) {
      const newEpoch = view.epoch !== null && view.epoch > oldEpoch;
      if (!serving(view.mode) || newEpoch) timeline.noticedAtMs ??= at;
      if (serving(view.mode) && newEpoch && !timeline.servingAtMs.has(id)) timeline.servingAtMs.set(id, at);
      if (view.mode === 'leader' && newEpoch && timeline.leaderAtMs === null) {
        timeline.leaderAtMs = at;
        timeline.newLeader = id;
      }
    }
    await sleep(POLL_EVERY_MS);
  }
  return timeline;
}

export async function runFailoverTrial(ensemble: Ensemble, fault: Fault, root: string): Promise<FailoverTrial> {
  const oldLeader = await ensemble.waitQuorum(REJOIN_TIMEOUT_MS);
  const survivors = ensemble.members.map((m) => m.id).filter((id) => id !== oldLeader);
  // Followers only: node-zookeeper-client has no read timeout, so a client on (or reconnecting to)
  // a frozen leader would wait for its own connect timeout, a client property, not a server one.
  const writer = new ContinuousWriter({ connectString: ensemble.connectString(survivors), root, inFlight: 1, intervalMs: 10, spinDelayMs: 50 });
  try {
    await writer.prepare();
    writer.start();
    await writer.waitFor(() => writer.ackedCount >= 20, 30_000, '20 acked writes before the fault');
    const oldEpoch = (await srvrView(ensemble, oldLeader)).epoch;
    if (oldEpoch === null) throw new Error(`leader ${oldLeader}: srvr shows no Zxid`);
    const faultAtMs = performance.now();
    if (fault === 'kill') await ensemble.kill9(oldLeader);
    else ensemble.freeze(oldLeader);
    let firstWriteDone = false;
    const survivorsWatch = watchSurvivors(ensemble, survivors, oldEpoch, faultAtMs, () => firstWriteDone);
    try {
      await writer.waitAckedIssuedSince(faultAtMs, 1, FIRST_WRITE_TIMEOUT_MS);
    } finally {
      firstWriteDone = true;
    }
    const firstWriteMs = writer.firstAckAfter(faultAtMs)!;
    const timeline = await survivorsWatch;
    await writer.waitAckedIssuedSince(faultAtMs, 10, 30_000);
    await writer.stop();
    const since = (at: number | null | undefined): number | null => (at === null || at === undefined ? null : at - faultAtMs);
    const problems: string[] = [];
    if (writer.sawExpired()) problems.push('session expired');
    const report = await verifyWrites(writer, ensemble.connectString([timeline.newLeader ?? survivors[0]!]));
    problems.push(...report.problems);
    return {
      fault,
      oldLeader,
      newLeader: timeline.newLeader,
      firstWriteMs,
      noticedMs: since(timeline.noticedAtMs),
      leaderServingMs: since(timeline.leaderAtMs),
      quorumServingMs: timeline.servingAtMs.size === survivors.length ? Math.max(...timeline.servingAtMs.values()) - faultAtMs : null,
      clientReconnects: writer.sessionEvents.filter((e) => e.state === 'SYNC_CONNECTED').length,
      problems,
    };
  } finally {
    writer.close();
    await bringBack(ensemble, oldLeader, fault);
  }
}

/** Restarts a killed member or thaws a frozen one, then waits for all three to serve again. */
async function bringBack(ensemble: Ensemble, id: number, fault: Fault): Promise<void> {
  if (fault === 'kill') {
    if (!ensemble.isRunning(id)) ensemble.start(id);
  } else {
    ensemble.thaw(id);
  }
  await ensemble.waitQuorum(REJOIN_TIMEOUT_MS);
}
