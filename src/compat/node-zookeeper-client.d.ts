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

  export interface Client extends EventEmitter {
    connect(): void;
    close(): void;
    getState(): { name: string; code: number };
    getSessionId(): Buffer;
    getSessionPassword(): Buffer;
    getSessionTimeout(): number;
    addAuthInfo(scheme: string, auth: Buffer): void;
    create(path: string, data: Buffer | null | undefined, acls: ACL[], mode: number, cb: (err: ZkError | null, path?: string) => void): void;
    remove(path: string, version: number, cb: (err: ZkError | null) => void): void;
    exists(path: string, watcher: Watcher | undefined, cb: (err: ZkError | null, stat?: JuteStat | null) => void): void;
    getData(path: string, watcher: Watcher | undefined, cb: (err: ZkError | null, data?: Buffer, stat?: JuteStat) => void): void;
    setData(path: string, data: Buffer, version: number, cb: (err: ZkError | null, stat?: JuteStat) => void): void;
    getChildren(path: string, watcher: Watcher | undefined, cb: (err: ZkError | null, children?: string[], stat?: JuteStat) => void): void;
    getACL(path: string, cb: (err: ZkError | null, acls?: ACL[], stat?: JuteStat) => void): void;
    setACL(path: string, acls: ACL[], version: number, cb: (err: ZkError | null, stat?: JuteStat) => void): void;
    transaction(): Transaction;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    connectionManager: any;
  }
  export function createClient(connectionString: string, options?: ClientOptions): Client;

  export const CreateMode: { PERSISTENT: 0; EPHEMERAL: 1; PERSISTENT_SEQUENTIAL: 2; EPHEMERAL_SEQUENTIAL: 3 };
  export const Permission: { READ: 1; WRITE: 2; CREATE: 4; DELETE: 8; ADMIN: 16; ALL: 31 };
  const _default: {
    createClient: typeof createClient;
    ACL: typeof ACL;
    Id: typeof Id;
    CreateMode: typeof CreateMode;
    Permission: typeof Permission;
  };
  export default _default;
}
