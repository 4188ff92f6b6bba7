// Browser-safe storage exports. The Node-only FileStorage is imported from './file-storage' directly.
export * from './storage';
export { crc32, crc32Update } from './crc32';
export {
  decodeLogRecord,
  describeLogCut,
  encodeLogRecord,
  encodeLogRecords,
  LOG_RECORD_HEADER_BYTES,
  LOG_RECORD_PAYLOAD_BYTES_MAX,
  type LogScanOptions,
  type LogScanResult,
  scanLogRecords,
} from './log-record';
export { decodeSnapshotFrame, encodeSnapshotFrame, type SnapshotDecodeResult } from './snapshot-frame';
export {
  type CrashOptions,
  MemoryStorage,
  type MemoryStorageOptions,
  MemoryStorageSync,
  type PendingWrite,
} from './memory-storage';
export { IdbStorage, toStorageError, zxidFromKey, zxidKey } from './idb-storage';
