// The leader's view of each connected learner (what Apache keeps in a LearnerHandler thread):
// where it is in the handshake, whether it receives the proposal stream, and the tick by which
// it must be heard from again (initLimit + syncLimit while syncing, syncLimit once serving), in ms:
// a learner is dropped once silent for longer than that, to the ms (Apache's LearnerHandler socket
// SO_TIMEOUT), not at the next tick boundary.
import type { ServerId, Zxid } from '../types';
import type { ZabTiming } from './zab-host';

export type LearnerHandlerPhase =
  | 'awaitingEpoch'
  | 'awaitingAckEpoch'
  | 'awaitingEpochQuorum'
  | 'syncing'
  | 'awaitingUpToDate'
  | 'serving';

export interface LearnerHandler {
  readonly sid: ServerId;
  readonly observer: boolean;
  phase: LearnerHandlerPhase;
  acceptedEpoch: number;
  /** From ACKEPOCH: the learner's last logged zxid. */
  peerLastZxid: Zxid | null;
  /** Gets PROPOSAL/COMMIT (or INFORM) since its sync was queued (Leader.forwardingFollowers). */
  forwarding: boolean;
  lastHeardMs: number;
  /** Silent past this (ms), the learner is no longer synced and its handler goes. */
  deadlineMs: number;
}

/** More learners than this is a misconfiguration, not an ensemble. */
const MAX_LEARNERS = 255;

export class LearnerHandlers {
  private readonly bySid = new Map<ServerId, LearnerHandler>();

  constructor(
    private readonly timing: ZabTiming,
    /** ms per tick (1 when the caller counts time in ticks). */
    private readonly tickTimeMs = 1,
  ) {}

  /**
   * FOLLOWERINFO/OBSERVERINFO. A learner still in the epoch handshake is the same connection
   * saying it again (learners repeat it until LEADERINFO arrives); one further along has
   * reconnected and starts over.
   */
  register(sid: ServerId, observer: boolean, acceptedEpoch: number, nowMs: number): LearnerHandler {
    const existing = this.bySid.get(sid);
    if (existing !== undefined && existing.observer === observer && isHandshaking(existing)) {
      existing.acceptedEpoch = acceptedEpoch;
      this.heard(existing, nowMs);
      return existing;
    }
    if (existing === undefined && this.bySid.size >= MAX_LEARNERS) throw new Error('leader: too many learners');
    const h: LearnerHandler = {
      sid,
      observer,
      phase: 'awaitingEpoch',
      acceptedEpoch,
      peerLastZxid: null,
      forwarding: false,
      lastHeardMs: nowMs,
      deadlineMs: nowMs,
    };
    this.heard(h, nowMs);
    this.bySid.set(sid, h);
    return h;
  }

  heard(h: LearnerHandler, nowMs: number): void {
    h.lastHeardMs = nowMs;
    const serving = h.phase === 'serving';
    const limitTicks = (serving ? 0 : this.timing.initLimitTicks) + this.timing.syncLimitTicks;
    h.deadlineMs = nowMs + limitTicks * this.tickTimeMs;
  }

  get(sid: ServerId): LearnerHandler | undefined {
    return this.bySid.get(sid);
  }

  remove(sid: ServerId): void {
    this.bySid.delete(sid);
  }

  all(): LearnerHandler[] {
    return [...this.bySid.values()];
  }

  forwardingFollowers(): LearnerHandler[] {
    return this.all().filter((h) => h.forwarding && !h.observer);
  }

  expired(nowMs: number): LearnerHandler[] {
    return this.all().filter((h) => nowMs > h.deadlineMs);
  }

  /** The earliest handler deadline (ms), for the host's next wake-up; null with no learner. */
  nextDeadlineMs(): number | null {
    let next: number | null = null;
    for (const h of this.bySid.values()) if (next === null || h.deadlineMs < next) next = h.deadlineMs;
    return next;
  }
}

function isHandshaking(h: LearnerHandler): boolean {
  return h.phase === 'awaitingEpoch' || h.phase === 'awaitingAckEpoch';
}
