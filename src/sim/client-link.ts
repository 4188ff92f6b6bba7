// One TCP-like connection between a simulated client and a simulated server: bytes arrive in
// order after a drawn latency, never lost; across a partition they wait (a stalled TCP stream)
// until the partition heals; either side can close, and a fault can break it.
import type { ByteStream } from '../net/byte-stream';
import type { ConnectionId } from '../zk/types';
import type { NodeName } from './partition';
import type { Scheduler } from './scheduler';

export interface LinkEnv {
  scheduler: Scheduler;
  latencyMs(): number;
  canSend(from: NodeName, to: NodeName): boolean;
}

/** What the server side of a link talks to (the SimServer, which turns these into inputs). */
export interface ServerSide {
  onLinkData(connection: ConnectionId, bytes: Uint8Array): void;
  onLinkClosed(connection: ConnectionId): void;
}

type Item = { kind: 'data'; bytes: Uint8Array } | { kind: 'close'; reason: string };

/** One direction of the link: FIFO, stalls while the partition cuts it. */
class Direction {
  private lastDeliveryMs = 0;
  private readonly stalled: Item[] = [];
  closed = false;

  constructor(
    private readonly env: LinkEnv,
    private readonly from: NodeName,
    private readonly to: NodeName,
    private readonly label: string,
    private readonly deliver: (item: Item) => void,
  ) {}

  push(item: Item): void {
    if (this.closed) return;
    if (item.kind === 'close') this.closed = true;
    if (this.stalled.length > 0 || !this.env.canSend(this.from, this.to)) {
      this.stalled.push(item);
      return;
    }
    this.schedule(item);
  }

  /** The partition healed (or changed): what waited goes out, in order, while it can. */
  release(): void {
    while (this.stalled.length > 0 && this.env.canSend(this.from, this.to)) this.schedule(this.stalled.shift()!);
  }

  private schedule(item: Item): void {
    const scheduler = this.env.scheduler;
    const atMs = Math.max(this.lastDeliveryMs, scheduler.nowMs + this.env.latencyMs());
    this.lastDeliveryMs = atMs;
    scheduler.at(atMs, this.label, () => this.deliver(item));
  }
}

export class ClientLink {
  readonly clientEnd: ByteStream;
  private readonly toServer: Direction;
  private readonly toClient: Direction;
  private readonly dataHandlers: Array<(bytes: Uint8Array) => void> = [];
  private readonly closeHandlers: Array<(reason: string) => void> = [];
  private clientClosed = false;
  private serverClosed = false;

  constructor(
    private readonly env: LinkEnv,
    readonly connection: ConnectionId,
    readonly clientNode: NodeName,
    readonly serverNode: NodeName,
    private readonly server: ServerSide,
  ) {
    this.toServer = new Direction(env, clientNode, serverNode, `${clientNode}->${serverNode}`, (item) => this.atServer(item));
    this.toClient = new Direction(env, serverNode, clientNode, `${serverNode}->${clientNode}`, (item) => this.atClient(item));
    this.clientEnd = {
      send: (bytes) => {
        if (!this.clientClosed) this.toServer.push({ kind: 'data', bytes: bytes.slice() });
      },
      close: () => this.closeFromClient(),
      onData: (handler) => this.dataHandlers.push(handler),
      onClose: (handler) => {
        this.closeHandlers.push(handler);
        // Registered after the close already happened (a reset raced the connect): still hear it.
        if (this.closeRan) env.scheduler.after(0, `${clientNode} late close`, () => handler(this.closeReason));
      },
    };
  }

  get open(): boolean {
    return !this.clientClosed && !this.serverClosed;
  }

  /** A `connection.send` effect of the server. */
  sendToClient(bytes: Uint8Array): void {
    if (!this.serverClosed) this.toClient.push({ kind: 'data', bytes });
  }

  /** The server closed (effect) or died: the client hears it after what was already sent. */
  closeFromServer(reason: string): void {
    if (this.serverClosed) return;
    this.serverClosed = true;
    this.toClient.push({ kind: 'close', reason });
  }

  /** A network fault resets the connection: each side hears of it (after latency, across heals). */
  break(reason: string): void {
    this.closeFromServer(reason);
    this.toServer.push({ kind: 'close', reason });
  }

  release(): void {
    this.toServer.release();
    this.toClient.release();
  }

  private closeFromClient(): void {
    if (this.clientClosed) return;
    this.clientClosed = true;
    this.toServer.push({ kind: 'close', reason: 'closed by client' });
    // The closing side's own handlers run soon, as a socket's would, never inside close().
    this.env.scheduler.after(0, `${this.clientNode} close`, () => this.runCloseHandlers('closed locally'));
  }

  private atServer(item: Item): void {
    if (item.kind === 'data') this.server.onLinkData(this.connection, item.bytes);
    else this.server.onLinkClosed(this.connection);
  }

  private atClient(item: Item): void {
    if (item.kind === 'data') {
      if (this.clientClosed) return;
      for (const handler of this.dataHandlers) handler(item.bytes);
      return;
    }
    this.clientClosed = true;
    this.runCloseHandlers(item.reason);
  }

  private closeRan = false;
  private closeReason = '';
  private runCloseHandlers(reason: string): void {
    if (this.closeRan) return;
    this.closeRan = true;
    this.closeReason = reason;
    for (const handler of this.closeHandlers) handler(reason);
  }
}
