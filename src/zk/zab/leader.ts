// The ZAB leader as a pure state machine (Apache Leader.lead + one LearnerHandler per learner, no
// threads). Phases: discovery (a quorum of FOLLOWERINFO, new epoch = max acceptedEpoch + 1,
// persisted before LEADERINFO goes out) -> epochAck (a quorum of ACKEPOCH, then currentEpoch is
// persisted) -> newLeader (each learner synced with DIFF/TRUNC/SNAP, then NEWLEADER; a quorum of
// NEWLEADER ACKs, the leader's own only once its currentEpoch is durable) -> broadcast (PROPOSAL,
// ACK, COMMIT in zxid order, INFORM to observers, PING every tick). Late learners take the same
// path one by one. Any failure calls host.lost and the machine stops.
import { ZAB_PROTOCOL_VERSION, type QuorumPacket, type TxnPacket } from '../../jute/quorum-messages';
import type { QuorumVerifier } from '../election/quorum';
import type { Txn } from '../txn';
import { hex, makeZxid, zxidCounter, zxidEpoch, type ServerId, type Zxid } from '../types';
import { ProposalTracker, type Proposal } from './proposals';
import { planSync, type TxnLogView } from './sync-plan';
import { validateTiming, type EpochKey, type ZabFaults, type ZabHost, type ZabTiming } from './zab-host';
import { LearnerHandlers, type LearnerHandler } from './learner-handlers';

export type LeaderPhase = 'discovery' | 'persistAcceptedEpoch' | 'epochAck' | 'newLeader' | 'broadcast' | 'stopped';

export interface LeaderConfig {
  myId: ServerId;
  quorum: QuorumVerifier;
  timing: ZabTiming;
  /** The quorum config text NEWLEADER carries. */
  configBytes: Uint8Array;
  faults?: ZabFaults;
  /** Testing hook (Apache forceSnapSync): every learner gets a SNAP. */
  forceSnapSync?: boolean;
  /** ms per tick: learners' silence limits are exact in ms (see LearnerHandlers). Default 1: ticks. */
  tickTimeMs?: number;
}

export class Leader {
  private phaseName: LeaderPhase = 'discovery';
  private tick = 0;
  /** The host's clock (ms), from start/onTick/onClock. */
  private nowMs = 0;
  private phaseDeadlineTick = 0;
  private newEpoch = -1;
  private maxAcceptedEpoch: number;
  private readonly connecting = new Set<ServerId>();
  private readonly epochAcks = new Set<ServerId>();
  private readonly newLeaderAcks = new Set<ServerId>();
  private readonly leaderSummary: { currentEpoch: number; lastZxid: Zxid };
  private proposals: ProposalTracker;
  private readonly handlers: LearnerHandlers;
  private readonly faults: ZabFaults;
  /** SYNC requests waiting for the proposal they must follow: [zxid, learner]. */
  private readonly pendingSyncs: Array<[Zxid, ServerId]> = [];

  constructor(
    private readonly host: ZabHost,
    private readonly config: LeaderConfig,
  ) {
    validateTiming(config.timing);
    this.faults = config.faults ?? {};
    this.maxAcceptedEpoch = host.acceptedEpoch();
    this.leaderSummary = { currentEpoch: host.currentEpoch(), lastZxid: host.lastLoggedZxid() };
    this.proposals = new ProposalTracker(host.lastLoggedZxid());
    this.handlers = new LearnerHandlers(config.timing, config.tickTimeMs ?? 1);
  }

  // ---- views ----

