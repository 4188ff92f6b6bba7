// Apache ZooKeeper's dataDir layout, as pure functions: `version-2/log.<hex zxid>` (named after the
// first zxid it holds), `version-2/snapshot.<hex zxid>` (last zxid applied), epochs in `version-2/`,
// `myid` at the top. Hex is lower case without 0x, as Java's Long.toHexString writes it.
import type { Zxid } from '../zk/types';

export const VERSION_DIR = 'version-2';
export const LOG_PREFIX = 'log.';
export const SNAPSHOT_PREFIX = 'snapshot.';
export const TEMP_SUFFIX = '.tmp';

/** Our log files start with "ZTLG" + format version, so neither we nor Apache misread the other's. */
export const LOG_FILE_MAGIC = 0x5a544c47; // "ZTLG"
export const APACHE_LOG_FILE_MAGIC = 0x5a4b4c47; // "ZKLG"
export const LOG_FILE_VERSION = 1;
export const LOG_FILE_HEADER_BYTES = 8;

const ZXID_NAME = /^(log|snapshot)\.([0-9a-f]{1,16})$/;

export function logFileName(firstZxid: Zxid): string {
  return LOG_PREFIX + firstZxid.toString(16);
}

export function snapshotFileName(zxid: Zxid): string {
  return SNAPSHOT_PREFIX + zxid.toString(16);
}

export interface ZxidFile {
  name: string;
  zxid: Zxid;
}

/** Files of one kind among `names`, ascending by zxid; other names are ignored. */
export function zxidFiles(names: readonly string[], kind: 'log' | 'snapshot'): ZxidFile[] {
  const files: ZxidFile[] = [];
  for (const name of names) {
    const match = ZXID_NAME.exec(name);
    if (match !== null && match[1] === kind) files.push({ name, zxid: BigInt('0x' + match[2]!) });
  }
  return files.sort((a, b) => (a.zxid < b.zxid ? -1 : a.zxid > b.zxid ? 1 : 0));
}

/**
 * Index of the first log file that may hold entries after `snapshotZxid`: the newest file starting
 * at or before snapshotZxid + 1 (older ones hold only txns inside the snapshot), or 0.
 */
export function firstNeededLogIndex(logStarts: readonly Zxid[], snapshotZxid: Zxid | null): number {
  if (snapshotZxid === null) return 0;
  let index = 0;
  for (let candidate = 0; candidate < logStarts.length; candidate++) {
    if (logStarts[candidate]! <= snapshotZxid + 1n) index = candidate;
  }
  return index;
}

export function encodeLogFileHeader(): Uint8Array {
  const header = new Uint8Array(LOG_FILE_HEADER_BYTES);
  const view = new DataView(header.buffer);
  view.setUint32(0, LOG_FILE_MAGIC);
  view.setUint32(4, LOG_FILE_VERSION);
  return header;
}

export type LogHeaderCheck = 'ok' | 'torn' | 'foreign' | 'corrupt';

export function checkLogFileHeader(bytes: Uint8Array): LogHeaderCheck {
  const expected = encodeLogFileHeader();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 4 && view.getUint32(0) === APACHE_LOG_FILE_MAGIC) return 'foreign';
  const compared = Math.min(bytes.length, LOG_FILE_HEADER_BYTES);
  for (let index = 0; index < compared; index++) {
    if (bytes[index] !== expected[index]) return 'corrupt';
  }
  return bytes.length < LOG_FILE_HEADER_BYTES ? 'torn' : 'ok';
}
