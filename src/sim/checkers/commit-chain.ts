// Committed histories are prefixes of one another. The checker keeps the one global sequence of
// committed txns (zxid, txn bytes, and a hash chain over them) and, per server, the position it
// has reached. A server committing a zxid must commit the same bytes every other server committed
// at that zxid, and right after the one it committed before (no gaps, no reordering, no rewrite).
// It also keeps, per server, the bytes it logged (from `storage.append` effects) so commits can be
// matched to their txn bytes. A server's commit is its 'applied' trace (the standalone server and
// every quorum peer emit one per committed txn they apply).
import type { ServerEffect } from '../../zk/server-api';
import type { LogEntry } from '../../storage/storage';
import type { TraceEvent } from '../../zk/trace';
import { zxidCounter, type ServerId, type Zxid } from '../../zk/types';
import { hexZxid, type ViolationLog } from './violation';

export interface CommittedTxn {
  index: number;
  zxid: Zxid;
  /** null while no log seen holds the bytes (e.g. a learner applied a DIFF before logging it). */
  bytes: Uint8Array | null;
  /** Hash of everything committed up to and including this txn. */
  chain: string;
  firstServer: ServerId;
}

interface ServerPosition {
  /** Index into the global sequence of the last txn this server committed; -1 = none; null = unknown. */
  index: number | null;
  /**
   * A peer that leaves its role applies everything it logged; when its last logged txn was not
   * committed (yet) this is that zxid: the server must truncate it (or see it committed) before it
   * applies anything committed above it.
   */
  uncommittedTail: Zxid | null;
  /** Txn bytes this server logged (storage.append effects, or its disk at start). */
  logged: Map<Zxid, Uint8Array>;
  /**
   * Zxids in its history, logged or not yet: a txn it prepared or a proposal it received joins
   * its log at once, though the append effect waits for the batch before it (group commit).
   */
  held: Set<Zxid>;
  /** The leader announced a SNAP for this learner: its next `recovered` replaces its history. */
  snapPending: boolean;
  /**
   * The leader this server follows (from its FOLLOWERINFO/OBSERVERINFO since its last role
   * change), null otherwise. Only a proposal from that leader joins its history: a LOOKING server,
   * or one following someone else, drops a stray PROPOSAL (say, from a thawed deposed leader).
   */
  following: ServerId | null;
}

export interface CommitChainOptions {
  /** Which trace marks a server's commit: 'applied' (every server, as it applies a committed txn). */
  commitEvent: 'applied' | 'commit';
  /** One server: it must never recover to a zxid that was not committed. */
  singleServer: boolean;
}

const NAME = 'committed-prefix';

export class CommitChain {
  readonly committed: CommittedTxn[] = [];
  private readonly byZxid = new Map<Zxid, CommittedTxn>();
  private readonly servers = new Map<ServerId, ServerPosition>();

  constructor(
    private readonly violations: ViolationLog,
    private readonly options: CommitChainOptions,
    /** The log a (re)starting server recovers from: its txn bytes, for commits that follow. */
    private readonly diskLog: (serverId: ServerId) => readonly LogEntry[],
  ) {}

  get(zxid: Zxid): CommittedTxn | undefined {
    return this.byZxid.get(zxid);
  }

  /**
   * Txns committed by a server that applied them before logging them (a learner's DIFF) have no
   * bytes yet; any log that holds the zxid supplies them (one txn per zxid, checked at append).
   */
  fillMissingBytes(logs: ReadonlyArray<readonly LogEntry[]>): void {
    for (const log of logs) {
      for (const entry of log) {
        const known = this.byZxid.get(entry.zxid);
        if (known !== undefined && known.bytes === null) known.bytes = entry.bytes;
      }
    }
  }

  get tail(): CommittedTxn | undefined {
    return this.committed[this.committed.length - 1];
  }

  /** Index of the last txn `serverId` committed, or null when unknown (just recovered). */
  positionOf(serverId: ServerId): number | null {
    return this.position(serverId).index;
  }

  onLifecycle(serverId: ServerId, event: 'start' | 'crash'): void {
    const position = this.position(serverId);
    position.index = null;
    position.uncommittedTail = null;
    position.snapPending = false;
    position.following = null;
    position.logged.clear();
    position.held.clear();
    if (event !== 'start') return;
    for (const entry of this.diskLog(serverId)) {
      position.logged.set(entry.zxid, entry.bytes);
      position.held.add(entry.zxid);
    }
  }

