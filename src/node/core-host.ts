// Runs a pure server core in Node: carries out its effects (sockets, durable storage) in order and
// feeds back their completions. The core never sees a socket, a file or a clock.
import type { ServerEffect, ServerInput } from '../zk/server-api';
import type { ConnectionId, ServerId, Zxid } from '../zk/types';
import type { Storage } from '../storage/storage';
import type { TraceEvent } from '../zk/trace';

export interface SteppableCore {
  step(input: ServerInput): ServerEffect[];
}

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
}

export class CoreHost {
  private storageChain: Promise<void> = Promise.resolve();
  private lastClockMs = -1;
  private stopped = false;

  constructor(
    private readonly core: SteppableCore,
    private readonly storage: Storage,
    private readonly io: ConnectionIo,
    private readonly options: CoreHostOptions,
  ) {}

  /** Feeds one input, preceded by the current clock so the core's time is fresh. */
  feed(input: ServerInput): void {
    if (this.stopped) return;
    this.advanceClock();
    this.run(this.core.step(input));
  }

  advanceClock(): void {
    if (this.stopped) return;
    const nowMs = this.options.now();
    if (nowMs === this.lastClockMs) return;
    this.lastClockMs = nowMs;
    this.run(this.core.step({ kind: 'clock', nowMs }));
  }

  stop(): void {
    this.stopped = true;
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
      case 'storage.append': {
        const { batchId, entries } = effect;
        // Appends are chained so batches become durable in the order the core issued them.
        this.chainStorage(() => this.storage.append(entries), () => this.feed({ kind: 'storage.durable', batchId }));
        return;
      }
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

  private chainStorage(write: () => Promise<void>, done: () => void): void {
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
