// In-memory storage with an honest durability model, for tests and the deterministic simulator.
//
// `MemoryStorageSync` is the disk: a durable image plus a FIFO of pending writes (written, not yet
// synced). The simulator drives it without promises or timers: issue a write with a callback, later
// `flushSync(n)` makes the oldest n writes durable and calls their callbacks, and `crash()` decides
// what pending writes survive. `MemoryStorage` wraps it in the async `Storage` interface.
import { hex, type Zxid } from '../zk/types';
import { copyBytes } from './log-record';
import {
  type InspectableStorage,
  type LoadedState,
  type LogEntry,
  type SnapshotRecord,
  StorageError,
  type StorageInventory,
} from './storage';
import { checkAppendOrder, checkMeta, checkRetainCount, checkSnapshot, checkZxid } from './storage-checks';

export type PendingWrite =
  | { kind: 'append'; entries: LogEntry[] }
  | { kind: 'truncateAfter'; zxid: Zxid }
  | { kind: 'snapshot'; snapshot: SnapshotRecord }
  | { kind: 'purge'; retainCount: number }
  | { kind: 'meta'; key: string; value: string };

interface QueuedWrite {
  write: PendingWrite;
  onDurable: (() => void) | undefined;
}

interface DiskImage {
  log: LogEntry[];
  /** Ascending by zxid, one per zxid. */
  snapshots: SnapshotRecord[];
  /** Zxids of snapshots damaged by fault injection: they no longer read back whole. */
  damagedSnapshots: Set<Zxid>;
  meta: Map<string, string>;
}

export interface CrashOptions {
  /** With loseUnsynced: the oldest N pending writes reach the disk anyway (writes land in order). */
  survivingPendingWrites?: number;
  /**
   * With loseUnsynced: if the first lost write is an append, its first N entries land (a torn group
   * commit, which recovery cuts back to a record boundary).
   */
  tornAppendEntries?: number;
}

function emptyImage(): DiskImage {
  return { log: [], snapshots: [], damagedSnapshots: new Set(), meta: new Map() };
}

function cloneImage(image: DiskImage): DiskImage {
  return {
    log: image.log.slice(),
    snapshots: image.snapshots.slice(),
    damagedSnapshots: new Set(image.damagedSnapshots),
    meta: new Map(image.meta),
  };
}

function applyWrite(image: DiskImage, write: PendingWrite): void {
  switch (write.kind) {
    case 'append':
      image.log.push(...write.entries);
      return;
    case 'truncateAfter':
      while (image.log.length > 0 && image.log[image.log.length - 1]!.zxid > write.zxid) image.log.pop();
      image.snapshots = image.snapshots.filter((snapshot) => snapshot.zxid <= write.zxid);
      return;
    case 'snapshot': {
      const zxid = write.snapshot.zxid;
      image.snapshots = image.snapshots.filter((snapshot) => snapshot.zxid !== zxid);
      image.snapshots.push(write.snapshot);
      image.snapshots.sort((a, b) => (a.zxid < b.zxid ? -1 : a.zxid > b.zxid ? 1 : 0));
      image.damagedSnapshots.delete(zxid);
      return;
    }
    case 'purge':
      purgeImage(image, write.retainCount);
      return;
    case 'meta':
      image.meta.set(write.key, write.value);
      return;
  }
}

function purgeImage(image: DiskImage, retainCount: number): void {
  const whole = image.snapshots.filter((snapshot) => !image.damagedSnapshots.has(snapshot.zxid));
  const oldestKept = whole[Math.max(0, whole.length - retainCount)];
  if (oldestKept === undefined) return;
  image.snapshots = image.snapshots.filter((snapshot) => snapshot.zxid >= oldestKept.zxid);
  image.log = image.log.filter((entry) => entry.zxid > oldestKept.zxid);
}

function copyEntry(entry: LogEntry): LogEntry {
  return { zxid: entry.zxid, bytes: copyBytes(entry.bytes) };
}

