// IndexedDB storage for the browser (one database per server, e.g. "zootabs-<cluster>-<myid>").
// Stores: log (key: the zxid of the value's last txn as 16 hex digits, which sort like the numbers;
// value: one append batch as framed records with CRCs, log-record.ts, so a value of one record is
// the same as before batches), snapshots (key: zxid; value: checksummed snapshot frame), meta (key:
// name). One value per append batch, not per txn: a reload reads thousands of values instead of
// 100,000 (IndexedDB's cost is per value), in key ranges so no single read is unbounded.
// Every write is one readwrite transaction opened with durability 'strict' and awaited to
// completion, so a resolved append is on disk. Any IndexedDB failure rejects with StorageError.
import { type DBSchema, deleteDB, type IDBPDatabase, openDB } from 'idb';
import { hex, type Zxid } from '../zk/types';
import { describeLogCut, encodeLogRecords, logRecordBytes, scanLogRecords } from './log-record';
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
/** Log values read per request at load: bounds one structured clone (values are batches). */
export const LOAD_VALUES_PER_READ = 512;
/** A batch is split into values of at most this many txns / bytes, so no value is huge. */
export const VALUE_ENTRIES_MAX = 4096;
export const VALUE_BYTES_MAX = 4 * 1024 * 1024;

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
  /**
   * The log's last key as this connection last wrote it; undefined when not known (at first, and
   * after a truncate or a cut). Only this tab writes this database (its myid is locked), so once
   * known it saves each append a cursor read inside its transaction.
   */
  private lastLogKey: string | null | undefined = undefined;

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
      const first = await tx.objectStore('log').openCursor(null, 'next');
      const firstZxid = first === null ? null : firstZxidOf(first.value, zxidFromKey(first.key));
      const last = await tx.objectStore('log').openKeyCursor(null, 'prev');
      const lastKey = last?.key ?? null;
      await done;
      return {
        snapshotZxids: snapshotKeys.map(zxidFromKey),
        logFirstZxid: firstZxid,
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
      this.lastLogKey = undefined;
      const tx = this.db.transaction(['log', 'snapshots'], 'readwrite', STRICT);
      const done = handled(tx.done);
      const log = tx.objectStore('log');
      // The first value past the cut may start at or before it: its prefix is written back.
      const straddling = await log.openCursor(keysAfter(zxid));
      const kept = straddling === null ? [] : scanLogRecords(straddling.value).entries.filter((e) => e.zxid <= zxid);
      await log.delete(keysAfter(zxid));
      if (kept.length > 0) await log.put(encodeLogRecords(kept), zxidKey(kept[kept.length - 1]!.zxid));
      await Promise.all([tx.objectStore('snapshots').delete(keysAfter(zxid)), done]);
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
    if (this.lastLogKey === undefined) this.lastLogKey = (await tx.store.openKeyCursor(null, 'prev'))?.key ?? null;
    try {
      checkAppendOrder(entries, this.lastLogKey === null ? null : zxidFromKey(this.lastLogKey));
    } catch (error) {
      tx.abort();
      throw error;
    }
    const keys: string[] = [];
    const puts = valueBatches(entries).map((batch) => {
      const key = zxidKey(batch[batch.length - 1]!.zxid);
      keys.push(key);
      return tx.store.put(encodeLogRecords(batch), key);
    });
    this.lastLogKey = undefined; // unknown until this transaction commits
    await Promise.all([...puts, done]);
    this.lastLogKey = keys[keys.length - 1]!;
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
    const afterZxid = snapshot?.zxid ?? null;
    const reader = new LogValueReader(afterZxid);
    // Values whose last txn is after the snapshot, LOAD_VALUES_PER_READ at a time.
    let range: IDBKeyRange | undefined = afterZxid === null ? undefined : keysAfter(afterZxid);
    while (reader.cut === null) {
      const keys = await tx.objectStore('log').getAllKeys(range, LOAD_VALUES_PER_READ);
      const values = await tx.objectStore('log').getAll(range, LOAD_VALUES_PER_READ);
      if (keys.length !== values.length) throw new StorageError(`load: ${keys.length} log keys but ${values.length} values in one read`);
      for (let index = 0; index < keys.length && reader.cut === null; index++) reader.add(keys[index]!, values[index]!);
      if (keys.length < LOAD_VALUES_PER_READ) break;
      range = IDBKeyRange.lowerBound(keys[keys.length - 1]!, true);
    }
    await done;
    if (reader.cut !== null) await this.cutLog(reader, warnings);
    const meta: Record<string, string> = {};
    metaKeys.forEach((key, index) => (meta[key] = metaValues[index]!));
    return { snapshot, log: reader.entries, meta, warnings };
  }

  /**
   * At the first damaged value: keeps the whole records before the damage (written back as one
   * value), deletes that value and everything after it, and warns how many bytes went.
   */
  private async cutLog(reader: LogValueReader, warnings: string[]): Promise<void> {
    const cut = reader.cut!;
    this.lastLogKey = undefined;
    const tx = this.db.transaction('log', 'readwrite', STRICT);
    const done = handled(tx.done);
    const after = await tx.store.getAll(IDBKeyRange.lowerBound(cut.key, true));
    const cutBytes = cut.lostBytes + after.reduce((sum, value) => sum + value.length, 0);
    warnings.push(describeLogCut(cutBytes, cut.previous, cut.reason));
    await tx.store.delete(IDBKeyRange.lowerBound(cut.key));
    if (cut.kept.length > 0) await tx.store.put(encodeLogRecords(cut.kept), zxidKey(cut.kept[cut.kept.length - 1]!.zxid));
    await done;
  }

  private async purgeNow(retainCount: number): Promise<void> {
    checkRetainCount(retainCount);
    this.lastLogKey = undefined; // a snapshot ahead of the log can take the whole log with it
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

/** Splits an append batch into values of at most VALUE_ENTRIES_MAX txns and about VALUE_BYTES_MAX bytes. */
export function valueBatches(entries: readonly LogEntry[]): LogEntry[][] {
  const batches: LogEntry[][] = [];
  let current: LogEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = logRecordBytes(entry);
    if (current.length > 0 && (current.length >= VALUE_ENTRIES_MAX || bytes + size > VALUE_BYTES_MAX)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Zxid of a log value's first record, or the key's when it is damaged. */
function firstZxidOf(value: Uint8Array, keyZxid: Zxid): Zxid {
  return scanLogRecords(value, { copy: false }).entries[0]?.zxid ?? keyZxid;
}

interface LogCut {
  /** Key of the first damaged value. */
  key: string;
  /** Whole records of that value before the damage, after the previous value. */
  kept: LogEntry[];
  /** Bytes of that value from the damage on. */
  lostBytes: number;
  /** Last good zxid before the cut (null: none). */
  previous: Zxid | null;
  reason: string;
}

/**
 * Decodes log values in key order into entries after `afterZxid` (the snapshot), checking every
 * record's CRC and that zxids increase across values and end at the value's key. Entry bytes are
 * views into the values read (no copy per entry: those buffers belong to this load alone).
 */
export class LogValueReader {
  readonly entries: LogEntry[] = [];
  cut: LogCut | null = null;
  /** Last zxid of the values read so far (also those the snapshot covers). */
  private lastZxid: Zxid | null = null;

  constructor(private readonly afterZxid: Zxid | null) {}

  add(key: string, value: Uint8Array): void {
    const keyZxid = zxidFromKey(key);
    const scan = scanLogRecords(value, { afterZxid: this.lastZxid, copy: false });
    const last = scan.entries[scan.entries.length - 1];
    const damaged = scan.warning !== null || last === undefined || last.zxid !== keyZxid;
    const fresh = this.afterZxid === null ? scan.entries : scan.entries.filter((e) => e.zxid > this.afterZxid!);
    if (!damaged) {
      for (const entry of fresh) this.entries.push(entry);
      this.lastZxid = keyZxid;
      return;
    }
    // Whole records before a damaged one are kept; records that are whole but end at the wrong
    // zxid are not (the value is not what was written under that key).
    const misplaced = scan.warning === null && last !== undefined;
    const reason = misplaced ? `record under key ${hex(keyZxid)} holds ${hex(last.zxid)}` : `record ${hex(keyZxid)} is damaged`;
    const kept = misplaced ? [] : scan.entries;
    if (!misplaced) for (const entry of fresh) this.entries.push(entry);
    const previous = this.entries[this.entries.length - 1]?.zxid ?? this.afterZxid;
    this.cut = { key, kept, lostBytes: value.length - (misplaced ? 0 : scan.validEndOffset), previous, reason };
  }
}
