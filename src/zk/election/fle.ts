// FastLeaderElection as a pure, deterministic state machine: inputs in, effects out, time as an
// input. Follows Apache FastLeaderElection.lookForLeader and its WorkerReceiver; the connection
// manager is the host's business (a notification to a down server is simply lost, and the retry
// with exponential backoff covers it).

import type { Millis, ServerId, Zxid } from '../types';
import {
  isWellFormedNotification,
  LONG_MIN_ZXID,
  NO_EPOCH,
  NO_SERVER,
  type DecidedState,
  type FleEffect,
  type FleInput,
  type FleNotification,
  type ServerState,
} from './fle-messages';
import type { QuorumVerifier } from './quorum';
import { voteBeats, type Vote } from './vote-order';

export * from './fle-messages';

export interface FleConfig {
  myId: ServerId;
  quorum: QuorumVerifier;
  /** Quiet time after a quorum agrees before deciding (Apache: finalizeWait = 200 ms). */
  finalizeWaitMs?: number;
  /** First notification retry interval (Apache default 200 ms). */
  minNotificationIntervalMs?: number;
  /** Cap of the doubling retry interval (Apache default 60 s). */
  maxNotificationIntervalMs?: number;
}

type Proposal = Pick<Vote, 'leader' | 'zxid' | 'peerEpoch'>;
/** A vote as remembered in recvset / outofelection: Apache Vote with its sender's state. */
type RecordedVote = FleNotification;

/** Guards the loopback drain: one input can only cause a handful of self-notifications. */
const MAX_LOOPBACK_PER_INPUT = 64;

export class FastLeaderElection {
  private readonly myId: ServerId;
  private readonly quorum: QuorumVerifier;
  private readonly finalizeWaitMs: number;
  private readonly minIntervalMs: number;
  private readonly maxIntervalMs: number;
  private readonly voterIds: readonly ServerId[];

  private started = false;
  private peerState: ServerState = 'LOOKING';
  private logicalclock = 0;
  private initVote: Proposal = { leader: NO_SERVER, zxid: LONG_MIN_ZXID, peerEpoch: NO_EPOCH };
  private proposed: Proposal = this.initVote;
  /** QuorumPeer.currentVote: the last decided vote (or the initial self vote before any). */
  private current: Vote = { leader: NO_SERVER, zxid: LONG_MIN_ZXID, peerEpoch: NO_EPOCH, electionEpoch: -1 };
  private recvset = new Map<ServerId, RecordedVote>();
  private outofelection = new Map<ServerId, RecordedVote>();
  private notTimeoutMs: number;
  private pollDeadlineMs: number | null = null;
  private finalizeDeadlineMs: number | null = null;
  private lastNowMs = -Infinity;
  private loopback: FleNotification[] = [];
  private effects: FleEffect[] = [];
  private malformed = 0;

  constructor(config: FleConfig) {
    this.myId = config.myId;
    this.quorum = config.quorum;
    this.finalizeWaitMs = nonNegative(config.finalizeWaitMs ?? 200, 'finalizeWaitMs');
    this.minIntervalMs = positive(config.minNotificationIntervalMs ?? 200, 'minNotificationIntervalMs');
    this.maxIntervalMs = positive(config.maxNotificationIntervalMs ?? 60_000, 'maxNotificationIntervalMs');
    if (this.maxIntervalMs < this.minIntervalMs) throw new Error('fle: maxNotificationIntervalMs < minNotificationIntervalMs');
    if (!this.quorum.isVoter(this.myId) && !this.quorum.observers.has(this.myId)) {
      throw new Error(`fle: server ${this.myId} is neither voter nor observer in the quorum config`);
    }
    this.voterIds = [...this.quorum.voters].sort((a, b) => a - b);
    this.notTimeoutMs = this.minIntervalMs;
  }

  get state(): ServerState {
    return this.peerState;
  }
  get logicalClock(): number {
    return this.logicalclock;
  }
  /** The vote this server currently proposes (meaningful while LOOKING). */
  get proposal(): Vote {
    return { ...this.proposed, electionEpoch: this.logicalclock };
  }
  /** The decided vote (QuorumPeer.getCurrentVote()). */
  get currentVote(): Vote {
    return { ...this.current };
  }
  /**
   * QuorumPeer.updateElectionVote (ZOOKEEPER-1732): once a leader or learner is established in a
   * new epoch, the vote it reports to LOOKING servers carries that epoch, so every member of the
   * ensemble reports the same (leader, peerEpoch) and a newcomer can find a quorum to join.
   */
  updateElectionVote(peerEpoch: number): void {
    if (!Number.isSafeInteger(peerEpoch)) throw new Error(`fle: bad peerEpoch ${peerEpoch}`);
    this.current = { ...this.current, peerEpoch };
  }
  /** Current notification retry interval (doubles on each silent timeout). */
  get notificationIntervalMs(): number {
    return this.notTimeoutMs;
  }
  /** Notifications dropped because they were malformed. */
  get malformedCount(): number {
    return this.malformed;
  }
  /** When the host should next send a tick, or null when no timer is running. */
  nextDeadlineMs(): Millis | null {
    if (this.peerState !== 'LOOKING' || !this.started) return null;
    return this.finalizeDeadlineMs ?? this.pollDeadlineMs;
  }

