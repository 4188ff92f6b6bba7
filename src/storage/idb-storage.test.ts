import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { makeZxid } from '../zk/types';
import { IdbStorage, LOAD_VALUES_PER_READ, toStorageError, valueBatches, VALUE_BYTES_MAX, VALUE_ENTRIES_MAX, zxidFromKey, zxidKey } from './idb-storage';
import { type InspectableStorage, StorageError } from './storage';
import { entries, entry, runStorageContract, snapshotAt } from './storage-contract';

let databaseCounter = 0;
const databases: string[] = [];

function newName(): string {
  const name = `zootabs-test-${++databaseCounter}`;
  databases.push(name);
  return name;
}

async function destroyDatabases(): Promise<void> {
  for (const name of databases.splice(0)) await IdbStorage.destroy(name);
}

runStorageContract('IdbStorage (fake-indexeddb)', () => ({
  create: () => IdbStorage.open(newName()),
  reopen: (closed: InspectableStorage) => IdbStorage.open((closed as IdbStorage).databaseName),
  cleanup: destroyDatabases,
}));

/** Overwrites one stored value behind the storage's back, as a damaged disk would. */
async function overwrite(name: string, store: 'log' | 'snapshots', key: string, value: Uint8Array): Promise<void> {
  const db = await openDB(name);
  await db.put(store, value, key);
  db.close();
}