  get phase(): LeaderPhase {
    return this.phaseName;
  }
  /** The epoch this leader leads (-1 until decided). */
  get epoch(): number {
    return this.newEpoch;
  }
  get newLeaderZxid(): Zxid {
    return makeZxid(Math.max(this.newEpoch, 0), 0);
  }
  get lastProposedZxid(): Zxid {
    return this.proposals.lastProposed;
  }
  get outstandingProposals(): number {
    return this.proposals.size;
  }
  get pendingSyncCount(): number {
    return this.pendingSyncs.length;
  }
  learners(): readonly LearnerHandler[] {
    return this.handlers.all();
  }
  /** Voters (self included) heard from within their deadline: what keeps this leader up. */
  syncedVoters(): ServerId[] {
    const out = [this.config.myId];
    for (const h of this.handlers.all()) if (!h.observer && this.nowMs <= h.deadlineMs) out.push(h.sid);
    return out;
  }

  /** When a learner's silence would next change something (ms), for the host's next wake-up. */
  get deadlineMs(): number | null {
    return this.phaseName === 'stopped' ? null : this.handlers.nextDeadlineMs();
  }

  // ---- inputs ----

  start(tick: number, nowMs: number = tick * (this.config.tickTimeMs ?? 1)): void {
    this.tick = tick;
    this.nowMs = nowMs;
    this.phaseDeadlineTick = tick + this.config.timing.initLimitTicks;
    this.connecting.add(this.config.myId);
    this.checkEpochQuorum();
  }

  onTick(tick: number, nowMs: number = tick * (this.config.tickTimeMs ?? 1)): void {
    if (this.phaseName === 'stopped') return;
    this.tick = tick;
    if (!this.checkLearnerSilence(nowMs)) return;
    if (this.phaseName !== 'broadcast') {
      if (tick > this.phaseDeadlineTick) this.stop(`timeout in phase ${this.phaseName} after initLimit`);
      return;
    }
    for (const h of this.handlers.all()) {
      if (h.phase !== 'awaitingEpoch' && h.phase !== 'awaitingAckEpoch') this.send(h.sid, { kind: 'ping', zxid: this.proposals.lastProposed, sessions: [] });
    }
  }

  /** The host's clock moved (between ticks too): learners' silence is checked to the ms. */
  onClock(nowMs: number): void {
    if (this.phaseName === 'stopped') return;
    this.checkLearnerSilence(nowMs);
  }

  /**
   * Drops learners silent past their deadline; while broadcasting, steps down at once when the
   * rest is no quorum (Apache checks each half tick; the exact moment keeps a deposed leader from
   * proposing any longer than its followers keep following). False when it stepped down.
   */
  private checkLearnerSilence(nowMs: number): boolean {
    if (nowMs > this.nowMs) this.nowMs = nowMs;
    for (const h of this.handlers.expired(this.nowMs)) {
      this.host.trace({ type: 'msg.dropped', from: h.sid, reason: `learner ${h.sid} silent past its deadline` });
      this.handlers.remove(h.sid);
    }
    if (this.phaseName !== 'broadcast') return true;
    const synced = this.syncedVoters();
    if (this.config.quorum.containsQuorum(synced)) return true;
    this.stop(`Not sufficient followers synced, only synced with sids: [ ${synced.join(',')} ]`);
    return false;
  }

  onLinkDown(sid: ServerId): void {
    if (this.handlers.get(sid) !== undefined) this.handlers.remove(sid);
  }

  onMetaSaved(key: EpochKey, epoch: number): void {
    if (this.phaseName === 'stopped' || epoch !== this.newEpoch) return;
    if (key === 'acceptedEpoch' && this.phaseName === 'persistAcceptedEpoch') this.epochPersisted();
    else if (key === 'currentEpoch' && this.phaseName === 'newLeader') this.newLeaderAck(this.config.myId);
  }

  /** The leader's own log is durable up to this txn: its own ACK. */
  onLogDurable(zxid: Zxid): void {
    if (this.phaseName !== 'broadcast' || this.faults.unsafeAckBeforeDurable === true) return;
    this.processAck(this.config.myId, zxid);
  }

