// A ZAB learner (follower or observer) as a pure state machine: Apache Learner.registerWithLeader,
// syncWithLeader, Follower.processPacket and Observer.processPacket without threads or sockets.
// connecting: FOLLOWERINFO/OBSERVERINFO, repeated every tick until LEADERINFO (the leader may not
// be LEADING yet) -> acceptedEpoch persisted -> ACKEPOCH -> syncing: DIFF | TRUNC | SNAP, then
// PROPOSAL/COMMIT pairs -> NEWLEADER: currentEpoch persisted and every synced txn durable -> ACK
// -> UPTODATE: serving. A follower ACKs a proposal only once it is durable and only after its
// NEWLEADER ACK (an ACK from a server whose currentEpoch is stale could make a commit vanish).
import { decodeTxn } from '../../jute/txn-codec';
import type { QuorumPacket, RequestPacket, RevalidatePacket, SnapPacket } from '../../jute/quorum-messages';
import type { Txn } from '../txn';
import { hex, makeZxid, zxidEpoch, type ServerId, type Zxid } from '../types';
import { validateTiming, type EpochKey, type ZabFaults, type ZabHost, type ZabTiming } from './zab-host';

export type LearnerPhase =
  | 'connecting'
  | 'persistAcceptedEpoch'
  | 'awaitingSyncMode'
  | 'syncing'
  | 'newLeaderPending'
  | 'awaitingUpToDate'
  | 'serving'
  | 'stopped';

export interface LearnerConfig {
  myId: ServerId;
  leaderId: ServerId;
  observer: boolean;
  timing: ZabTiming;
  /** Quorum config version FOLLOWERINFO carries. */
  configVersion?: bigint;
  /**
   * ms per tick. Silence limits are syncLimit/initLimit x tickTimeMs after the last packet, to the
   * ms (Apache's socket SO_TIMEOUT), not rounded to tick boundaries. Default 1: time in ticks.
   */
  tickTimeMs?: number;
  faults?: ZabFaults;
}

interface PendingProposal {
  txn: Txn;
  bytes: Uint8Array;
}

/** Proposals logged but not yet committed; more means the leader stopped committing. */
const MAX_PENDING_PROPOSALS = 100_000;

export class Learner {
  private phaseName: LearnerPhase = 'connecting';
  /** The host's clock (ms), from start/onTick/onClock. */
  private nowMs = 0;
  /** When the leader was last heard from (or the role started), and how much silence is allowed. */
  private lastHeardMs = 0;
  private silenceLimitMs = 0;
  private newEpoch = -1;
  private ackEpochValue = -1;
  private readonly pending: PendingProposal[] = [];
  /**
   * Txns the leader committed while this learner syncs: logged at once, applied at UPTODATE. Until
   * a quorum ACKed NEWLEADER they belong to a history that may still be abandoned (a new leader
   * that never establishes), so nothing applies them, or reports them applied, before.
   */
  private readonly committedDuringSync: PendingProposal[] = [];
  /** Proposals durable or not, still owed an ACK (followers only). */
  private readonly owedAcks: Zxid[] = [];
  private lastQueuedZxid: Zxid = 0n;
  private logsInFlight = 0;
  private currentEpochSaved = false;
  private readonly faults: ZabFaults;

  constructor(
    private readonly host: ZabHost,
    private readonly config: LearnerConfig,
  ) {
    validateTiming(config.timing);
    this.faults = config.faults ?? {};
  }

  get phase(): LearnerPhase {
    return this.phaseName;
  }
  get leaderId(): ServerId {
    return this.config.leaderId;
  }
  get epoch(): number {
    return this.newEpoch;
  }
  get pendingProposals(): number {
    return this.pending.length;
  }

  // ---- inputs ----

  start(tick: number, nowMs: number = tick * this.tickTimeMs): void {
    this.nowMs = nowMs;
    this.lastHeardMs = nowMs;
    this.silenceLimitMs = this.config.timing.initLimitTicks * this.tickTimeMs;
    this.lastQueuedZxid = this.host.lastLoggedZxid();
    this.sendLearnerInfo();
  }

  onTick(tick: number, nowMs: number = tick * this.tickTimeMs): void {
    if (this.phaseName === 'stopped') return;
    if (this.checkSilence(nowMs) && this.phaseName === 'connecting') this.sendLearnerInfo();
  }

