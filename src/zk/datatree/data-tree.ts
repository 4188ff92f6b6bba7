// The in-memory znode tree (DataTree.java) without watches: the pipeline's apply step mutates it
// from a txn's zxid and time, and returns the watch triggers for the server to fire.
import { Code } from '../errors';
import { EventType, OPEN_ACL_UNSAFE, READ_ACL_UNSAFE, type ACL, type SessionId, type Stat, type Zxid } from '../types';
import { AclInterner } from './acl-interner';
import { DataNode, dataLength, type WatchTrigger } from './data-node';
import { EphemeralType, ephemeralTypeOf } from './ephemeral-type';
import { JavaHashSet, javaCopyCapacity, javaHashOrder } from './java-hash-set';
import { childNameOf, displayPath, parentOf } from './path-validation';
import { createPersistedStat, emptyPersistedStat, toClientStat, toInt32, type PersistedStat } from './persisted-stat';
import { CONFIG_ZOOKEEPER, PROC_ZOOKEEPER, QUOTA_ZOOKEEPER, QuotaRoots } from './quotas';
import { onNodeCreatedQuota, onNodeDeletedQuota, onDataChangedQuota } from './tree-quota';

export interface DataTreeOptions {
  /** `zookeeper.extendedTypesEnabled`: TTL nodes; changes how ephemeralOwner is decoded. */
  extendedTypesEnabled?: boolean;
}

const EMPTY = new Uint8Array(0);

export class DataTree {
  readonly extendedTypesEnabled: boolean;
  /** Keyed by path; the root is "" (getNode maps "/" to it). */
  private readonly nodes = new Map<string, DataNode>();
  private readonly ephemerals = new Map<bigint, JavaHashSet>();
  private readonly containerPaths = new Set<string>();
  private readonly ttlPaths = new Set<string>();
  readonly quotaRoots = new QuotaRoots();
  private readonly acls = new AclInterner();
  private dataSizeCached = 0;

  /** A fresh tree as a new Apache server has it: /, /zookeeper, /zookeeper/quota, /zookeeper/config. */
  constructor(options: DataTreeOptions = {}, empty = false) {
    this.extendedTypesEnabled = options.extendedTypesEnabled ?? false;
    if (empty) return;
    this.putLoadedNode('', new DataNode(EMPTY, this.acls.intern(OPEN_ACL_UNSAFE), emptyPersistedStat()));
    this.putLoadedNode(PROC_ZOOKEEPER, new DataNode(EMPTY, this.acls.intern(OPEN_ACL_UNSAFE), emptyPersistedStat()));
    this.putLoadedNode(QUOTA_ZOOKEEPER, new DataNode(EMPTY, this.acls.intern(OPEN_ACL_UNSAFE), emptyPersistedStat()));
    // The config node is read-only for the world (ZOOKEEPER-2014), set through setACL(-1),
    // which leaves aversion at -1.
    const config = new DataNode(EMPTY, this.acls.intern(READ_ACL_UNSAFE), emptyPersistedStat());
    config.stat.aversion = -1;
    this.putLoadedNode(CONFIG_ZOOKEEPER, config);
    this.dataSizeCached = this.approximateDataSize();
  }

  // ---- reads -------------------------------------------------------------------------------

  getNode(path: string): DataNode | undefined {
    return this.nodes.get(path === '/' ? '' : path);
  }

  exists(path: string): boolean {
    return this.getNode(path) !== undefined;
  }

  statOf(path: string): Stat | null {
    const node = this.getNode(path);
    return node === undefined ? null : this.clientStat(node);
  }

  clientStat(node: DataNode): Stat {
    return toClientStat(node.stat, dataLength(node.data), node.children.size, this.extendedTypesEnabled);
  }

  /** `data` is null for a node created or set with null data (the reply then carries length -1). */
  getData(path: string): { data: Uint8Array | null; stat: Stat } | null {
    const node = this.getNode(path);
    return node === undefined ? null : { data: node.data, stat: this.clientStat(node) };
  }

  /** Children in the order an Apache server lists them (Java HashSet order). */
  getChildren(path: string): { children: string[]; stat: Stat } | null {
    const node = this.getNode(path);
    return node === undefined ? null : { children: [...node.children.toArray()], stat: this.clientStat(node) };
  }

  getAcl(path: string): { acl: ACL[]; stat: Stat } | null {
    const node = this.getNode(path);
    if (node === undefined) return null;
    return { acl: node.acl.map((a) => ({ perms: a.perms, id: { ...a.id } })), stat: this.clientStat(node) };
  }

  ephemeralType(node: DataNode): EphemeralType {
    return ephemeralTypeOf(node.stat.ephemeralOwner, this.extendedTypesEnabled);
  }

  /** A session's ephemeral paths, in the order Apache's cloned HashSet iterates them. */
  getEphemerals(sessionId: SessionId): string[] {
    const set = this.ephemerals.get(BigInt.asIntN(64, sessionId));
    if (set === undefined) return [];
    return javaHashOrder(set.toArray(), javaCopyCapacity(set.size));
  }