  onEffect(serverId: ServerId, effect: ServerEffect, atMs: number): void {
    const position = this.position(serverId);
    if (effect.kind === 'storage.append') {
      for (const entry of effect.entries) {
        position.logged.set(entry.zxid, entry.bytes);
        position.held.add(entry.zxid);
        // One leader per epoch means one txn per zxid: logging another at a committed zxid is divergence.
        const known = this.byZxid.get(entry.zxid);
        if (known !== undefined && known.bytes === null) known.bytes = entry.bytes;
        else if (known?.bytes != null && !sameBytes(known.bytes, entry.bytes)) {
          this.violations.add(NAME, atMs, `s${serverId} logged a txn at committed ${hexZxid(entry.zxid)} that differs from the committed one`);
        }
      }
      return;
    }
    const loose = effect as unknown as { kind: string; zxid?: Zxid };
    if (loose.kind === 'storage.truncate' && loose.zxid !== undefined) {
      for (const zxid of [...position.logged.keys()]) if (zxid > loose.zxid) position.logged.delete(zxid);
      for (const zxid of [...position.held]) if (zxid > loose.zxid) position.held.delete(zxid);
      if (position.uncommittedTail !== null && position.uncommittedTail > loose.zxid) position.uncommittedTail = null;
    }
  }

  onTrace(event: TraceEvent): void {
    if (event.type === 'recovered') this.onRecovered(event.server, event.zxid, event.atMs);
    // A learner being synced, or a peer leaving its role (it applies its uncommitted tail silently
    // before the next election), continues from a point the checker cannot see.
    else if (event.type === 'sync.mode') this.onSync(event.learner, event.mode);
    else if (event.type === 'state') this.onRoleChange(event.server);
    else if (event.type === 'txn') this.position(event.server).held.add(event.zxid);
    else if (event.type === 'msg.sent' && (event.kind === 'followerInfo' || event.kind === 'observerInfo')) this.position(event.server).following = event.to;
    else if (event.type === 'msg.received' && event.kind === 'proposal' && event.zxid !== undefined) this.onProposalReceived(event.server, event.from, event.zxid);
    else if (event.type === this.options.commitEvent) this.onCommit(event.server, (event as { zxid: Zxid }).zxid, event.atMs);
  }

  private onProposalReceived(serverId: ServerId, from: ServerId, zxid: Zxid): void {
    const position = this.position(serverId);
    if (position.following === from) position.held.add(zxid);
  }

  private onSync(learner: ServerId, mode: string): void {
    const position = this.position(learner);
    position.index = null;
    position.snapPending = mode === 'SNAP';
  }

  /** Entering LOOKING (or a role) the server's applied history is everything it logged. */
  private onRoleChange(serverId: ServerId): void {
    const position = this.position(serverId);
    position.following = null;
    let last: Zxid | null = null;
    for (const zxid of position.held) if (last === null || zxid > last) last = zxid;
    position.index = null;
    position.uncommittedTail = last === null || isEpochStart(last) || this.byZxid.has(last) ? null : last;
  }

  private onRecovered(serverId: ServerId, zxid: Zxid, atMs: number): void {
    const position = this.position(serverId);
    position.uncommittedTail = null;
    // After a SNAP its history is the leader's snapshot: what its own log holds below it (maybe a
    // stale, never-committed tail) is no longer its history. After a restart or TRUNC it is.
    if (position.snapPending) for (const z of [...position.held]) if (z <= zxid) position.held.delete(z);
    position.snapPending = false;
    position.held.add(zxid);
    if (zxid === 0n) {
      position.index = -1;
      return;
    }
    const known = this.byZxid.get(zxid);
    const tail = this.tail;
    if (known !== undefined) {
      position.index = known.index;
      if (this.options.singleServer && tail !== undefined && known.index < tail.index) {
        this.violations.add(NAME, atMs, `s${serverId} recovered to ${hexZxid(zxid)}, behind its committed ${hexZxid(tail.zxid)}: committed txns lost`);
      }
      return;
    }
    position.index = null;
    if (!this.options.singleServer) return;
    if (tail !== undefined && zxid < tail.zxid) {
      this.violations.add(NAME, atMs, `s${serverId} recovered to ${hexZxid(zxid)}, which was never committed (last committed ${hexZxid(tail.zxid)})`);
      return;
    }
    // A lone server commits what its log holds: txns durable but not yet applied when it died are
    // committed by its recovery.
    const replayed = [...position.logged.keys()].filter((z) => (tail === undefined || z > tail.zxid) && z <= zxid).sort(compareZxid);
    for (const z of replayed) this.append(serverId, z, position.logged.get(z) ?? null);
    position.index = this.byZxid.get(zxid)?.index ?? null;
  }

