// A quorum ZooKeeper server (Apache QuorumPeer): LOOKING runs FastLeaderElection; its decision
// starts a Leader, Follower or Observer (zab/); a role that fails returns to LOOKING. Pure, with
// the same host boundary as StandaloneServer: `step(input)` -> effects, carried out in order.
// Peer messages travel as `peer.send` effects / `peer.message` inputs; epochs persist through
// `storage.setMeta` / `storage.metaSaved`; TRUNC becomes `storage.truncate`. The client side
// (connections, sessions here, watches, reads, replies, 4lw) is the standalone server's core with
// the write path switched per role.
import { encodePeerMessage, tryDecodePeerMessage, type PeerMessage } from '../jute/quorum-packets';
import type { LoadedState, LogEntry } from '../storage/storage';
import type { DataTree } from './datatree';
import { FastLeaderElection, type FleEffect } from './election/fle';
import type { MajorityQuorumVerifier } from './election/quorum';
import type { Prng } from './prng';
import type { ServerConfig, ServerEffect, ServerInput } from './server-api';
import { openConnection } from './server/client-port';
import type { TxnOrigin } from './server/commit-queue';
import { handleConnectionData } from './server/frames';
import { onClock } from './server/housekeeping';
import { ServerCore, type ServerOptions, type WriteRoute } from './server/server-core';
import type { ServingRole } from './server/serving-role';
import type { SessionTable } from './session/session-table';
import { validateConfig } from './standalone-server';
import type { ServerStateName } from './trace';
import type { Txn } from './txn';
import { makeZxid, type Millis, type ServerId, type Zxid } from './types';
import type { WatchManager } from './watch/watch-manager';
import { Leader } from './zab/leader';
import { Learner } from './zab/learner';
import { quorumConfigText, quorumVerifierOf, validateQuorumPeerConfig, type QuorumPeerConfig } from './zab/peer-config';
import { Replica } from './zab/replica';
import { TouchTracker } from './zab/touch-tracker';
import { LeaderRoute, LearnerRoute } from './zab/write-routes';
import type { ZabHost } from './zab/zab-host';

export type { QuorumPeerConfig } from './zab/peer-config';
export { defaultQuorumPeerConfig, localEnsemble, quorumConfigText, type QuorumServerSpec } from './zab/peer-config';
export type { ZabFaults } from './zab/zab-host';

/** What storage held at startup (Storage.load): snapshot bytes, the log after it, and meta. */
export interface PeerRecoveredState {
  snapshot: Uint8Array | null;
  log: readonly LogEntry[];
  meta: Readonly<Record<string, string>>;
}

/** Storage.load's result as the constructor takes it (an empty disk when null). */
export function peerRecoveredFrom(loaded: LoadedState | null): PeerRecoveredState {
  if (loaded === null) return { snapshot: null, log: [], meta: {} };
  return { snapshot: loaded.snapshot?.bytes ?? null, log: loaded.log, meta: loaded.meta };
}

type Role =
  | { kind: 'leader'; machine: Leader; route: LeaderRoute | null; startedAtMs: Millis }
  | { kind: 'learner'; machine: Learner; route: LearnerRoute | null; observer: boolean };

export class QuorumPeer {
  private readonly core: ServerCore;
  private readonly replica: Replica;
  private readonly fle: FastLeaderElection;
  private readonly quorum: MajorityQuorumVerifier;
  private readonly myId: ServerId;
  private readonly startMs: Millis;
  private readonly configBytes: Uint8Array;
  private readonly touches = new TouchTracker();
  /** Peers whose link is known down (reported by the host); none is assumed at start. */
  private readonly downLinks = new Set<ServerId>();
  private readonly host: ZabHost;
  private role: Role | null = null;
  private stateName: ServerStateName = 'LOOKING';
  private serving = false;
  private generation = 0;
  private tick = 0;
  private lostReason: string | null = null;
  private proposalSizes = { last: -1, min: -1, max: -1 };
  /**
   * FOLLOWERINFO/OBSERVERINFO that reached this server while LOOKING, the latest per sender: a
   * learner can decide before its leader-to-be does. Replayed to the Leader as soon as this
   * server leads, like a learner's TCP connection waiting in Apache's accept backlog; dropped
   * when it follows, a new election round starts, or that sender's link goes down.
   */
  private readonly earlyLearnerInfo = new Map<ServerId, PeerMessage>();

