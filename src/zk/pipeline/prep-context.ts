// What prep needs from the server, and the helpers every prep step shares (getRecordForPath,
// checkACL, checkSession, checkAndIncVersion). Failures are thrown as PrepFailure inside prep and
// caught once at its entry, mirroring the KeeperExceptions PrepRequestProcessor throws.
import { checkAcl } from '../acl/check-acl';
import type { DataTree } from '../datatree/data-tree';
import { Code } from '../errors';
import type { Id, Millis, SessionId, Zxid } from '../types';
import type { ChangeRecord } from './change-record';
import type { OutstandingChanges } from './outstanding-changes';

export type SessionCheckKind = 'any' | 'global';

export interface PrepContext {
  tree: DataTree;
  changes: OutstandingChanges;
  sessionId: SessionId;
  /** The session's authenticated ids (ip id from the connection, digest ids, super). */
  authIds: readonly Id[];
  /** The zxid the resulting txn will carry (zks.getNextZxid()); all ops of a multi share it. */
  zxid: Zxid;
  /** The txn header time (leader wall clock, ms). */
  nowMs: Millis;
  /** `zookeeper.enforceQuota` (Apache default false): without it quotas never warn nor reject. */
  enforceQuota?: boolean;
  /** `skipACL`: no ACL checks at all. */
  skipAcl?: boolean;
  /**
   * SessionTracker.checkSession / checkGlobalSession ('global' for ephemeral creates): OK, or
   * SessionExpired (unknown or closing) / SessionMoved. Absent: every session is fine.
   */
  checkSession?: (sessionId: SessionId, kind: SessionCheckKind) => Code;
  /** Messages Apache logs at WARN from checkQuota (soft limits), appended by prep. */
  quotaWarnings: string[];
}

export class PrepFailure extends Error {
  readonly code: Code;
  constructor(code: Code, path?: string) {
    super(`prep failed with ${Code[code] ?? code}${path === undefined ? '' : ` for ${path}`}`);
    this.name = 'PrepFailure';
    this.code = code;
  }
}

export function fail(code: Code, path?: string): never {
  throw new PrepFailure(code, path);
}

/** getRecordForPath: the overlay or tree record, else NoNode. */
export function recordForPath(ctx: PrepContext, path: string): ChangeRecord & { stat: NonNullable<ChangeRecord['stat']> } {
  const record = ctx.changes.recordFor(ctx.tree, path);
  if (record === null || record.stat === null) fail(Code.NoNode, path);
  return record as ChangeRecord & { stat: NonNullable<ChangeRecord['stat']> };
}

export function existsInOverlay(ctx: PrepContext, path: string): boolean {
  const record = ctx.changes.recordFor(ctx.tree, path);
  return record !== null && record.stat !== null;
}

export function requirePerm(ctx: PrepContext, record: ChangeRecord, perm: number, path: string): void {
  if (ctx.skipAcl === true) return;
  if (!checkAcl(record.acl, perm, ctx.authIds)) fail(Code.NoAuth, path);
}

export function requireSession(ctx: PrepContext, kind: SessionCheckKind = 'any'): void {
  const code = ctx.checkSession?.(ctx.sessionId, kind) ?? Code.OK;
  if (code !== Code.OK) fail(code);
}

/** checkAndIncVersion: BadVersion unless expected is -1 or current; the next version skips -1. */
export function checkAndIncVersion(current: number, expected: number, path: string): number {
  if (expected !== -1 && expected !== current) fail(Code.BadVersion, path);
  const next = (current + 1) | 0;
  return next === -1 ? 0 : next;
}

/** getParentPathAndValidate: delete paths need a '/', no NUL, and must not be a built-in node. */
export function parentForDelete(ctx: PrepContext, path: string): string {
  const lastSlash = path.lastIndexOf('/');
  if (lastSlash === -1 || path.includes('\u0000') || ctx.tree.isSpecialPath(path)) fail(Code.BadArguments, path);
  return path.substring(0, lastSlash);
}
