// Test-only driver: one session doing writes through prep -> apply as a server would, with one
// zxid per write request (failed ones too, as Apache). Not exported from index.ts.
import { DataTree, type DataTreeOptions } from '../datatree/data-tree';
import { Code } from '../errors';
import { OpCode } from '../../jute/opcodes';
import type { Txn } from '../txn';
import type { Id, Stat } from '../types';
import { apply } from './apply';
import type { ApplyResult } from './apply-result';
import { OutstandingChanges } from './outstanding-changes';
import { prep, type PrepResult } from './prep';
import type { WriteRequest } from './requests';

export class Harness {
  readonly tree: DataTree;
  readonly changes = new OutstandingChanges();
  zxid = 0n;
  nowMs = 1_000_000;
  cxid = 0;
  authIds: Id[] = [{ scheme: 'ip', id: '127.0.0.1' }];
  enforceQuota = true;
  readonly log: Txn[] = [];

  constructor(readonly sessionId: bigint = 0x10000a1b2c30000n, options: DataTreeOptions = {}) {
    this.tree = new DataTree(options);
  }

  /** prep only (the txn stays outstanding until commit()). */
  prepare(request: WriteRequest, sessionId: bigint = this.sessionId): { prepped: PrepResult; txn: Txn } {
    this.zxid += 1n;
    this.nowMs += 1;
    const prepped = prep(
      {
        tree: this.tree,
        changes: this.changes,
        sessionId,
        authIds: this.authIds,
        zxid: this.zxid,
        nowMs: this.nowMs,
        enforceQuota: this.enforceQuota,
      },
      request,
    );
    const txn: Txn = {
      header: { sessionId, cxid: this.cxid++, zxid: this.zxid, timeMs: this.nowMs, type: prepped.headerType },
      body: prepped.txn,
    };
    return { prepped, txn };
  }

  commit(txn: Txn): ApplyResult {
    this.log.push(txn);
    const result = apply(this.tree, txn);
    this.changes.applied(txn.header.zxid);
    return result;
  }

  write(request: WriteRequest, sessionId: bigint = this.sessionId): ApplyResult {
    return this.commit(this.prepare(request, sessionId).txn);
  }

  create(path: string, data = 'x', flags = 0, acl = OPEN): ApplyResult {
    return this.write({ op: OpCode.create, path, data: bytes(data), acl, flags });
  }
}

export const OPEN = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
export const READ_ONLY = [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }];
export const CREATOR_ALL = [{ perms: 31, id: { scheme: 'auth', id: '' } }];

export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** The Java client's name for a code, as KeeperException.Code.name() prints it. */
export function errName(code: Code): string {
  return Code[code]?.toUpperCase() ?? String(code);
}

export function formatStat(stat: Stat | null, sessionId: bigint): string {
  if (stat === null) return 'null';
  const eph = stat.ephemeralOwner === 0n ? '0' : stat.ephemeralOwner === sessionId ? 'self' : stat.ephemeralOwner.toString(16);
  return (
    `czxid=${stat.czxid} mzxid=${stat.mzxid} pzxid=${stat.pzxid} version=${stat.version} cversion=${stat.cversion} ` +
    `aversion=${stat.aversion} eph=${eph} dataLength=${stat.dataLength} numChildren=${stat.numChildren} ` +
    `ctimeEqMtime=${stat.ctime === stat.mtime}`
  );
}