  constructor(
    config: ServerConfig,
    private readonly quorumConfig: QuorumPeerConfig,
    prng: Prng,
    nowMs: Millis,
    recovered: PeerRecoveredState = { snapshot: null, log: [], meta: {} },
    options: ServerOptions = {},
  ) {
    this.myId = config.serverId;
    validateConfig(config);
    validateQuorumPeerConfig(quorumConfig, this.myId);
    this.quorum = quorumVerifierOf(quorumConfig);
    this.startMs = nowMs;
    this.core = new ServerCore(config, prng, nowMs, options);
    const configText = quorumConfigText(quorumConfig);
    this.configBytes = new TextEncoder().encode(configText);
    this.replica = new Replica(this.core, {
      ...recovered,
      configText,
      configVersion: quorumConfig.configVersion ?? 0n,
      ...(quorumConfig.committedLogCount === undefined ? {} : { committedLogCount: quorumConfig.committedLogCount }),
      ...(quorumConfig.snapshotSizeFactor === undefined ? {} : { snapshotSizeFactor: quorumConfig.snapshotSizeFactor }),
    });
    this.fle = new FastLeaderElection({
      myId: this.myId,
      quorum: this.quorum,
      ...pickDefined(quorumConfig, ['finalizeWaitMs', 'minNotificationIntervalMs', 'maxNotificationIntervalMs']),
    });
    this.host = this.makeHost();
    this.core.roleView = () => this.roleView();
    this.startLooking(null);
  }

  // ---- the host boundary ----

  step(input: ServerInput): ServerEffect[] {
    switch (input.kind) {
      case 'connection.open':
        openConnection(this.core, input.connection, input.remoteAddress);
        break;
      case 'connection.data': {
        const conn = this.core.connections.get(input.connection);
        if (conn !== undefined) handleConnectionData(this.core, conn, input.bytes);
        break;
      }
      case 'connection.close': {
        const conn = this.core.connections.get(input.connection);
        if (conn !== undefined) this.core.forgetConnection(conn);
        break;
      }
      case 'clock':
        this.onClock(input.nowMs);
        break;
      case 'storage.durable':
        this.onLogDurable(input.batchId);
        break;
      case 'storage.snapshotSaved':
        break;
      case 'storage.metaSaved':
        this.onMetaSaved(input.key, input.value);
        break;
      case 'peer.message':
        this.onPeerMessage(input.from, input.bytes);
        break;
      case 'peer.link':
        this.onLinkChange(input.peer, input.up);
        break;
    }
    this.settle();
    return this.core.takeEffects();
  }

  /** When the host should feed the next `clock` input at the latest. */
  nextDeadlineMs(): Millis {
    const tickTimeMs = this.core.config.tickTimeMs;
    let next = this.startMs + (this.tick + 1) * tickTimeMs;
    const fleDeadline = this.stateName === 'LOOKING' ? this.fle.nextDeadlineMs() : null;
    if (fleDeadline !== null && fleDeadline < next) next = fleDeadline;
    // A silence limit ends just after its deadline (ms-exact, see Learner/LearnerHandlers).
    const roleDeadline = this.role?.machine.deadlineMs ?? null;
    if (roleDeadline !== null && roleDeadline + 1 < next) next = Math.max(this.core.nowMs, roleDeadline + 1);
    return next;
  }

  // ---- read-only views for hosts, the UI and tests ----

  get state(): ServerStateName {
    return this.stateName;
  }
  get isServing(): boolean {
    return this.serving;
  }
  get leaderId(): ServerId | null {
    if (this.role === null) return null;
    return this.role.kind === 'leader' ? this.myId : this.role.machine.leaderId;
  }
  get epochs(): { accepted: number; current: number } {
    return { accepted: this.replica.acceptedEpoch, current: this.replica.currentEpoch };
  }
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
  get serverCore(): ServerCore {
    return this.core;
  }
  get leader(): Leader | null {
    return this.role?.kind === 'leader' ? this.role.machine : null;
  }
  get learner(): Learner | null {
    return this.role?.kind === 'learner' ? this.role.machine : null;
  }

  // ---- inputs ----

