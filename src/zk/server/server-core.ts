// The state of one standalone server and the small operations every handler shares: emitting
// effects and traces, sending replies and notifications, closing connections, and submitting
// write requests through prep into the commit queue. Handlers live in their own files.
import { encodeNotification, encodeResponse, type ResponseOp } from '../../jute';
import { encodeTxn } from '../../jute/txn-codec';
import { Code } from '../errors';
import { KeeperState, Perms, type ConnectionId, type Id, type Millis, type ServerId, type SessionId, type Zxid } from '../types';
import { OpCode } from '../../jute/opcodes';
import type { ServerConfig, ServerEffect } from '../server-api';
import type { TraceBody } from '../trace';
import type { Prng } from '../prng';
import type { Txn } from '../txn';
import { DataTree } from '../datatree';
import { checkAcl } from '../acl';
import { OutstandingChanges, prep, type SessionCheckKind, type WriteRequest } from '../pipeline';
import { SessionTable } from '../session/session-table';
import { WatchManager, type WatchDelivery } from '../watch/watch-manager';
import { CommitQueue, type TxnOrigin } from './commit-queue';
import { Connection, type QueuedRequest } from './connection';
import { ServerStats } from './stats';
import { STANDALONE_ROLE, type ServingRole } from './serving-role';
import { lastOpName, opName } from './op-names';
import type { ACL } from '../types';

export interface ServerOptions {
  /** ContainerManager's checkIntervalMs (znode.container.checkIntervalMs), default 60 s. */
  containerCheckIntervalMs?: number;
  /** znode.container.maxNeverUsedIntervalMs: 0 keeps never-used containers forever. */
  containerMaxNeverUsedIntervalMs?: number;
  /** Txns per storage.append (zookeeper.maxBatchSize). */
  maxBatchSize?: number;
  /**
   * Secret mixed into session passwords (Apache's superSecret by default). Every server of an
   * ensemble must use the same one, or reconnects to another server fail.
   */
  passwordSecret?: bigint;
}

/**
 * How a quorum role replaces the standalone write path (prep -> local log -> apply): the leader
 * proposes, a learner forwards. The optional hooks let a learner ask its leader where Apache does.
 */
export interface WriteRoute {
  submit(sessionId: SessionId, cxid: number, request: WriteRequest, authIds: readonly Id[], origin: TxnOrigin): void;
  /**
   * A client reconnects with a known session and the right password (Learner.validateSession):
   * true when the route will answer later via finishSessionInit; false to decide locally now.
   */
  revalidate?(conn: Connection, sessionId: SessionId, timeoutMs: number): boolean;
  /** A client's sync: true when the route will set the entry's reply later; false to answer now. */
  sync?(conn: Connection, entry: QueuedRequest): boolean;
  /** A reconnect was validated here (LeaderZooKeeperServer.revalidateSession: the session moves here). */
  reopened?(sessionId: SessionId): void;
  /**
   * PrepRequestProcessor's checkSession for a request that makes no txn (reads, ping, sync): the
   * leader answers SessionMoved when another server owns the session. Absent: OK.
   */
  checkSession?(sessionId: SessionId): Code;
}

export class ServerCore {
  nowMs: Millis;
  readonly startedAtMs: Millis;
  tree: DataTree;
  readonly changes = new OutstandingChanges();
  readonly sessions: SessionTable;
  readonly watches = new WatchManager();
  readonly stats = new ServerStats();
  readonly connections = new Map<ConnectionId, Connection>();
  readonly commit: CommitQueue;
  /** null: standalone; a quorum server sets its role's path (see WriteRoute). */
  writeRoute: WriteRoute | null = null;
  /** What this server is now; null while it serves no client (a quorum server LOOKING or syncing). */
  roleView: () => ServingRole | null = () => STANDALONE_ROLE;
  lastProcessedZxid: Zxid = 0n;
  lastAssignedZxid: Zxid = 0n;
  /** Why each closing session is closing, for its trace once the closeSession txn applies. */
  readonly closeReasons = new Map<SessionId, 'close' | 'expire'>();
  /** Container/TTL paths whose delete is in flight, so a check does not ask twice. */
  readonly cleanupInFlight = new Set<string>();
  txnsSinceSnapshot = 0;
  snapshotThreshold: number;
  nextContainerCheckMs: Millis;
  readonly containerCheckIntervalMs: number;
  readonly containerMaxNeverUsedIntervalMs: number;
  private effects: ServerEffect[] = [];

