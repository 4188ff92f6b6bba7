// The Recipes view's engine: K participants, each its own ZooKeeper client session in this page
// (through the same connector as the page session, so the sessions spread over the servers), each
// running the chosen recipe; an observer session that reads the recipe's state from ZooKeeper; and
// a bounded event log. Its state lives in its own small store, kept per app store so switching
// views does not end the sessions.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ClientState } from '../client/api';
import type { Connector } from '../net/byte-stream';
import { ZooKeeper } from '../client/zookeeper';
import { KeeperState } from '../zk/types';
import { Barrier } from '../recipes/barrier';
import { ClientElection } from '../recipes/client-election';
import { ConfigWatch } from '../recipes/config-watch';
import { DistributedLock, lastName } from '../recipes/lock';
import { DistributedQueue } from '../recipes/queue';
import { RecipeStoppedError, type RecipeEvent, type RecipeName } from '../recipes/recipe-support';
import { registerMember, RegistryWatcher } from '../recipes/registry';
import { RecipeObserver, RECIPE_PATHS, type ObservedState } from './recipes-observer';

export const RECIPE_EVENTS_MAX = 500;
export const PARTICIPANTS_MAX = 8;
/** Asked of the server; it clamps to [2, 20] x tickTime. */
export const RECIPE_SESSION_TIMEOUT_MS = 30_000;
const VIEW_REFRESH_MS = 1_000;

export type RecipeAction = 'acquire' | 'release' | 'set' | 'resign' | 'rejoin' | 'offer' | 'take' | 'enter' | 'leave';

export interface ParticipantView {
  name: string;
  sessionId: bigint;
  clientState: ClientState;
  /** "serverN:2181" it is (or was last) connected to. */
  server: string | null;
  /** The recipe's word for this participant: held, waiting, active, standby, value "x", ... */
  status: string;
  ended: boolean;
}

export interface LoggedRecipeEvent extends RecipeEvent {
  seq: number;
}

export interface RecipesState {
  recipe: RecipeName;
  barrierSize: number;
  participants: ParticipantView[];
  observed: ObservedState;
  observerState: ClientState | 'none';
  events: LoggedRecipeEvent[];
}

/** Opens one client session; `label` names the connection in the server's logs. */
export type OpenClient = (label: string) => ZooKeeper;

interface Participant {
  name: string;
  zk: ZooKeeper;
  ended: boolean;
  lock?: DistributedLock;
  config?: ConfigWatch;
  registry?: RegistryWatcher;
  election?: ClientElection;
  queue?: DistributedQueue;
  barrier?: Barrier;
  lastTaken?: string | null;
}

export class RecipesRunner {
  readonly store: StoreApi<RecipesState>;
  private participants: Participant[] = [];
  private observer: { zk: ZooKeeper; watch: RecipeObserver } | null = null;
  private nextNumber = 1;
  private seq = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  /** `suffix` tells participants of different tabs apart (tabs mode: "@tab2"). */
  constructor(
    private readonly openClient: OpenClient,
    private readonly suffix = '',
  ) {
    this.store = createStore<RecipesState>()(() => ({
      recipe: 'lock',
      barrierSize: 3,
      participants: [],
      observed: emptyObserved('lock'),
      observerState: 'none',
      events: [],
    }));
  }

  get recipe(): RecipeName {
    return this.store.getState().recipe;
  }

  /** Switches the recipe: every participant's session is closed first. */
  choose(recipe: RecipeName): void {
    if (recipe === this.recipe) return;
    this.stopAll();
    this.store.setState({ recipe, observed: emptyObserved(recipe) });
  }

  setBarrierSize(size: number): void {
    if (!Number.isInteger(size) || size < 1 || size > PARTICIPANTS_MAX * 4) throw new RangeError(`barrier size must be 1..${PARTICIPANTS_MAX * 4}`);
    this.store.setState({ barrierSize: size });
  }

  /** Starts `count` more participants (bounded). */
  start(count: number): void {
    const live = this.participants.filter((p) => !p.ended).length;
    const n = Math.max(0, Math.min(count, PARTICIPANTS_MAX - live));
    if (n === 0) {
      this.log('runner', 'error', `at most ${PARTICIPANTS_MAX} participants`);
      return;
    }
    this.ensureObserver();
    for (let i = 0; i < n; i++) this.startParticipant(`p${this.nextNumber++}${this.suffix}`);
    this.timer ??= setInterval(() => this.publish(), VIEW_REFRESH_MS);
    this.publish();
  }