  /** The host's clock moved (between ticks too): the silence limit is checked to the ms. */
  onClock(nowMs: number): void {
    if (this.phaseName === 'stopped') return;
    this.checkSilence(nowMs);
  }

  /** When the leader's silence would end this role (ms), for the host's next wake-up. */
  get deadlineMs(): number | null {
    return this.phaseName === 'stopped' ? null : this.lastHeardMs + this.silenceLimitMs;
  }

  private get tickTimeMs(): number {
    return this.config.tickTimeMs ?? 1;
  }

  /** False (and the role stops) once the leader was silent for more than the limit. */
  private checkSilence(nowMs: number): boolean {
    if (nowMs > this.nowMs) this.nowMs = nowMs;
    const silentMs = this.nowMs - this.lastHeardMs;
    if (silentMs <= this.silenceLimitMs) return true;
    this.stop(`no packet from leader ${this.config.leaderId} for ${silentMs} ms, limit ${this.silenceLimitMs} ms (phase ${this.phaseName})`);
    return false;
  }

  onLinkDown(sid: ServerId): void {
    if (sid === this.config.leaderId) this.stop(`connection to leader ${sid} lost`);
  }

  onMetaSaved(key: EpochKey, epoch: number): void {
    if (this.phaseName === 'stopped' || epoch !== this.newEpoch) return;
    if (key === 'acceptedEpoch' && this.phaseName === 'persistAcceptedEpoch') this.sendAckEpoch(this.ackEpochValue);
    if (key === 'currentEpoch' && this.phaseName === 'newLeaderPending') {
      this.currentEpochSaved = true;
      this.tryAckNewLeader();
    }
  }

  /** A log append of this txn is durable (txns become durable in zxid order). */
  onLogDurable(zxid: Zxid): void {
    if (this.phaseName === 'stopped') return;
    this.logsInFlight = Math.max(0, this.logsInFlight - 1);
    if (this.phaseName === 'newLeaderPending') this.tryAckNewLeader();
    else if (this.mayAck()) this.sendOwedAcks(zxid);
  }

  onMessage(from: ServerId, packet: QuorumPacket): void {
    if (this.phaseName === 'stopped' || from !== this.config.leaderId) return;
    if (this.phaseName === 'connecting' || this.phaseName === 'persistAcceptedEpoch') {
      // Only LEADERINFO opens the conversation; anything else is left over from before.
      if (packet.kind === 'leaderInfo' && this.phaseName === 'connecting') this.leaderInfo(zxidEpoch(packet.zxid));
      return;
    }
    this.heard();
    if (this.phaseName === 'awaitingSyncMode') this.syncMode(packet);
    else this.streamPacket(packet);
  }

  /** A client write, a session revalidation or a sync for the leader (only while serving). */
  forward(packet: RequestPacket | RevalidatePacket | { kind: 'sync'; zxid: Zxid }): boolean {
    if (this.phaseName !== 'serving') return false;
    this.host.send(this.config.leaderId, packet);
    return true;
  }

  // ---- discovery ----

  private sendLearnerInfo(): void {
    this.host.send(this.config.leaderId, {
      kind: this.config.observer ? 'observerInfo' : 'followerInfo',
      zxid: makeZxid(this.host.acceptedEpoch(), 0),
      sid: this.config.myId,
      protocolVersion: 0x10000,
      configVersion: this.config.configVersion ?? 0n,
    });
  }

  private leaderInfo(epoch: number): void {
    this.heard();
    const accepted = this.host.acceptedEpoch();
    this.newEpoch = epoch;
    if (epoch > accepted) {
      this.ackEpochValue = this.host.currentEpoch();
      this.phaseName = 'persistAcceptedEpoch';
      this.host.saveEpoch('acceptedEpoch', epoch);
    } else if (epoch === accepted) {
      // Already acked this epoch once: say so with -1, so the leader does not count us twice.
      this.sendAckEpoch(-1);
    } else {
      this.stop(`Leaders epoch, ${epoch} is less than accepted epoch, ${accepted}`);
    }
  }

