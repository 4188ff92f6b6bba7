// The tab's own client session: a real ZooKeeper client connected to the tab's server over a
// MessagePort (simulate mode: any of the tab's servers; multi-tab mode: any server of the cluster,
// the other tabs' through client tunnels, see src/ui/tabs-connector.ts for its connect string).
// The tree mirror and the inspector read through it. An expired session is replaced
// by a new one, and `onSession` runs again so readers re-register their watches.
import type { Connector } from '../net/byte-stream';
import type { ZooKeeperApi } from '../client/api';
import { ZooKeeper } from '../client/zookeeper';
import type { SpinDelayOptions } from '../client/session-timing';
import { KeeperState } from '../zk/types';
import { reportError, type AppStore } from './store';

export const PAGE_SESSION_TIMEOUT_MS = 30_000;
/**
 * The app's sessions retry a full cycle of refusing servers after 50 ms, doubling up to Java's 1 s
 * (session-timing.ts SpinDelayOptions): the servers are workers and tabs of this browser, cheap to
 * ask, and after a failover they serve again within a few hundred ms, well before a fixed 1 s pause.
 */
export const APP_SPIN_DELAY: SpinDelayOptions = { initialMs: 50, maxMs: 1000 };

export class PageSession {
  private zk: ZooKeeper | null = null;
  private closed = false;

  constructor(
    private readonly store: AppStore,
    private readonly connector: Connector,
    private readonly address: string,
    private readonly onSession: (zk: ZooKeeperApi) => void,
  ) {}

  get client(): ZooKeeperApi | null {
    return this.zk;
  }

  open(): void {
    if (this.closed) return;
    const zk = new ZooKeeper(this.address, PAGE_SESSION_TIMEOUT_MS, null, { connector: this.connector, spinDelay: APP_SPIN_DELAY });
    this.zk = zk;
    zk.register((event) => {
      if (this.zk !== zk) return;
      this.publish(zk);
      if (event.state === KeeperState.SyncConnected && event.path === null) this.onSession(zk);
      if (event.state === KeeperState.Expired) {
        reportError(this.store, `page session ${hexId(zk.getSessionId())} expired; opening a new one`);
        this.open();
      }
    });
    this.publish(zk);
  }

  close(): void {
    this.closed = true;
    void this.zk?.close();
  }

  private publish(zk: ZooKeeper): void {
    this.store.setState({ session: { state: zk.getState(), sessionId: zk.getSessionId() } });
  }
}

function hexId(id: bigint): string {
  return '0x' + BigInt.asUintN(64, id).toString(16);
}
