// The client API, with the Java client's names. Implemented by src/client/zookeeper.ts; used by
// zkCli, recipes, the UI and the compatibility tests.
import type { ACL, AddWatchMode, CreateMode, EventType, KeeperState, Stat, WatcherType } from '../zk/types';
import type { Code } from '../zk/errors';

export interface WatchedEvent {
  type: EventType;
  state: KeeperState;
  /** Path relative to the chroot; null for session events. */
  path: string | null;
  /** zxid of the change that fired it (3.9 WatchedEvent.getZxid()); -1n when unknown. */
  zxid: bigint;
}
export type Watcher = (event: WatchedEvent) => void;
/** `true` means the default watcher given to the constructor. */
export type WatchArg = boolean | Watcher | undefined;

export type ClientState = 'CONNECTING' | 'CONNECTED' | 'CONNECTEDREADONLY' | 'CLOSED' | 'AUTH_FAILED' | 'NOT_CONNECTED';

export type Op =
  | { type: 'create'; path: string; data: Uint8Array | null; acl: readonly ACL[]; mode: CreateMode; ttl?: number }
  | { type: 'delete'; path: string; version: number }
  | { type: 'setData'; path: string; data: Uint8Array | null; version: number }
  | { type: 'check'; path: string; version: number }
  | { type: 'getData'; path: string }
  | { type: 'getChildren'; path: string };

export type OpResult =
  | { type: 'create'; path: string; stat?: Stat }
  | { type: 'delete' }
  | { type: 'setData'; stat: Stat }
  | { type: 'check' }
  | { type: 'getData'; data: Uint8Array | null; stat: Stat }
  | { type: 'getChildren'; children: string[] }
  | { type: 'error'; err: Code };

export interface ClientInfo {
  authScheme: string;
  user: string;
}

export interface ZooKeeperApi {
  getState(): ClientState;
  getSessionId(): bigint;
  getSessionPasswd(): Uint8Array;
  getSessionTimeout(): number;

  create(path: string, data: Uint8Array | null, acl: readonly ACL[], mode: CreateMode, ttl?: number): Promise<string>;
  /** create2: returns the created path and the node's Stat. */
  createWithStat(path: string, data: Uint8Array | null, acl: readonly ACL[], mode: CreateMode, ttl?: number): Promise<{ path: string; stat: Stat }>;
  delete(path: string, version?: number): Promise<void>;
  exists(path: string, watch?: WatchArg): Promise<Stat | null>;
  getData(path: string, watch?: WatchArg): Promise<{ data: Uint8Array | null; stat: Stat }>;
  setData(path: string, data: Uint8Array | null, version?: number): Promise<Stat>;
  getACL(path: string): Promise<{ acl: ACL[]; stat: Stat }>;
  setACL(path: string, acl: readonly ACL[], aclVersion?: number): Promise<Stat>;
  getChildren(path: string, watch?: WatchArg): Promise<string[]>;
  getChildren2(path: string, watch?: WatchArg): Promise<{ children: string[]; stat: Stat }>;
  getAllChildrenNumber(path: string): Promise<number>;
  getEphemerals(prefixPath?: string): Promise<string[]>;
  sync(path: string): Promise<void>;
  /** Atomic: resolves with per-op results; rejects with KeeperException when an op fails (results attached). */
  multi(ops: readonly Op[]): Promise<OpResult[]>;
  /** multiRead: per-op results, errors inline, never rejects for a failed op. */
  multiRead(ops: readonly Op[]): Promise<OpResult[]>;
  addWatch(path: string, watcher: Watcher | null, mode: AddWatchMode): Promise<void>;
  removeWatches(path: string, watcher: Watcher, type: WatcherType, local: boolean): Promise<void>;
  removeAllWatches(path: string, type: WatcherType, local: boolean): Promise<void>;
  addAuthInfo(scheme: string, auth: Uint8Array): Promise<void>;
  whoAmI(): Promise<ClientInfo[]>;
  getConfig(watch?: WatchArg): Promise<{ data: Uint8Array | null; stat: Stat }>;
  close(): Promise<void>;
}