  private sendAckEpoch(currentEpoch: number): void {
    this.phaseName = 'awaitingSyncMode';
    this.host.send(this.config.leaderId, { kind: 'ackEpoch', zxid: this.host.ackEpochZxid(), currentEpoch });
  }

  // ---- synchronization ----

  private syncMode(packet: QuorumPacket): void {
    switch (packet.kind) {
      case 'diff':
        break;
      case 'trunc':
        if (this.faults.unsafeSkipTruncate === true) break;
        if (!this.host.truncate(packet.zxid)) {
          this.stop(`cannot truncate the log to ${hex(packet.zxid)}`);
          return;
        }
        break;
      case 'snap':
        this.snap(packet);
        break;
      case 'ping':
        return;
      case 'leaderInfo':
        // The leader repeats LEADERINFO to a learner that repeated FOLLOWERINFO: nothing new.
        if (zxidEpoch(packet.zxid) === this.newEpoch) return;
        this.stop(`LEADERINFO for epoch ${zxidEpoch(packet.zxid)} while syncing in epoch ${this.newEpoch}`);
        return;
      default:
        this.stop(`expected DIFF, TRUNC or SNAP from the leader, got ${packet.kind}`);
        return;
    }
    this.lastQueuedZxid = this.host.lastLoggedZxid();
    this.phaseName = 'syncing';
  }

  private snap(packet: SnapPacket): void {
    this.host.loadSnapshot(packet.zxid, packet.snapshot);
  }

  private streamPacket(packet: QuorumPacket): void {
    switch (packet.kind) {
      case 'proposal':
        this.proposal(packet.zxid, packet.txn);
        return;
      case 'commit':
        this.commit(packet.zxid);
        return;
      case 'inform':
        this.inform(packet.zxid, packet.txn);
        return;
      case 'newLeader':
        this.newLeader(packet.zxid);
        return;
      case 'upToDate':
        this.upToDate();
        return;
      case 'ping':
        if (this.phaseName === 'serving') {
          this.host.send(this.config.leaderId, { kind: 'ping', zxid: packet.zxid, sessions: this.host.takeTouchedSessions() });
        }
        return;
      case 'revalidateReply':
        this.host.revalidated(packet.sessionId, packet.valid);
        return;
      case 'sync':
        if (this.phaseName === 'serving') this.host.synced();
        return;
      case 'leaderInfo':
        if (zxidEpoch(packet.zxid) === this.newEpoch) return; // a repeat, see syncMode
        this.stop(`LEADERINFO for epoch ${zxidEpoch(packet.zxid)} while following in epoch ${this.newEpoch}`);
        return;
      default:
        this.host.trace({ type: 'msg.dropped', from: this.config.leaderId, reason: `unexpected ${packet.kind} in phase ${this.phaseName}` });
    }
  }

  private newLeader(zxid: Zxid): void {
    if (this.phaseName !== 'syncing' || zxidEpoch(zxid) !== this.newEpoch) {
      this.stop(`unexpected NEWLEADER ${hex(zxid)} in phase ${this.phaseName}`);
      return;
    }
    this.phaseName = 'newLeaderPending';
    if (this.faults.unsafeSkipCurrentEpochPersist === true) {
      this.currentEpochSaved = true;
    } else {
      // The host issues every txn logged so far (the DIFF, the proposals) before this write, so
      // the disk never holds the new epoch without them (Replica.saveEpoch).
      this.host.saveEpoch('currentEpoch', this.newEpoch);
    }
    this.tryAckNewLeader();
  }

  /** NEWLEADER is ACKed once currentEpoch and every txn received so far are durable. */
  private tryAckNewLeader(): void {
    const logsDurable = this.logsInFlight === 0 || this.faults.unsafeAckBeforeDurable === true;
    if (!this.currentEpochSaved || !logsDurable) return;
    this.phaseName = 'awaitingUpToDate';
    this.host.send(this.config.leaderId, { kind: 'ack', zxid: makeZxid(this.newEpoch, 0) });
    this.sendOwedAcks(this.faults.unsafeAckBeforeDurable === true ? this.lastQueuedZxid : this.durableUpTo());
  }

