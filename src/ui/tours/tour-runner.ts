// Plays a tour on the real ensemble: a step's actions go to the cluster controller and the page's
// client session, then the runner waits until the step's condition holds in the store (what the
// workers report). Steps run only on next(); back() and replay() hand over to a fresh page (a new
// cluster name: empty databases) that replays up to the wanted step. The panel renders `state`.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ZooKeeperApi } from '../../client/api';
import { Code, KeeperException } from '../../zk/errors';
import { CreateMode, OPEN_ACL_UNSAFE, type ServerId } from '../../zk/types';
import type { PartitionGroup } from '../cluster-model';
import type { AppStore } from '../store';
import {
  actionText,
  conditionText,
  leaderCounter,
  unmetParts,
  voteTuples,
  type Tour,
  type TourAction,
  type TourCondition,
  type VoteTuple,
} from './tour-model';

export type StepPhase = 'running' | 'done' | 'failed';

export interface TourRunState {
  /** 0-based index of the step shown. */
  stepIndex: number;
  phase: StepPhase;
  /** The action being carried out, while running. */
  activity: string | null;
  /** Parts of the awaited condition that do not hold yet. */
  waitingFor: string[];
  error: string | null;
  /** (epoch, zxid, sid) noted by a record-tuples action. */
  recorded: VoteTuple[] | null;
  /** 0-based step a replay (Back) is heading for, while it runs. */
  replayingTo: number | null;
}

/** What the runner needs of the ClusterController. */
export interface TourCluster {
  start(myid: ServerId): void;
  kill(myid: ServerId): void;
  partition(groups: Record<number, PartitionGroup>): void;
  heal(): void;
}