  private onCommit(serverId: ServerId, zxid: Zxid, atMs: number): void {
    const position = this.position(serverId);
    const bytes = position.logged.get(zxid) ?? null;
    const known = this.byZxid.get(zxid);
    this.settleTail(position);
    if (known !== undefined && position.uncommittedTail !== null && position.uncommittedTail < zxid) {
      this.violations.add(NAME, atMs, `s${serverId} applied committed ${hexZxid(zxid)} on top of ${hexZxid(position.uncommittedTail)}, which nobody committed (it should have been truncated)`);
      position.uncommittedTail = null;
    }
    if (known !== undefined) {
      this.checkSame(serverId, known, bytes, atMs);
      if (position.index !== null && known.index !== position.index + 1) {
        const previous = position.index >= 0 ? hexZxid(this.committed[position.index]!.zxid) : 'nothing';
        const skipped = this.committed.slice(position.index + 1, known.index).map((c) => hexZxid(c.zxid));
        const what = skipped.length > 0 ? `its history lacks committed ${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ', ...' : ''}` : 'out of order';
        this.violations.add(NAME, atMs, `s${serverId} committed ${hexZxid(zxid)} (#${known.index}) right after ${previous} (#${position.index}): ${what}`);
      }
      position.index = known.index;
      return;
    }
    const tail = this.tail;
    if (tail !== undefined && zxid <= tail.zxid) {
      this.violations.add(NAME, atMs, `s${serverId} committed ${hexZxid(zxid)}, which no one committed, below the committed tail ${hexZxid(tail.zxid)}`);
      return;
    }
    const tailIndex = this.committed.length - 1;
    if (position.index !== null && position.index !== tailIndex) {
      this.violations.add(NAME, atMs, `s${serverId} committed new ${hexZxid(zxid)} while behind the committed tail (#${position.index} of #${tailIndex})`);
    }
    // Committing a txn commits the server's whole history before it: txns it took in silently
    // (recovery, or the uncommitted tail a peer applies when it leaves its role) become committed
    // here, in its log order.
    const below = [...position.held].filter((z) => !isEpochStart(z) && (tail === undefined || z > tail.zxid) && z < zxid).sort(compareZxid);
    for (const z of below) this.append(serverId, z, position.logged.get(z) ?? null);
    this.append(serverId, zxid, bytes);
    position.index = this.committed.length - 1;
    position.uncommittedTail = null;
  }

  /** The uncommitted tail may have been committed since (another server applied it): then it is history. */
  private settleTail(position: ServerPosition): void {
    const tail = position.uncommittedTail;
    if (tail === null) return;
    if (this.byZxid.has(tail)) position.uncommittedTail = null;
  }

  private checkSame(serverId: ServerId, known: CommittedTxn, bytes: Uint8Array | null, atMs: number): void {
    if (bytes === null) return;
    if (known.bytes === null) {
      known.bytes = bytes;
      return;
    }
    if (!sameBytes(known.bytes, bytes)) {
      this.violations.add(NAME, atMs, `s${serverId} committed ${hexZxid(known.zxid)} with different txn bytes than s${known.firstServer} (chain ${known.chain})`);
    }
  }

  private append(serverId: ServerId, zxid: Zxid, bytes: Uint8Array | null): void {
    const previous = this.tail?.chain ?? '0';
    const txn: CommittedTxn = {
      index: this.committed.length,
      zxid,
      bytes,
      chain: chainHash(previous, zxid, bytes),
      firstServer: serverId,
    };
    this.committed.push(txn);
    this.byZxid.set(zxid, txn);
  }

  private position(serverId: ServerId): ServerPosition {
    let position = this.servers.get(serverId);
    if (position === undefined) {
      position = { index: -1, uncommittedTail: null, logged: new Map(), held: new Set(), snapPending: false, following: null };
      this.servers.set(serverId, position);
    }
    return position;
  }
}

/** (epoch, 0) is where a new leader's history starts, not a txn. */
function isEpochStart(zxid: Zxid): boolean {
  return zxidCounter(zxid) === 0;
}

function compareZxid(a: Zxid, b: Zxid): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** FNV-1a (two 32-bit lanes) over previous chain, zxid and bytes: cheap and deterministic. */
export function chainHash(previous: string, zxid: Zxid, bytes: Uint8Array | null): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  const mix = (byte: number): void => {
    h1 = Math.imul(h1 ^ byte, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ byte, 0x5bd1e995) >>> 0;
  };
  for (let i = 0; i < previous.length; i++) mix(previous.charCodeAt(i) & 0xff);
  const z = BigInt.asUintN(64, zxid);
  for (let shift = 56n; shift >= 0n; shift -= 8n) mix(Number((z >> shift) & 0xffn));
  if (bytes !== null) for (const byte of bytes) mix(byte);
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}