  private upToDate(): void {
    if (this.phaseName !== 'awaitingUpToDate') {
      this.stop(`unexpected UPTODATE in phase ${this.phaseName}`);
      return;
    }
    this.phaseName = 'serving';
    this.heard();
    for (const p of this.committedDuringSync.splice(0)) this.applyCommitted(p.txn, p.bytes);
    this.host.established();
  }

  // ---- the txn stream ----

  private proposal(zxid: Zxid, bytes: Uint8Array): void {
    const txn = this.decode(zxid, bytes);
    if (txn === null) return;
    if (this.pending.length >= MAX_PENDING_PROPOSALS) {
      this.stop('too many uncommitted proposals');
      return;
    }
    this.pending.push({ txn, bytes });
    this.logTxn(txn, bytes);
    if (this.config.observer) return;
    this.owedAcks.push(zxid);
    if (this.faults.unsafeAckBeforeDurable === true && this.mayAck()) this.sendOwedAcks(zxid);
  }

  private commit(zxid: Zxid): void {
    const head = this.pending[0];
    if (head === undefined || head.txn.header.zxid !== zxid) {
      const next = head === undefined ? 'none' : hex(head.txn.header.zxid);
      this.stop(`Committing zxid ${hex(zxid)} but next pending txn ${next}`);
      return;
    }
    this.pending.shift();
    this.committed(head);
  }

  /** Observers: the leader sends committed txns whole. */
  private inform(zxid: Zxid, bytes: Uint8Array): void {
    const txn = this.decode(zxid, bytes);
    if (txn === null) return;
    this.logTxn(txn, bytes);
    this.committed({ txn, bytes });
  }

  private committed(p: PendingProposal): void {
    if (this.phaseName === 'serving') {
      this.applyCommitted(p.txn, p.bytes);
      return;
    }
    const owed = this.owedAcks.indexOf(p.txn.header.zxid);
    if (owed >= 0) this.owedAcks.splice(owed, 1);
    if (this.committedDuringSync.length >= MAX_PENDING_PROPOSALS) {
      this.stop('too many txns synced before UPTODATE');
      return;
    }
    this.committedDuringSync.push(p);
  }

  private applyCommitted(txn: Txn, bytes: Uint8Array): void {
    const zxid = txn.header.zxid;
    const owed = this.owedAcks.indexOf(zxid);
    if (owed >= 0) this.owedAcks.splice(owed, 1);
    this.host.committedLog.add({ zxid, bytes });
    this.host.commit(txn, bytes);
  }

  private decode(zxid: Zxid, bytes: Uint8Array): Txn | null {
    let txn: Txn;
    try {
      txn = decodeTxn(bytes);
    } catch (error) {
      this.stop(`undecodable txn ${hex(zxid)}: ${String(error)}`);
      return null;
    }
    if (txn.header.zxid !== zxid || zxid <= this.lastQueuedZxid) {
      this.stop(`txn ${hex(txn.header.zxid)} out of order (packet ${hex(zxid)}, last ${hex(this.lastQueuedZxid)})`);
      return null;
    }
    return txn;
  }

  private logTxn(txn: Txn, bytes: Uint8Array): void {
    this.lastQueuedZxid = txn.header.zxid;
    this.logsInFlight++;
    this.host.log(txn, bytes);
  }

  private mayAck(): boolean {
    return !this.config.observer && (this.phaseName === 'awaitingUpToDate' || this.phaseName === 'serving');
  }

  /** The newest zxid known durable: everything before the oldest log still in flight. */
  private durableUpTo(): Zxid {
    return this.logsInFlight === 0 ? this.lastQueuedZxid : -1n;
  }

  private sendOwedAcks(upTo: Zxid): void {
    while (this.owedAcks.length > 0 && (this.owedAcks[0] as Zxid) <= upTo) {
      const zxid = this.owedAcks.shift() as Zxid;
      this.host.send(this.config.leaderId, { kind: 'ack', zxid });
    }
  }

  private heard(): void {
    const limitTicks = this.phaseName === 'serving' ? this.config.timing.syncLimitTicks : this.config.timing.initLimitTicks;
    this.lastHeardMs = this.nowMs;
    this.silenceLimitMs = limitTicks * this.tickTimeMs;
  }

  private stop(reason: string): void {
    if (this.phaseName === 'stopped') return;
    this.phaseName = 'stopped';
    this.host.lost(reason);
  }
}