  onMessage(from: ServerId, packet: QuorumPacket): void {
    if (this.phaseName === 'stopped') return;
    if (packet.kind === 'followerInfo' || packet.kind === 'observerInfo') {
      this.learnerInfo(from, packet.kind === 'observerInfo', zxidEpoch(packet.zxid));
      return;
    }
    const h = this.handlers.get(from);
    if (h === undefined) return; // not connected in this leadership: a stale packet
    this.handlers.heard(h, this.nowMs);
    this.learnerPacket(h, packet);
  }

  /** A prepped txn (zxid assigned by the host) goes to the log and to the followers. */
  propose(txn: Txn, bytes: Uint8Array): void {
    if (this.phaseName !== 'broadcast') throw new Error(`leader: propose in phase ${this.phaseName}`);
    const zxid = txn.header.zxid;
    if (zxidEpoch(zxid) !== this.newEpoch) throw new Error(`leader: proposal ${hex(zxid)} outside epoch ${this.newEpoch}`);
    this.proposals.add(txn, bytes);
    this.host.log(txn, bytes);
    const packet: TxnPacket = { kind: 'proposal', zxid, txn: bytes };
    for (const h of this.handlers.forwardingFollowers()) this.send(h.sid, packet);
    if (this.faults.unsafeAckBeforeDurable === true) this.processAck(this.config.myId, zxid);
    if (zxidCounter(zxid) === 0xffffffff) {
      // Apache forces a new election before the counter wraps into the epoch bits.
      this.stop('zxid lower 32 bits have rolled over, forcing re-election');
    }
  }

  // ---- discovery ----

  private learnerInfo(sid: ServerId, observer: boolean, acceptedEpoch: number): void {
    const allowed = observer ? this.config.quorum.observers.has(sid) : this.config.quorum.isVoter(sid);
    if (!allowed || sid === this.config.myId) {
      this.host.trace({ type: 'msg.dropped', from: sid, reason: `learner ${sid} not in the configuration as ${observer ? 'observer' : 'participant'}` });
      return;
    }
    const h = this.handlers.register(sid, observer, acceptedEpoch, this.nowMs);
    if (this.phaseName === 'discovery') {
      this.maxAcceptedEpoch = Math.max(this.maxAcceptedEpoch, acceptedEpoch);
      if (!observer) this.connecting.add(sid);
      this.checkEpochQuorum();
    } else if (this.epochIsPersisted()) {
      this.sendLeaderInfo(h);
    }
  }

  private checkEpochQuorum(): void {
    if (this.phaseName !== 'discovery' || !this.config.quorum.containsQuorum(this.connecting)) return;
    this.newEpoch = this.maxAcceptedEpoch + 1;
    this.phaseName = 'persistAcceptedEpoch';
    this.host.saveEpoch('acceptedEpoch', this.newEpoch);
  }

  private epochIsPersisted(): boolean {
    return this.phaseName !== 'discovery' && this.phaseName !== 'persistAcceptedEpoch';
  }

  private epochPersisted(): void {
    this.phaseName = 'epochAck';
    this.phaseDeadlineTick = this.tick + this.config.timing.initLimitTicks;
    for (const h of this.handlers.all()) if (h.phase === 'awaitingEpoch') this.sendLeaderInfo(h);
    this.epochAcks.add(this.config.myId);
    this.checkEpochAckQuorum();
  }

  private sendLeaderInfo(h: LearnerHandler): void {
    h.phase = 'awaitingAckEpoch';
    this.send(h.sid, { kind: 'leaderInfo', zxid: this.newLeaderZxid, protocolVersion: ZAB_PROTOCOL_VERSION });
  }

