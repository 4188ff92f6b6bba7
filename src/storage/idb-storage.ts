// IndexedDB storage for the browser (one database per server, e.g. "zootabs-<cluster>-<myid>").
// Stores: log (key: zxid as 16 hex digits, which sort like the numbers; value: a framed record with
// CRC, log-record.ts), snapshots (same keys; value: checksummed snapshot frame), meta (key: name).
// Every write is one readwrite transaction opened with durability 'strict' and awaited to
// completion, so a resolved append is on disk. Any IndexedDB failure rejects with StorageError.
import { type DBSchema, deleteDB, type IDBPDatabase, openDB } from 'idb';
import { hex, type Zxid } from '../zk/types';
import { decodeLogRecord, describeLogCut, encodeLogRecord } from './log-record';
import { decodeSnapshotFrame, encodeSnapshotFrame } from './snapshot-frame';
import {
  type InspectableStorage,
  type LoadedState,
  type LogEntry,
  type SnapshotRecord,
  StorageError,
  type StorageInventory,
} from './storage';
import { checkAppendOrder, checkMeta, checkRetainCount, checkSnapshot, checkZxid } from './storage-checks';

interface ZooTabsDb extends DBSchema {
  log: { key: string; value: Uint8Array };
  snapshots: { key: string; value: Uint8Array };
  meta: { key: string; value: string };
}

type Db = IDBPDatabase<ZooTabsDb>;
const SCHEMA_VERSION = 1;
const STORE_NAMES = ['log', 'snapshots', 'meta'] as const;
const STRICT: IDBTransactionOptions = { durability: 'strict' };

/** 16 lower-case hex digits: string order equals zxid order. */
export function zxidKey(zxid: Zxid): string {
  return BigInt.asUintN(64, zxid).toString(16).padStart(16, '0');
}

export function zxidFromKey(key: string): Zxid {
  return BigInt('0x' + key);
}

/** Maps IndexedDB failures to StorageError with a message a person can act on. */
export function toStorageError(operation: string, databaseName: string, error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : 'Error';
  const detail = error instanceof Error || error instanceof DOMException ? error.message : String(error);
  const where = `${operation} in IndexedDB database ${databaseName}`;
  switch (name) {
    case 'QuotaExceededError':
      return new StorageError(`${where}: storage quota exceeded, nothing was written; free space or purge snapshots`, error);
    case 'AbortError':
      return new StorageError(`${where}: transaction aborted, nothing was written (${detail})`, error);
    case 'InvalidStateError':
      return new StorageError(`${where}: the database connection is closed (${detail})`, error);
    case 'VersionError':
      return new StorageError(`${where}: the database has a newer schema than this code (${detail})`, error);
    default:
      return new StorageError(`${where} failed: ${name}: ${detail}`, error);
  }
}