describe('IdbStorage', () => {
  afterEach(destroyDatabases);

  it('keys sort like zxids', () => {
    const zxids = [0n, 1n, 0xffffffffn, 0x100000000n, 0xfedcba9876543210n];
    const keys = zxids.map(zxidKey);
    expect(keys.slice().sort()).toEqual(keys);
    expect(keys[3]).toBe('0000000100000000');
    expect(keys.map(zxidFromKey)).toEqual(zxids);
  });

  it('cuts the log at a damaged record and deletes everything after it', async () => {
    const name = newName();
    let storage = await IdbStorage.open(name);
    // One append per txn: one value per record (also the layout before values held batches).
    for (const one of entries(1, 5)) await storage.append([one]);
    await storage.close();
    await overwrite(name, 'log', zxidKey(makeZxid(1, 3)), new Uint8Array([1, 2, 3]));
    storage = await IdbStorage.open(name);
    const loaded = await storage.load();
    expect(loaded.log).toEqual(entries(1, 2));
    expect(loaded.warnings).toHaveLength(1);
    expect(loaded.warnings[0]).toMatch(/^cut \d+ bytes of torn log tail after 0x100000002 \(record 0x100000003 is damaged\)/);
    expect((await storage.inspect()).logLastZxid).toBe(makeZxid(1, 2));
    const next = entry(makeZxid(2, 1));
    await storage.append([next]);
    const reloaded = await storage.load();
    expect(reloaded.log).toEqual([...entries(1, 2), next]);
    expect(reloaded.warnings).toEqual([]);
  });

  it('stores an append batch as one value under its last zxid, and splits big batches', async () => {
    const name = newName();
    const storage = await IdbStorage.open(name);
    await storage.append(entries(1, 5));
    await storage.append(entries(6, 6));
    const db = await openDB(name);
    expect(await db.getAllKeys('log')).toEqual([zxidKey(makeZxid(1, 5)), zxidKey(makeZxid(1, 6))]);
    db.close();
    expect(valueBatches(entries(1, VALUE_ENTRIES_MAX + 1)).map((batch) => batch.length)).toEqual([VALUE_ENTRIES_MAX, 1]);
    const big = [entry(makeZxid(2, 1), VALUE_BYTES_MAX - 100), entry(makeZxid(2, 2), 200)];
    expect(valueBatches(big).map((batch) => batch.length)).toEqual([1, 1]);
    expect((await storage.inspect()).logFirstZxid).toBe(makeZxid(1, 1));
  });

  it('reads a long log in several ranges, skipping what the snapshot covers inside a batch', async () => {
    const storage = await IdbStorage.open(newName());
    const total = LOAD_VALUES_PER_READ * 2 + 3;
    for (let first = 1; first <= total; first += 2) await storage.append(entries(first, Math.min(first + 1, total)));
    expect((await storage.load()).log).toEqual(entries(1, total));
    await storage.saveSnapshot(snapshotAt(makeZxid(1, 7)));
    const loaded = await storage.load();
    expect(loaded.log).toEqual(entries(8, total));
    expect(loaded.warnings).toEqual([]);
  });

  it('keeps the whole records before a damaged one inside a batch value', async () => {
    const name = newName();
    let storage = await IdbStorage.open(name);
    await storage.append(entries(1, 2));
    await storage.append(entries(3, 6));
    await storage.append(entries(7, 8));
    await storage.close();
    const db = await openDB(name);
    const key = zxidKey(makeZxid(1, 6));
    const value = (await db.get('log', key)) as Uint8Array;
    const damaged = value.slice();
    damaged[damaged.length - 1]! ^= 0xff; // in the last record (1, 6)
    await db.put('log', damaged, key);
    db.close();
    storage = await IdbStorage.open(name);
    const loaded = await storage.load();
    expect(loaded.log).toEqual(entries(1, 5));
    expect(loaded.warnings).toHaveLength(1);
    expect(loaded.warnings[0]).toMatch(/^cut \d+ bytes of torn log tail after 0x100000005 \(record 0x100000006 is damaged\)/);
    expect((await storage.inspect()).logLastZxid).toBe(makeZxid(1, 5));
    await storage.append(entries(6, 6));
    expect(await storage.load()).toMatchObject({ log: entries(1, 6), warnings: [] });
  });

  it('truncateAfter inside a batch value keeps its prefix', async () => {
    const storage = await IdbStorage.open(newName());
    await storage.append(entries(1, 6));
    await storage.truncateAfter(makeZxid(1, 3));
    expect((await storage.load()).log).toEqual(entries(1, 3));
    expect((await storage.inspect()).logLastZxid).toBe(makeZxid(1, 3));
    await storage.append(entries(4, 4));
    expect((await storage.load()).log).toEqual(entries(1, 4));
  });

  it('falls back to the previous snapshot when the newest has a bad checksum', async () => {
    const name = newName();
    const storage = await IdbStorage.open(name);
    await storage.append(entries(1, 8));
    await storage.saveSnapshot(snapshotAt(makeZxid(1, 3)));
    await storage.saveSnapshot(snapshotAt(makeZxid(1, 6)));
    await overwrite(name, 'snapshots', zxidKey(makeZxid(1, 6)), new Uint8Array(40));
    const loaded = await storage.load();
    expect(loaded.snapshot).toEqual(snapshotAt(makeZxid(1, 3)));
    expect(loaded.log).toEqual(entries(4, 8));
    expect(loaded.warnings).toEqual(['skipped snapshot 0x100000006: bad magic']);
  });

  it('rejects calls once another tab deletes the database', async () => {
    const name = newName();
    const storage = await IdbStorage.open(name);
    await storage.append(entries(1, 1));
    await IdbStorage.destroy(name);
    const error = await storage.append(entries(2, 2)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toMatch(/another tab is upgrading or deleting/);
  });

  it('a quota failure during append rejects with a clear StorageError and writes nothing', async () => {
    const storage = await IdbStorage.open(newName());
    await storage.append(entries(1, 1));
    const proto = globalThis.IDBObjectStore.prototype;
    const originalPut = proto.put;
    proto.put = function put(): IDBRequest<IDBValidKey> {
      throw new DOMException('quota', 'QuotaExceededError');
    };
    try {
      const error = await storage.append(entries(2, 3)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StorageError);
      expect((error as Error).message).toMatch(/storage quota exceeded, nothing was written/);
    } finally {
      proto.put = originalPut;
    }
    expect((await storage.load()).log).toEqual(entries(1, 1));
  });

  it('rejects opening a database that exists without its stores', async () => {
    const name = newName();
    const db = await openDB(name, 1);
    db.close();
    await expect(IdbStorage.open(name)).rejects.toThrow(/without the stores log, snapshots, meta/);
  });

  it('maps IndexedDB error names to messages', () => {
    const message = (name: string): string => toStorageError('append', 'db', new DOMException('x', name)).message;
    expect(message('AbortError')).toMatch(/transaction aborted/);
    expect(message('InvalidStateError')).toMatch(/connection is closed/);
    expect(message('UnknownError')).toMatch(/append in IndexedDB database db failed: UnknownError/);
    const original = new StorageError('kept');
    expect(toStorageError('x', 'db', original)).toBe(original);
  });
});