  private ackEpoch(h: LearnerHandler, lastZxid: Zxid, currentEpoch: number): void {
    if (h.phase !== 'awaitingAckEpoch') return;
    h.peerLastZxid = lastZxid;
    h.phase = 'awaitingEpochQuorum';
    if (this.phaseName !== 'epochAck') {
      if (this.phaseName === 'newLeader' || this.phaseName === 'broadcast') this.syncLearner(h);
      return;
    }
    if (currentEpoch !== -1) {
      const s = this.leaderSummary;
      if (currentEpoch > s.currentEpoch || (currentEpoch === s.currentEpoch && lastZxid > s.lastZxid)) {
        this.stop(`Follower ${h.sid} is ahead of the leader: (${currentEpoch}, ${hex(lastZxid)}) > (${s.currentEpoch}, ${hex(s.lastZxid)})`);
        return;
      }
      if (!h.observer) this.epochAcks.add(h.sid);
    }
    this.checkEpochAckQuorum();
  }

  private checkEpochAckQuorum(): void {
    if (this.phaseName !== 'epochAck' || !this.config.quorum.containsQuorum(this.epochAcks)) return;
    this.phaseName = 'newLeader';
    this.phaseDeadlineTick = this.tick + this.config.timing.initLimitTicks;
    this.host.saveEpoch('currentEpoch', this.newEpoch);
    for (const h of this.handlers.all()) if (h.phase === 'awaitingEpochQuorum') this.syncLearner(h);
  }

  // ---- synchronization ----

  /** syncFollower + startForwarding + NEWLEADER for one learner. */
  private syncLearner(h: LearnerHandler): void {
    const peerLastZxid = h.peerLastZxid ?? 0n;
    const plan = planSync({
      peerLastZxid,
      log: this.host.committedLog.view(),
      lastProcessedZxid: this.host.lastProcessedZxid(),
      forceSnap: this.config.forceSnapSync === true,
      ...this.txnLogFor(peerLastZxid),
    });
    let currentZxid = plan.currentZxid;
    if (plan.mode === 'SNAP') {
      const snapshot = this.host.snapshot();
      currentZxid = snapshot.zxid;
      this.send(h.sid, { kind: 'snap', zxid: snapshot.zxid, snapshot: snapshot.bytes });
    } else {
      this.send(h.sid, { kind: plan.mode === 'DIFF' ? 'diff' : 'trunc', zxid: plan.markerZxid });
    }
    for (const entry of plan.txns) {
      this.send(h.sid, { kind: 'proposal', zxid: entry.zxid, txn: entry.bytes });
      this.send(h.sid, { kind: 'commit', zxid: entry.zxid });
    }
    this.host.trace({ type: 'sync.mode', learner: h.sid, mode: plan.mode, fromZxid: peerLastZxid, toZxid: currentZxid, ...(plan.source === null ? {} : { source: plan.source }) });
    this.startForwarding(h, currentZxid);
    this.send(h.sid, { kind: 'newLeader', zxid: this.newLeaderZxid, config: this.config.configBytes });
    h.phase = 'syncing';
  }

  /** The txn log only for a learner older than the committed log (copying it is not free). */
  private txnLogFor(peerLastZxid: Zxid): { txnLog?: TxnLogView } {
    const min = this.host.committedLog.minZxid ?? this.host.lastProcessedZxid();
    if (peerLastZxid >= min || this.host.txnLog === undefined) return {};
    return { txnLog: this.host.txnLog() };
  }

  private startForwarding(h: LearnerHandler, lastSeenZxid: Zxid): void {
    for (const entry of this.host.committedLog.after(lastSeenZxid)) {
      this.send(h.sid, { kind: 'proposal', zxid: entry.zxid, txn: entry.bytes });
      this.send(h.sid, { kind: 'commit', zxid: entry.zxid });
      lastSeenZxid = entry.zxid;
    }
    if (!h.observer) {
      for (const p of this.proposals.after(lastSeenZxid)) this.send(h.sid, { kind: 'proposal', zxid: p.txn.header.zxid, txn: p.bytes });
    }
    h.forwarding = true;
  }