  private onClock(nowMs: Millis): void {
    if (nowMs > this.core.nowMs) this.core.nowMs = nowMs;
    if (this.stateName === 'LOOKING') this.runFle(this.fle.handle({ type: 'tick', nowMs: this.core.nowMs }));
    const tick = Math.floor((this.core.nowMs - this.startMs) / this.core.config.tickTimeMs);
    if (tick > this.tick) {
      this.tick = tick;
      this.role?.machine.onTick(tick, this.core.nowMs);
    } else {
      // Between ticks only the silence limits are checked: they are exact to the ms.
      this.role?.machine.onClock(this.core.nowMs);
    }
    // The leader owns session expiry and container cleanup (SessionTracker, ContainerManager).
    if (this.serving && this.role?.kind === 'leader' && this.lostReason === null) onClock(this.core);
  }

  private onLogDurable(batchId: number): void {
    const txns = this.replica.logDurable(batchId);
    if (txns === null) {
      this.core.trace({ type: 'warn', message: `storage.durable for unknown batch ${batchId}` });
      return;
    }
    for (const t of txns) {
      if (t.generation === this.generation && this.lostReason === null) this.role?.machine.onLogDurable(t.zxid);
    }
  }

  private onMetaSaved(key: string, value: string): void {
    if (key !== 'acceptedEpoch' && key !== 'currentEpoch') return;
    this.role?.machine.onMetaSaved(key, Number(value));
  }

  /**
   * A link that went down lost what was in flight; like Apache's learner on a new socket, ZAB
   * starts over on it (the learner goes LOOKING, the leader forgets the handler), and no ZAB packet
   * is sent on it until it is up again, so nothing from the old conversation arrives later.
   */
  private onLinkChange(peer: ServerId, up: boolean): void {
    if (up) {
      this.downLinks.delete(peer);
      return;
    }
    this.downLinks.add(peer);
    this.earlyLearnerInfo.delete(peer);
    this.role?.machine.onLinkDown(peer);
  }

  private onPeerMessage(from: ServerId, bytes: Uint8Array): void {
    const decoded = tryDecodePeerMessage(bytes);
    if (!decoded.ok) {
      this.core.trace({ type: 'msg.dropped', from, reason: decoded.reason });
      return;
    }
    const message: PeerMessage = decoded.message;
    this.core.trace({ type: 'msg.received', from, kind: message.kind, ...zxidOf(message), bytes: bytes.length });
    if (message.kind === 'notification') {
      // A learner that votes again (LOOKING, or for another leader) has given up on us: its kept
      // FOLLOWERINFO is stale, and answering it could hand out an epoch it already accepted elsewhere.
      if (message.state === 'LOOKING' || message.leader !== this.myId) this.earlyLearnerInfo.delete(from);
      const { kind: _kind, sid: _sid, configVersion: _cv, ...notification } = message;
      this.runFle(this.fle.handle({ type: 'notification', nowMs: this.core.nowMs, from, notification }));
      return;
    }
    if (this.role === null) {
      // LOOKING: ZAB packets from an old or future leadership are dropped, except a learner's
      // opening packet, which the leader this server may become answers (earlyLearnerInfo).
      if (message.kind === 'followerInfo' || message.kind === 'observerInfo') this.keepEarlyLearnerInfo(from, message);
      return;
    }
    this.role.machine.onMessage(from, message);
  }

  // ---- election and roles ----

  private runFle(effects: readonly FleEffect[]): void {
    for (const effect of effects) {
      if (effect.type === 'send') {
        const n = effect.notification;
        this.core.trace({ type: 'vote.sent', to: effect.to, leader: n.leader, zxid: n.zxid, electionEpoch: n.electionEpoch, peerEpoch: n.peerEpoch });
        this.emitPeer(effect.to, { kind: 'notification', ...n, sid: this.myId });
      } else {
        this.startRole(effect.state, effect.vote.leader);
      }
    }
  }

  private keepEarlyLearnerInfo(from: ServerId, message: PeerMessage): void {
    if (from === this.myId || !this.quorumConfig.servers.some((s) => s.id === from)) return;
    this.earlyLearnerInfo.delete(from); // re-insert: replay in arrival order of the latest
    this.earlyLearnerInfo.set(from, message);
  }

  private replayEarlyLearnerInfo(leader: Leader): void {
    const early = [...this.earlyLearnerInfo];
    this.earlyLearnerInfo.clear();
    for (const [from, message] of early) {
      if (message.kind === 'notification') continue;
      leader.onMessage(from, message);
    }
  }

