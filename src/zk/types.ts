// Branded primitives shared by every layer. zxid and session ids are 64-bit: always bigint.

export type Zxid = bigint & { readonly __brand?: 'Zxid' };
export type SessionId = bigint & { readonly __brand?: 'SessionId' };
export type Epoch = number & { readonly __brand?: 'Epoch' };
export type ServerId = number & { readonly __brand?: 'ServerId' };
/** Milliseconds of the host's clock, handed to the core as input (the core never reads a clock). */
export type Millis = number & { readonly __brand?: 'Millis' };
export type Ticks = number & { readonly __brand?: 'Ticks' };
export type ConnectionId = number & { readonly __brand?: 'ConnectionId' };

export const ZXID_MASK_32 = 0xffffffffn;

export function makeZxid(epoch: number, counter: number): Zxid {
  return (BigInt(epoch) << 32n) | BigInt(counter >>> 0);
}
export function zxidEpoch(zxid: Zxid): Epoch {
  return Number(zxid >> 32n);
}
export function zxidCounter(zxid: Zxid): number {
  return Number(zxid & ZXID_MASK_32);
}
/** ZooKeeper prints zxids and session ids as lower-case hex with 0x, e.g. 0x100000003. */
export function hex(value: bigint): string {
  return '0x' + BigInt.asUintN(64, value).toString(16);
}

/** Perms as in ZooDefs.Perms. */
export const Perms = {
  READ: 1,
  WRITE: 2,
  CREATE: 4,
  DELETE: 8,
  ADMIN: 16,
  ALL: 31,
} as const;

export interface Id {
  scheme: string;
  id: string;
}
export interface ACL {
  perms: number;
  id: Id;
}

export const OPEN_ACL_UNSAFE: readonly ACL[] = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];
export const CREATOR_ALL_ACL: readonly ACL[] = [{ perms: Perms.ALL, id: { scheme: 'auth', id: '' } }];
export const READ_ACL_UNSAFE: readonly ACL[] = [{ perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }];

/** Stat exactly as the jute record: zxids and ephemeralOwner are 64-bit. */
export interface Stat {
  czxid: Zxid;
  mzxid: Zxid;
  ctime: bigint;
  mtime: bigint;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: bigint;
  dataLength: number;
  numChildren: number;
  pzxid: Zxid;
}

/** CreateMode flag values as on the wire (CreateMode.toFlag()). */
export enum CreateMode {
  PERSISTENT = 0,
  EPHEMERAL = 1,
  PERSISTENT_SEQUENTIAL = 2,
  EPHEMERAL_SEQUENTIAL = 3,
  CONTAINER = 4,
  PERSISTENT_WITH_TTL = 5,
  PERSISTENT_SEQUENTIAL_WITH_TTL = 6,
}

/** Watcher.Event.EventType values. */
export enum EventType {
  None = -1,
  NodeCreated = 1,
  NodeDeleted = 2,
  NodeDataChanged = 3,
  NodeChildrenChanged = 4,
  DataWatchRemoved = 5,
  ChildWatchRemoved = 6,
  PersistentWatchRemoved = 7,
}

/** Watcher.Event.KeeperState values. */
export enum KeeperState {
  Disconnected = 0,
  SyncConnected = 3,
  AuthFailed = 4,
  ConnectedReadOnly = 5,
  SaslAuthenticated = 6,
  Expired = -112,
  Closed = 7,
}

/** AddWatchMode values. */
export enum AddWatchMode {
  PERSISTENT = 0,
  PERSISTENT_RECURSIVE = 1,
}

/** Watcher.WatcherType values used by checkWatches/removeWatches. */
export enum WatcherType {
  Children = 1,
  Data = 2,
  Any = 3,
  Persistent = 4,
  PersistentRecursive = 5,
}