  private newLeaderAck(sid: ServerId): void {
    if (this.config.quorum.isVoter(sid)) this.newLeaderAcks.add(sid);
    if (this.phaseName !== 'newLeader' || !this.newLeaderAcks.has(this.config.myId)) return;
    if (!this.config.quorum.containsQuorum(this.newLeaderAcks)) return;
    this.phaseName = 'broadcast';
    this.proposals = new ProposalTracker(this.newLeaderZxid);
    this.host.established();
    for (const h of this.handlers.all()) if (h.phase === 'awaitingUpToDate') this.upToDate(h);
  }

  private upToDate(h: LearnerHandler): void {
    h.phase = 'serving';
    this.handlers.heard(h, this.nowMs);
    this.send(h.sid, { kind: 'upToDate', zxid: -1n });
  }

  // ---- packets from connected learners ----

  private learnerPacket(h: LearnerHandler, packet: QuorumPacket): void {
    switch (packet.kind) {
      case 'ackEpoch':
        this.ackEpoch(h, packet.zxid, packet.currentEpoch);
        return;
      case 'ack':
        if (h.phase === 'syncing' && packet.zxid === this.newLeaderZxid) {
          h.phase = 'awaitingUpToDate';
          this.newLeaderAck(h.sid);
          if (this.phaseName === 'broadcast' && h.phase === 'awaitingUpToDate') this.upToDate(h);
        } else if (!h.observer) {
          this.processAck(h.sid, packet.zxid);
        }
        return;
      case 'ping':
        this.host.touchSessions(h.sid, packet.sessions);
        return;
      case 'request':
        if (this.phaseName === 'broadcast' && h.phase === 'serving') this.host.forwardedRequest(h.sid, packet);
        return;
      case 'revalidate': {
        const valid = this.host.revalidateSession(h.sid, packet);
        this.send(h.sid, { kind: 'revalidateReply', zxid: packet.zxid, sessionId: packet.sessionId, valid });
        return;
      }
      case 'sync':
        this.processSync(h.sid);
        return;
      default:
        this.host.trace({ type: 'msg.dropped', from: h.sid, reason: `unexpected ${packet.kind} from learner` });
    }
  }

  /** Leader.processSync: answer once everything proposed so far has committed. */
  private processSync(sid: ServerId): void {
    if (this.proposals.size === 0) this.send(sid, { kind: 'sync', zxid: this.proposals.lastProposed });
    else this.pendingSyncs.push([this.proposals.lastProposed, sid]);
  }

  // ---- broadcast ----

  private processAck(sid: ServerId, zxid: Zxid): void {
    if (!this.proposals.ack(sid, zxid, this.config.quorum)) return;
    this.host.trace({ type: 'ack', zxid, from: sid });
    const unsafe = this.faults.unsafeCommitWithoutQuorum === true;
    const committable = this.proposals.takeCommittable((p) =>
      unsafe ? p.acks.has(this.config.myId) : this.config.quorum.containsQuorum(p.acks),
    );
    for (const p of committable) this.commit(p);
  }

  private commit(p: Proposal): void {
    const zxid = p.txn.header.zxid;
    this.host.committedLog.add({ zxid, bytes: p.bytes });
    for (const h of this.handlers.all()) {
      if (!h.forwarding) continue;
      if (h.observer) this.send(h.sid, { kind: 'inform', zxid, txn: p.bytes });
      else this.send(h.sid, { kind: 'commit', zxid });
    }
    this.host.trace({ type: 'commit', zxid });
    this.host.commit(p.txn, p.bytes);
    while (this.pendingSyncs.length > 0 && (this.pendingSyncs[0] as [Zxid, ServerId])[0] <= zxid) {
      const [, sid] = this.pendingSyncs.shift() as [Zxid, ServerId];
      this.send(sid, { kind: 'sync', zxid });
    }
  }

  private send(to: ServerId, packet: QuorumPacket): void {
    this.host.send(to, packet);
  }

  private stop(reason: string): void {
    if (this.phaseName === 'stopped') return;
    this.phaseName = 'stopped';
    this.host.lost(reason);
  }
}