  private startLooking(reason: string | null): void {
    this.earlyLearnerInfo.clear();
    if (reason !== null) this.core.trace({ type: 'warn', message: `${this.stateName} -> LOOKING: ${reason}` });
    for (const conn of [...this.core.connections.values()]) this.core.closeConnection(conn);
    this.core.writeRoute = NOT_SERVING;
    this.serving = false;
    this.role = null;
    this.generation++;
    this.replica.reloadForElection();
    this.setState('LOOKING');
    const lastLoggedZxid = this.replica.lastLoggedZxid();
    this.runFle(this.fle.handle({ type: 'start', nowMs: this.core.nowMs, lastLoggedZxid, currentEpoch: this.replica.currentEpoch }));
  }

  private startRole(state: 'LEADING' | 'FOLLOWING' | 'OBSERVING', leaderId: ServerId): void {
    this.generation++;
    const timing = { initLimitTicks: this.quorumConfig.initLimitTicks, syncLimitTicks: this.quorumConfig.syncLimitTicks };
    const tickTimeMs = this.core.config.tickTimeMs;
    const faults = this.quorumConfig.faults ?? {};
    this.setState(state);
    if (state === 'LEADING') {
      const machine = new Leader(this.host, {
        myId: this.myId,
        quorum: this.quorum,
        timing,
        configBytes: this.configBytes,
        faults,
        forceSnapSync: this.quorumConfig.forceSnapSync === true,
        tickTimeMs,
      });
      this.role = { kind: 'leader', machine, route: null, startedAtMs: this.core.nowMs };
      machine.start(this.tick, this.core.nowMs);
      this.replayEarlyLearnerInfo(machine);
    } else {
      this.earlyLearnerInfo.clear();
      const observer = state === 'OBSERVING';
      const machine = new Learner(this.host, { myId: this.myId, leaderId, observer, timing, faults, tickTimeMs, configVersion: this.quorumConfig.configVersion ?? 0n });
      this.role = { kind: 'learner', machine, route: null, observer };
      machine.start(this.tick, this.core.nowMs);
    }
  }

  private setState(to: ServerStateName): void {
    const from = this.stateName;
    this.stateName = to;
    this.core.trace({ type: 'state', from, to, epoch: this.replica.currentEpoch });
  }

  /** After each input: a lost role goes LOOKING (never in the middle of a machine's call), the log flushes. */
  private settle(): void {
    for (let i = 0; this.lostReason !== null; i++) {
      if (i > 4) throw new Error('quorum peer: role loss does not settle');
      const reason = this.lostReason;
      this.lostReason = null;
      this.startLooking(reason);
    }
    this.replica.flushLog();
  }

  private roleView(): ServingRole | null {
    const role = this.role;
    if (!this.serving || role === null) return null;
    if (role.kind === 'learner') {
      const mode = role.observer ? 'observer' : 'follower';
      return { mode, detailedState: `${role.observer ? 'observing' : 'following'} - broadcast` };
    }
    const learners = role.machine.learners();
    const serving = learners.filter((h) => h.phase === 'serving');
    return {
      mode: 'leader',
      detailedState: 'leading - broadcast',
      leader: {
        proposalSizes: { ...this.proposalSizes },
        learners: learners.length,
        syncedFollowers: serving.filter((h) => !h.observer).length,
        syncedNonVotingFollowers: 0,
        syncedObservers: serving.filter((h) => h.observer).length,
        pendingSyncs: role.machine.pendingSyncCount,
        uptimeMs: Math.max(0, this.core.nowMs - role.startedAtMs),
      },
    };
  }

  private emitPeer(to: ServerId, message: PeerMessage): void {
    if (message.kind !== 'notification' && this.downLinks.has(to)) {
      this.core.trace({ type: 'msg.dropped', from: to, reason: `${message.kind} not sent: link to ${to} is down` });
      return;
    }
    const bytes = encodePeerMessage(message);
    if (message.kind !== 'notification') {
      this.core.trace({ type: 'msg.sent', to, kind: message.kind, ...zxidOf(message), bytes: bytes.length });
    }
    this.core.emit({ kind: 'peer.send', to, bytes });
  }

  // ---- ZabHost: what the role machines call ----

