// The behaviour every Storage implementation shares, as one vitest suite run against each of them.
import { afterEach, describe, expect, it } from 'vitest';
import { hex, makeZxid, type Zxid } from '../zk/types';
import { type InspectableStorage, type LogEntry, StorageError } from './storage';

export interface ContractHarness {
  /** A fresh, empty storage. */
  create(): Promise<InspectableStorage>;
  /** A new handle on the same data as `closed` (already closed): models a restart. */
  reopen(closed: InspectableStorage): Promise<InspectableStorage>;
  /** Frees what `create` made (temp dirs, databases). */
  cleanup?(): Promise<void>;
}

export function entry(zxid: Zxid, extraBytes = 0): LogEntry {
  const text = new TextEncoder().encode(`txn ${hex(zxid)}`);
  const bytes = new Uint8Array(text.length + extraBytes);
  bytes.set(text);
  for (let index = 0; index < extraBytes; index++) bytes[text.length + index] = (index * 7 + Number(zxid & 0xffn)) & 0xff;
  return { zxid, bytes };
}

export function entries(from: number, to: number): LogEntry[] {
  const out: LogEntry[] = [];
  for (let counter = from; counter <= to; counter++) out.push(entry(makeZxid(1, counter), counter % 5));
  return out;
}

export function snapshotAt(zxid: Zxid): { zxid: Zxid; bytes: Uint8Array } {
  return { zxid, bytes: new TextEncoder().encode(`snapshot up to ${hex(zxid)}`) };
}

function zxidsOf(log: readonly LogEntry[]): Zxid[] {
  return log.map((item) => item.zxid);
}

