// What the clients saw, recorded from outside the servers: every data operation with its call and
// return time (pending when the client never learned the outcome), every watch registration and
// the events it delivered, and every ephemeral node a session created.
import type { ZkOperation } from './checkers/zk-register-model';

export type WatchRegistrationKind = 'data' | 'exists' | 'child';

export interface WatchEventRecord {
  type: number;
  path: string;
  /** zxid of the change; -1n for events a reconnect's SetWatches raised. */
  zxid: bigint;
  atMs: number;
}

export interface WatchRegistration {
  id: number;
  clientId: number;
  /** The ZooKeeper instance (a client that reopens its session gets a new one). */
  instance: number;
  sessionId: bigint;
  path: string;
  kind: WatchRegistrationKind;
  /** Every change that may fire this watch has a zxid above this (mzxid or pzxid of the read). */
  lowerZxid: bigint;
  /** The read that set it succeeded (an event may arrive before the workload hears the reply). */
  confirmed: boolean;
  registeredAtMs: number;
  events: WatchEventRecord[];
}

export interface EphemeralRecord {
  clientId: number;
  instance: number;
  sessionId: bigint;
  path: string;
  czxid: bigint;
  /** Set when this client asked to delete it (whatever the outcome). */
  deleteRequested: boolean;
}

export interface SessionRecord {
  clientId: number;
  instance: number;
  /** Session events seen, e.g. "SyncConnected", "Expired". */
  states: string[];
}

export class History {
  readonly operations: ZkOperation[] = [];
  readonly watches: WatchRegistration[] = [];
  /** Events per ZooKeeper instance in arrival order (for the zxid-order check). */
  readonly eventsByInstance = new Map<number, Array<{ registration: number; event: WatchEventRecord }>>();
  readonly ephemerals: EphemeralRecord[] = [];
  private nextWatchId = 1;

  /** Bounds: a run that records more than this is misconfigured. */
  static readonly MAX_OPERATIONS = 20_000;

  addOperation(op: ZkOperation): ZkOperation {
    if (this.operations.length >= History.MAX_OPERATIONS) throw new Error('history: too many operations');
    this.operations.push(op);
    return op;
  }

  /** Allocated before the read is sent; `confirm` fills in what the reply told. */
  addWatch(registration: Omit<WatchRegistration, 'id' | 'events' | 'confirmed' | 'lowerZxid'>): WatchRegistration {
    const full: WatchRegistration = { ...registration, id: this.nextWatchId++, events: [], confirmed: false, lowerZxid: -1n };
    this.watches.push(full);
    return full;
  }

  recordEvent(registration: WatchRegistration, event: WatchEventRecord): void {
    registration.events.push(event);
    const list = this.eventsByInstance.get(registration.instance) ?? [];
    list.push({ registration: registration.id, event });
    this.eventsByInstance.set(registration.instance, list);
  }

  pendingCount(): number {
    return this.operations.filter((op) => op.returnTime === undefined).length;
  }
}