  /** Sessions that own at least one ephemeral (or owned one: Apache keeps empty sets). */
  sessionsWithEphemerals(): SessionId[] {
    return [...this.ephemerals.keys()];
  }

  ephemeralsCount(): number {
    let count = 0;
    for (const set of this.ephemerals.values()) count += set.size;
    return count;
  }

  containers(): string[] {
    return [...this.containerPaths];
  }
  ttls(): string[] {
    return [...this.ttlPaths];
  }

  /** DataTree.getNodeCount: Apache's map holds the root twice ("" and "/"), so a fresh tree says 5. */
  nodeCount(): number {
    return this.nodes.size + 1;
  }

  /** DataTree.getAllChildrenNumber: every descendant (for "/": all nodes but the root). */
  getAllChildrenNumber(path: string): number {
    if (path === '/') return this.nodes.size - 1;
    const prefix = path + '/';
    let count = 0;
    for (const key of this.nodes.keys()) if (key.startsWith(prefix)) count++;
    return count;
  }

  /** Sum of path lengths and data sizes, the root counted as "" and "/" (Java String lengths). */
  approximateDataSize(): number {
    let size = 1 + dataLength(this.nodes.get('')?.data ?? null); // the "/" alias
    for (const [path, node] of this.nodes) size += path.length + dataLength(node.data);
    return size;
  }

  /** nodeDataSize as Apache keeps it incrementally (quota stat rewrites are not counted). */
  cachedApproximateDataSize(): number {
    return this.dataSizeCached;
  }

  isSpecialPath(path: string): boolean {
    return path === '/' || path === PROC_ZOOKEEPER || path === QUOTA_ZOOKEEPER || path === CONFIG_ZOOKEEPER;
  }

  maxPrefixWithQuota(path: string): string | null {
    return this.quotaRoots.maxPrefix(path);
  }

  /** Every path ("" is the root), parents before children, children in Java order. */
  *paths(): Generator<string> {
    const stack: string[] = [''];
    while (stack.length > 0) {
      const path = stack.pop() as string;
      const node = this.nodes.get(path);
      if (node === undefined) continue;
      yield path;
      const children = node.children.toArray();
      for (let i = children.length - 1; i >= 0; i--) stack.push(`${path}/${children[i]}`);
    }
  }

  get size(): number {
    return this.nodes.size;
  }

  // ---- mutations (DataTree.createNode/deleteNode/setData/setACL) ------------------------------

  /**
   * Returns OK, NoNode (no parent) or NodeExists (which, like Apache, still resets that node's ACL).
   * null data is stored as null (getData answers null), with dataLength 0.
   */
  createNode(
    path: string,
    data: Uint8Array | null,
    acl: readonly ACL[],
    ephemeralOwner: bigint,
    parentCVersion: number,
    zxid: Zxid,
    timeMs: bigint,
    triggers: WatchTrigger[],
  ): Code {
    const parentName = parentOf(path);
    const parent = this.nodes.get(parentName);
    if (parent === undefined) return Code.NoNode;
    const interned = this.acls.intern(acl);
    const existing = this.nodes.get(path);
    if (existing !== undefined) {
      existing.acl = interned;
      return Code.NodeExists;
    }
    const cversion = parentCVersion === -1 ? toInt32(parent.stat.cversion + 1) : parentCVersion;
    // Replays of a create that was later deleted must not move cversion/pzxid backwards.
    if (cversion > parent.stat.cversion) {
      parent.stat.cversion = cversion;
      parent.stat.pzxid = zxid;
    }
    const child = new DataNode(data, interned, createPersistedStat(zxid, timeMs, ephemeralOwner));
    parent.children.add(childNameOf(path));
    this.dataSizeCached += path.length + dataLength(data);
    this.nodes.set(path, child);
    this.trackKind(path, child.stat.ephemeralOwner);
    onNodeCreatedQuota(this, path, dataLength(data));
    triggers.push({ path, type: EventType.NodeCreated, zxid, acl: interned });
    triggers.push({ path: displayPath(parentName), type: EventType.NodeChildrenChanged, zxid, acl: parent.acl });
    return Code.OK;
  }

  /** Returns OK or NoNode. Like Apache, a missing node still bumps the parent's pzxid. */
  deleteNode(path: string, zxid: Zxid, triggers: WatchTrigger[]): Code {
    const parentName = parentOf(path);
    const parent = this.nodes.get(parentName);
    if (parent === undefined) return Code.NoNode;
    parent.children.delete(childNameOf(path));
    if (zxid > parent.stat.pzxid) parent.stat.pzxid = zxid;
    const node = this.nodes.get(path);
    if (node === undefined || path === '') return Code.NoNode;
    this.nodes.delete(path);
    this.dataSizeCached -= path.length + dataLength(node.data);
    this.untrackKind(path, node.stat.ephemeralOwner);
    onNodeDeletedQuota(this, path, parentName, dataLength(node.data));
    triggers.push({ path, type: EventType.NodeDeleted, zxid, acl: node.acl });
    triggers.push({ path: displayPath(parentName), type: EventType.NodeChildrenChanged, zxid, acl: parent.acl });
    return Code.OK;
  }

