// All the simulator's outside checkers behind one world observer: they see every trace event,
// every effect (with its bytes) and every process start and crash, and at the end the clients'
// histories and the servers' disks.
import type { ServerEffect } from '../../zk/server-api';
import type { TraceEvent } from '../../zk/trace';
import type { ServerId } from '../../zk/types';
import type { History } from '../history';
import type { World, WorldObserver } from '../world';
import type { SimRole } from '../server-factory';
import { AckedWrites } from './acked-writes';
import { checkClientHistories, type LinearizabilityReport } from './client-histories';
import { CommitChain } from './commit-chain';
import { EphemeralChecker, type ClientSessionView, type InspectableServer } from './ephemerals';
import { LeaderPerEpoch } from './leader-epoch';
import { ViolationLog } from './violation';
import { WatchEventChecker } from './watch-events';
import { ZxidOrder } from './zxid-order';
import { checkReplicasAgree, type ReplicaView } from './replicas';

export interface SuiteOptions {
  /** Standalone (one server): commits are 'applied' traces, replies must follow local durability. */
  mode: 'standalone' | 'quorum';
  /** Check at each write reply that the txn is durable on the replying server (default: standalone). */
  localDurability?: boolean;
}

export class CheckerSuite implements WorldObserver {
  readonly violations = new ViolationLog();
  readonly chain: CommitChain;
  readonly zxidOrder: ZxidOrder;
  readonly leaders: LeaderPerEpoch;
  readonly acked: AckedWrites;
  readonly ephemerals: EphemeralChecker;
  readonly watches: WatchEventChecker;
  private readonly standalone: boolean;

  constructor(
    private readonly world: World,
    options: SuiteOptions,
  ) {
    this.standalone = options.mode === 'standalone';
    const commitEvent = 'applied';
    this.chain = new CommitChain(this.violations, { commitEvent, singleServer: this.standalone }, (id) => world.server(id).disk.loadSync().log);
    this.zxidOrder = new ZxidOrder(this.violations, commitEvent);
    this.leaders = new LeaderPerEpoch(this.violations);
    this.acked = new AckedWrites(this.violations, (id) => world.server(id).disk, options.localDurability ?? this.standalone);
    this.ephemerals = new EphemeralChecker(this.violations);
    this.watches = new WatchEventChecker(this.violations, this.chain);
  }

  onTrace(event: TraceEvent): void {
    this.chain.onTrace(event);
    this.zxidOrder.onTrace(event);
    this.acked.onTrace(event);
  }

  onEffect(serverId: ServerId, effect: ServerEffect, atMs: number): void {
    this.chain.onEffect(serverId, effect, atMs);
    this.zxidOrder.onEffect(serverId, effect);
  }

  onRole(serverId: ServerId, role: SimRole, atMs: number): void {
    this.leaders.onRole(serverId, role, atMs);
  }

  onLifecycle(serverId: ServerId, event: 'start' | 'crash'): void {
    this.chain.onLifecycle(serverId, event);
    this.zxidOrder.onLifecycle(serverId);
    this.leaders.onLifecycle(serverId);
  }

  onFatal(serverId: ServerId, message: string, atMs: number): void {
    this.violations.add('storage-refused-write', atMs, `s${serverId}: ${message}`);
  }

  /** Servers that are up and expose their tree and sessions (frozen ones are mid-step: skipped). */
  inspectable(): InspectableServer[] {
    const out: InspectableServer[] = [];
    for (const server of this.world.servers.values()) {
      const core = server.core;
      if (server.life !== 'up' || server.frozen || core === null) continue;
      if (core.tree === undefined || core.sessions === undefined) continue;
      out.push({ id: server.id, tree: core.tree, sessions: core.sessions });
    }
    return out;
  }

  /** Periodic state check from outside (ephemerals owned by live sessions). */
  checkServers(): void {
    for (const server of this.inspectable()) this.ephemerals.checkServer(server, this.world.nowMs);
  }

  /** End of the liveness phase: watches, ephemerals and linearizability over the whole history. */
  checkClients(history: History, clients: readonly ClientSessionView[], sessionGoneAfterMs: number): LinearizabilityReport {
    const atMs = this.world.nowMs;
    const live = new Set(clients.filter((c) => c.live).map((c) => c.instance));
    this.chain.fillMissingBytes([...this.world.servers.values()].map((s) => s.disk.loadSync().log));
    this.watches.check(history, live, atMs);
    this.ephemerals.checkFinal(this.inspectable(), history.ephemerals, clients, sessionGoneAfterMs, atMs);
    return checkClientHistories(this.violations, history.operations, this.standalone ? 'check' : 'ignore', atMs, {
      maxSteps: 500_000,
      maxStates: 200_000,
    });
  }

  /** Up, unfrozen servers with their trees and applied zxid. */
  replicas(): ReplicaView[] {
    const out: ReplicaView[] = [];
    for (const server of this.world.servers.values()) {
      const core = server.core;
      if (server.life !== 'up' || server.frozen || core === null || core.tree === undefined) continue;
      out.push({ id: server.id, tree: core.tree, sessionCount: core.sessions?.size() ?? 0, lastProcessedZxid: core.lastProcessedZxid });
    }
    return out;
  }

  /** Settled ensemble: same history, same tree. */
  checkReplicas(): void {
    checkReplicasAgree(this.violations, this.replicas(), this.world.nowMs);
  }

  /** After the final power loss and recovery of every server. */
  checkDurability(): void {
    const ids = [...this.world.servers.keys()];
    const quorum = Math.floor(ids.length / 2) + 1;
    const processed = (id: ServerId) => {
      const server = this.world.server(id);
      return server.life === 'up' && server.core !== null ? server.core.lastProcessedZxid : null;
    };
    this.acked.checkSurvived(this.chain, ids, quorum, this.world.nowMs, processed);
  }
}
