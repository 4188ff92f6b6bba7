// Requests answered from the tree without a txn, as FinalRequestProcessor answers them: reads
// with their ACL checks and watch registration, watch management, whoAmI, getEphemerals, sync.
import type { ClientRequest, ClientInfo, MultiOp, MultiResult } from '../../jute';
import { OpCode } from '../../jute/opcodes';
import { Code } from '../errors';
import { Perms, WatcherType, type Id, type SessionId, type Zxid } from '../types';
import type { WatchKind } from '../trace';
import type { DataTree } from '../datatree';
import { checkAcl } from '../acl';
import type { WatchDelivery, WatchManager, RemovedWatch } from '../watch/watch-manager';

export interface ReadContext {
  tree: DataTree;
  watches: WatchManager;
  sessionId: SessionId;
  authIds: readonly Id[];
}

export interface ReadOutcome {
  err: number;
  /** The reply body (jute response record) or null. */
  response: object | null;
  watchesSet: Array<{ path: string; kind: WatchKind }>;
  watchesRemoved: RemovedWatch[];
  /** SetWatches: events that fire at once for changes the client missed. */
  deliveries: WatchDelivery[];
}

class ReadError extends Error {
  constructor(readonly code: number) {
    super(`read failed: ${code}`);
  }
}

function outcome(response: object | null): ReadOutcome {
  return { err: Code.OK, response, watchesSet: [], watchesRemoved: [], deliveries: [] };
}

function requireNode(ctx: ReadContext, path: string, perm: number) {
  const node = ctx.tree.getNode(path);
  if (node === undefined) throw new ReadError(Code.NoNode);
  if (!checkAcl(node.acl, perm, ctx.authIds)) throw new ReadError(Code.NoAuth);
  return node;
}

// data stays null for a null node: the reply then carries length -1, as FinalRequestProcessor's does.
function getData(ctx: ReadContext, path: string, watch: boolean, out: ReadOutcome): { data: Uint8Array | null; stat: ReturnType<DataTree['clientStat']> } {
  const node = requireNode(ctx, path, Perms.READ);
  if (watch && ctx.watches.addDataWatch(path, ctx.sessionId)) out.watchesSet.push({ path, kind: 'data' });
  return { data: node.data, stat: ctx.tree.clientStat(node) };
}

function getChildren(ctx: ReadContext, path: string, watch: boolean, out: ReadOutcome) {
  requireNode(ctx, path, Perms.READ);
  const listed = ctx.tree.getChildren(path);
  if (listed === null) throw new ReadError(Code.NoNode);
  if (watch && ctx.watches.addChildWatch(path, ctx.sessionId)) out.watchesSet.push({ path, kind: 'child' });
  return listed;
}

function exists(ctx: ReadContext, path: string, watch: boolean, out: ReadOutcome) {
  if (path.includes('\0')) throw new ReadError(Code.BadArguments);
  const node = ctx.tree.getNode(path);
  // Apache 3.8.0 (our recorded reference, src/compat/golden/acl-exists-without-read.json) answers
  // exists without any permission check. DataTree.statNode registers the watch before looking: exists on a missing node watches creation.
  if (watch && ctx.watches.addDataWatch(path, ctx.sessionId)) {
    out.watchesSet.push({ path, kind: node === undefined ? 'exists' : 'data' });
  }
  if (node === undefined) throw new ReadError(Code.NoNode);
  return { stat: ctx.tree.clientStat(node) };
}

/** getACL: READ or ADMIN; without ADMIN digest passwords are masked as "user:x". */
function getAcl(ctx: ReadContext, path: string) {
  const node = requireNode(ctx, path, Perms.READ | Perms.ADMIN);
  const got = ctx.tree.getAcl(path);
  if (got === null) throw new ReadError(Code.NoNode);
  if (checkAcl(node.acl, Perms.ADMIN, ctx.authIds)) return got;
  const acl = got.acl.map((a) =>
    a.id.scheme === 'digest' ? { perms: a.perms, id: { scheme: 'digest', id: a.id.id.replace(/:.*/s, ':x') } } : a,
  );
  return { acl, stat: got.stat };
}

function whoAmI(ctx: ReadContext): { clientInfo: ClientInfo[] } {
  const clientInfo = ctx.authIds.map((id) => {
    let user = '';
    if (id.scheme === 'digest') user = id.id.split(':')[0] ?? '';
    else if (id.scheme === 'ip' || id.scheme === 'x509') user = id.id;
    return { authScheme: id.scheme, user };
  });
  return { clientInfo };
}

