// The leader's view of each connected learner (what Apache keeps in a LearnerHandler thread):
// where it is in the handshake, whether it receives the proposal stream, and the tick by which
// it must be heard from again (initLimit + syncLimit while syncing, syncLimit once serving).
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
  lastHeardTick: number;
  deadlineTick: number;
}

/** More learners than this is a misconfiguration, not an ensemble. */
const MAX_LEARNERS = 255;

export class LearnerHandlers {
  private readonly bySid = new Map<ServerId, LearnerHandler>();

  constructor(private readonly timing: ZabTiming) {}

  /**
   * FOLLOWERINFO/OBSERVERINFO. A learner still in the epoch handshake is the same connection
   * saying it again (learners repeat it until LEADERINFO arrives); one further along has
   * reconnected and starts over.
   */
  register(sid: ServerId, observer: boolean, acceptedEpoch: number, tick: number): LearnerHandler {
    const existing = this.bySid.get(sid);
    if (existing !== undefined && existing.observer === observer && isHandshaking(existing)) {
      existing.acceptedEpoch = acceptedEpoch;
      this.heard(existing, tick);
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
      lastHeardTick: tick,
      deadlineTick: tick,
    };
    this.heard(h, tick);
    this.bySid.set(sid, h);
    return h;
  }

  heard(h: LearnerHandler, tick: number): void {
    h.lastHeardTick = tick;
    const serving = h.phase === 'serving';
    h.deadlineTick = tick + (serving ? 0 : this.timing.initLimitTicks) + this.timing.syncLimitTicks;
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

  expired(tick: number): LearnerHandler[] {
    return this.all().filter((h) => tick > h.deadlineTick);
  }
}

function isHandshaking(h: LearnerHandler): boolean {
  return h.phase === 'awaitingEpoch' || h.phase === 'awaitingAckEpoch';
}
