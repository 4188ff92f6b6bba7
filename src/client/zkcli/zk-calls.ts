// The ZooKeeperApi as zkCli's commands see the Java client: bad paths and empty ACLs fail before
// any request (IllegalArgumentException / InvalidACL), and a failed call throws a KeeperException
// carrying the client path, whatever the underlying implementation put in its error.
import type { ClientInfo, Op, OpResult, WatchArg, Watcher, ZooKeeperApi } from '../api';
import { Code } from '../../zk/errors';
import { CreateMode, type ACL, type AddWatchMode, type Stat, type WatcherType } from '../../zk/types';
import { keeperError, isKeeperError } from './cli-errors';
import { IllegalArgumentException } from './java-text';
import { validatePath } from './path-utils';

const CONFIG_NODE = '/zookeeper/config';

export function isSequential(mode: CreateMode): boolean {
  return (
    mode === CreateMode.PERSISTENT_SEQUENTIAL ||
    mode === CreateMode.EPHEMERAL_SEQUENTIAL ||
    mode === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL
  );
}

function validateAcl(acl: readonly ACL[]): void {
  // The Java client throws `new InvalidACLException()`: no path, so zkCli prints "... : null".
  if (acl.length === 0) throw keeperError(Code.InvalidACL, undefined);
}

async function call<T>(path: string | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (isKeeperError(e)) throw keeperError(e.code, path);
    if (e instanceof Error && e.name === 'IllegalArgumentException') throw new IllegalArgumentException(e.message);
    throw e;
  }
}

export class ZkCalls {
  constructor(readonly api: ZooKeeperApi) {}

  create(path: string, data: Uint8Array | null, acl: readonly ACL[], mode: CreateMode, ttl?: number): Promise<string> {
    validatePath(path, isSequential(mode));
    validateAcl(acl);
    return call(path, () => this.api.create(path, data, acl, mode, ttl));
  }
  delete(path: string, version: number): Promise<void> {
    validatePath(path);
    return call(path, () => this.api.delete(path, version));
  }
  exists(path: string, watch: WatchArg): Promise<Stat | null> {
    validatePath(path);
    return call(path, () => this.api.exists(path, watch));
  }
  getData(path: string, watch: WatchArg): Promise<{ data: Uint8Array | null; stat: Stat }> {
    validatePath(path);
    return call(path, () => this.api.getData(path, watch));
  }
  setData(path: string, data: Uint8Array | null, version: number): Promise<Stat> {
    validatePath(path);
    return call(path, () => this.api.setData(path, data, version));
  }
  getACL(path: string): Promise<{ acl: ACL[]; stat: Stat }> {
    validatePath(path);
    return call(path, () => this.api.getACL(path));
  }
  setACL(path: string, acl: readonly ACL[], version: number): Promise<Stat> {
    validatePath(path);
    validateAcl(acl);
    return call(path, () => this.api.setACL(path, acl, version));
  }
  getChildren(path: string, watch: WatchArg): Promise<string[]> {
    validatePath(path);
    return call(path, () => this.api.getChildren(path, watch));
  }
  getChildren2(path: string, watch: WatchArg): Promise<{ children: string[]; stat: Stat }> {
    validatePath(path);
    return call(path, () => this.api.getChildren2(path, watch));
  }
  getAllChildrenNumber(path: string): Promise<number> {
    validatePath(path);
    return call(path, () => this.api.getAllChildrenNumber(path));
  }
  getEphemerals(prefixPath?: string): Promise<string[]> {
    if (prefixPath !== undefined) validatePath(prefixPath);
    return call(prefixPath ?? '/', () => this.api.getEphemerals(prefixPath));
  }
  /** Resolves with the result code, as the async sync() callback zkCli waits for. */
  async sync(path: string): Promise<number> {
    validatePath(path);
    try {
      await this.api.sync(path);
      return Code.OK;
    } catch (e) {
      if (isKeeperError(e)) return e.code;
      throw e;
    }
  }
  addWatch(path: string, watcher: Watcher, mode: AddWatchMode): Promise<void> {
    validatePath(path);
    return call(path, () => this.api.addWatch(path, watcher, mode));
  }
  removeAllWatches(path: string, type: WatcherType, local: boolean): Promise<void> {
    validatePath(path);
    return call(path, () => this.api.removeAllWatches(path, type, local));
  }
  addAuthInfo(scheme: string, auth: Uint8Array): Promise<void> {
    return call(undefined, () => this.api.addAuthInfo(scheme, auth));
  }
  whoAmI(): Promise<ClientInfo[]> {
    return call(undefined, () => this.api.whoAmI());
  }
  getConfig(watch: WatchArg): Promise<{ data: Uint8Array | null; stat: Stat }> {
    return call(CONFIG_NODE, () => this.api.getConfig(watch));
  }
  multi(ops: readonly Op[]): Promise<OpResult[]> {
    for (const op of ops) validatePath(op.path);
    return call(undefined, () => this.api.multi(ops));
  }
  close(): Promise<void> {
    return this.api.close();
  }
}
