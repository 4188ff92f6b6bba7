import { describe, expect, it } from 'vitest';
import { makeZxid } from '../zk/types';
import { MemoryStorage, MemoryStorageSync } from './memory-storage';
import { entries, runStorageContract, snapshotAt } from './storage-contract';
import { StorageError, type InspectableStorage } from './storage';

runStorageContract('MemoryStorage', () => ({
  create: async () => new MemoryStorage(),
  reopen: async (closed: InspectableStorage) => new MemoryStorage({ core: (closed as MemoryStorage).core }),
}));

const zxids = (core: MemoryStorageSync): bigint[] => core.loadSync().log.map((item) => item.zxid);

describe('MemoryStorageSync durability model', () => {
  it('calls onDurable only when a write is flushed, in order', () => {
    const core = new MemoryStorageSync();
    const durable: string[] = [];
    core.appendSync(entries(1, 2), () => durable.push('a'));
    core.setMetaSync('currentEpoch', '1', () => durable.push('m'));
    core.appendSync(entries(3, 3), () => durable.push('b'));
    expect(durable).toEqual([]);
    expect(core.pendingWriteCount).toBe(3);
    expect(zxids(core)).toHaveLength(3); // readers see written, unsynced data
    expect(core.flushSync(2)).toBe(2);
    expect(durable).toEqual(['a', 'm']);
    expect(core.flushSync()).toBe(1);
    expect(durable).toEqual(['a', 'm', 'b']);
  });

  it('power loss drops unsynced writes; a process crash keeps them', () => {
    const lost = new MemoryStorageSync();
    lost.appendSync(entries(1, 2));
    lost.flushSync();
    lost.appendSync(entries(3, 4));
    lost.setMetaSync('acceptedEpoch', '2');
    lost.crash(true);
    expect(zxids(lost)).toEqual([makeZxid(1, 1), makeZxid(1, 2)]);
    expect(lost.loadSync().meta).toEqual({});
    expect(lost.pendingWriteCount).toBe(0);

    const kept = new MemoryStorageSync();
    kept.appendSync(entries(1, 4));
    kept.crash(false);
    expect(zxids(kept)).toHaveLength(4);
  });

  it('power loss can keep a prefix of pending writes and tear the next append', () => {
    const core = new MemoryStorageSync();
    core.appendSync(entries(1, 2));
    core.appendSync(entries(3, 6));
    core.appendSync(entries(7, 8));
    core.crash(true, { survivingPendingWrites: 1, tornAppendEntries: 2 });
    expect(zxids(core)).toEqual([1, 2, 3, 4].map((counter) => makeZxid(1, counter)));
  });

  it('does not call callbacks of writes pending at a crash, and the old handle dies', async () => {
    const core = new MemoryStorageSync();
    const storage = new MemoryStorage({ core, durability: 'manual' });
    let resolved = false;
    void storage.append(entries(1, 1)).then(() => (resolved = true));
    core.crash(false);
    expect(core.flushSync()).toBe(0);
    await Promise.resolve();
    expect(resolved).toBe(false);
    await expect(storage.load()).rejects.toBeInstanceOf(StorageError);
    const restarted = new MemoryStorage({ core });
    expect((await restarted.load()).log).toHaveLength(1);
  });

  it('manual durability resolves append promises only at flush', async () => {
    const storage = new MemoryStorage({ durability: 'manual' });
    const order: string[] = [];
    const first = storage.append(entries(1, 1)).then(() => order.push('first'));
    const second = storage.append(entries(2, 2)).then(() => order.push('second'));
    await Promise.resolve();
    expect(order).toEqual([]);
    storage.flush(1);
    await first;
    expect(order).toEqual(['first']);
    storage.flush();
    await second;
    expect(order).toEqual(['first', 'second']);
  });

  it('a damaged snapshot is skipped with a warning and the older one used', () => {
    const core = new MemoryStorageSync();
    core.appendSync(entries(1, 6));
    core.saveSnapshotSync(snapshotAt(makeZxid(1, 3)));
    core.saveSnapshotSync(snapshotAt(makeZxid(1, 5)));
    core.damageSnapshot(makeZxid(1, 5));
    const loaded = core.loadSync();
    expect(loaded.snapshot?.zxid).toBe(makeZxid(1, 3));
    expect(loaded.log.map((item) => item.zxid)).toEqual([4, 5, 6].map((counter) => makeZxid(1, counter)));
    expect(loaded.warnings).toEqual(['skipped snapshot 0x100000005: checksum mismatch']);
    // purge does not count a damaged snapshot among the ones it keeps
    core.purgeSync(1);
    expect(core.inspectSync().snapshotZxids).toEqual([makeZxid(1, 3), makeZxid(1, 5)]);
    expect(() => core.damageSnapshot(makeZxid(9, 9))).toThrow(StorageError);
  });

  it('rejects bad input synchronously', () => {
    const core = new MemoryStorageSync();
    core.appendSync(entries(1, 2));
    expect(() => core.appendSync(entries(2, 2))).toThrow(StorageError);
    expect(() => core.purgeSync(0)).toThrow(StorageError);
    expect(() => core.setMetaSync('a/b', '1')).toThrow(StorageError);
    expect(core.pendingWriteCount).toBe(1);
  });
});
