// File storage (Node only), laid out like Apache ZooKeeper's dataDir / dataLogDir:
//   <dataLogDir>/version-2/log.<hex first zxid>   framed records (log-record.ts) after an 8-byte header
//   <dataDir>/version-2/snapshot.<hex zxid>       framed snapshot with checksum trailer
//   <dataDir>/version-2/acceptedEpoch, currentEpoch, ...   meta, one file per key
//   <dataDir>/myid
// One append = one durable write (group commit): the log is opened O_DSYNC where the OS has it, so
// the write returns once its data is on disk, like write + fdatasync but in one syscall and one
// thread-pool round trip instead of two (elsewhere: write, then fdatasync). After a snapshot (and
// after every load) the next append starts a new log file, as ZooKeeper rolls its log. Log files
// are preallocated (zero-filled, in 4 MiB steps by default; Apache's zookeeper.preAllocSize is
// 64 MiB, but recovery here reads a whole file into memory, so smaller steps keep restarts fast) so
// an append does not grow the file and its durable write need not commit the file size too;
// recovery reads zero-filled space after the last whole record as the clean end of that file. Not
// exported from index.ts: browsers import that, and this file needs node:fs.
import { constants as fsConstants } from 'node:fs';
import { type FileHandle, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Zxid } from '../zk/types';
import {
  checkLogFileHeader,
  encodeLogFileHeader,
  firstNeededLogIndex,
  LOG_FILE_HEADER_BYTES,
  logFileName,
  snapshotFileName,
  TEMP_SUFFIX,
  VERSION_DIR,
  type ZxidFile,
  zxidFiles,
} from './file-layout';
import {
  describeError,
  ensureDirectory,
  isNotFound,
  listNames,
  syncDirectory,
  unlinkIfExists,
  writeAll,
  writeAllSync,
  writeFileAtomically,
} from './file-io';
import { describeLogCut, encodeLogRecords, type LogScanResult, scanLogRecords } from './log-record';
import { decodeSnapshotFrame, encodeSnapshotFrame } from './snapshot-frame';
import {
  type InspectableStorage,
  type LoadedState,
  type LogEntry,
  META_KEY_PATTERN,
  type SnapshotRecord,
  StorageError,
  type StorageInventory,
} from './storage';
import { BlockingAppendPolicy } from './blocking-append-policy';
import { checkAppendOrder, checkMeta, checkRetainCount, checkSnapshot, checkZxid } from './storage-checks';

export interface FileStorageOptions {
  /** Snapshots, epochs and myid (zoo.cfg dataDir). */
  dataDir: string;
  /** Transaction logs (zoo.cfg dataLogDir); defaults to dataDir. */
  dataLogDir?: string;
  /** Log files grow in steps of this many zero bytes (0: no preallocation). Default 4 MiB. */
  preallocateBytes?: number;
  /** Clock (ms) timing appends for BlockingAppendPolicy. Default performance.now. */
  nowMs?: () => number;
  /**
   * Whether an append may block the thread now (default: always). A leader's own log write is
   * not on its ACK path (the followers' ACKs make the quorum), while blocking would hold the ACKs
   * and COMMITs it handles meanwhile: the Node ensemble passes `state !== LEADING`.
   */
  mayBlock?: () => boolean;
}

/** One file-size change (and so one size-metadata commit) per 4 MiB of log. */
export const DEFAULT_LOG_PREALLOCATE_BYTES = 4 * 1024 * 1024;

/**
 * Flags for a new log file. O_DSYNC makes each write durable before it returns (data and the
 * metadata needed to read it back: what fdatasync guarantees), so an append needs no second
 * call. Where the platform has no O_DSYNC (Windows) it is 0 and appends call datasync.
 */
const O_DSYNC: number = fsConstants.O_DSYNC ?? 0;
const NEW_LOG_FLAGS = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | O_DSYNC;
/** Every log is opened with NEW_LOG_FLAGS: a returned write is durable, no datasync needed. */
const LOG_WRITES_ARE_DURABLE = O_DSYNC !== 0;

interface OpenLog {
  handle: FileHandle;
  path: string;
  /** End of the last whole record written. */
  sizeBytes: number;
  /** File length: records, then zeros up to here. */
  allocatedBytes: number;
}

const MYID_KEY = 'myid';

export class FileStorage implements InspectableStorage {
  readonly dataDir: string;
  readonly snapDir: string;
  readonly logDir: string;
  private queue: Promise<unknown> = Promise.resolve();
  private recovered = false;
  private lastLoggedZxid: Zxid | null = null;
  private currentLog: OpenLog | null = null;
  private rollPending = true;
  /** Set after a failed fsync: what is on disk is unknown, so every later call fails (fail-stop). */
  private failure: StorageError | null = null;
  private closed = false;
  private readonly unreportedWarnings: string[] = [];