function getEphemerals(ctx: ReadContext, prefixPath: string) {
  const all = ctx.tree.getEphemerals(ctx.sessionId);
  const prefix = prefixPath.trim();
  const ephemerals = prefix === '' || prefix === '/' ? all : all.filter((p) => p.startsWith(prefixPath));
  return { ephemerals };
}

function watchesRequest(ctx: ReadContext, path: string, type: WatcherType, remove: boolean, out: ReadOutcome): void {
  if (remove) {
    const removed = ctx.watches.remove(path, type, ctx.sessionId);
    if (removed.length === 0) throw new ReadError(Code.NoWatcher);
    out.watchesRemoved.push(...removed);
  } else if (!ctx.watches.contains(path, type, ctx.sessionId)) {
    throw new ReadError(Code.NoWatcher);
  }
}

function multiRead(ctx: ReadContext, ops: MultiOp[], out: ReadOutcome): { results: MultiResult[] } {
  const results: MultiResult[] = [];
  for (const op of ops) {
    try {
      if (op.op === OpCode.getChildren) {
        results.push({ op: OpCode.getChildren, children: getChildren(ctx, op.path, op.watch, out).children });
      } else if (op.op === OpCode.getData) {
        const got = getData(ctx, op.path, op.watch, out);
        results.push({ op: OpCode.getData, data: got.data, stat: got.stat });
      } else {
        // FinalRequestProcessor throws IOException("Invalid type of readOp"): a marshalling error.
        throw new ReadError(Code.MarshallingError);
      }
    } catch (e) {
      if (!(e instanceof ReadError)) throw e;
      if (e.code === Code.MarshallingError) throw e;
      results.push({ op: OpCode.error, err: e.code });
    }
  }
  return { results };
}

/**
 * Answers a non-txn request. setWatches/setWatches2 need `lastZxidSeen`-style compare, done through
 * the tree's stats. Ops that are not reads return Unimplemented (the caller routes writes elsewhere).
 */
export function executeRead(ctx: ReadContext, request: ClientRequest): ReadOutcome {
  const out = outcome(null);
  try {
    out.response = readResponse(ctx, request, out);
  } catch (e) {
    if (!(e instanceof ReadError)) throw e;
    out.err = e.code;
    out.response = null;
  }
  return out;
}

function readResponse(ctx: ReadContext, request: ClientRequest, out: ReadOutcome): object | null {
  switch (request.op) {
    case OpCode.exists:
      return exists(ctx, request.path, request.watch, out);
    case OpCode.getData:
      return getData(ctx, request.path, request.watch, out);
    case OpCode.getChildren:
      return { children: getChildren(ctx, request.path, request.watch, out).children };
    case OpCode.getChildren2:
      return getChildren(ctx, request.path, request.watch, out);
    case OpCode.getACL:
      return getAcl(ctx, request.path);
    case OpCode.getAllChildrenNumber:
      requireNode(ctx, request.path, Perms.READ);
      return { totalNumber: ctx.tree.getAllChildrenNumber(request.path) };
    case OpCode.getEphemerals:
      return getEphemerals(ctx, request.prefixPath);
    case OpCode.whoAmI:
      return whoAmI(ctx);
    case OpCode.sync:
      return { path: request.path };
    case OpCode.multiRead:
      return multiRead(ctx, request.ops, out);
    case OpCode.addWatch:
      ctx.watches.addPersistentWatch(request.path, ctx.sessionId, request.mode);
      out.watchesSet.push({ path: request.path, kind: request.mode === 1 ? 'persistentRecursive' : 'persistent' });
      return { err: 0 };
    case OpCode.checkWatches:
      watchesRequest(ctx, request.path, request.type, false, out);
      return null;
    case OpCode.removeWatches:
      watchesRequest(ctx, request.path, request.type, true, out);
      return null;
    case OpCode.setWatches:
    case OpCode.setWatches2:
      out.deliveries.push(...setWatches(ctx, request));
      return null;
    default:
      throw new ReadError(Code.Unimplemented);
  }
}

function setWatches(
  ctx: ReadContext,
  request: Extract<ClientRequest, { op: OpCode.setWatches | OpCode.setWatches2 }>,
): WatchDelivery[] {
  const lookup = (path: string): { mzxid: Zxid; pzxid: Zxid } | undefined => {
    const node = ctx.tree.getNode(path);
    return node === undefined ? undefined : { mzxid: node.stat.mzxid, pzxid: node.stat.pzxid };
  };
  return ctx.watches.setWatches(request.relativeZxid, request, ctx.sessionId, lookup);
}
