export { ServerCore, type ServerOptions } from './server-core';
export { Connection, hostOf, type QueuedRequest } from './connection';
export { CommitQueue, DEFAULT_MAX_BATCH_SIZE, type Batch, type PendingTxn, type TxnOrigin } from './commit-queue';
export { encodeServerSnapshot, decodeServerSnapshot, type ServerSnapshot } from './snapshot';
export { type RecoveredState } from './recovery';
export {
  ZK_VERSION,
  runFourLetterWord,
  fourLetterWordAllowed,
  notWhitelistedText,
  connectionInfoText,
  type FourLetterView,
  type ConnectionInfo,
} from './four-letter';
export { ServerStats, ConnectionStats, LatencyCounter, javaDouble } from './stats';
export { executeRead, type ReadContext, type ReadOutcome } from './read-ops';
export { toWriteRequest, writeReply } from './write-requests';
export { opName, lastOpName, isWriteOp } from './op-names';
