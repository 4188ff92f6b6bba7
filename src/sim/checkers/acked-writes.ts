// Every acknowledged write survives. A write is acknowledged when a server sends its OK reply
// (whether or not the client got it). With one server the txn must be durable on that server's disk
// before the reply goes; in every mode, after the final whole-ensemble power loss and recovery a
// quorum of disks must hold the very txn (same zxid, same bytes, same session and cxid).
import { decodeTxn } from '../../jute/txn-codec';
import type { MemoryStorageSync } from '../../storage/memory-storage';
import type { TraceEvent } from '../../zk/trace';
import type { ServerId, SessionId, Zxid } from '../../zk/types';
import { sameBytes, type CommitChain } from './commit-chain';
import { hexZxid, type ViolationLog } from './violation';

const WRITE_OPS = new Set(['create', 'create2', 'createTTL', 'createContainer', 'delete', 'setData', 'setACL', 'multi', 'check']);
const NAME = 'acked-writes-survive';

export interface AckedWrite {
  server: ServerId;
  zxid: Zxid;
  sessionId: SessionId;
  cxid: number;
  op: string;
  atMs: number;
}

export class AckedWrites {
  readonly acked: AckedWrite[] = [];

  constructor(
    private readonly violations: ViolationLog,
    private readonly diskOf: (serverId: ServerId) => MemoryStorageSync,
    private readonly strictLocalDurability: boolean,
  ) {}

  onTrace(event: TraceEvent): void {
    if (event.type !== 'reply' || event.err !== 0 || event.zxid <= 0n || !WRITE_OPS.has(event.op)) return;
    const write: AckedWrite = { server: event.server, zxid: event.zxid, sessionId: event.sessionId, cxid: event.cxid, op: event.op, atMs: event.atMs };
    this.acked.push(write);
    if (this.strictLocalDurability && !this.durableOn(event.server, event.zxid)) {
      this.violations.add(NAME, event.atMs, `s${event.server} acknowledged ${event.op} ${hexZxid(event.zxid)} before it was durable`);
    }
  }

  /** True when no un-synced write of that server's disk carries the zxid (and something logged it). */
  private durableOn(serverId: ServerId, zxid: Zxid): boolean {
    const disk = this.diskOf(serverId);
    for (const write of disk.pendingWrites()) {
      if (write.kind === 'append' && write.entries.some((e) => e.zxid === zxid)) return false;
    }
    return true;
  }

  /** After the final recovery: each acknowledged txn is committed and held by a quorum of disks. */
  checkSurvived(chain: CommitChain, servers: readonly ServerId[], quorum: number, atMs: number, processedZxid: (id: ServerId) => Zxid | null): void {
    const loaded = servers.map((id) => ({ id, state: this.diskOf(id).loadSync(), processed: processedZxid(id) }));
    for (const write of this.acked) {
      const committed = chain.get(write.zxid);
      if (committed === undefined) {
        this.violations.add(NAME, atMs, `acknowledged ${write.op} ${hexZxid(write.zxid)} (s${write.server}) was never committed`);
        continue;
      }
      if (committed.bytes !== null && !this.sameOrigin(committed.bytes, write)) {
        this.violations.add(NAME, atMs, `committed ${hexZxid(write.zxid)} is not the acknowledged ${write.op} of session ${hexZxid(write.sessionId)} cxid ${write.cxid}`);
        continue;
      }
      const holders = loaded.filter(({ state, processed }) => {
        // The disk keeping it is not enough: the recovered server must have applied it too.
        if (processed !== null && processed < write.zxid) return false;
        if (state.snapshot !== null && state.snapshot.zxid >= write.zxid) return true;
        const entry = state.log.find((e) => e.zxid === write.zxid);
        return entry !== undefined && (committed.bytes === null || sameBytes(entry.bytes, committed.bytes));
      });
      if (holders.length < quorum) {
        this.violations.add(NAME, atMs, `acknowledged ${write.op} ${hexZxid(write.zxid)} is on ${holders.length} recovered server(s), quorum is ${quorum}`);
      }
    }
  }

  private sameOrigin(bytes: Uint8Array, write: AckedWrite): boolean {
    const header = decodeTxn(bytes).header;
    return header.sessionId === write.sessionId && header.cxid === write.cxid;
  }
}
