// A standalone ZooKeeper server core: pure, driven by `step(input)`, answering with effects the
// host carries out in order (sends, closes, log appends, snapshots, traces). Writes take
// prep -> log (group commit) -> durable -> apply -> watches -> reply; reads are answered from the
// tree in per-connection FIFO order.
import type { Millis, Zxid } from './types';
import type { Prng } from './prng';
import type { ServerConfig, ServerEffect, ServerInput } from './server-api';
import type { DataTree } from './datatree';
import type { SessionTable } from './session/session-table';
import type { WatchManager } from './watch/watch-manager';
import { ServerCore, type ServerOptions } from './server/server-core';
import { openConnection } from './server/client-port';
import { handleConnectionData } from './server/frames';
import { applyDurableBatch } from './server/apply-batch';
import { onClock } from './server/housekeeping';
import { recover, type RecoveredState } from './server/recovery';

export type { RecoveredState } from './server/recovery';
export type { ServerOptions } from './server/server-core';

export class StandaloneServer {
  private readonly core: ServerCore;

  /**
   * `nowMs` is the host clock at startup (it seeds session ids and expiry buckets). With
   * `recovered`, the tree and sessions are rebuilt first; the `recovered` trace comes out of the
   * first `step`.
   */
  constructor(config: ServerConfig, prng: Prng, nowMs: Millis, recovered?: RecoveredState, options: ServerOptions = {}) {
    validateConfig(config);
    this.core = new ServerCore(config, prng, nowMs, options);
    if (recovered !== undefined) recover(this.core, recovered);
  }

  step(input: ServerInput): ServerEffect[] {
    const core = this.core;
    switch (input.kind) {
      case 'connection.open':
        openConnection(core, input.connection, input.remoteAddress);
        break;
      case 'connection.data': {
        const conn = core.connections.get(input.connection);
        if (conn !== undefined) handleConnectionData(core, conn, input.bytes);
        break;
      }
      case 'connection.close': {
        const conn = core.connections.get(input.connection);
        if (conn !== undefined) core.forgetConnection(conn);
        break;
      }
      case 'clock':
        // The core never moves backwards in time, whatever the host clock does.
        if (input.nowMs > core.nowMs) core.nowMs = input.nowMs;
        onClock(core);
        break;
      case 'storage.durable': {
        const batch = core.commit.completeBatch(input.batchId);
        if (batch === null) core.trace({ type: 'warn', message: `storage.durable for unknown batch ${input.batchId}` });
        else applyDurableBatch(core, batch);
        break;
      }
      case 'storage.snapshotSaved':
        break;
    }
    core.flushCommit();
    return core.takeEffects();
  }

  // ---- read-only views for hosts, the UI and tests ----------------------------------------------

  get lastProcessedZxid(): Zxid {
    return this.core.lastProcessedZxid;
  }
  get tree(): DataTree {
    return this.core.tree;
  }
  get sessions(): SessionTable {
    return this.core.sessions;
  }
  get watches(): WatchManager {
    return this.core.watches;
  }
  get openConnections(): number {
    return this.core.connections.size;
  }
}

/** Rejects configurations no server can run with (shared by standalone and quorum servers). */
export function validateConfig(config: ServerConfig): void {
  if (!(config.tickTimeMs > 0)) throw new RangeError(`tickTime must be > 0, got ${config.tickTimeMs}`);
  if (config.minSessionTimeoutMs > config.maxSessionTimeoutMs) {
    throw new RangeError(`minSessionTimeout ${config.minSessionTimeoutMs} > maxSessionTimeout ${config.maxSessionTimeoutMs}`);
  }
  if (!(config.snapCount >= 2)) throw new RangeError(`snapCount must be >= 2, got ${config.snapCount}`);
  if (!(config.maxBufferBytes > 0)) throw new RangeError(`maxBufferBytes must be > 0`);
}
