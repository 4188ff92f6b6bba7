// The page's state: one zustand vanilla store fed by the worker bridge and the page's client
// session. Components read it through selectors; the UI never owns protocol state, it mirrors it.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ACL, Stat } from '../zk/types';
import type { TraceEvent } from '../zk/trace';
import type { ClientState } from '../client/api';
import type { ServerStatus, WorkerPhase } from '../worker/protocol';
import type { TabParams } from './url-params';
import { initialCluster, initialTabCluster, type ClusterState } from './cluster-model';
import type { Flight } from './flights';

export const EVENTS_MAX = 1000;
export const CONSOLE_LINES_MAX = 2000;
export const ERRORS_MAX = 20;

export interface MirrorNode {
  path: string;
  /** Sorted child names; null until read. */
  children: string[] | null;
  stat: Stat | null;
}

export interface LoggedEvent {
  seq: number;
  event: TraceEvent;
}

export type ConsoleStream = 'out' | 'err' | 'cmd';
export interface ConsoleLine {
  seq: number;
  stream: ConsoleStream;
  text: string;
}

export interface SelectionDetail {
  path: string;
  /** 'loading' until the first read; 'deleted' once the node is gone. */
  state: 'loading' | 'ready' | 'deleted' | 'error';
  data: Uint8Array | null;
  stat: Stat | null;
  acl: ACL[] | null;
  error: string | null;
}

export interface AppState {
  params: TabParams;
  phase: WorkerPhase | 'starting';
  phaseDetail: string;
  recovery: { snapshotZxid: bigint | null; logEntries: number; warnings: string[] } | null;
  status: ServerStatus | null;
  errors: string[];
  events: LoggedEvent[];
  session: { state: ClientState; sessionId: bigint };
  nodes: Record<string, MirrorNode>;
  treeTruncated: boolean;
  collapsed: Record<string, true>;
  selectedPath: string | null;
  search: string;
  selection: SelectionDetail | null;
  consoleLines: ConsoleLine[];
  prompt: string;
  /** Single-tab simulation ("Simulate N servers here"); null in a standalone tab. */
  cluster: ClusterState | null;
  /** Peer messages being drawn between servers (cluster mode). */
  flights: Flight[];
}

export type AppStore = StoreApi<AppState>;

export function createAppStore(params: TabParams): AppStore {
  return createStore<AppState>()(() => ({
    params,
    phase: 'starting',
    phaseDetail: 'starting the server worker',
    recovery: null,
    status: null,
    errors: [...params.warnings],
    events: [],
    session: { state: 'NOT_CONNECTED', sessionId: 0n },
    nodes: {},
    treeTruncated: false,
    collapsed: {},
    selectedPath: null,
    search: '',
    selection: null,
    consoleLines: [],
    prompt: '',
    cluster: params.mode === 'simulate' ? initialCluster(params.size) : params.mode === 'tabs' ? initialTabCluster(params.size, params.identity.myid) : null,
    flights: [],
  }));
}

let eventSeq = 0;
let consoleSeq = 0;

/** Keeps the newest `max` items. */
function bounded<T>(items: T[], max: number): T[] {
  return items.length > max ? items.slice(items.length - max) : items;
}

export function appendEvents(store: AppStore, events: readonly TraceEvent[]): void {
  if (events.length === 0) return;
  const logged = events.map((event) => ({ seq: ++eventSeq, event }));
  store.setState((s) => ({ events: bounded([...s.events, ...logged], EVENTS_MAX) }));
}

export function appendConsole(store: AppStore, stream: ConsoleStream, text: string): void {
  const line = { seq: ++consoleSeq, stream, text };
  store.setState((s) => ({ consoleLines: bounded([...s.consoleLines, line], CONSOLE_LINES_MAX) }));
}

export function clearConsole(store: AppStore): void {
  store.setState({ consoleLines: [] });
}

export function reportError(store: AppStore, message: string): void {
  store.setState((s) => (s.errors.includes(message) ? s : { errors: bounded([...s.errors, message], ERRORS_MAX) }));
}

export function dismissError(store: AppStore, message: string): void {
  store.setState((s) => ({ errors: s.errors.filter((e) => e !== message) }));
}

export function setMirrorNode(store: AppStore, node: MirrorNode): void {
  setMirrorNodes(store, [node]);
}

/** Many nodes in one store update: the mirror of a big tree would otherwise copy the map per node. */
export function setMirrorNodes(store: AppStore, batch: readonly MirrorNode[]): void {
  if (batch.length === 0) return;
  store.setState((s) => {
    const nodes = { ...s.nodes };
    for (const node of batch) nodes[node.path] = node;
    return { nodes };
  });
}

/** Drops `path` and everything under it. */
export function removeMirrorSubtree(store: AppStore, path: string): void {
  store.setState((s) => {
    if (!(path in s.nodes)) return s;
    const prefix = path === '/' ? '/' : path + '/';
    const nodes: Record<string, MirrorNode> = {};
    for (const [p, n] of Object.entries(s.nodes)) if (p !== path && !p.startsWith(prefix)) nodes[p] = n;
    return { nodes };
  });
}

export function selectPath(store: AppStore, path: string | null): void {
  store.setState({ selectedPath: path });
}

export function toggleCollapsed(store: AppStore, path: string): void {
  store.setState((s) => {
    const collapsed = { ...s.collapsed };
    if (collapsed[path]) delete collapsed[path];
    else collapsed[path] = true;
    return { collapsed };
  });
}

export function setCollapsed(store: AppStore, path: string, value: boolean): void {
  store.setState((s) => {
    if (Boolean(s.collapsed[path]) === value) return s;
    const collapsed = { ...s.collapsed };
    if (value) collapsed[path] = true;
    else delete collapsed[path];
    return { collapsed };
  });
}

export function setSearch(store: AppStore, search: string): void {
  store.setState({ search });
}
