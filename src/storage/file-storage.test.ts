import { constants as fsConstants } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeZxid } from '../zk/types';
import { FileStorage } from './file-storage';
import { LOG_FILE_HEADER_BYTES } from './file-layout';
import { scanLogRecords } from './log-record';
import { type InspectableStorage, StorageError } from './storage';
import { entries, entry, runStorageContract, snapshotAt } from './storage-contract';

const tempDirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zootabs-storage-'));
  tempDirs.push(dir);
  return dir;
}

async function removeTempDirs(): Promise<void> {
  for (const dir of tempDirs.splice(0)) await rm(dir, { recursive: true, force: true });
}

runStorageContract('FileStorage', () => ({
  create: async () => new FileStorage({ dataDir: await tempDir() }),
  reopen: async (closed: InspectableStorage) => new FileStorage((closed as FileStorage).options),
  cleanup: removeTempDirs,
}));

runStorageContract('FileStorage with a separate dataLogDir', () => ({
  create: async () => new FileStorage({ dataDir: await tempDir(), dataLogDir: await tempDir() }),
  reopen: async (closed: InspectableStorage) => new FileStorage((closed as FileStorage).options),
  cleanup: removeTempDirs,
}));

/** open(2) flags of this process's descriptor for `path` (Linux /proc), or null if none is open. */
async function openFlagsOf(path: string): Promise<number | null> {
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(join('/proc/self/fd', fd)).catch(() => '');
    if (target !== path) continue;
    const info = await readFile(join('/proc/self/fdinfo', fd), 'utf8');
    const octal = /^flags:\s+([0-7]+)$/m.exec(info)?.[1];
    if (octal !== undefined) return parseInt(octal, 8);
  }
  return null;
}

const zxidsOf = (log: readonly { zxid: bigint }[]): bigint[] => log.map((item) => item.zxid);