  constructor(
    readonly config: ServerConfig,
    readonly prng: Prng,
    nowMs: Millis,
    options: ServerOptions = {},
  ) {
    this.nowMs = nowMs;
    this.startedAtMs = nowMs;
    this.tree = new DataTree({ extendedTypesEnabled: config.extendedTypesEnabled });
    this.sessions = new SessionTable({
      tickTimeMs: config.tickTimeMs,
      serverId: config.serverId,
      startMs: nowMs,
      ...(options.passwordSecret === undefined ? {} : { passwordSecret: options.passwordSecret }),
    });
    this.commit = new CommitQueue(options.maxBatchSize);
    this.containerCheckIntervalMs = options.containerCheckIntervalMs ?? 60_000;
    this.containerMaxNeverUsedIntervalMs = options.containerMaxNeverUsedIntervalMs ?? 0;
    this.nextContainerCheckMs = nowMs + this.containerCheckIntervalMs;
    this.snapshotThreshold = this.rollSnapshotThreshold();
  }

  /** SyncRequestProcessor: snapshot after snapCount/2 + random(snapCount/2) txns, so servers stagger. */
  rollSnapshotThreshold(): number {
    const half = Math.max(1, Math.floor(this.config.snapCount / 2));
    return half + this.prng.int(0, half - 1);
  }

  // ---- effects --------------------------------------------------------------------------------

  emit(effect: ServerEffect): void {
    this.effects.push(effect);
  }

  takeEffects(): ServerEffect[] {
    const out = this.effects;
    this.effects = [];
    return out;
  }

  trace(body: TraceBody): void {
    if (!this.config.traceEnabled) return;
    this.effects.push({ kind: 'trace', event: { ...body, server: this.config.serverId, atMs: this.nowMs } });
  }

  send(conn: Connection, bytes: Uint8Array): void {
    if (conn.phase === 'closed') return;
    conn.stats.packetsSent++;
    this.stats.packetsSent++;
    this.effects.push({ kind: 'connection.send', connection: conn.id, bytes: frame(bytes) });
  }

  /** Sends raw bytes without a frame (four-letter word text). */
  sendRaw(conn: Connection, bytes: Uint8Array): void {
    if (conn.phase === 'closed') return;
    this.effects.push({ kind: 'connection.send', connection: conn.id, bytes });
  }

  // ---- connections ----------------------------------------------------------------------------

  /** Closes a connection (after its earlier sends); its session stays until it expires or closes. */
  closeConnection(conn: Connection): void {
    if (conn.phase === 'closed') return;
    this.emit({ kind: 'connection.close', connection: conn.id });
    this.forgetConnection(conn);
  }

  /** The peer went away or we closed: detach the session and drop the watches the connection held. */
  forgetConnection(conn: Connection): void {
    conn.phase = 'closed';
    this.connections.delete(conn.id);
    const session = conn.sessionId === 0n ? undefined : this.sessions.get(conn.sessionId);
    if (session === undefined || session.connection !== conn.id) return;
    session.connection = null;
    // Apache keys watches by connection (removeCnxn); the client re-sends them with SetWatches.
    for (const removed of this.watches.removeSession(conn.sessionId)) {
      this.trace({ type: 'watch.removed', sessionId: removed.sessionId, path: removed.path, kind: removed.kind });
    }
    this.trace({ type: 'session.disconnected', sessionId: conn.sessionId, connection: conn.id });
  }

  connectionOf(sessionId: SessionId): Connection | undefined {
    const id = this.sessions.get(sessionId)?.connection;
    return id === null || id === undefined ? undefined : this.connections.get(id);
  }

  // ---- replies and notifications --------------------------------------------------------------

  sendReply(conn: Connection, entry: QueuedRequest, err: number, zxid: Zxid, response: object | null): void {
    const op = entry.header.type;
    const bytes = encodeResponse({ xid: entry.header.xid, zxid, err }, op as ResponseOp, err === 0 ? (response as never) : null);
    this.send(conn, bytes);
    this.stats.latency.add(this.nowMs - entry.receivedAtMs);
    conn.stats.recordResponse(entry.header.xid, zxid, lastOpName(op), entry.receivedAtMs, this.nowMs);
    this.trace({ type: 'reply', sessionId: conn.sessionId, cxid: entry.header.xid, op: opName(op), zxid, err });
  }

  /** A reply outside the request pipeline (auth): no latency accounting. */
  sendBareReply(conn: Connection, xid: number, op: number, zxid: Zxid, err: number): void {
    this.send(conn, encodeResponse({ xid, zxid, err }, op as ResponseOp, null));
    this.trace({ type: 'reply', sessionId: conn.sessionId, cxid: xid, op: opName(op), zxid, err });
  }