  private readonly preallocateBytes: number;
  private readonly appendPolicy = new BlockingAppendPolicy();
  private readonly nowMs: () => number;

  constructor(readonly options: FileStorageOptions) {
    const preallocateBytes = options.preallocateBytes ?? DEFAULT_LOG_PREALLOCATE_BYTES;
    if (!Number.isSafeInteger(preallocateBytes) || preallocateBytes < 0) {
      throw new RangeError(`preallocateBytes must be an integer >= 0, got ${preallocateBytes}`);
    }
    this.preallocateBytes = preallocateBytes;
    this.nowMs = options.nowMs ?? (() => performance.now());
    this.dataDir = options.dataDir;
    this.snapDir = join(options.dataDir, VERSION_DIR);
    this.logDir = join(options.dataLogDir ?? options.dataDir, VERSION_DIR);
  }

  load(): Promise<LoadedState> {
    return this.run('load', async () => {
      const state = await this.recover();
      state.warnings.unshift(...this.unreportedWarnings.splice(0));
      return state;
    });
  }

  inspect(): Promise<StorageInventory> {
    return this.run('inspect', async () => {
      await this.ensureRecovered();
      const snapshots = zxidFiles(await listNames(this.snapDir), 'snapshot');
      const logs = zxidFiles(await listNames(this.logDir), 'log');
      return {
        snapshotZxids: snapshots.map((file) => file.zxid),
        logFirstZxid: logs[0]?.zxid ?? null,
        logLastZxid: this.lastLoggedZxid,
      };
    });
  }

  append(entries: readonly LogEntry[]): Promise<void> {
    return this.run('append', () => this.appendNow(entries));
  }

  truncateAfter(zxid: Zxid): Promise<void> {
    return this.run('truncateAfter', () => this.truncateNow(zxid));
  }

  saveSnapshot(snapshot: SnapshotRecord): Promise<void> {
    return this.run('saveSnapshot', async () => {
      checkSnapshot(snapshot);
      await this.ensureRecovered();
      await writeFileAtomically(this.snapDir, snapshotFileName(snapshot.zxid), encodeSnapshotFrame(snapshot));
      this.rollPending = true;
    });
  }

  purge(retainCount: number): Promise<void> {
    return this.run('purge', () => this.purgeNow(retainCount));
  }

  setMeta(key: string, value: string): Promise<void> {
    return this.run('setMeta', async () => {
      checkMeta(key, value);
      await this.ensureRecovered();
      await writeFileAtomically(this.metaDirectory(key), key, new TextEncoder().encode(value));
    });
  }