  private makeHost(): ZabHost {
    const core = this.core;
    const replica = this.replica;
    return {
      lastLoggedZxid: () => replica.lastLoggedZxid(),
      ackEpochZxid: () => (replica.needsSnapshot ? 0n : replica.lastLoggedZxid()),
      lastProcessedZxid: () => core.lastProcessedZxid,
      committedLog: replica.committedLog,
      acceptedEpoch: () => replica.acceptedEpoch,
      currentEpoch: () => replica.currentEpoch,
      snapshot: () => replica.snapshot(),
      txnLog: () => replica.txnLogView(),
      takeTouchedSessions: () => this.touches.take(core.sessions.all()),
      send: (to, packet) => this.emitPeer(to, packet),
      log: (txn, bytes) => {
        if (this.role?.kind === 'leader') this.noteProposalSize(bytes.length);
        replica.logTxn(txn, bytes, this.generation);
      },
      commit: (txn, bytes) => this.applyCommitted(txn, bytes),
      saveEpoch: (key, epoch) => replica.saveEpoch(key, epoch, this.quorumConfig.faults?.unsafeEpochBeforeLogDurable !== true),
      truncate: (zxid) => replica.truncate(zxid),
      loadSnapshot: (zxid, bytes) => replica.loadSnapshot(zxid, bytes),
      established: () => this.established(),
      lost: (reason) => {
        this.lostReason ??= reason;
      },
      trace: (body) => core.trace(body),
      forwardedRequest: (from, packet) => {
        if (this.role?.kind === 'leader') this.role.route?.submitForwarded(packet, from);
      },
      touchSessions: (_from, sessions) => {
        for (const s of sessions) core.sessions.touch(s.sessionId, core.nowMs, s.timeoutMs);
      },
      revalidateSession: (from, packet) => {
        const valid = core.sessions.touch(packet.sessionId, core.nowMs, packet.timeoutMs);
        // Leader.revalidateSession: the session now belongs to the learner its client reconnected to.
        if (valid) core.sessions.setOwner(packet.sessionId, from);
        return valid;
      },
      revalidated: (sessionId, valid) => {
        if (this.role?.kind === 'learner') this.role.route?.revalidated(sessionId, valid);
      },
      synced: () => {
        if (this.role?.kind === 'learner') this.role.route?.synced();
      },
    };
  }

  private applyCommitted(txn: Txn, bytes: Uint8Array): void {
    const role = this.role;
    let origin: TxnOrigin | undefined;
    if (role?.kind === 'leader') origin = role.route?.takeOrigin(txn.header.zxid);
    else if (role?.kind === 'learner') origin = role.route?.takeOrigin(txn.header.sessionId, txn.header.cxid);
    this.replica.applyCommitted(txn, bytes, origin ?? { kind: 'internal' });
    if (role?.kind === 'leader') role.route?.committed(txn.header.zxid);
  }

  private established(): void {
    const role = this.role;
    if (role === null) throw new Error('established without a role');
    // Before a new leader moves lastProcessedZxid to its epoch's zxid 0: a snapshot holds applied txns only.
    this.replica.snapshotAfterLongReplay();
    this.serving = true;
    this.fle.updateElectionVote(role.machine.epoch);
    if (role.kind === 'leader') {
      const epochZxid = makeZxid(role.machine.epoch, 0);
      this.core.lastAssignedZxid = epochZxid;
      if (epochZxid > this.core.lastProcessedZxid) this.core.lastProcessedZxid = epochZxid;
      // A new leader's session tracker starts every session's timeout afresh.
      for (const session of this.core.sessions.all()) this.core.sessions.touch(session.sessionId, this.core.nowMs);
      // ...and knows no session owners: each is set by the session's next create, revalidate or request.
      this.core.sessions.clearOwners();
      role.route = new LeaderRoute(this.core, role.machine, this.myId);
    } else {
      this.touches.reset(this.core.sessions.all());
      role.route = new LearnerRoute(this.core, role.machine);
    }
    this.core.writeRoute = role.route;
  }

  private noteProposalSize(size: number): void {
    const s = this.proposalSizes;
    this.proposalSizes = { last: size, min: s.min < 0 ? size : Math.min(s.min, size), max: Math.max(s.max, size) };
  }
}

/** No role serves: a write that still reaches the core (none should) is dropped, never logged locally. */
const NOT_SERVING: WriteRoute = {
  submit: () => undefined,
};

function zxidOf(message: PeerMessage): { zxid?: Zxid } {
  return message.kind === 'notification' ? {} : { zxid: message.zxid };
}

function pickDefined<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
