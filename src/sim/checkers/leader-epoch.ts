// At most one established leader per epoch: two servers serving as leader of the same epoch is
// split brain. Established = the role reports serving (a leader after its NEWLEADER quorum), as
// the simulator polls it after every step. Also answers who leads now, for the liveness phase.
import type { ServerId } from '../../zk/types';
import type { SimRole } from '../server-factory';
import type { ViolationLog } from './violation';

const NAME = 'one-leader-per-epoch';

export class LeaderPerEpoch {
  private readonly leaderOfEpoch = new Map<number, ServerId>();
  readonly roles = new Map<ServerId, SimRole>();

  constructor(private readonly violations: ViolationLog) {}

  onLifecycle(serverId: ServerId): void {
    this.roles.delete(serverId);
  }

  onRole(serverId: ServerId, role: SimRole, atMs: number): void {
    this.roles.set(serverId, role);
    if (role.state !== 'LEADING' || !role.serving) return;
    const existing = this.leaderOfEpoch.get(role.epoch);
    if (existing !== undefined && existing !== serverId) {
      this.violations.add(NAME, atMs, `s${serverId} established leadership of epoch ${role.epoch}, which s${existing} already led`);
      return;
    }
    this.leaderOfEpoch.set(role.epoch, serverId);
  }

  /** Servers serving as leader now. */
  leaders(): ServerId[] {
    return [...this.roles].filter(([, role]) => role.state === 'LEADING' && role.serving).map(([id]) => id);
  }

  get epochsLed(): number {
    return this.leaderOfEpoch.size;
  }
}