export function runStorageContract(name: string, makeHarness: () => ContractHarness): void {
  describe(`Storage contract: ${name}`, () => {
    const harness = makeHarness();
    const open: InspectableStorage[] = [];
    const create = async (): Promise<InspectableStorage> => {
      const storage = await harness.create();
      open.push(storage);
      return storage;
    };
    const restart = async (storage: InspectableStorage): Promise<InspectableStorage> => {
      await storage.close();
      const reopened = await harness.reopen(storage);
      open.push(reopened);
      return reopened;
    };
    afterEach(async () => {
      for (const storage of open.splice(0)) await storage.close().catch(() => undefined);
      await harness.cleanup?.();
    });

    it('loads an empty state at first', async () => {
      const storage = await create();
      expect(await storage.load()).toEqual({ snapshot: null, log: [], meta: {}, warnings: [] });
    });

    it('round-trips entries across the 2^32 zxid boundary and a restart', async () => {
      let storage = await create();
      const batches: LogEntry[][] = [
        [entry(0xfffffffen, 3), entry(0xffffffffn)],
        [entry(0x100000000n, 1000)],
        [entry(0x100000001n), entry(0x1ffffffffn, 0), entry(0x200000001n, 17)],
      ];
      for (const batch of batches) await storage.append(batch);
      const expected = batches.flat();
      expect((await storage.load()).log).toEqual(expected);
      storage = await restart(storage);
      const loaded = await storage.load();
      expect(loaded.log).toEqual(expected);
      expect(loaded.warnings).toEqual([]);
      expect(typeof loaded.log[0]!.zxid).toBe('bigint');
    });

    it('keeps call order for appends made without awaiting', async () => {
      const storage = await create();
      await Promise.all([storage.append(entries(1, 3)), storage.append(entries(4, 4)), storage.append(entries(5, 9))]);
      expect(zxidsOf((await storage.load()).log)).toEqual(zxidsOf(entries(1, 9)));
    });

    it('treats an empty append as a no-op', async () => {
      const storage = await create();
      await storage.append([]);
      expect((await storage.load()).log).toEqual([]);
    });

    it('copies entry bytes: later changes to the caller buffer do not leak in', async () => {
      const storage = await create();
      const item = entry(makeZxid(1, 1), 4);
      const original = item.bytes.slice();
      await storage.append([item]);
      item.bytes.fill(0);
      expect((await storage.load()).log[0]!.bytes).toEqual(original);
    });

    it('rejects zxids that do not increase, writing nothing', async () => {
      const storage = await create();
      await storage.append(entries(1, 5));
      await expect(storage.append(entries(5, 6))).rejects.toBeInstanceOf(StorageError);
      await expect(storage.append([entry(makeZxid(1, 8)), entry(makeZxid(1, 7))])).rejects.toBeInstanceOf(StorageError);
      await expect(storage.append([entry(-1n)])).rejects.toBeInstanceOf(StorageError);
      expect(zxidsOf((await storage.load()).log)).toEqual(zxidsOf(entries(1, 5)));
      await storage.append(entries(6, 6));
      expect(zxidsOf((await storage.load()).log)).toEqual(zxidsOf(entries(1, 6)));
    });

    it('truncateAfter drops later entries and allows rewriting them', async () => {
      let storage = await create();
      await storage.append(entries(1, 4));
      await storage.append(entries(5, 10));
      await storage.truncateAfter(makeZxid(1, 6));
      expect(zxidsOf((await storage.load()).log)).toEqual(zxidsOf(entries(1, 6)));
      const rewritten = [entry(makeZxid(2, 1), 9)];
      await storage.append(rewritten);
      storage = await restart(storage);
      expect((await storage.load()).log).toEqual([...entries(1, 6), ...rewritten]);
      await storage.truncateAfter(makeZxid(1, 2));
      expect(zxidsOf((await storage.load()).log)).toEqual(zxidsOf(entries(1, 2)));
      await storage.truncateAfter(0n);
      expect((await storage.load()).log).toEqual([]);
      await storage.append(entries(1, 1));
      expect(zxidsOf((await storage.load()).log)).toEqual(zxidsOf(entries(1, 1)));
    });

    it('truncateAfter across an epoch boundary', async () => {
      const storage = await create();
      await storage.append([entry(0xfffffffen), entry(0xffffffffn), entry(0x100000000n), entry(0x100000001n)]);
      await storage.truncateAfter(0xffffffffn);
      expect(zxidsOf((await storage.load()).log)).toEqual([0xfffffffen, 0xffffffffn]);
    });

    it('loads the newest snapshot and only the log after it', async () => {
      let storage = await create();
      await storage.append(entries(1, 10));
      await storage.saveSnapshot(snapshotAt(makeZxid(1, 5)));
      let loaded = await storage.load();
      expect(loaded.snapshot).toEqual(snapshotAt(makeZxid(1, 5)));
      expect(zxidsOf(loaded.log)).toEqual(zxidsOf(entries(6, 10)));
      await storage.append(entries(11, 15));
      await storage.saveSnapshot(snapshotAt(makeZxid(1, 12)));
      await storage.append(entries(16, 16));
      storage = await restart(storage);
      loaded = await storage.load();
      expect(loaded.snapshot).toEqual(snapshotAt(makeZxid(1, 12)));
      expect(loaded.log).toEqual(entries(13, 16));
      expect(loaded.warnings).toEqual([]);
    });

    it('accepts a snapshot ahead of the log (SNAP sync) and appends after it', async () => {
      const storage = await create();
      await storage.saveSnapshot(snapshotAt(makeZxid(2, 7)));
      await storage.append(entries(1, 1).map((item) => ({ ...item, zxid: makeZxid(2, 8) })));
      const loaded = await storage.load();
      expect(loaded.snapshot?.zxid).toBe(makeZxid(2, 7));
      expect(zxidsOf(loaded.log)).toEqual([makeZxid(2, 8)]);
    });

    it('truncateAfter also drops snapshots newer than the cut', async () => {
      const storage = await create();
      await storage.append(entries(1, 4));
      await storage.saveSnapshot(snapshotAt(makeZxid(1, 2)));
      await storage.append(entries(5, 8));
      await storage.saveSnapshot(snapshotAt(makeZxid(1, 6)));
      await storage.truncateAfter(makeZxid(1, 3));
      const loaded = await storage.load();
      expect(loaded.snapshot?.zxid).toBe(makeZxid(1, 2));
      expect(zxidsOf(loaded.log)).toEqual([makeZxid(1, 3)]);
      expect((await storage.inspect()).snapshotZxids).toEqual([makeZxid(1, 2)]);
    });

    it('purge keeps the newest snapshots and the log they need', async () => {
      let storage = await create();
      for (let round = 0; round < 4; round++) {
        await storage.append(entries(round * 10 + 1, round * 10 + 10));
        if (round < 3) await storage.saveSnapshot(snapshotAt(makeZxid(1, round * 10 + 10)));
      }
      const before = await storage.load();
      await storage.purge(2);
      const inventory = await storage.inspect();
      expect(inventory.snapshotZxids).toEqual([makeZxid(1, 20), makeZxid(1, 30)]);
      expect(inventory.logFirstZxid).toBe(makeZxid(1, 21));
      expect(inventory.logLastZxid).toBe(makeZxid(1, 40));
      expect(await storage.load()).toEqual(before);
      storage = await restart(storage);
      expect(await storage.load()).toEqual(before);
      await storage.purge(5);
      expect((await storage.inspect()).snapshotZxids).toEqual([makeZxid(1, 20), makeZxid(1, 30)]);
      await expect(storage.purge(0)).rejects.toBeInstanceOf(StorageError);
    });

    it('purge without snapshots deletes nothing', async () => {
      const storage = await create();
      await storage.append(entries(1, 3));
      await storage.purge(3);
      expect(zxidsOf((await storage.load()).log)).toEqual(zxidsOf(entries(1, 3)));
    });

    it('keeps meta values across restarts and overwrites them', async () => {
      let storage = await create();
      await storage.setMeta('acceptedEpoch', '1');
      await storage.setMeta('currentEpoch', '1');
      await storage.setMeta('acceptedEpoch', '2');
      await storage.setMeta('myid', '3');
      storage = await restart(storage);
      expect((await storage.load()).meta).toEqual({ acceptedEpoch: '2', currentEpoch: '1', myid: '3' });
      await expect(storage.setMeta('../evil', 'x')).rejects.toBeInstanceOf(StorageError);
      await expect(storage.setMeta('big', 'x'.repeat(5000))).rejects.toBeInstanceOf(StorageError);
    });

    it('rejects calls after close; close is idempotent', async () => {
      const storage = await create();
      await storage.close();
      await storage.close();
      await expect(storage.append(entries(1, 1))).rejects.toBeInstanceOf(StorageError);
      await expect(storage.load()).rejects.toBeInstanceOf(StorageError);
    });
  });
}
