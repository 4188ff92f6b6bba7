// At most one established leader per epoch: two servers announcing LEADING for the same epoch is
// split brain. Also tracks who currently claims which role, for the liveness phase.
import type { ServerStateName, TraceEvent } from '../../zk/trace';
import type { ServerId } from '../../zk/types';
import type { ViolationLog } from './violation';

const NAME = 'one-leader-per-epoch';

export class LeaderPerEpoch {
  private readonly leaderOfEpoch = new Map<number, ServerId>();
  readonly roles = new Map<ServerId, { state: ServerStateName; epoch: number }>();

  constructor(private readonly violations: ViolationLog) {}

  onLifecycle(serverId: ServerId): void {
    this.roles.delete(serverId);
  }

  onTrace(event: TraceEvent): void {
    if (event.type !== 'state') return;
    this.roles.set(event.server, { state: event.to, epoch: event.epoch });
    if (event.to !== 'LEADING') return;
    const existing = this.leaderOfEpoch.get(event.epoch);
    if (existing !== undefined && existing !== event.server) {
      this.violations.add(NAME, event.atMs, `s${event.server} leads epoch ${event.epoch}, which s${existing} already led`);
      return;
    }
    this.leaderOfEpoch.set(event.epoch, event.server);
  }

  /** Servers that claim LEADING now. */
  leaders(): ServerId[] {
    return [...this.roles].filter(([, role]) => role.state === 'LEADING').map(([id]) => id);
  }

  get epochsLed(): number {
    return this.leaderOfEpoch.size;
  }
}