  handle(input: FleInput): FleEffect[] {
    if (!Number.isFinite(input.nowMs)) throw new Error(`fle: non-finite nowMs ${input.nowMs}`);
    if (input.nowMs < this.lastNowMs) throw new Error(`fle: time went backwards (${input.nowMs} < ${this.lastNowMs})`);
    this.lastNowMs = input.nowMs;
    this.effects = [];
    switch (input.type) {
      case 'start':
        this.start(input.nowMs, input.lastLoggedZxid, input.currentEpoch);
        break;
      case 'notification':
        if (isWellFormedNotification(input.notification) && Number.isSafeInteger(input.from)) {
          this.receive(input.nowMs, input.from, input.notification);
        } else {
          this.malformed++;
        }
        break;
      case 'tick':
        this.tick(input.nowMs);
        break;
    }
    this.drainLoopback(input.nowMs);
    const out = this.effects;
    this.effects = [];
    return out;
  }

  // ---- lookForLeader: start of a round ----

  private start(nowMs: number, lastLoggedZxid: Zxid, currentEpoch: number): void {
    if (typeof lastLoggedZxid !== 'bigint') throw new Error('fle: lastLoggedZxid must be a bigint');
    if (!Number.isSafeInteger(currentEpoch)) throw new Error(`fle: bad currentEpoch ${currentEpoch}`);
    const participant = this.quorum.isVoter(this.myId);
    if (!this.started) {
      this.current = { leader: this.myId, zxid: lastLoggedZxid, peerEpoch: currentEpoch, electionEpoch: -1 };
    }
    this.started = true;
    this.peerState = 'LOOKING';
    this.initVote = participant
      ? { leader: this.myId, zxid: lastLoggedZxid, peerEpoch: currentEpoch }
      : { leader: NO_SERVER, zxid: LONG_MIN_ZXID, peerEpoch: NO_EPOCH };
    this.logicalclock++;
    this.proposed = this.initVote;
    this.recvset = new Map();
    this.outofelection = new Map();
    this.loopback = [];
    this.notTimeoutMs = this.minIntervalMs;
    this.finalizeDeadlineMs = null;
    this.sendNotifications();
    this.pollDeadlineMs = nowMs + this.notTimeoutMs;
  }

  private tick(nowMs: number): void {
    if (!this.started || this.peerState !== 'LOOKING') return;
    if (this.finalizeDeadlineMs !== null) {
      if (nowMs >= this.finalizeDeadlineMs) this.decide(this.proposed, this.logicalclock);
      return;
    }
    if (this.pollDeadlineMs !== null && nowMs >= this.pollDeadlineMs) {
      // Nobody spoke for a whole interval: say it again, and wait twice as long next time.
      this.sendNotifications();
      this.notTimeoutMs = Math.min(this.notTimeoutMs * 2, this.maxIntervalMs);
      this.pollDeadlineMs = nowMs + this.notTimeoutMs;
    }
  }

  // ---- WorkerReceiver ----

  private receive(nowMs: number, from: ServerId, n: FleNotification): void {
    if (!this.started) return; // not listening yet; the sender will retry
    if (!this.quorum.isVoter(from)) {
      // Observers (and strangers) only learn: tell them what we believe.
      this.sendTo(from, { ...this.current, electionEpoch: this.logicalclock, state: this.peerState });
      return;
    }
    if (this.peerState === 'LOOKING') {
      if (n.state === 'LOOKING' && n.electionEpoch < this.logicalclock) {
        this.sendTo(from, { ...this.proposed, electionEpoch: this.logicalclock, state: 'LOOKING' });
      }
      this.pollNotification(nowMs, from, n);
    } else if (n.state === 'LOOKING') {
      // Already decided: point the looking server at our leader.
      this.sendTo(from, { ...this.current, state: this.peerState });
    }
  }

  // ---- lookForLeader: one notification taken off the receive queue ----

  private pollNotification(nowMs: number, from: ServerId, n: FleNotification): void {
    if (this.finalizeDeadlineMs !== null) {
      // finalizeWait drain: only a better vote interrupts; anything else is dropped, as in Apache.
      if (!voteBeats(n, this.proposed, this.quorum)) {
        this.finalizeDeadlineMs = nowMs + this.finalizeWaitMs;
        return;
      }
      this.finalizeDeadlineMs = null;
    }
    this.pollDeadlineMs = nowMs + this.notTimeoutMs;
    if (!this.quorum.isVoter(n.leader)) return;
    switch (n.state) {
      case 'LOOKING':
        this.lookingNotification(nowMs, from, n);
        return;
      case 'OBSERVING':
        return;
      case 'FOLLOWING':
      case 'LEADING':
        this.outOfElectionNotification(from, n);
        return;
    }
  }

