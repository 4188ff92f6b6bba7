// Runs a pure server core on any host (Node process, Web Worker): carries out its effects (sockets,
// durable storage, peers) in order and feeds back their completions. Uses no Node or DOM API.
// The core never sees a socket, a file or a clock.
import type { ServerEffect, ServerInput } from '../zk/server-api';
import type { ConnectionId, ServerId, Zxid } from '../zk/types';
import type { LogEntry, Storage } from '../storage/storage';
import type { TraceEvent } from '../zk/trace';

export interface SteppableCore {
  step(input: ServerInput): ServerEffect[];
  /**
   * When the core next needs a `clock` input at the latest (a tick, an election retry, the end of
   * a silence limit), in the host's `now()` ms. Cores without it get only the host's periodic clock.
   */
  nextDeadlineMs?(): number;
}

/** A one-shot timer: returns its cancel function. */
export type SetTimer = (delayMs: number, fire: () => void) => () => void;

const defaultSetTimer: SetTimer = (delayMs, fire) => {
  const handle = setTimeout(fire, delayMs);
  return () => clearTimeout(handle);
};

export interface ConnectionIo {
  send(connection: ConnectionId, bytes: Uint8Array): void;
  close(connection: ConnectionId): void;
}

export interface CoreHostOptions {
  now: () => number;
  onTrace?: (event: TraceEvent) => void;
  /** Replicated mode: hands a peer message to the quorum transport. */
  sendPeer?: (to: ServerId, bytes: Uint8Array) => void;
  /** A durable write failed: the host must stop serving rather than acknowledge lost writes. */
  onFatal: (error: unknown) => void;
  /**
   * Wakes the host at the core's `nextDeadlineMs`, so a deadline (a leader's silence limit) is
   * acted on at that ms, not at the next periodic clock. Default: the global setTimeout.
   */
  setTimer?: SetTimer;
}

/** Appends queued behind the disk, not started yet; later appends join it (one write, one fsync). */
interface AppendJob {
  batchIds: number[];
  entries: LogEntry[];
}

/** Bound on one coalesced write, so a long queue becomes several writes rather than one huge one. */
const MAX_COALESCED_ENTRIES = 10_000;

export class CoreHost {
  private storageChain: Promise<void> = Promise.resolve();
  private openAppend: AppendJob | null = null;
  private lastClockMs = -1;
  private stopped = false;
  /** The pending deadline wake-up: when it fires, and how to cancel it. */
  private wakeUp: { atMs: number; cancel: () => void } | null = null;

  constructor(
    private readonly core: SteppableCore,
    private readonly storage: Storage,
    private readonly io: ConnectionIo,
    private readonly options: CoreHostOptions,
  ) {}

  /** Feeds one input, preceded by the current clock so the core's time is fresh. */
  feed(input: ServerInput): void {
    if (this.stopped) return;
    this.stepClock();
    this.run(this.core.step(input));
    this.scheduleWakeUp();
  }

  advanceClock(): void {
    if (this.stopped) return;
    this.stepClock();
    this.scheduleWakeUp();
  }

  /** Feeds the current clock when it moved; the caller re-arms the wake-up once, after its step. */
  private stepClock(): void {
    const nowMs = this.options.now();
    if (nowMs === this.lastClockMs) return;
    this.lastClockMs = nowMs;
    this.run(this.core.step({ kind: 'clock', nowMs }));
  }

  stop(): void {
    this.stopped = true;
    this.wakeUp?.cancel();
    this.wakeUp = null;
  }

  /**
   * One timer at the earliest deadline the core reported. A deadline that moved later (a packet
   * arrived) leaves the timer as it is: it fires early, feeds a harmless clock and re-arms.
   */
  private scheduleWakeUp(): void {
    if (this.stopped || this.core.nextDeadlineMs === undefined) return;
    const atMs = this.core.nextDeadlineMs();
    // A deadline the core has already seen the clock pass needs no timer (it had nothing to do then).
    if (!Number.isFinite(atMs) || atMs <= this.lastClockMs) return;
    if (this.wakeUp !== null && this.wakeUp.atMs <= atMs) return;
    this.wakeUp?.cancel();
    const setTimer = this.options.setTimer ?? defaultSetTimer;
    const cancel = setTimer(Math.max(1, atMs - this.options.now()), () => {
      if (this.wakeUp?.cancel !== cancel) return;
      this.wakeUp = null;
      this.advanceClock();
    });
    this.wakeUp = { atMs, cancel };
  }

  /** Resolves when every storage effect issued so far has completed. */
  drainStorage(): Promise<void> {
    return this.storageChain;
  }

  private run(effects: readonly ServerEffect[]): void {
    for (const effect of effects) this.runOne(effect);
  }

  private runOne(effect: ServerEffect): void {
    switch (effect.kind) {
      case 'connection.send':
        this.io.send(effect.connection, effect.bytes);
        return;
      case 'connection.close':
        this.io.close(effect.connection);
        return;
      case 'storage.append':
        this.queueAppend(effect.batchId, effect.entries);
        return;
      case 'storage.snapshot': {
        const zxid: Zxid = effect.zxid;
        const bytes = effect.bytes;
        this.chainStorage(() => this.storage.saveSnapshot({ zxid, bytes }), () => this.feed({ kind: 'storage.snapshotSaved', zxid }));
        return;
      }
      case 'storage.setMeta': {
        const { key, value } = effect;
        this.chainStorage(() => this.storage.setMeta(key, value), () => this.feed({ kind: 'storage.metaSaved', key, value }));
        return;
      }
      case 'storage.truncate': {
        const zxid: Zxid = effect.zxid;
        this.chainStorage(() => this.storage.truncateAfter(zxid), () => undefined);
        return;
      }
      case 'peer.send':
        this.options.sendPeer?.(effect.to, effect.bytes);
        return;
      case 'trace':
        this.options.onTrace?.(effect.event);
        return;
      default: {
        const never: never = effect;
        throw new Error(`unknown effect ${JSON.stringify(never)}`);
      }
    }
  }

  /**
   * Appends are chained so batches become durable in the order the core issued them. Batches
   * issued while the disk is busy with an earlier write join the next not-yet-started append (group
   * commit in the host, like Apache's SyncRequestProcessor): one write and one fsync for all of
   * them, then each batch is reported durable, in order. Any other storage effect closes the job,
   * so nothing is reordered around it.
   */
  private queueAppend(batchId: number, entries: readonly LogEntry[]): void {
    const open = this.openAppend;
    if (open !== null && open.entries.length + entries.length <= MAX_COALESCED_ENTRIES) {
      open.batchIds.push(batchId);
      open.entries.push(...entries);
      return;
    }
    const job: AppendJob = { batchIds: [batchId], entries: [...entries] };
    this.chainStorage(
      () => {
        if (this.openAppend === job) this.openAppend = null;
        return this.storage.append(job.entries);
      },
      () => {
        for (const id of job.batchIds) this.feed({ kind: 'storage.durable', batchId: id });
      },
    );
    this.openAppend = job;
  }

  private chainStorage(write: () => Promise<void>, done: () => void): void {
    // Whatever is queued now comes after the open append job: that job takes no more entries.
    this.openAppend = null;
    this.storageChain = this.storageChain.then(async () => {
      if (this.stopped) return;
      try {
        await write();
      } catch (error) {
        this.stopped = true;
        this.options.onFatal(error);
        return;
      }
      done();
    });
  }
}
