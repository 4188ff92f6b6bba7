// Every watch event a client receives matches a committed change made after the watch was set,
// arrives in zxid order, and arrives once. For a data watch set by getData (lower bound = the
// read's mzxid), a committed change to that node above the bound must also arrive if the session
// stayed connected to the end (no lost watches across reconnects).
import { decodeTxn } from '../../jute/txn-codec';
import type { Txn } from '../../zk/txn';
import { EventType } from '../../zk/types';
import type { History, WatchRegistration } from '../history';
import type { CommitChain } from './commit-chain';
import { allowedEvents, keyMatches, txnEventKeys } from './txn-events';
import { hexZxid, type ViolationLog } from './violation';

const NAME = 'watch-events';
const SETWATCHES_ZXID = -1n;

export class WatchEventChecker {
  private readonly decoded = new Map<bigint, Set<string> | null>();

  constructor(
    private readonly violations: ViolationLog,
    private readonly chain: CommitChain,
  ) {}

  /**
   * `liveInstances`: client instances still connected with the session they set watches in, so
   * every change above a data watch's bound must have reached them.
   */
  check(history: History, liveInstances: ReadonlySet<number>, atMs: number): void {
    for (const registration of history.watches) this.checkRegistration(registration, liveInstances, atMs);
    for (const [instance, events] of history.eventsByInstance) this.checkOrder(instance, events, atMs);
  }

  private checkRegistration(registration: WatchRegistration, liveInstances: ReadonlySet<number>, atMs: number): void {
    const where = `c${registration.clientId} watch#${registration.id} (${registration.kind} ${registration.path})`;
    const events = registration.events;
    if (!registration.confirmed) {
      if (events.length > 0) this.violations.add(NAME, atMs, `${where} was never set but got ${EventType[events[0]!.type]}`);
      return;
    }
    if (events.length > 1) {
      this.violations.add(NAME, atMs, `${where} fired ${events.length} times: ${events.map((e) => `${EventType[e.type]}@${hexZxid(e.zxid)}`).join(', ')}`);
    }
    for (const event of events) this.checkEvent(registration, where, event.type, event.path, event.zxid, atMs);
    if (events.length === 0 && registration.kind === 'data' && liveInstances.has(registration.instance)) {
      const missed = this.firstChangeAbove(registration);
      if (missed !== null) this.violations.add(NAME, atMs, `${where} set above ${hexZxid(registration.lowerZxid)} never fired, though ${hexZxid(missed)} changed the node`);
    }
  }

  private checkEvent(registration: WatchRegistration, where: string, type: number, path: string, zxid: bigint, atMs: number): void {
    const what = `${where} got ${EventType[type] ?? type} ${path} ${hexZxid(zxid)}`;
    if (path !== registration.path) {
      this.violations.add(NAME, atMs, `${what}: wrong path`);
      return;
    }
    const allowed = allowedEvents(registration.kind);
    if (!allowed.includes(type)) {
      this.violations.add(NAME, atMs, `${what}: a ${registration.kind} watch cannot deliver that`);
      return;
    }
    if (zxid === SETWATCHES_ZXID) {
      if (this.firstReconnectCauseAbove(registration.lowerZxid, type, path) === null) {
        this.violations.add(NAME, atMs, `${what}: no committed change above ${hexZxid(registration.lowerZxid)} explains it`);
      }
      return;
    }
    if (zxid <= registration.lowerZxid) {
      this.violations.add(NAME, atMs, `${what}: not after the watch was set (bound ${hexZxid(registration.lowerZxid)})`);
      return;
    }
    const keys = this.eventsOf(zxid);
    if (keys === undefined) {
      this.violations.add(NAME, atMs, `${what}: no committed txn has that zxid`);
      return;
    }
    if (keys !== null && !keyMatches(keys, type, path)) {
      this.violations.add(NAME, atMs, `${what}: the txn at that zxid does not raise it`);
    }
  }

  private checkOrder(instance: number, events: ReadonlyArray<{ registration: number; event: { zxid: bigint; atMs: number } }>, atMs: number): void {
    let last = -1n;
    for (const { registration, event } of events) {
      if (event.zxid === SETWATCHES_ZXID) continue;
      if (event.zxid < last) {
        this.violations.add(NAME, atMs, `client instance ${instance}: watch#${registration} event ${hexZxid(event.zxid)} after ${hexZxid(last)} (out of zxid order)`);
      }
      last = event.zxid > last ? event.zxid : last;
    }
  }

  private firstChangeAbove(registration: WatchRegistration): bigint | null {
    for (const type of allowedEvents(registration.kind)) {
      const zxid = this.firstMatchAbove(registration.lowerZxid, type, registration.path);
      if (zxid !== null) return zxid;
    }
    return null;
  }

  /**
   * SetWatches compares zxids, not histories: a node deleted and created again while the client was
   * away shows as NodeDataChanged (mzxid moved) or NodeChildrenChanged (pzxid moved), as in Apache.
   */
  private firstReconnectCauseAbove(lowerZxid: bigint, type: number, path: string): bigint | null {
    const direct = this.firstMatchAbove(lowerZxid, type, path);
    if (direct !== null || (type !== EventType.NodeDataChanged && type !== EventType.NodeChildrenChanged)) return direct;
    return this.firstMatchAbove(lowerZxid, EventType.NodeCreated, path);
  }

  private firstMatchAbove(lowerZxid: bigint, type: number, path: string): bigint | null {
    for (const txn of this.chain.committed) {
      if (txn.zxid <= lowerZxid) continue;
      const keys = this.eventsOf(txn.zxid);
      if (keys !== null && keys !== undefined && keyMatches(keys, type, path)) return txn.zxid;
    }
    return null;
  }

  /** undefined: not committed; null: committed but bytes unknown (cannot be checked). */
  private eventsOf(zxid: bigint): Set<string> | null | undefined {
    const committed = this.chain.get(zxid);
    if (committed === undefined) return undefined;
    if (committed.bytes === null) return null;
    let keys = this.decoded.get(zxid);
    if (keys === undefined) {
      const txn: Txn = decodeTxn(committed.bytes);
      keys = txnEventKeys(txn);
      this.decoded.set(zxid, keys);
    }
    return keys;
  }
}