  private lookingNotification(nowMs: number, from: ServerId, n: FleNotification): void {
    if (this.initVote.zxid === -1n || n.zxid === -1n) return;
    if (n.electionEpoch > this.logicalclock) {
      this.logicalclock = n.electionEpoch;
      this.recvset.clear();
      this.proposed = voteBeats(n, this.initVote, this.quorum) ? pick(n) : this.initVote;
      this.sendNotifications();
    } else if (n.electionEpoch < this.logicalclock) {
      return;
    } else if (voteBeats(n, this.proposed, this.quorum)) {
      this.proposed = pick(n);
      this.sendNotifications();
    }
    this.recvset.set(from, { ...pick(n), electionEpoch: n.electionEpoch, state: 'LOOKING' });
    const mine: RecordedVote = { ...this.proposed, electionEpoch: this.logicalclock, state: 'LOOKING' };
    if (this.hasQuorumFor(this.recvset, mine)) this.finalizeDeadlineMs = nowMs + this.finalizeWaitMs;
  }

  /** receivedFollowingNotification: join an established leader (LEADING takes the same path). */
  private outOfElectionNotification(from: ServerId, n: FleNotification): void {
    const vote: RecordedVote = { ...pick(n), electionEpoch: n.electionEpoch, state: n.state };
    if (n.electionEpoch === this.logicalclock) {
      this.recvset.set(from, vote);
      if (this.hasQuorumFor(this.recvset, vote) && this.checkLeader(this.recvset, n.leader, n.electionEpoch)) {
        this.decide(vote, n.electionEpoch);
        return;
      }
    }
    this.outofelection.set(from, vote);
    if (this.hasQuorumFor(this.outofelection, vote) && this.checkLeader(this.outofelection, n.leader, n.electionEpoch)) {
      this.logicalclock = n.electionEpoch;
      this.decide(vote, n.electionEpoch);
    }
  }

  /** termPredicate: do the voters that hold `vote` form a quorum? */
  private hasQuorumFor(votes: ReadonlyMap<ServerId, RecordedVote>, vote: RecordedVote): boolean {
    const acks: ServerId[] = [];
    for (const [sid, seen] of votes) if (sameVote(seen, vote)) acks.push(sid);
    return this.quorum.containsQuorum(acks);
  }

  /** A leader other than me must itself have said LEADING; me only in my own round. */
  private checkLeader(votes: ReadonlyMap<ServerId, RecordedVote>, leader: ServerId, electionEpoch: number): boolean {
    if (leader !== this.myId) return votes.get(leader)?.state === 'LEADING';
    return this.logicalclock === electionEpoch;
  }

  private decide(vote: Proposal, electionEpoch: number): void {
    const state: DecidedState =
      vote.leader === this.myId ? 'LEADING' : this.quorum.isVoter(this.myId) ? 'FOLLOWING' : 'OBSERVING';
    this.peerState = state;
    this.current = { ...pick(vote), electionEpoch };
    this.finalizeDeadlineMs = null;
    this.pollDeadlineMs = null;
    this.loopback = []; // leaveInstance clears the receive queue
    this.effects.push({ type: 'decided', state, vote: { ...this.current } });
  }

  // ---- sending ----

  private sendNotifications(): void {
    const n: FleNotification = { ...this.proposed, electionEpoch: this.logicalclock, state: 'LOOKING' };
    for (const sid of this.voterIds) this.sendTo(sid, n);
  }

  /** A notification to myself loops back without the network, as in QuorumCnxManager. */
  private sendTo(to: ServerId, n: FleNotification): void {
    if (to === this.myId) this.loopback.push({ ...n });
    else this.effects.push({ type: 'send', to, notification: { ...n } });
  }

  private drainLoopback(nowMs: number): void {
    for (let i = 0; this.loopback.length > 0; i++) {
      if (i >= MAX_LOOPBACK_PER_INPUT) throw new Error('fle: loopback notifications do not converge');
      this.receive(nowMs, this.myId, this.loopback.shift()!);
    }
  }
}

/** Apache Vote.equals (all servers speak the same protocol version here). */
function sameVote(a: RecordedVote, b: RecordedVote): boolean {
  if (a.state === 'LOOKING' || b.state === 'LOOKING') {
    return a.leader === b.leader && a.zxid === b.zxid && a.electionEpoch === b.electionEpoch && a.peerEpoch === b.peerEpoch;
  }
  // Out of election only leader and epoch must agree (ZOOKEEPER-1805).
  return a.leader === b.leader && a.peerEpoch === b.peerEpoch;
}

function pick(v: Proposal): Proposal {
  return { leader: v.leader, zxid: v.zxid, peerEpoch: v.peerEpoch };
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`fle: ${name} must be positive, got ${value}`);
  return value;
}

function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) throw new Error(`fle: ${name} must be >= 0, got ${value}`);
  return value;
}