/** Synchronous core: no promises, no timers. */
export class MemoryStorageSync {
  private durable: DiskImage = emptyImage();
  /** What a reader sees now: durable image plus every pending write. */
  private visible: DiskImage = emptyImage();
  private pending: QueuedWrite[] = [];
  private crashCount = 0;

  /** Increments at every crash; handles from an earlier generation are dead. */
  get generation(): number {
    return this.crashCount;
  }

  get pendingWriteCount(): number {
    return this.pending.length;
  }

  pendingWrites(): readonly PendingWrite[] {
    return this.pending.map((queued) => queued.write);
  }

  loadSync(): LoadedState {
    const image = this.visible;
    const warnings: string[] = [];
    let snapshot: SnapshotRecord | null = null;
    for (let index = image.snapshots.length - 1; index >= 0 && snapshot === null; index--) {
      const candidate = image.snapshots[index]!;
      if (image.damagedSnapshots.has(candidate.zxid)) {
        warnings.push(`skipped snapshot ${hex(candidate.zxid)}: checksum mismatch`);
      } else {
        snapshot = { zxid: candidate.zxid, bytes: copyBytes(candidate.bytes) };
      }
    }
    const after = snapshot?.zxid ?? -1n;
    const log = image.log.filter((entry) => entry.zxid > after).map(copyEntry);
    return { snapshot, log, meta: Object.fromEntries(image.meta), warnings };
  }

  appendSync(entries: readonly LogEntry[], onDurable?: () => void): void {
    checkAppendOrder(entries, this.lastLoggedZxid());
    this.enqueue({ kind: 'append', entries: entries.map(copyEntry) }, onDurable);
  }

  truncateAfterSync(zxid: Zxid, onDurable?: () => void): void {
    checkZxid('truncateAfter', zxid);
    this.enqueue({ kind: 'truncateAfter', zxid }, onDurable);
  }

  saveSnapshotSync(snapshot: SnapshotRecord, onDurable?: () => void): void {
    checkSnapshot(snapshot);
    this.enqueue({ kind: 'snapshot', snapshot: { zxid: snapshot.zxid, bytes: copyBytes(snapshot.bytes) } }, onDurable);
  }

  purgeSync(retainCount: number, onDurable?: () => void): void {
    checkRetainCount(retainCount);
    this.enqueue({ kind: 'purge', retainCount }, onDurable);
  }

  setMetaSync(key: string, value: string, onDurable?: () => void): void {
    checkMeta(key, value);
    this.enqueue({ kind: 'meta', key, value }, onDurable);
  }

  inspectSync(): StorageInventory {
    const log = this.visible.log;
    return {
      snapshotZxids: this.visible.snapshots.map((snapshot) => snapshot.zxid),
      logFirstZxid: log[0]?.zxid ?? null,
      logLastZxid: log[log.length - 1]?.zxid ?? null,
    };
  }

  /** Makes the oldest `maxWrites` pending writes durable, in order, calling their callbacks. */
  flushSync(maxWrites = Number.POSITIVE_INFINITY): number {
    let flushed = 0;
    while (flushed < maxWrites && this.pending.length > 0) {
      const queued = this.pending.shift()!;
      applyWrite(this.durable, queued.write);
      flushed++;
      queued.onDurable?.();
    }
    return flushed;
  }

  /**
   * The host dies. `loseUnsynced` false: a process crash, the OS still writes every pending write.
   * true: power loss, pending writes are lost (except what `options` lets survive).
   * No callback of a pending write is called: nobody is left to hear it.
   */
  crash(loseUnsynced: boolean, options: CrashOptions = {}): void {
    const queue = this.pending;
    this.pending = [];
    const surviving = loseUnsynced ? Math.min(options.survivingPendingWrites ?? 0, queue.length) : queue.length;
    for (let index = 0; index < surviving; index++) applyWrite(this.durable, queue[index]!.write);
    const torn = queue[surviving]?.write;
    const tornEntries = options.tornAppendEntries ?? 0;
    if (loseUnsynced && torn?.kind === 'append' && tornEntries > 0) {
      applyWrite(this.durable, { kind: 'append', entries: torn.entries.slice(0, tornEntries) });
    }
    this.visible = cloneImage(this.durable);
    this.crashCount++;
  }

