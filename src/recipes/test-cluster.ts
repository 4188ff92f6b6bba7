// Test helper: recipe participants as separate client sessions of one real StandaloneServer
// (in-process, fake clock), with a spy on which paths each session watched.
import type { WatchArg, ZooKeeperApi } from '../client/api';
import { flush } from '../client/fake-zk-server';
import { InProcessHost } from '../client/in-process-host';
import { ZooKeeper } from '../client/zookeeper';
import type { ByteStream, Connector } from '../net/byte-stream';
import type { RecipeEvent } from './recipe-support';

const SESSION_TIMEOUT_MS = 10_000;

export interface WatchedCall {
  op: 'exists' | 'getData' | 'getChildren';
  path: string;
}

export interface TestSession {
  zk: ZooKeeper;
  /** The same client, recording every read that set a watch. */
  api: ZooKeeperApi;
  watched: WatchedCall[];
  /** Cuts this session off the server (its connection drops, reconnects are refused). */
  cut(): void;
}

export class RecipeTestCluster {
  readonly host = new InProcessHost();
  readonly events: RecipeEvent[] = [];
  readonly emit = (event: RecipeEvent): void => {
    this.events.push(event);
  };

  async session(): Promise<TestSession> {
    let reachable = true;
    const open = new Set<ByteStream>();
    const connector: Connector = async (address) => {
      if (!reachable) throw new Error('connection refused');
      const stream = await this.host.connector(address);
      open.add(stream);
      stream.onClose(() => open.delete(stream));
      return stream;
    };
    const zk = new ZooKeeper('local:2181', SESSION_TIMEOUT_MS, null, { connector, timers: this.host.clock });
    await flush();
    if (zk.getState() !== 'CONNECTED') throw new Error(`session did not connect: ${zk.getState()}`);
    const watched: WatchedCall[] = [];
    const cut = () => {
      reachable = false;
      for (const stream of [...open]) stream.close();
    };
    return { zk, api: spyWatches(zk, watched), watched, cut };
  }

  /** Lets every in-flight request, reply and watch event run. */
  async settle(): Promise<void> {
    await flush();
    await flush();
  }

  /** Session expiry: the client is cut off and the server's clock passes the timeout. */
  async expire(session: TestSession): Promise<void> {
    session.cut();
    await flush();
    // The others keep pinging on the shared clock; the cut-off session's timeout passes.
    for (let i = 0; i < 2 * SESSION_TIMEOUT_MS / 1_000; i++) {
      this.host.advance(1_000);
      await flush();
    }
    await this.settle();
  }

  kinds(participant: string): string[] {
    return this.events.filter((e) => e.participant === participant).map((e) => e.kind);
  }
}

function spyWatches(zk: ZooKeeper, watched: WatchedCall[]): ZooKeeperApi {
  const record = (op: WatchedCall['op'], path: string, watch: WatchArg) => {
    if (watch !== undefined && watch !== false) watched.push({ op, path });
  };
  return new Proxy(zk, {
    get(target, property, receiver) {
      if (property === 'exists' || property === 'getData' || property === 'getChildren') {
        return (path: string, watch?: WatchArg) => {
          record(property, path, watch);
          return target[property](path, watch);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
