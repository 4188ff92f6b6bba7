// Zxids strictly increase per server, within one life of the process: the txns it prepares (or
// proposes), the log ranges it appends (until it truncates its log) and the txns it commits (which
// also start above what it recovered).
import type { ServerEffect } from '../../zk/server-api';
import type { TraceEvent } from '../../zk/trace';
import type { ServerId, Zxid } from '../../zk/types';
import { hexZxid, type ViolationLog } from './violation';

interface Last {
  txn: Zxid;
  logged: Zxid;
  committed: Zxid;
}

const NAME = 'zxid-order';

export class ZxidOrder {
  private readonly last = new Map<ServerId, Last>();

  constructor(
    private readonly violations: ViolationLog,
    private readonly commitEvent: 'applied' | 'commit',
  ) {}

  onLifecycle(serverId: ServerId): void {
    this.last.set(serverId, { txn: -1n, logged: -1n, committed: -1n });
  }

  onEffect(serverId: ServerId, effect: ServerEffect): void {
    const loose = effect as unknown as { kind: string; zxid?: Zxid };
    if ((loose.kind === 'storage.truncate' || loose.kind === 'storage.truncateAfter') && loose.zxid !== undefined) {
      const last = this.of(serverId);
      if (last.logged > loose.zxid) last.logged = loose.zxid;
    }
  }

  onTrace(event: TraceEvent): void {
    const last = this.of(event.server);
    switch (event.type) {
      case 'recovered':
        last.committed = event.zxid;
        last.logged = event.zxid;
        last.txn = event.zxid;
        return;
      case 'txn':
      case 'proposal':
        this.expectAbove(event, 'prepared', event.zxid, last.txn);
        last.txn = event.zxid;
        return;
      case 'log.append':
        this.expectAbove(event, 'logged', event.fromZxid, last.logged);
        if (event.toZxid < event.fromZxid) this.violations.add(NAME, event.atMs, `s${event.server} logged a backwards range ${hexZxid(event.fromZxid)}..${hexZxid(event.toZxid)}`);
        last.logged = event.toZxid;
        return;
      case 'sync.mode': {
        // The leader says how the learner syncs: it may be truncated or replaced by a snapshot.
        const learner = this.of(event.learner);
        learner.logged = -1n;
        learner.committed = -1n;
        return;
      }
      default:
        if (event.type === this.commitEvent) {
          const zxid = (event as { zxid: Zxid }).zxid;
          this.expectAbove(event, 'committed', zxid, last.committed);
          last.committed = zxid;
        }
    }
  }

  private expectAbove(event: TraceEvent, what: string, zxid: Zxid, previous: Zxid): void {
    if (zxid > previous) return;
    this.violations.add(NAME, event.atMs, `s${event.server} ${what} ${hexZxid(zxid)} after ${hexZxid(previous)}: zxids must strictly increase`);
  }

  private of(serverId: ServerId): Last {
    let last = this.last.get(serverId);
    if (last === undefined) {
      last = { txn: -1n, logged: -1n, committed: -1n };
      this.last.set(serverId, last);
    }
    return last;
  }
}