  /** Like Apache, null data replaces the node's data with null (not with empty data). */
  setData(path: string, data: Uint8Array | null, version: number, zxid: Zxid, timeMs: bigint, triggers: WatchTrigger[]): Stat | Code {
    const node = this.getNode(path);
    if (node === undefined) return Code.NoNode;
    const lastLength = dataLength(node.data);
    node.data = data;
    node.stat.mtime = timeMs;
    node.stat.mzxid = zxid;
    node.stat.version = version;
    const stat = this.clientStat(node);
    onDataChangedQuota(this, path, dataLength(data) - lastLength);
    this.dataSizeCached += dataLength(data) - lastLength;
    triggers.push({ path: displayPath(path), type: EventType.NodeDataChanged, zxid, acl: node.acl });
    return stat;
  }

  setAcl(path: string, acl: readonly ACL[], version: number): Stat | Code {
    const node = this.getNode(path);
    if (node === undefined) return Code.NoNode;
    node.stat.aversion = version;
    node.acl = this.acls.intern(acl);
    return this.clientStat(node);
  }

  /** DataTree.setCversionPzxid, used when a replayed create meets an existing node. */
  setCversionPzxid(path: string, newCversion: number, zxid: Zxid): Code {
    const node = this.getNode(path.endsWith('/') ? path.slice(0, -1) : path);
    if (node === undefined) return Code.NoNode;
    const cversion = newCversion === -1 ? toInt32(node.stat.cversion + 1) : newCversion;
    if (cversion > node.stat.cversion) {
      node.stat.cversion = cversion;
      node.stat.pzxid = zxid;
    }
    return Code.OK;
  }

  /**
   * DataTree.killSession: deletes the txn's paths, then any other ephemeral the session still
   * owns here (sorted, where Apache uses HashSet order). Returns the paths actually deleted.
   */
  killSession(sessionId: SessionId, zxid: Zxid, paths2Delete: readonly string[] | null, triggers: WatchTrigger[]): string[] {
    const key = BigInt.asIntN(64, sessionId);
    const local = this.ephemerals.get(key);
    this.ephemerals.delete(key);
    const deleted: string[] = [];
    const inTxn = new Set(paths2Delete ?? []);
    for (const path of paths2Delete ?? []) {
      if (this.deleteNode(path, zxid, triggers) === Code.OK) deleted.push(path);
    }
    const leftovers = local === undefined ? [] : [...local.toArray()].filter((p) => !inTxn.has(p)).sort();
    for (const path of leftovers) {
      if (this.deleteNode(path, zxid, triggers) === Code.OK) deleted.push(path);
    }
    return deleted;
  }

  /** Rewrites a quota stats node's data without touching its stat, as updateQuotaStat does. */
  rewriteQuotaData(path: string, data: Uint8Array): void {
    const node = this.getNode(path);
    if (node !== undefined) node.data = data;
  }

  /** Used while building a tree (constructor, snapshot load): links to the parent and books the kind. */
  putLoadedNode(path: string, node: DataNode): void {
    if (path !== '') {
      const parent = this.nodes.get(parentOf(path));
      if (parent === undefined) throw new Error(`Invalid Datatree, unable to find parent ${parentOf(path)} of path ${path}`);
      parent.children.add(childNameOf(path));
    }
    node.acl = this.acls.intern(node.acl);
    this.nodes.set(path, node);
    if (path !== '') this.trackKind(path, node.stat.ephemeralOwner);
  }

  /** After a snapshot load: recompute the cached size, as deserialize does. */
  resetCachedDataSize(): void {
    this.dataSizeCached = this.approximateDataSize();
  }

  private trackKind(path: string, owner: bigint): void {
    const kind = ephemeralTypeOf(owner, this.extendedTypesEnabled);
    if (kind === EphemeralType.CONTAINER) this.containerPaths.add(path);
    else if (kind === EphemeralType.TTL) this.ttlPaths.add(path);
    else if (owner !== 0n) {
      let set = this.ephemerals.get(owner);
      if (set === undefined) this.ephemerals.set(owner, (set = new JavaHashSet(16)));
      set.add(path);
    }
  }

  private untrackKind(path: string, owner: bigint): void {
    const kind = ephemeralTypeOf(owner, this.extendedTypesEnabled);
    if (kind === EphemeralType.CONTAINER) this.containerPaths.delete(path);
    else if (kind === EphemeralType.TTL) this.ttlPaths.delete(path);
    else if (owner !== 0n) this.ephemerals.get(owner)?.delete(path);
  }
}

export type { PersistedStat };
