// Test helper: the client against the real server core, in-process over memoryPipe, with one fake
// clock. Used by the *.integration.test.ts files; not exported from index.ts.
import { memoryPipe, type ByteStream, type Connector } from '../net/byte-stream';
import { StandaloneServer } from '../zk/standalone-server';
import { defaultServerConfig, type ServerInput } from '../zk/server-api';
import { Prng } from '../zk/prng';
import { ZooKeeper } from './zookeeper';
import { FakeClock } from './fake-zk-server';
import type { WatchedEvent } from './api';

/** Hosts one StandaloneServer: carries out its effects at once (storage is durable instantly). */
export class InProcessHost {
  readonly clock = new FakeClock();
  readonly server = new StandaloneServer(
    defaultServerConfig({ tickTimeMs: 2000, extendedTypesEnabled: true }),
    new Prng(7),
    0,
  );
  reachable = true;
  private nextConnection = 1;
  private readonly ends = new Map<number, ByteStream>();
  private readonly inputs: ServerInput[] = [];
  private running = false;

  readonly connector: Connector = async () => {
    if (!this.reachable) throw new Error('connection refused');
    const [clientEnd, serverEnd] = memoryPipe();
    const id = this.nextConnection++;
    this.ends.set(id, serverEnd);
    serverEnd.onData((bytes) => this.run({ kind: 'connection.data', connection: id, bytes }));
    serverEnd.onClose(() => {
      if (this.ends.delete(id)) this.run({ kind: 'connection.close', connection: id });
    });
    this.run({ kind: 'connection.open', connection: id, remoteAddress: `127.0.0.1:${40000 + id}` });
    return clientEnd;
  };

  /** Drops every connection from the server side (the clients see ConnectionLoss). */
  dropConnections(): void {
    for (const end of [...this.ends.values()]) end.close();
  }

  advance(ms: number): void {
    this.clock.advance(ms);
    this.run({ kind: 'clock', nowMs: this.clock.nowMs });
  }

  client(connectString = 'local:2181', watcher: ((e: WatchedEvent) => void) | null = null, timeoutMs = 10_000): ZooKeeper {
    return new ZooKeeper(connectString, timeoutMs, watcher, { connector: this.connector, timers: this.clock });
  }

  // Inputs produced while handling an input (synchronous pipes) wait their turn.
  private run(input: ServerInput): void {
    this.inputs.push(input);
    if (this.running) return;
    this.running = true;
    try {
      for (let next = this.inputs.shift(); next !== undefined; next = this.inputs.shift()) this.apply(next);
    } finally {
      this.running = false;
    }
  }

  private apply(input: ServerInput): void {
    for (const effect of this.server.step(input)) {
      switch (effect.kind) {
        case 'connection.send':
          this.ends.get(effect.connection)?.send(effect.bytes);
          break;
        case 'connection.close': {
          const end = this.ends.get(effect.connection);
          this.ends.delete(effect.connection);
          end?.close();
          break;
        }
        case 'storage.append':
          this.inputs.push({ kind: 'storage.durable', batchId: effect.batchId });
          break;
        case 'storage.snapshot':
          this.inputs.push({ kind: 'storage.snapshotSaved', zxid: effect.zxid });
          break;
        case 'trace':
          break;
      }
    }
  }
}