  /** Runs a recipe action for one participant; failures are logged, never thrown. */
  act(name: string, action: RecipeAction, value = ''): void {
    const p = this.participants.find((x) => x.name === name);
    if (p === undefined || p.ended) return;
    const run = this.actionOf(p, action, value);
    if (run === null) {
      this.log(name, 'error', `${action} does not apply to the ${this.recipe} recipe`);
      return;
    }
    run.catch((error: unknown) => this.failed(p, action, error)).finally(() => this.publish());
    this.publish();
  }

  /** Closes one participant's session (its ephemeral nodes go with it). */
  closeSession(name: string): void {
    const p = this.participants.find((x) => x.name === name);
    if (p === undefined || p.ended) return;
    this.endParticipant(p, 'closed');
    void p.zk.close().finally(() => this.publish());
  }

  /** Closes every session, the observer's too. */
  stopAll(): void {
    for (const p of this.participants) {
      if (p.ended) continue;
      this.endParticipant(p, 'closed');
      void p.zk.close();
    }
    this.participants = [];
    if (this.observer !== null) {
      this.observer.watch.stop();
      void this.observer.zk.close();
      this.observer = null;
    }
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.store.setState({ participants: [], observerState: 'none', observed: emptyObserved(this.recipe) });
  }

  private startParticipant(name: string): void {
    const zk = this.openClient(`recipe-${name}`);
    const p: Participant = { name, zk, ended: false };
    this.participants.push(p);
    let first = true;
    zk.register((event) => {
      if (event.path !== null) return;
      if (event.state === KeeperState.SyncConnected) {
        this.log(name, 'session', `${name} ${first ? 'connected' : 'reconnected'} to ${zk.getCurrentServer() ?? '?'}, session ${hexId(zk.getSessionId())}`);
        if (first) {
          first = false;
          this.setUp(p);
        }
      } else if (event.state === KeeperState.Disconnected) {
        this.log(name, 'session', `${name} disconnected from ${zk.getCurrentServer() ?? '?'}; the session lives on while it reconnects`);
      } else if (event.state === KeeperState.Expired) {
        this.log(name, 'session', `${name}'s session ${hexId(zk.getSessionId())} expired`);
        this.endParticipant(p, 'expired');
      }
      this.publish();
    });
  }

  /** The recipe's objects, created once the session is established. */
  private setUp(p: Participant): void {
    const emit = (event: RecipeEvent) => {
      this.append(event);
      this.publish();
    };
    const path = RECIPE_PATHS[this.recipe];
    const options = { participant: p.name, emit };
    const background = (what: string, run: Promise<unknown>) => run.catch((error: unknown) => this.failed(p, what, error)).finally(() => this.publish());
    switch (this.recipe) {
      case 'lock':
        p.lock = new DistributedLock(p.zk, { lockPath: path, ...options });
        return;
      case 'config':
        p.config = new ConfigWatch(p.zk, { path, ...options });
        background('watch', p.config.start());
        return;
      case 'registry':
        p.registry = new RegistryWatcher(p.zk, { path, ...options });
        background('register', registerMember(p.zk, { path, ...options }, p.name, p.zk.getCurrentServer() ?? ''));
        background('watch', p.registry.start());
        return;
      case 'election':
        p.election = new ClientElection(p.zk, { path, ...options });
        background('contend', p.election.run());
        return;
      case 'queue':
        p.queue = new DistributedQueue(p.zk, { path, ...options });
        return;
      case 'barrier':
        p.barrier = new Barrier(p.zk, { path, size: this.store.getState().barrierSize, ...options });
        return;
    }
  }

  private actionOf(p: Participant, action: RecipeAction, value: string): Promise<unknown> | null {
    switch (action) {
      case 'acquire':
        return p.lock?.acquire() ?? null;
      case 'release':
        return p.lock?.release() ?? null;
      case 'set':
        return p.config?.set(value) ?? null;
      case 'resign':
        return p.election?.resign() ?? null;
      case 'rejoin':
        return p.election?.run() ?? null;
      case 'offer':
        return p.queue?.offer(value) ?? null;
      case 'take':
        return p.queue === undefined ? null : p.queue.poll().then((item) => (p.lastTaken = item === null ? null : (item.value ?? '')));
      case 'enter':
        return p.barrier?.enter() ?? null;
      case 'leave':
        return p.barrier?.leave() ?? null;
    }
  }

