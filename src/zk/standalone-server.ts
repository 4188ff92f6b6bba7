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
import { Connection } from './server/connection';
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
        this.open(input.connection, input.remoteAddress);
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

  private open(id: number, remoteAddress: string): void {
    const core = this.core;
    const existing = core.connections.get(id);
    if (existing !== undefined) core.closeConnection(existing);
    const conn = new Connection(id, remoteAddress, core.nowMs, core.config.maxBufferBytes);
    const max = core.config.maxClientCnxns;
    if (max > 0) {
      let fromHost = 0;
      for (const c of core.connections.values()) if (c.host === conn.host) fromHost++;
      if (fromHost >= max) {
        core.trace({ type: 'warn', message: `Too many connections from ${conn.host} - max is ${max}` });
        core.emit({ kind: 'connection.close', connection: id });
        return;
      }
    }
    core.connections.set(id, conn);
  }
}

function validateConfig(config: ServerConfig): void {
  if (!(config.tickTimeMs > 0)) throw new RangeError(`tickTime must be > 0, got ${config.tickTimeMs}`);
  if (config.minSessionTimeoutMs > config.maxSessionTimeoutMs) {
    throw new RangeError(`minSessionTimeout ${config.minSessionTimeoutMs} > maxSessionTimeout ${config.maxSessionTimeoutMs}`);
  }
  if (!(config.snapCount >= 2)) throw new RangeError(`snapCount must be >= 2, got ${config.snapCount}`);
  if (!(config.maxBufferBytes > 0)) throw new RangeError(`maxBufferBytes must be > 0`);
}