/** Marks a promise handled now (it is awaited later), so an abort is never an unhandled rejection. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

function keysAfter(zxid: Zxid): IDBKeyRange {
  return IDBKeyRange.lowerBound(zxidKey(zxid), true);
}

export class IdbStorage implements InspectableStorage {
  private queue: Promise<unknown> = Promise.resolve();
  /** Set when the connection is gone (closed for another tab's upgrade, or by the browser). */
  private failure: StorageError | null = null;
  private closed = false;

  private constructor(
    readonly databaseName: string,
    private readonly db: Db,
  ) {}

  /** Opens (creating if needed) the database `name`. Rejects with StorageError when blocked. */
  static async open(name: string): Promise<IdbStorage> {
    const holder: { storage: IdbStorage | null } = { storage: null };
    let rejectBlocked: (error: StorageError) => void = () => undefined;
    const blocked = new Promise<never>((_resolve, reject) => {
      rejectBlocked = reject;
    });
    const opening = openDB<ZooTabsDb>(name, SCHEMA_VERSION, {
      upgrade(db) {
        for (const store of STORE_NAMES) if (!db.objectStoreNames.contains(store)) db.createObjectStore(store);
      },
      blocked() {
        rejectBlocked(new StorageError(`open IndexedDB database ${name}: blocked by another tab holding an older version open; close it`));
      },
      blocking() {
        holder.storage?.lose(`another tab is upgrading or deleting IndexedDB database ${name}; this connection was closed`);
      },
      terminated() {
        holder.storage?.lose(`the browser closed IndexedDB database ${name} abnormally`);
      },
    });
    let db: Db;
    try {
      db = await Promise.race([opening, blocked]);
    } catch (error) {
      opening.then((late) => late.close(), () => undefined);
      throw toStorageError('open', name, error);
    }
    const missing = STORE_NAMES.filter((store) => !db.objectStoreNames.contains(store));
    if (missing.length > 0) {
      db.close();
      throw new StorageError(`open IndexedDB database ${name}: it exists without the stores ${missing.join(', ')}`);
    }
    holder.storage = new IdbStorage(name, db);
    return holder.storage;
  }

  /** Deletes a server's database (e.g. "reset cluster"). */
  static async destroy(name: string): Promise<void> {
    try {
      await deleteDB(name);
    } catch (error) {
      throw toStorageError('delete', name, error);
    }
  }

  load(): Promise<LoadedState> {
    return this.run('load', () => this.loadNow());
  }

  inspect(): Promise<StorageInventory> {
    return this.run('inspect', async () => {
      const tx = this.db.transaction(['log', 'snapshots'], 'readonly');
      const done = handled(tx.done);
      const snapshotKeys = await tx.objectStore('snapshots').getAllKeys();
      const first = await tx.objectStore('log').openKeyCursor(null, 'next');
      const firstKey = first?.key ?? null;
      const last = await tx.objectStore('log').openKeyCursor(null, 'prev');
      const lastKey = last?.key ?? null;
      await done;
      return {
        snapshotZxids: snapshotKeys.map(zxidFromKey),
        logFirstZxid: firstKey === null ? null : zxidFromKey(firstKey),
        logLastZxid: lastKey === null ? null : zxidFromKey(lastKey),
      };
    });
  }

  append(entries: readonly LogEntry[]): Promise<void> {
    return this.run(`append of ${entries.length} entries`, () => this.appendNow(entries));
  }

  truncateAfter(zxid: Zxid): Promise<void> {
    return this.run('truncateAfter', async () => {
      checkZxid('truncateAfter', zxid);
      const tx = this.db.transaction(['log', 'snapshots'], 'readwrite', STRICT);
      await Promise.all([tx.objectStore('log').delete(keysAfter(zxid)), tx.objectStore('snapshots').delete(keysAfter(zxid)), tx.done]);
    });
  }

  saveSnapshot(snapshot: SnapshotRecord): Promise<void> {
    return this.run('saveSnapshot', async () => {
      checkSnapshot(snapshot);
      const tx = this.db.transaction('snapshots', 'readwrite', STRICT);
      await Promise.all([tx.store.put(encodeSnapshotFrame(snapshot), zxidKey(snapshot.zxid)), tx.done]);
    });
  }

  purge(retainCount: number): Promise<void> {
    return this.run('purge', () => this.purgeNow(retainCount));
  }

  setMeta(key: string, value: string): Promise<void> {
    return this.run('setMeta', async () => {
      checkMeta(key, value);
      const tx = this.db.transaction('meta', 'readwrite', STRICT);
      await Promise.all([tx.store.put(value, key), tx.done]);
    });
  }

  /** Idempotent. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.run('close', async () => {
      this.closed = true;
      this.db.close();
    });
  }

  private lose(reason: string): void {
    this.failure ??= new StorageError(reason);
    this.db.close();
  }

  /** Calls run one at a time in call order; every failure becomes StorageError. */
  private run<T>(operation: string, body: () => Promise<T>): Promise<T> {
    const result = this.queue.then(async () => {
      if (this.closed) throw new StorageError(`${operation}: IndexedDB database ${this.databaseName} is closed`);
      if (this.failure !== null) throw this.failure;
      try {
        return await body();
      } catch (error) {
        throw toStorageError(operation, this.databaseName, error);
      }
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async appendNow(entries: readonly LogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const tx = this.db.transaction('log', 'readwrite', STRICT);
    const done = handled(tx.done);
    const lastCursor = await tx.store.openKeyCursor(null, 'prev');
    try {
      checkAppendOrder(entries, lastCursor === null ? null : zxidFromKey(lastCursor.key));
    } catch (error) {
      tx.abort();
      throw error;
    }
    const puts = entries.map((entry) => tx.store.put(encodeLogRecord(entry), zxidKey(entry.zxid)));
    await Promise.all([...puts, done]);
  }

  private async loadNow(): Promise<LoadedState> {
    const warnings: string[] = [];
    const tx = this.db.transaction(['log', 'snapshots', 'meta'], 'readonly');
    const done = handled(tx.done);
    const metaKeys = await tx.objectStore('meta').getAllKeys();
    const metaValues = await tx.objectStore('meta').getAll();
    let snapshot: SnapshotRecord | null = null;
    let cursor = await tx.objectStore('snapshots').openCursor(null, 'prev');
    while (cursor !== null && snapshot === null) {
      const decoded = decodeSnapshotFrame(cursor.value, zxidFromKey(cursor.key));
      if (decoded.ok) snapshot = decoded.snapshot;
      else warnings.push(`skipped snapshot ${hex(zxidFromKey(cursor.key))}: ${decoded.reason}`);
      cursor = snapshot === null ? await cursor.continue() : cursor;
    }
    const range = snapshot === null ? undefined : keysAfter(snapshot.zxid);
    const logKeys = await tx.objectStore('log').getAllKeys(range);
    const logValues = await tx.objectStore('log').getAll(range);
    await done;
    const log = await this.validLogPrefix(logKeys, logValues, snapshot?.zxid ?? null, warnings);
    const meta: Record<string, string> = {};
    metaKeys.forEach((key, index) => (meta[key] = metaValues[index]!));
    return { snapshot, log, meta, warnings };
  }

  /** Decodes records in key order; at the first damaged one, deletes it and everything after. */
  private async validLogPrefix(keys: string[], values: Uint8Array[], afterZxid: Zxid | null, warnings: string[]): Promise<LogEntry[]> {
    const log: LogEntry[] = [];
    for (let index = 0; index < keys.length; index++) {
      const entry = decodeLogRecord(values[index]!);
      const keyZxid = zxidFromKey(keys[index]!);
      if (entry !== null && entry.zxid === keyZxid) {
        log.push(entry);
        continue;
      }
      const cutBytes = values.slice(index).reduce((sum, value) => sum + value.length, 0);
      const previous = log[log.length - 1]?.zxid ?? afterZxid;
      const reason = entry === null ? `record ${hex(keyZxid)} is damaged` : `record under key ${hex(keyZxid)} holds ${hex(entry.zxid)}`;
      warnings.push(describeLogCut(cutBytes, previous, reason));
      const tx = this.db.transaction('log', 'readwrite', STRICT);
      await Promise.all([tx.store.delete(IDBKeyRange.lowerBound(keys[index]!)), tx.done]);
      break;
    }
    return log;
  }

  private async purgeNow(retainCount: number): Promise<void> {
    checkRetainCount(retainCount);
    const tx = this.db.transaction(['snapshots', 'log'], 'readwrite', STRICT);
    const done = handled(tx.done);
    let kept = 0;
    let oldestKeptKey: string | null = null;
    let cursor = await tx.objectStore('snapshots').openCursor(null, 'prev');
    while (cursor !== null && kept < retainCount) {
      if (decodeSnapshotFrame(cursor.value, zxidFromKey(cursor.key)).ok) {
        kept++;
        oldestKeptKey = cursor.key;
      }
      cursor = await cursor.continue();
    }
    if (oldestKeptKey !== null) {
      await tx.objectStore('snapshots').delete(IDBKeyRange.upperBound(oldestKeptKey, true));
      await tx.objectStore('log').delete(IDBKeyRange.upperBound(oldestKeptKey));
    }
    await done;
  }
}