  /** Fault injection: the stored snapshot at `zxid` no longer reads back whole. */
  damageSnapshot(zxid: Zxid): void {
    const present = this.visible.snapshots.some((snapshot) => snapshot.zxid === zxid);
    if (!present) throw new StorageError(`damageSnapshot: no snapshot ${hex(zxid)}`);
    this.visible.damagedSnapshots.add(zxid);
    this.durable.damagedSnapshots.add(zxid);
  }

  private lastLoggedZxid(): Zxid | null {
    const log = this.visible.log;
    return log[log.length - 1]?.zxid ?? null;
  }

  private enqueue(write: PendingWrite, onDurable: (() => void) | undefined): void {
    applyWrite(this.visible, write);
    this.pending.push({ write, onDurable });
  }
}

export interface MemoryStorageOptions {
  /** The disk; pass the same one to a new MemoryStorage to model a restart. */
  core?: MemoryStorageSync;
  /**
   * 'immediate' (default): each write is durable before its promise resolves.
   * 'manual': writes stay pending (promises unresolved) until `flush()` or `core.flushSync()`.
   */
  durability?: 'immediate' | 'manual';
}

/** Async `Storage` over a `MemoryStorageSync`. One instance is one process's handle on the disk. */
export class MemoryStorage implements InspectableStorage {
  readonly core: MemoryStorageSync;
  private readonly durability: 'immediate' | 'manual';
  private readonly generation: number;
  private closed = false;

  constructor(options: MemoryStorageOptions = {}) {
    this.core = options.core ?? new MemoryStorageSync();
    this.durability = options.durability ?? 'immediate';
    this.generation = this.core.generation;
  }

  load(): Promise<LoadedState> {
    return this.read(() => this.core.loadSync());
  }

  inspect(): Promise<StorageInventory> {
    return this.read(() => this.core.inspectSync());
  }

  append(entries: readonly LogEntry[]): Promise<void> {
    if (entries.length === 0) return this.read(() => undefined);
    return this.write((done) => this.core.appendSync(entries, done));
  }

  truncateAfter(zxid: Zxid): Promise<void> {
    return this.write((done) => this.core.truncateAfterSync(zxid, done));
  }

  saveSnapshot(snapshot: SnapshotRecord): Promise<void> {
    return this.write((done) => this.core.saveSnapshotSync(snapshot, done));
  }

  purge(retainCount: number): Promise<void> {
    return this.write((done) => this.core.purgeSync(retainCount, done));
  }

  setMeta(key: string, value: string): Promise<void> {
    return this.write((done) => this.core.setMetaSync(key, value, done));
  }

  /** 'manual' durability: makes the oldest `maxWrites` pending writes durable. */
  flush(maxWrites?: number): number {
    return this.core.flushSync(maxWrites);
  }

  /** See MemoryStorageSync.crash. This handle is dead afterwards; open a new one on `core`. */
  crash(loseUnsynced: boolean, options?: CrashOptions): void {
    this.core.crash(loseUnsynced, options);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  private checkAlive(): void {
    if (this.closed) throw new StorageError('memory storage is closed');
    if (this.core.generation !== this.generation) throw new StorageError('memory storage handle died in a crash');
  }

  private read<T>(operation: () => T): Promise<T> {
    try {
      this.checkAlive();
      return Promise.resolve(operation());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private write(issue: (done: () => void) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      try {
        this.checkAlive();
        issue(resolve);
        if (this.durability === 'immediate') this.core.flushSync();
      } catch (error) {
        reject(error);
      }
    });
  }
}