  /** Idempotent. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.run('close', async () => {
      await this.closeCurrentLog();
      this.closed = true;
    });
  }

  /** Calls run one at a time in call order; errors become StorageError. */
  private run<T>(operation: string, body: () => Promise<T>): Promise<T> {
    const result = this.queue.then(async () => {
      if (this.closed) throw new StorageError(`${operation}: file storage ${this.dataDir} is closed`);
      if (this.failure !== null) throw this.failure;
      try {
        return await body();
      } catch (error) {
        if (error instanceof StorageError) throw error;
        throw new StorageError(`${operation} in ${this.dataDir} failed: ${describeError(error)}`, error);
      }
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  private metaDirectory(key: string): string {
    return key === MYID_KEY ? this.dataDir : this.snapDir;
  }

  /** Writes before any load still need the log tail repaired; keep its warnings for the next load. */
  private async ensureRecovered(): Promise<void> {
    if (!this.recovered) this.unreportedWarnings.push(...(await this.recover()).warnings);
  }

  // ---- recovery ----

  private async recover(): Promise<LoadedState> {
    await ensureDirectory(this.snapDir);
    await ensureDirectory(this.logDir);
    await this.closeCurrentLog();
    await this.removeStaleTempFiles();
    const warnings: string[] = [];
    const snapshot = await this.newestWholeSnapshot(warnings);
    const entries = await this.recoverLog(snapshot?.zxid ?? null, warnings);
    const after = snapshot?.zxid ?? -1n;
    const log = entries.filter((entry) => entry.zxid > after);
    const meta = await this.readMeta();
    this.recovered = true;
    return { snapshot, log, meta, warnings };
  }

  /** Temp files of writes a crash interrupted; only names we write, never an operator's files. */
  private async removeStaleTempFiles(): Promise<void> {
    for (const name of await listNames(this.snapDir)) {
      if (isOurTempFile(name)) await unlinkIfExists(join(this.snapDir, name));
    }
    await unlinkIfExists(join(this.dataDir, MYID_KEY + TEMP_SUFFIX));
  }

  private async newestWholeSnapshot(warnings: string[]): Promise<SnapshotRecord | null> {
    const files = zxidFiles(await listNames(this.snapDir), 'snapshot').reverse();
    for (const file of files) {
      const reason = await this.readSnapshot(file).then(
        (decoded) => (decoded.ok ? decoded.snapshot : decoded.reason),
        (error: unknown) => describeError(error),
      );
      if (typeof reason !== 'string') return reason;
      warnings.push(`skipped snapshot ${file.name}: ${reason}`);
    }
    return null;
  }

  private async readSnapshot(file: ZxidFile): Promise<ReturnType<typeof decodeSnapshotFrame>> {
    const bytes = await readFile(join(this.snapDir, file.name));
    return decodeSnapshotFrame(bytes, file.zxid);
  }

  /** Scans the log files the snapshot needs, cuts the first damage off, sets lastLoggedZxid. */
  private async recoverLog(snapshotZxid: Zxid | null, warnings: string[]): Promise<LogEntry[]> {
    const files = zxidFiles(await listNames(this.logDir), 'log');
    const firstIndex = firstNeededLogIndex(files.map((file) => file.zxid), snapshotZxid);
    const entries: LogEntry[] = [];
    // The zxid before the first scanned file: for ordering checks and for warnings that say where.
    let previous = await this.lastZxidOfFiles(files.slice(0, firstIndex));
    for (let index = firstIndex; index < files.length; index++) {
      const file = files[index]!;
      const scan = await this.scanLogFile(file.name, previous);
      entries.push(...scan.entries);
      previous = entries[entries.length - 1]?.zxid ?? previous;
      if (scan.warning !== null || scan.entries.length === 0) {
        if (scan.warning !== null) warnings.push(scan.warning);
        await this.cutLogFile(file.name, scan);
        if (scan.warning !== null) {
          await this.deleteLogFiles(files.slice(index + 1), warnings);
          break;
        }
      }
    }
    await syncDirectory(this.logDir);
    this.lastLoggedZxid = previous;
    this.rollPending = true;
    return entries;
  }

  /** Throws only for a file that is not ours at all (we refuse to touch it). */
  private async scanLogFile(name: string, afterZxid: Zxid | null): Promise<LogScanResult> {
    const bytes = await readFile(join(this.logDir, name));
    const header = checkLogFileHeader(bytes);
    if (header === 'foreign') {
      throw new StorageError(
        `${join(this.logDir, name)} is an Apache ZooKeeper txn log; ZooTabs keeps its own format, use another dataLogDir`,
      );
    }
    if (header !== 'ok') {
      const warning = describeLogCut(bytes.length, afterZxid, `${name}: ${header} file header`);
      return { entries: [], entryOffsets: [], validEndOffset: 0, warning };
    }
    const scan = scanLogRecords(bytes, { startOffset: LOG_FILE_HEADER_BYTES, afterZxid, label: name });
    // Preallocated space never written: the file ends cleanly at its last whole record.
    if (scan.warning !== null && isZeroFrom(bytes, scan.validEndOffset)) return { ...scan, warning: null };
    return scan;
  }

  /** Truncates a file back to its whole records, or deletes it when none are left. */
  private async cutLogFile(name: string, scan: LogScanResult): Promise<void> {
    const path = join(this.logDir, name);
    if (scan.entries.length === 0) {
      await unlinkIfExists(path);
      return;
    }
    await truncateDurably(path, scan.validEndOffset);
  }

  private async deleteLogFiles(files: readonly ZxidFile[], warnings: string[]): Promise<void> {
    for (const file of files) {
      await unlinkIfExists(join(this.logDir, file.name));
      warnings.push(`deleted log file ${file.name}: it follows a cut log tail`);
    }
  }

  /** The last zxid in the newest of `files` that holds a whole record (read only, no repair). */
  private async lastZxidOfFiles(files: readonly ZxidFile[]): Promise<Zxid | null> {
    for (let index = files.length - 1; index >= 0; index--) {
      const scan = await this.scanLogFile(files[index]!.name, null);
      const last = scan.entries[scan.entries.length - 1];
      if (last !== undefined) return last.zxid;
    }
    return null;
  }

  private async readMeta(): Promise<Record<string, string>> {
    const meta: Record<string, string> = {};
    for (const name of await listNames(this.snapDir)) {
      if (name === MYID_KEY || !META_KEY_PATTERN.test(name)) continue;
      const value = await readMetaFile(join(this.snapDir, name));
      if (value !== null) meta[name] = value;
    }
    const myid = await readMetaFile(join(this.dataDir, MYID_KEY));
    if (myid !== null) meta[MYID_KEY] = myid;
    return meta;
  }

  // ---- writes ----

  private async appendNow(entries: readonly LogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.ensureRecovered();
    checkAppendOrder(entries, this.lastLoggedZxid);
    const records = encodeLogRecords(entries);
    if (this.rollPending || this.currentLog === null) {
      await this.startLogFile(entries[0]!.zxid, records);
    } else {
      await this.appendToCurrentLog(this.currentLog, records);
    }
    this.lastLoggedZxid = entries[entries.length - 1]!.zxid;
  }

  private async startLogFile(firstZxid: Zxid, records: Uint8Array): Promise<void> {
    await this.closeCurrentLog();
    const path = join(this.logDir, logFileName(firstZxid));
    const bytes = new Uint8Array(LOG_FILE_HEADER_BYTES + records.length);
    bytes.set(encodeLogFileHeader());
    bytes.set(records, LOG_FILE_HEADER_BYTES);
    let handle: FileHandle;
    try {
      handle = await open(path, NEW_LOG_FLAGS);
    } catch (error) {
      throw new StorageError(`append: cannot create ${path}: ${describeError(error)}`, error);
    }
    const allocatedBytes = this.allocationFor(bytes.length, 0);
    try {
      await writeAll(handle, bytes, 0);
      if (allocatedBytes > bytes.length) await handle.truncate(allocatedBytes);
      await handle.sync();
      await syncDirectory(this.logDir);
    } catch (error) {
      await handle.close().catch(() => undefined);
      await unlinkIfExists(path).catch(() => undefined);
      throw new StorageError(`append to new log ${path} failed: ${describeError(error)}`, error);
    }
    this.currentLog = { handle, path, sizeBytes: bytes.length, allocatedBytes: Math.max(allocatedBytes, bytes.length) };
    this.rollPending = false;
  }

  /** The file length to allocate for `neededBytes` of content: whole preallocation steps. */
  private allocationFor(neededBytes: number, allocatedBytes: number): number {
    const step = this.preallocateBytes;
    if (step <= 0 || neededBytes <= allocatedBytes) return allocatedBytes;
    return (Math.floor(neededBytes / step) + 1) * step;
  }

  private async appendToCurrentLog(log: OpenLog, records: Uint8Array): Promise<void> {
    try {
      const allocatedBytes = this.allocationFor(log.sizeBytes + records.length, log.allocatedBytes);
      if (allocatedBytes > log.allocatedBytes) {
        // Grows the file once per step. An O_DSYNC write commits only what it wrote, so the new
        // length is committed here; otherwise this append's fdatasync commits it.
        await log.handle.truncate(allocatedBytes);
        if (LOG_WRITES_ARE_DURABLE) await log.handle.datasync();
        log.allocatedBytes = allocatedBytes;
      }
      await this.writeRecords(log, records);
    } catch (error) {
      // Take back a partial write so later records do not land after garbage.
      log.allocatedBytes = log.sizeBytes;
      await log.handle.truncate(log.sizeBytes).catch((truncateError: unknown) => {
        this.failure = new StorageError(`cannot undo partial write to ${log.path}: ${describeError(truncateError)}`);
      });
      // An O_DSYNC write that failed may have failed to sync: as after a failed fdatasync, stop.
      if (LOG_WRITES_ARE_DURABLE) this.failure ??= new StorageError(`durable write to ${log.path} failed; storage stopped: ${describeError(error)}`, error);
      throw new StorageError(`append to ${log.path} failed: ${describeError(error)}`, error);
    }
    if (!LOG_WRITES_ARE_DURABLE) await this.datasyncOrStop(log);
    log.sizeBytes += records.length;
  }

  /** How the last appends were written: blocking the thread or in the thread pool (for tests, stats). */
  get appendsBlock(): boolean {
    return LOG_WRITES_ARE_DURABLE && this.appendPolicy.blocking && (this.options.mayBlock?.() ?? true);
  }

  /**
   * The durable write of one append. Blocking while writes are fast (BlockingAppendPolicy). It runs
   * a few microtasks after the append was issued (FileStorage.run and ensureRecovered await first),
   * so the sockets the issuing step corked (a leader's PROPOSALs), uncorked in a microtask queued
   * earlier, are written before the leader's own log write blocks.
   */
  private async writeRecords(log: OpenLog, records: Uint8Array): Promise<void> {
    const startedMs = this.nowMs();
    if (this.appendsBlock) writeAllSync(log.handle.fd, records, log.sizeBytes);
    else await writeAll(log.handle, records, log.sizeBytes);
    this.appendPolicy.record(this.nowMs() - startedMs);
  }

  private async datasyncOrStop(log: OpenLog): Promise<void> {
    try {
      await log.handle.datasync();
    } catch (error) {
      // After a failed fsync the page cache may have dropped the data: nothing written can be trusted.
      this.failure = new StorageError(`fdatasync of ${log.path} failed; storage stopped: ${describeError(error)}`, error);
      throw this.failure;
    }
  }

  private async closeCurrentLog(): Promise<void> {
    const log = this.currentLog;
    this.currentLog = null;
    this.rollPending = true;
    if (log !== null) await log.handle.close();
  }

  private async truncateNow(zxid: Zxid): Promise<void> {
    checkZxid('truncateAfter', zxid);
    await this.ensureRecovered();
    await this.closeCurrentLog();
    const files = zxidFiles(await listNames(this.logDir), 'log');
    const keptFiles = files.filter((file) => file.zxid <= zxid);
    for (const file of files) {
      if (file.zxid > zxid) await unlinkIfExists(join(this.logDir, file.name));
    }
    const lastFile = keptFiles[keptFiles.length - 1];
    if (lastFile !== undefined) await this.truncateLogFile(lastFile.name, zxid);
    for (const file of zxidFiles(await listNames(this.snapDir), 'snapshot')) {
      if (file.zxid > zxid) await unlinkIfExists(join(this.snapDir, file.name));
    }
    await syncDirectory(this.logDir);
    await syncDirectory(this.snapDir);
    this.lastLoggedZxid = await this.lastZxidOfFiles(keptFiles);
  }

  /** Cuts one file just before its first record with zxid > `zxid` (or at damage). */
  private async truncateLogFile(name: string, zxid: Zxid): Promise<void> {
    const scan = await this.scanLogFile(name, null);
    const cutIndex = scan.entries.findIndex((entry) => entry.zxid > zxid);
    const keepBytes = cutIndex === -1 ? scan.validEndOffset : scan.entryOffsets[cutIndex]!;
    const keptRecords = cutIndex === -1 ? scan.entries.length : cutIndex;
    if (keptRecords === 0) {
      await unlinkIfExists(join(this.logDir, name));
    } else {
      await truncateDurably(join(this.logDir, name), keepBytes);
    }
  }

  private async purgeNow(retainCount: number): Promise<void> {
    checkRetainCount(retainCount);
    await this.ensureRecovered();
    const snapshots = zxidFiles(await listNames(this.snapDir), 'snapshot');
    const kept: ZxidFile[] = [];
    for (let index = snapshots.length - 1; index >= 0 && kept.length < retainCount; index--) {
      const decoded = await this.readSnapshot(snapshots[index]!).catch(() => null);
      if (decoded?.ok === true) kept.push(snapshots[index]!);
    }
    const oldestKept = kept[kept.length - 1];
    if (oldestKept === undefined) return;
    for (const file of snapshots) {
      if (file.zxid < oldestKept.zxid) await unlinkIfExists(join(this.snapDir, file.name));
    }
    const logs = zxidFiles(await listNames(this.logDir), 'log');
    const firstNeeded = firstNeededLogIndex(logs.map((file) => file.zxid), oldestKept.zxid);
    for (const file of logs.slice(0, firstNeeded)) {
      if (join(this.logDir, file.name) !== this.currentLog?.path) await unlinkIfExists(join(this.logDir, file.name));
    }
    await syncDirectory(this.snapDir);
    await syncDirectory(this.logDir);
  }
}

/** Every byte from `offset` to the end is zero (or there is none). */
function isZeroFrom(bytes: Uint8Array, offset: number): boolean {
  for (let index = offset; index < bytes.length; index++) if (bytes[index] !== 0) return false;
  return true;
}

function isOurTempFile(name: string): boolean {
  if (!name.endsWith(TEMP_SUFFIX)) return false;
  const target = name.slice(0, -TEMP_SUFFIX.length);
  return META_KEY_PATTERN.test(target) || zxidFiles([target], 'snapshot').length === 1;
}

async function truncateDurably(path: string, lengthBytes: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(lengthBytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A meta file's text; one trailing newline is dropped (`echo 1 > myid` writes one). */
async function readMetaFile(path: string): Promise<string | null> {
  try {
    const text = await readFile(path, 'utf8');
    return text.replace(/\r?\n$/, '');
  } catch (error) {
    if (isNotFound(error) || (error as { code?: string }).code === 'EISDIR') return null;
    throw error;
  }
}
