// ApiClientFactory backed by OUR client library (src/client) over TCP. Node-only.
import { ZooKeeper } from '../client/zookeeper';
import { tcpConnector } from '../client/node-tcp';
import { KeeperState, type SessionId } from '../zk/types';
import type { ApiClientFactory } from './api-scenarios';

const CONNECT_TIMEOUT_MS = 15_000;

export function ourClientFactory(connectString: string): ApiClientFactory {
  return (opts) =>
    new Promise((resolve, reject) => {
      let zk: ZooKeeper | undefined = undefined;
      const timer = setTimeout(() => {
        void zk?.close();
        reject(new Error(`our client: no session with ${connectString} within ${CONNECT_TIMEOUT_MS} ms`));
      }, CONNECT_TIMEOUT_MS);
      zk = new ZooKeeper(
        connectString + (opts.chroot ?? ''),
        opts.sessionTimeoutMs ?? 30_000,
        (e) => {
          if (e.state === KeeperState.SyncConnected && zk !== undefined && (zk.getSessionId() as SessionId) !== 0n) {
            clearTimeout(timer);
            resolve(zk);
          }
        },
        { connector: tcpConnector },
      );
    });
}
