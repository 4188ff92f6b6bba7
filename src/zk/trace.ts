// The one typed trace-event stream. The UI, the simulator's checkers and the timeline all read it.
// Every event carries the emitting server and the host time it happened at.
import type { Millis, ServerId, SessionId, Zxid } from './types';

export type ServerStateName = 'LOOKING' | 'FOLLOWING' | 'LEADING' | 'OBSERVING' | 'STANDALONE';
export type WatchKind = 'data' | 'exists' | 'child' | 'persistent' | 'persistentRecursive';

export type TraceBody =
  // client pipeline
  | { type: 'request'; sessionId: SessionId; cxid: number; op: string; path?: string }
  | { type: 'reply'; sessionId: SessionId; cxid: number; op: string; zxid: Zxid; err: number }
  | { type: 'txn'; zxid: Zxid; sessionId: SessionId; op: string; path?: string; err?: number }
  | { type: 'applied'; zxid: Zxid; op: string; paths: string[] }
  // sessions
  | { type: 'session.created'; sessionId: SessionId; timeoutMs: number }
  | { type: 'session.closed'; sessionId: SessionId; reason: 'close' | 'expire' }
  | { type: 'session.connected'; sessionId: SessionId; connection: number; reconnect: boolean }
  | { type: 'session.disconnected'; sessionId: SessionId; connection: number }
  // watches
  | { type: 'watch.set'; sessionId: SessionId; path: string; kind: WatchKind }
  | { type: 'watch.fired'; sessionId: SessionId; path: string; kind: WatchKind; event: string; zxid: Zxid }
  | { type: 'watch.removed'; sessionId: SessionId; path: string; kind: WatchKind }
  // storage
  | { type: 'log.append'; fromZxid: Zxid; toZxid: Zxid; count: number }
  | { type: 'log.durable'; toZxid: Zxid }
  | { type: 'snapshot'; zxid: Zxid }
  | { type: 'recovered'; zxid: Zxid; txnsReplayed: number }
  | { type: 'warn'; message: string }
  // replication (issue 3 fills these in)
  | { type: 'state'; from: ServerStateName; to: ServerStateName; epoch: number }
  | { type: 'vote.sent'; to: ServerId; leader: ServerId; zxid: Zxid; electionEpoch: number; peerEpoch: number }
  | { type: 'vote.received'; from: ServerId; leader: ServerId; zxid: Zxid; electionEpoch: number; peerEpoch: number; state: ServerStateName }
  | { type: 'msg.sent'; to: ServerId; kind: string; zxid?: Zxid; bytes: number }
  | { type: 'msg.received'; from: ServerId; kind: string; zxid?: Zxid; bytes: number }
  | { type: 'msg.dropped'; from: ServerId; reason: string }
  | { type: 'proposal'; zxid: Zxid; op: string }
  | { type: 'ack'; zxid: Zxid; from: ServerId }
  | { type: 'commit'; zxid: Zxid }
  /** `source`: where the txns came from: the in-memory committed log, or the txn log (disk); absent for SNAP. */
  | { type: 'sync.mode'; learner: ServerId; mode: 'DIFF' | 'TRUNC' | 'TRUNC+DIFF' | 'SNAP'; fromZxid: Zxid; toZxid: Zxid; source?: 'memory' | 'disk' };

export type TraceEvent = TraceBody & { server: ServerId; atMs: Millis };