describe('FileStorage layout', () => {
  afterEach(removeTempDirs);

  it('uses the Apache ZooKeeper names and rolls the log after a snapshot and a restart', async () => {
    const dataDir = await tempDir();
    const dataLogDir = await tempDir();
    let storage = new FileStorage({ dataDir, dataLogDir });
    await storage.append(entries(1, 3));
    await storage.append(entries(4, 5));
    await storage.saveSnapshot(snapshotAt(makeZxid(1, 5)));
    await storage.append(entries(6, 6));
    await storage.setMeta('acceptedEpoch', '2');
    await storage.setMeta('currentEpoch', '1');
    await storage.setMeta('myid', '7');
    await storage.close();
    storage = new FileStorage({ dataDir, dataLogDir });
    await storage.load();
    await storage.append(entries(7, 7));
    await storage.close();
    expect((await readdir(join(dataLogDir, 'version-2'))).sort()).toEqual(['log.100000001', 'log.100000006', 'log.100000007']);
    expect((await readdir(join(dataDir, 'version-2'))).sort()).toEqual(['acceptedEpoch', 'currentEpoch', 'snapshot.100000005']);
    expect(await readFile(join(dataDir, 'version-2', 'acceptedEpoch'), 'utf8')).toBe('2');
    expect(await readFile(join(dataDir, 'myid'), 'utf8')).toBe('7');
    const firstLog = await readFile(join(dataLogDir, 'version-2', 'log.100000001'));
    expect(scanLogRecords(firstLog, { startOffset: LOG_FILE_HEADER_BYTES }).entries).toEqual(entries(1, 5));
  });

  it('reads a hand-written myid with a trailing newline and ignores stale temp files', async () => {
    const dataDir = await tempDir();
    await mkdir(join(dataDir, 'version-2'));
    await writeFile(join(dataDir, 'myid'), '3\n');
    await writeFile(join(dataDir, 'version-2', 'currentEpoch.tmp'), '9');
    const loaded = await new FileStorage({ dataDir }).load();
    expect(loaded.meta).toEqual({ myid: '3' });
    expect(await readdir(join(dataDir, 'version-2'))).toEqual([]);
  });

  it('refuses to touch an Apache ZooKeeper txn log', async () => {
    const dataDir = await tempDir();
    await mkdir(join(dataDir, 'version-2'));
    const apache = new Uint8Array([0x5a, 0x4b, 0x4c, 0x47, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
    await writeFile(join(dataDir, 'version-2', 'log.1'), apache);
    await expect(new FileStorage({ dataDir }).load()).rejects.toThrow(/Apache ZooKeeper txn log/);
    expect((await stat(join(dataDir, 'version-2', 'log.1'))).size).toBe(apache.length);
  });
});

describe('FileStorage crash recovery', () => {
  afterEach(removeTempDirs);
  const all = entries(1, 8);

  /** A log written by three group commits; returns the file bytes and each record's [start, end). */
  async function writeLog(dataDir: string): Promise<{ bytes: Uint8Array; bounds: Array<[number, number]> }> {
    // No preallocation: the file ends right after its last record (the torn-tail cases below).
    const storage = new FileStorage({ dataDir, preallocateBytes: 0 });
    await storage.append(all.slice(0, 3));
    await storage.append(all.slice(3, 5));
    await storage.append(all.slice(5));
    await storage.close();
    // A plain copy: Buffer.slice() would share memory, and damage would pile up across iterations.
    const bytes = new Uint8Array(await readFile(join(dataDir, 'version-2', 'log.100000001')));
    const scan = scanLogRecords(bytes, { startOffset: LOG_FILE_HEADER_BYTES });
    expect(scan.entries).toEqual(all);
    const bounds = scan.entryOffsets.map((start, index): [number, number] => [start, scan.entryOffsets[index + 1] ?? bytes.length]);
    return { bytes, bounds };
  }

  async function resetLog(dataDir: string, bytes: Uint8Array): Promise<void> {
    await rm(join(dataDir, 'version-2'), { recursive: true, force: true });
    await mkdir(join(dataDir, 'version-2'));
    await writeFile(join(dataDir, 'version-2', 'log.100000001'), bytes);
  }

  /** Loads, checks the surviving prefix, then checks a later append lands after it. */
  async function expectRecovered(dataDir: string, wholeRecords: number, warned: boolean): Promise<void> {
    // No preallocation in these byte-by-byte loops: hundreds of 4 MiB files would make them slow.
    const storage = new FileStorage({ dataDir, preallocateBytes: 0 });
    const loaded = await storage.load();
    expect(loaded.log).toEqual(all.slice(0, wholeRecords));
    if (warned) {
      expect(loaded.warnings).toHaveLength(1);
      const after = wholeRecords === 0 ? 'the start of the log' : `0x10000000${wholeRecords}`;
      expect(loaded.warnings[0]).toMatch(new RegExp(`^cut \\d+ bytes of torn log tail after ${after} \\(log\\.100000001: `));
    } else {
      expect(loaded.warnings).toEqual([]);
    }
    const next = entry(makeZxid(2, 1), 3);
    await storage.append([next]);
    await storage.close();
    const reloaded = await new FileStorage({ dataDir }).load();
    expect(reloaded.log).toEqual([...all.slice(0, wholeRecords), next]);
    expect(reloaded.warnings).toEqual([]);
  }

  it('cuts the log back to whole records at every byte of its last records', async () => {
    const dataDir = await tempDir();
    const { bytes, bounds } = await writeLog(dataDir);
    for (let cut = bounds[3]![0]; cut < bytes.length; cut++) {
      await resetLog(dataDir, bytes.subarray(0, cut));
      const whole = bounds.filter(([, end]) => end <= cut).length;
      const boundary = whole === 0 ? LOG_FILE_HEADER_BYTES : bounds[whole - 1]![1];
      // A torn record of which only zero bytes reached the disk reads like preallocated space: the
      // clean end of the file (same records kept, no warning).
      const tornBytes = bytes.subarray(boundary, cut);
      await expectRecovered(dataDir, whole, tornBytes.some((byte) => byte !== 0));
    }
  });

  it('cuts the log at the record holding a flipped byte', async () => {
    const dataDir = await tempDir();
    const { bytes, bounds } = await writeLog(dataDir);
    for (let index = bounds[3]![0]; index < bytes.length; index++) {
      const damaged = bytes.slice();
      damaged[index]! ^= 0xff;
      await resetLog(dataDir, damaged);
      const hit = bounds.findIndex(([start, end]) => index >= start && index < end);
      await expectRecovered(dataDir, hit, true);
      const size = (await stat(join(dataDir, 'version-2', 'log.100000001'))).size;
      expect(size).toBe(bounds[hit]![0]);
    }
  });

  it('deletes a log file whose header is damaged, and the files after it', async () => {
    const dataDir = await tempDir();
    const storage = new FileStorage({ dataDir });
    await storage.append(entries(1, 2));
    await storage.saveSnapshot(snapshotAt(makeZxid(1, 1)));
    await storage.append(entries(3, 4));
    await storage.saveSnapshot(snapshotAt(makeZxid(1, 3)));
    await storage.append(entries(5, 6));
    await storage.close();
    const middle = join(dataDir, 'version-2', 'log.100000003');
    const bytes = await readFile(middle);
    bytes[0] = 0;
    await writeFile(middle, bytes);
    const loaded = await new FileStorage({ dataDir }).load();
    expect(loaded.snapshot?.zxid).toBe(makeZxid(1, 3));
    expect(loaded.log).toEqual([]);
    expect(loaded.warnings[0]).toMatch(/^cut \d+ bytes of torn log tail after 0x100000002 \(log\.100000003: corrupt file header\)/);
    expect(loaded.warnings[1]).toBe('deleted log file log.100000005: it follows a cut log tail');
    expect((await readdir(join(dataDir, 'version-2'))).filter((name) => name.startsWith('log.'))).toEqual(['log.100000001']);
  });

  it('repairs a torn tail before a write made without load, and reports it at the next load', async () => {
    const dataDir = await tempDir();
    const { bytes, bounds } = await writeLog(dataDir);
    await resetLog(dataDir, bytes.subarray(0, bounds[7]![0] + 5));
    const storage = new FileStorage({ dataDir });
    await storage.setMeta('currentEpoch', '2');
    const loaded = await storage.load();
    expect(loaded.log).toEqual(all.slice(0, 7));
    expect(loaded.warnings).toHaveLength(1);
    expect(loaded.warnings[0]).toMatch(/^cut 5 bytes of torn log tail after 0x100000007/);
  });
});

describe('FileStorage snapshots', () => {
  afterEach(removeTempDirs);

  async function twoSnapshots(dataDir: string): Promise<void> {
    const storage = new FileStorage({ dataDir });
    await storage.append(entries(1, 5));
    await storage.saveSnapshot(snapshotAt(makeZxid(1, 3)));
    await storage.append(entries(6, 12));
    await storage.saveSnapshot(snapshotAt(makeZxid(1, 10)));
    await storage.close();
  }

  it('falls back to the previous snapshot when the newest has a bad checksum', async () => {
    const dataDir = await tempDir();
    await twoSnapshots(dataDir);
    const newest = join(dataDir, 'version-2', 'snapshot.10000000a');
    const bytes = await readFile(newest);
    bytes[25]! ^= 0x01;
    await writeFile(newest, bytes);
    const loaded = await new FileStorage({ dataDir }).load();
    expect(loaded.snapshot).toEqual(snapshotAt(makeZxid(1, 3)));
    expect(zxidsOf(loaded.log)).toEqual(zxidsOf(entries(4, 12)));
    expect(loaded.warnings).toEqual(['skipped snapshot snapshot.10000000a: checksum mismatch']);
  });

  it('falls back past a torn snapshot, and purge keeps only snapshots that read back whole', async () => {
    const dataDir = await tempDir();
    await twoSnapshots(dataDir);
    const newest = join(dataDir, 'version-2', 'snapshot.10000000a');
    const bytes = await readFile(newest);
    await writeFile(newest, bytes.subarray(0, bytes.length - 3));
    const storage = new FileStorage({ dataDir });
    const loaded = await storage.load();
    expect(loaded.snapshot?.zxid).toBe(makeZxid(1, 3));
    expect(loaded.warnings).toHaveLength(1);
    expect(loaded.warnings[0]).toMatch(/^skipped snapshot snapshot\.10000000a: /);
    await storage.purge(1);
    expect((await storage.inspect()).snapshotZxids).toEqual([makeZxid(1, 3), makeZxid(1, 10)]);
    expect(zxidsOf((await storage.load()).log)).toEqual(zxidsOf(entries(4, 12)));
  });

  it('returns no snapshot (with warnings) when none reads back whole', async () => {
    const dataDir = await tempDir();
    await twoSnapshots(dataDir);
    for (const name of ['snapshot.100000003', 'snapshot.10000000a']) await writeFile(join(dataDir, 'version-2', name), 'junk');
    const loaded = await new FileStorage({ dataDir }).load();
    expect(loaded.snapshot).toBeNull();
    expect(zxidsOf(loaded.log)).toEqual(zxidsOf(entries(1, 12)));
    expect(loaded.warnings).toHaveLength(2);
  });

  it('a StorageError names the failing operation', async () => {
    const dataDir = await tempDir();
    await writeFile(join(dataDir, 'version-2'), 'not a directory');
    const error = await new FileStorage({ dataDir }).load().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toMatch(/^load in /);
  });
});

describe('FileStorage log preallocation', () => {
  afterEach(removeTempDirs);
  const STEP = 4096;
  const logPath = (dataDir: string, name: string): string => join(dataDir, 'version-2', name);

  it('grows log files in zero-filled steps and reads them back whole, with no warning', async () => {
    const dataDir = await tempDir();
    const storage = new FileStorage({ dataDir, preallocateBytes: STEP });
    const all = entries(1, 60);
    for (let index = 0; index < all.length; index += 6) await storage.append(all.slice(index, index + 6));
    await storage.saveSnapshot(snapshotAt(makeZxid(1, 30)));
    await storage.append(entries(61, 62));
    await storage.close();
    const first = await readFile(logPath(dataDir, 'log.100000001'));
    expect(first.length % STEP).toBe(0);
    const scan = scanLogRecords(new Uint8Array(first), { startOffset: LOG_FILE_HEADER_BYTES });
    expect(scan.entries).toEqual(all);
    expect(first.length).toBeGreaterThan(scan.validEndOffset); // records, then zeros
    expect(first.subarray(scan.validEndOffset).every((byte) => byte === 0)).toBe(true);
    const loaded = await new FileStorage({ dataDir, preallocateBytes: STEP }).load();
    expect(loaded.warnings).toEqual([]);
    // The zero-filled end of the first file is not damage: the second file is kept and read.
    expect(zxidsOf(loaded.log)).toEqual(zxidsOf([...all.slice(30), ...entries(61, 62)]));
    const logs = (await readdir(join(dataDir, 'version-2'))).filter((name) => name.startsWith('log.')).sort();
    expect(logs).toEqual(['log.100000001', 'log.10000003d']);
  });

  it('cuts at the last whole record when a torn record lies in the preallocated space', async () => {
    const dataDir = await tempDir();
    const storage = new FileStorage({ dataDir, preallocateBytes: STEP });
    const all = entries(1, 5);
    await storage.append(all.slice(0, 3));
    await storage.append(all.slice(3));
    await storage.close();
    const path = logPath(dataDir, 'log.100000001');
    const bytes = new Uint8Array(await readFile(path));
    const end = scanLogRecords(bytes, { startOffset: LOG_FILE_HEADER_BYTES }).validEndOffset;
    // A record header reached the disk, its payload did not (zeros behind it).
    bytes.set([0, 0, 0, 40, 1, 2, 3, 4], end);
    await writeFile(path, bytes);
    const reopened = new FileStorage({ dataDir, preallocateBytes: STEP });
    const loaded = await reopened.load();
    expect(loaded.log).toEqual(all);
    expect(loaded.warnings).toHaveLength(1);
    expect(loaded.warnings[0]).toMatch(/^cut \d+ bytes of torn log tail after 0x100000005/);
    expect((await stat(path)).size).toBe(end);
    const next = entry(makeZxid(2, 1), 3);
    await reopened.append([next]);
    await reopened.close();
    const reloaded = await new FileStorage({ dataDir, preallocateBytes: STEP }).load();
    expect(reloaded.log).toEqual([...all, next]);
    expect(reloaded.warnings).toEqual([]);
  });

  it('keeps a later log file after a zero-filled tail, but not after a torn one', async () => {
    for (const torn of [false, true]) {
      const dataDir = await tempDir();
      const storage = new FileStorage({ dataDir, preallocateBytes: STEP });
      await storage.append(entries(1, 2));
      await storage.close();
      const again = new FileStorage({ dataDir, preallocateBytes: STEP });
      await again.load();
      await again.append(entries(3, 4)); // a restart rolls the log: log.100000003
      await again.close();
      const path = logPath(dataDir, 'log.100000001');
      const bytes = new Uint8Array(await readFile(path));
      const end = scanLogRecords(bytes, { startOffset: LOG_FILE_HEADER_BYTES }).validEndOffset;
      if (torn) bytes[end + 100] = 7;
      await writeFile(path, bytes);
      const loaded = await new FileStorage({ dataDir, preallocateBytes: STEP }).load();
      expect(zxidsOf(loaded.log)).toEqual(zxidsOf(torn ? entries(1, 2) : entries(1, 4)));
      expect(loaded.warnings.length).toBe(torn ? 2 : 0);
    }
  });

  // Linux shows an open file's flags in /proc: the log must be O_DSYNC, since appends rely on it
  // instead of a separate fdatasync.
  it.runIf(process.platform === 'linux')('keeps the current log open O_DSYNC, so each append is durable when it returns', async () => {
    const dataDir = await tempDir();
    const storage = new FileStorage({ dataDir, preallocateBytes: STEP });
    await storage.append(entries(1, 2));
    await storage.append(entries(3, 3)); // appends to the open file, past its first write
    const path = logPath(dataDir, 'log.100000001');
    const flags = await openFlagsOf(path);
    await storage.close();
    expect(flags).not.toBeNull();
    expect((flags ?? 0) & fsConstants.O_DSYNC).toBe(fsConstants.O_DSYNC);
    expect(zxidsOf((await new FileStorage({ dataDir, preallocateBytes: STEP }).load()).log)).toEqual(zxidsOf(entries(1, 3)));
  });

  it('rejects a negative preallocation', () => {
    expect(() => new FileStorage({ dataDir: '/nonexistent', preallocateBytes: -1 })).toThrow(RangeError);
  });
});

describe('FileStorage blocking appends', () => {
  afterEach(removeTempDirs);

  it('appends with blocking writes while they are fast and through the thread pool while slow, losing nothing', async () => {
    const dataDir = await tempDir();
    // Each clock read advances it: a write timed between two reads took 4.5 ms while `slow`, else 0.025 ms.
    let slow = false;
    let nowMs = 0;
    const storage = new FileStorage({ dataDir, nowMs: () => (nowMs += slow ? 4.5 : 0.025) });
    const modes: boolean[] = [];
    const all = entries(1, 40);
    for (let index = 0; index < all.length; index++) {
      if (index === 5) slow = true;
      if (index === 15) slow = false;
      await storage.append([all[index]!]);
      modes.push(storage.appendsBlock);
    }
    await storage.close();
    const O_DSYNC = fsConstants.O_DSYNC ?? 0;
    if (O_DSYNC !== 0) {
      expect(modes.slice(0, 5).every(Boolean)).toBe(true);
      expect(modes.slice(6, 15).some((m) => !m)).toBe(true);
      expect(modes[modes.length - 1]).toBe(true);
    }
    const loaded = await new FileStorage({ dataDir }).load();
    expect(loaded.warnings).toEqual([]);
    expect(zxidsOf(loaded.log)).toEqual(zxidsOf(all));
  });

  it('never blocks while mayBlock says no (a leader), and does again when it says yes', async () => {
    const dataDir = await tempDir();
    let leading = true;
    const storage = new FileStorage({ dataDir, mayBlock: () => !leading });
    await storage.append(entries(1, 1));
    await storage.append(entries(2, 2));
    expect(storage.appendsBlock).toBe(false);
    leading = false;
    expect(storage.appendsBlock).toBe((fsConstants.O_DSYNC ?? 0) !== 0);
    await storage.append(entries(3, 3));
    await storage.close();
    expect(zxidsOf((await new FileStorage({ dataDir }).load()).log)).toEqual(zxidsOf(entries(1, 3)));
  });
});
