// Minimal typings for node-zookeeper-client 1.1.x (the package ships none). Only what the
// compatibility harness uses; internals (connectionManager) are typed loosely on purpose.
declare module 'node-zookeeper-client' {
  import type { EventEmitter } from 'node:events';

  export class Id {
    constructor(scheme: string, id: string);
    scheme: string;
    id: string;
  }
  export class ACL {
    constructor(permission: number, id: Id);
    permission: number;
    id: Id;
  }
  /** jute Stat: 64-bit fields are 8-byte big-endian Buffers. */
  export interface JuteStat {
    czxid: Buffer;
    mzxid: Buffer;
    ctime: Buffer;
    mtime: Buffer;
    version: number;
    cversion: number;
    aversion: number;
    ephemeralOwner: Buffer;
    dataLength: number;
    numChildren: number;
    pzxid: Buffer;
  }
  export interface ZkError extends Error {
    code: number;
    name: string;
    getCode(): number;
  }
  export interface TxnResult {
    type: number;
    path?: string;
    stat?: JuteStat;
    err?: number;
  }
  export interface Transaction {
    create(path: string, data?: Buffer | null, acls?: ACL[], mode?: number): Transaction;
    check(path: string, version?: number): Transaction;
    setData(path: string, data: Buffer | null, version?: number): Transaction;
    remove(path: string, version?: number): Transaction;
    commit(cb: (err: ZkError | null, results?: TxnResult[]) => void): void;
  }
  export interface ClientOptions {
    sessionTimeout?: number;
    spinDelay?: number;
    retries?: number;
    sessionId?: Buffer;
    sessionPassword?: Buffer;
  }
  export type Watcher = (event: { type: number; name: string; path: string }) => void;

  /* eslint-disable @typescript-eslint/no-explicit-any */
  /**
   * Calls take optional middle arguments (data, acls, mode, watcher, version) and a trailing
   * callback, so they are typed loosely here; src/compat/nzk-client.ts wraps them with types.
   */
  export interface Client extends EventEmitter {
    connect(): void;
    close(): void;
    getState(): { name: string; code: number };
    getSessionId(): Buffer;
    getSessionPassword(): Buffer;
    getSessionTimeout(): number;
    addAuthInfo(scheme: string, auth: Buffer): void;
    create(path: string, ...args: any[]): void;
    remove(path: string, ...args: any[]): void;
    removeRecursive(path: string, ...args: any[]): void;
    exists(path: string, ...args: any[]): void;
    getData(path: string, ...args: any[]): void;
    setData(path: string, ...args: any[]): void;
    getChildren(path: string, ...args: any[]): void;
    getACL(path: string, ...args: any[]): void;
    setACL(path: string, ...args: any[]): void;
    mkdirp(path: string, ...args: any[]): void;
    transaction(): Transaction;
    connectionManager: any;
  }
  /* eslint-enable @typescript-eslint/no-explicit-any */
  export function createClient(connectionString: string, options?: ClientOptions): Client;

  export const CreateMode: { PERSISTENT: 0; EPHEMERAL: 1; PERSISTENT_SEQUENTIAL: 2; EPHEMERAL_SEQUENTIAL: 3 };
  export const Permission: { READ: 1; WRITE: 2; CREATE: 4; DELETE: 8; ADMIN: 16; ALL: 31 };
  export const Exception: Record<string, number> & { create(code: number): ZkError };
  export const State: Record<string, { name: string; code: number }>;
  export const Event: Record<string, number>;
  const _default: {
    createClient: typeof createClient;
    Exception: typeof Exception;
    State: typeof State;
    Event: typeof Event;
    ACL: typeof ACL;
    Id: typeof Id;
    CreateMode: typeof CreateMode;
    Permission: typeof Permission;
  };
  export default _default;
}