export interface TourRunnerDeps {
  store: AppStore;
  cluster: TourCluster;
  /** The page's client session (null until it exists). */
  client: () => ZooKeeperApi | null;
  /** Opens a fresh run of this tour that stops at this 1-based step. */
  navigate: (step: number) => void;
  /** Runs before step 1 counts as done (deletes the previous run's databases). */
  prepare?: () => Promise<void>;
  /** A step (and each write) gives up after this long; generous: the machine may be loaded. */
  stepTimeoutMs?: number;
  /** One write attempt is abandoned (and retried) after this long. */
  writeAttemptMs?: number;
  retryDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export const STEP_TIMEOUT_MS = 180_000;
const WRITE_ATTEMPT_MS = 10_000;
const RETRY_DELAY_MS = 300;
/** Bounds write-until: a tour never writes more than this in one action. */
export const WRITES_PER_ACTION_MAX = 50;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class TourRunner {
  readonly state: StoreApi<TourRunState>;
  private writes = 0;
  private readonly stepTimeoutMs: number;
  private readonly writeAttemptMs: number;
  private readonly retryDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(
    readonly tour: Tour,
    private readonly deps: TourRunnerDeps,
  ) {
    this.state = createStore<TourRunState>()(() => ({
      stepIndex: 0,
      phase: 'running',
      activity: null,
      waitingFor: [],
      error: null,
      recorded: null,
      replayingTo: null,
    }));
    this.stepTimeoutMs = deps.stepTimeoutMs ?? STEP_TIMEOUT_MS;
    this.writeAttemptMs = deps.writeAttemptMs ?? WRITE_ATTEMPT_MS;
    this.retryDelayMs = deps.retryDelayMs ?? RETRY_DELAY_MS;
    this.sleep = deps.sleep ?? realSleep;
    this.now = deps.now ?? (() => performance.now());
  }

  get busy(): boolean {
    return this.state.getState().phase === 'running';
  }

  get canNext(): boolean {
    const { phase, stepIndex } = this.state.getState();
    return phase === 'done' && stepIndex < this.tour.steps.length - 1;
  }

  /** Step 1 (nothing running), then steps 2..`step` (1-based) one after another: a replay. */
  async begin(step = 1): Promise<void> {
    const target = Math.min(Math.max(1, Math.floor(step)), this.tour.steps.length) - 1;
    this.state.setState({ replayingTo: target > 0 ? target : null });
    try {
      if (!(await this.runStep(0, async () => this.deps.prepare?.()))) return;
      for (let i = 1; i <= target; i++) if (!(await this.runStep(i))) return;
    } finally {
      this.state.setState({ replayingTo: null });
    }
  }

  /** Runs the next step; nothing while a step runs, after a failure, or at the end. */
  async next(): Promise<boolean> {
    if (!this.canNext) return false;
    return this.runStep(this.state.getState().stepIndex + 1);
  }

  /** A fresh run that stops at the previous step. */
  back(): void {
    const { stepIndex } = this.state.getState();
    if (this.busy || stepIndex === 0) return;
    this.deps.navigate(stepIndex);
  }

  /** A fresh run from step 1: new databases, no server running. */
  replay(): void {
    if (this.busy) return;
    this.deps.navigate(1);
  }

  private async runStep(index: number, before?: () => Promise<unknown>): Promise<boolean> {
    const step = this.tour.steps[index];
    if (step === undefined) throw new RangeError(`tour ${this.tour.id} has no step ${index + 1}`);
    this.state.setState({ stepIndex: index, phase: 'running', activity: null, waitingFor: [], error: null });
    const deadline = this.now() + this.stepTimeoutMs;
    try {
      await before?.();
      for (const action of step.actions) {
        this.state.setState({ activity: actionText(action) });
        await this.perform(action, deadline);
      }
      this.state.setState({ activity: null });
      await this.waitFor(step.done, deadline);
      this.state.setState({ phase: 'done', waitingFor: [], activity: null });
      return true;
    } catch (error) {
      this.state.setState({ phase: 'failed', activity: null, error: error instanceof Error ? error.message : String(error) });
      return false;
    }
  }

  private async perform(action: TourAction, deadline: number): Promise<void> {
    const { cluster } = this.deps;
    switch (action.kind) {
      case 'start':
        return cluster.start(action.myid);
      case 'kill':
        return cluster.kill(action.myid);
      case 'wait':
        return this.waitFor(action.until, deadline);
      case 'isolate':
        return cluster.partition(isolation(this.tour.size, action.myid));
      case 'heal':
        return cluster.heal();
      case 'record-tuples':
        this.state.setState({ recorded: voteTuples(this.clusterState(), action.myids) });
        return;
      case 'write':
        for (let i = 0; i < action.count; i++) await this.writeOne(deadline);
        return;
      case 'write-until':
        return this.writeUntil(action.counter, deadline);
    }
  }

  private clusterState() {
    const cluster = this.deps.store.getState().cluster;
    if (cluster === null) throw new Error('a tour needs the single-tab ensemble (mode=simulate)');
    return cluster;
  }

  /** Resolves once `condition` holds; the unmet parts are shown meanwhile. */
  private waitFor(condition: TourCondition, deadline: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | null = null;
      let unsubscribe = () => {};
      const finish = (error: Error | null) => {
        unsubscribe();
        if (timer !== null) clearTimeout(timer);
        if (error === null) resolve();
        else reject(error);
      };
      const check = (): boolean => {
        const unmet = unmetParts(condition, this.clusterState());
        const waitingFor = unmet.map(conditionText);
        if (!sameList(this.state.getState().waitingFor, waitingFor)) this.state.setState({ waitingFor });
        if (unmet.length === 0) finish(null);
        return unmet.length === 0;
      };
      if (check()) return;
      unsubscribe = this.deps.store.subscribe(() => void check());
      timer = setTimeout(
        () => finish(new Error(`gave up waiting for ${conditionText(condition)}`)),
        Math.max(0, deadline - this.now()),
      );
    });
  }

  private async writeUntil(counter: number, deadline: number): Promise<void> {
    for (let i = 0; i < WRITES_PER_ACTION_MAX; i++) {
      const before = leaderCounter(this.clusterState());
      await this.writeOne(deadline);
      // The leader's status reports the new zxid shortly after the write's reply.
      if (before !== null) await this.leaderPast(before, deadline);
      const now = leaderCounter(this.clusterState());
      if (now !== null && now >= counter) return;
    }
    throw new Error(`the leader's zxid counter did not reach ${counter} after ${WRITES_PER_ACTION_MAX} writes`);
  }

  /** Waits (bounded) until the leader reports a counter above `before`. */
  private async leaderPast(before: number, deadline: number): Promise<void> {
    const until = Math.min(deadline, this.now() + this.writeAttemptMs);
    while (this.now() < until) {
      const counter = leaderCounter(this.clusterState());
      if (counter !== null && counter > before) return;
      await this.sleep(this.retryDelayMs);
    }
  }

  /**
   * One create through the page's session, retried through failovers until the deadline. A retry
   * of a create that did succeed meets NodeExists: that counts as written.
   */
  private async writeOne(deadline: number): Promise<void> {
    this.writes++;
    const path = `/tour-w${this.writes}`;
    this.state.setState({ activity: `create ${path} through the page's client session` });
    let last = 'no client session yet';
    while (this.now() < deadline) {
      const zk = this.deps.client();
      if (zk !== null) {
        try {
          await withTimeout(zk.create(path, new TextEncoder().encode(`write ${this.writes}`), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT), this.writeAttemptMs);
          return;
        } catch (error) {
          if (error instanceof KeeperException && error.code === Code.NodeExists) return;
          last = error instanceof Error ? error.message : String(error);
        }
      }
      await this.sleep(this.retryDelayMs);
    }
    throw new Error(`could not write ${path}: ${last}`);
  }
}

/** Server `myid` on side B, every other server on side A. */
export function isolation(size: number, myid: ServerId): Record<number, PartitionGroup> {
  const groups: Record<number, PartitionGroup> = {};
  for (let id = 1; id <= size; id++) groups[id] = id === myid ? 'B' : 'A';
  return groups;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no reply within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