  private endParticipant(p: Participant, how: 'closed' | 'expired'): void {
    if (p.ended) return;
    p.ended = true;
    p.lock?.sessionEnded();
    p.election?.sessionEnded();
    p.config?.stop();
    p.registry?.stop();
    p.queue?.stop();
    p.barrier?.stop();
    if (how === 'closed') this.log(p.name, 'session', `${p.name} closed its session ${hexId(p.zk.getSessionId())}`);
  }

  private failed(p: Participant, action: string, error: unknown): void {
    if (error instanceof RecipeStoppedError) return;
    if (p.ended && error instanceof Error && /SessionExpired|ConnectionLoss/.test(error.message)) return;
    this.log(p.name, 'error', `${p.name}: ${action} failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  private ensureObserver(): void {
    if (this.observer !== null && this.observer.zk.getState() !== 'CLOSED') return;
    const zk = this.openClient('recipe-observer');
    const watch = new RecipeObserver(zk, this.recipe, (observed) => this.store.setState({ observed }));
    this.observer = { zk, watch };
    let started = false;
    zk.register((event) => {
      if (event.path === null && event.state === KeeperState.SyncConnected && !started) {
        started = true;
        watch.start();
      }
      this.store.setState({ observerState: zk.getState() });
    });
  }

  private log(participant: string, kind: string, text: string): void {
    this.append({ recipe: this.recipe, participant, kind, text });
  }

  private append(event: RecipeEvent): void {
    const logged = { ...event, seq: ++this.seq };
    this.store.setState((s) => {
      const events = [...s.events, logged];
      return { events: events.length > RECIPE_EVENTS_MAX ? events.slice(events.length - RECIPE_EVENTS_MAX) : events };
    });
  }

  /** Re-reads every participant's session and recipe state into the store. */
  private publish(): void {
    this.store.setState({ participants: this.participants.map((p) => viewOf(p)) });
  }
}

function viewOf(p: Participant): ParticipantView {
  return {
    name: p.name,
    sessionId: p.zk.getSessionId(),
    clientState: p.zk.getState(),
    server: p.zk.getCurrentServer(),
    status: statusOf(p),
    ended: p.ended,
  };
}

function statusOf(p: Participant): string {
  if (p.lock !== undefined) {
    const own = p.lock.ownNode === null ? '' : ` as ${lastName(p.lock.ownNode)}`;
    const pred = p.lock.predecessor === null ? '' : `, watching ${lastName(p.lock.predecessor)}`;
    return `${p.lock.state}${own}${pred}`;
  }
  if (p.config !== undefined) return p.config.value === null ? 'no config yet' : `config "${p.config.value}" (version ${p.config.version})`;
  if (p.registry !== undefined) return `sees ${p.registry.current.length === 0 ? 'nobody' : p.registry.current.join(', ')}`;
  if (p.election !== undefined) return p.election.state;
  if (p.queue !== undefined) return p.lastTaken === undefined ? 'ready' : p.lastTaken === null ? 'took nothing (empty)' : `took "${p.lastTaken}"`;
  if (p.barrier !== undefined) return `${p.barrier.state}${p.barrier.state === 'waiting' ? ` (${p.barrier.count} in)` : ''}`;
  return 'connecting';
}

function emptyObserved(recipe: RecipeName): ObservedState {
  return { path: RECIPE_PATHS[recipe], ready: false, items: [], error: null };
}

export function hexId(id: bigint): string {
  return '0x' + BigInt.asUintN(64, id).toString(16);
}

/** One runner per app (keyed by whatever identifies it), so it outlives the view. */
const runners = new WeakMap<object, RecipesRunner>();
export function runnerFor(key: object, create: () => RecipesRunner): RecipesRunner {
  let runner = runners.get(key);
  if (runner === undefined) {
    runner = create();
    runners.set(key, runner);
  }
  return runner;
}

export function openRecipeClient(connector: (label: string) => Connector, address: string, shuffle: boolean): OpenClient {
  return (label) =>
    new ZooKeeper(address, RECIPE_SESSION_TIMEOUT_MS, null, {
      connector: connector(label),
      // Shuffled hosts: the participants' sessions spread over the servers.
      random: shuffle ? Math.random : undefined,
    });
}