  /**
   * Sends watch events. A recipient must be able to READ the node (3.8.4+ checks the ACL before
   * delivering); the watch is consumed either way, as in Apache.
   */
  deliver(deliveries: readonly WatchDelivery[], acl: readonly ACL[] | null): void {
    for (const d of deliveries) {
      const conn = this.connectionOf(d.sessionId);
      if (conn === undefined) continue;
      if (acl !== null && !checkAcl(acl, Perms.READ, conn.authIds)) continue;
      const event = { type: d.event.type, state: KeeperState.SyncConnected, path: d.event.path };
      this.send(conn, encodeNotification(event, d.event.zxid));
      this.trace({
        type: 'watch.fired',
        sessionId: d.sessionId,
        path: d.event.path,
        kind: d.kind,
        event: eventName(d.event.type),
        zxid: d.event.zxid,
      });
    }
  }

  // ---- writes ---------------------------------------------------------------------------------

  /**
   * Submits a write: the standalone path preps it with the next zxid and queues its txn for the
   * local log (failed preps log an error txn); a quorum role's `writeRoute` replaces that path.
   */
  submitWrite(sessionId: SessionId, cxid: number, request: WriteRequest, authIds: readonly Id[], origin: TxnOrigin): void {
    if (this.writeRoute !== null) {
      this.writeRoute.submit(sessionId, cxid, request, authIds, origin);
      return;
    }
    const { txn, bytes } = this.prepTxn(sessionId, cxid, request, authIds);
    this.commit.enqueue({ txn, bytes, origin });
  }

  /**
   * PrepRequestProcessor: the txn for a request with the next zxid (shared by standalone and
   * leader). `owner` (leader only) is the server the request came through (Request.owner): it
   * becomes a new session's owner, and a session owned by another server fails SessionMoved.
   */
  prepTxn(sessionId: SessionId, cxid: number, request: WriteRequest, authIds: readonly Id[], owner?: ServerId): { txn: Txn; bytes: Uint8Array } {
    const zxid = this.lastAssignedZxid + 1n;
    if (owner !== undefined && request.op === OpCode.createSession) this.sessions.setOwner(sessionId, owner);
    const result = prep(
      {
        tree: this.tree,
        changes: this.changes,
        sessionId,
        authIds,
        zxid,
        nowMs: this.nowMs,
        checkSession: (id, kind) => this.checkSession(id, kind, owner),
      },
      request,
    );
    this.lastAssignedZxid = zxid;
    const txn: Txn = {
      header: { sessionId, cxid, zxid, timeMs: this.nowMs, type: result.headerType },
      body: result.txn,
    };
    const path = 'path' in request ? request.path : undefined;
    this.trace({ type: 'txn', zxid, sessionId, op: opName(request.op), ...(path === undefined ? {} : { path }), ...(result.ok ? {} : { err: result.err }) });
    for (const message of result.quotaWarnings) this.trace({ type: 'warn', message });
    return { txn, bytes: encodeTxn(txn) };
  }

  /** SessionTracker.checkSession as prep asks it: unknown or closing sessions are expired (see SessionTable.check). */
  private checkSession(sessionId: SessionId, _kind: SessionCheckKind, owner: ServerId | undefined): Code {
    if (sessionId === 0n) return Code.OK;
    return this.sessions.check(sessionId, owner);
  }

  /** Starts the next log batch if none is in flight (group commit). */
  flushCommit(): void {
    const batch = this.commit.takeBatch();
    if (batch === null) return;
    const entries = batch.txns.map((p) => ({ zxid: p.txn.header.zxid, bytes: p.bytes }));
    this.emit({ kind: 'storage.append', batchId: batch.batchId, entries });
    const first = entries[0];
    const last = entries[entries.length - 1];
    if (first !== undefined && last !== undefined) {
      this.trace({ type: 'log.append', fromZxid: first.zxid, toZxid: last.zxid, count: entries.length });
    }
  }
}

function frame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + payload.length);
  new DataView(out.buffer).setInt32(0, payload.length);
  out.set(payload, 4);
  return out;
}

const EVENT_NAMES: Record<number, string> = {
  [-1]: 'None',
  1: 'NodeCreated',
  2: 'NodeDeleted',
  3: 'NodeDataChanged',
  4: 'NodeChildrenChanged',
  5: 'DataWatchRemoved',
  6: 'ChildWatchRemoved',
  7: 'PersistentWatchRemoved',
};

export function eventName(type: number): string {
  return EVENT_NAMES[type] ?? `Event${type}`;
}
