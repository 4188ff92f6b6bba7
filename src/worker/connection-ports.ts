// The worker's side of client connections: each connection is a MessagePort the page transferred.
// Implements CoreHost's ConnectionIo (send/close by connection id) and turns port messages into
// server inputs. The port protocol is `PortMessage` (bytes, then an explicit close).
import type { ConnectionIo } from '../host/core-host';
import type { ServerInput } from '../zk/server-api';
import type { ConnectionId } from '../zk/types';
import { isPortMessage, type PortMessage } from './protocol';
import type { PortLike } from './port-stream';
import { TurnCoalescer } from './turn-coalescer';

/** More live connections than this are refused (the core has its own per-host limit too). */
export const CONNECTIONS_MAX = 1024;

export class ConnectionPorts implements ConnectionIo {
  private readonly ports = new Map<ConnectionId, PortLike>();
  /** Replies of one turn go out as one message per connection. */
  private readonly outgoing = new Map<ConnectionId, TurnCoalescer>();
  private nextId: ConnectionId = 1;

  constructor(private readonly feed: (input: ServerInput) => void) {}

  get size(): number {
    return this.ports.size;
  }

  /** Registers a new connection and tells the core it opened. Returns its id, or null if refused. */
  attach(port: PortLike, remoteAddress: string): ConnectionId | null {
    if (this.ports.size >= CONNECTIONS_MAX) {
      closePort(port, `too many connections (max ${CONNECTIONS_MAX})`);
      return null;
    }
    const id = this.nextId++;
    this.ports.set(id, port);
    this.outgoing.set(id, new TurnCoalescer((bytes) => port.postMessage({ type: 'data', bytes } satisfies PortMessage, [bytes.buffer])));
    port.onmessage = (event: MessageEvent) => this.onPortMessage(id, event.data);
    port.start();
    this.feed({ kind: 'connection.open', connection: id, remoteAddress });
    return id;
  }

  send(connection: ConnectionId, bytes: Uint8Array): void {
    // The coalescer copies: the core may hand out views of a larger buffer.
    this.outgoing.get(connection)?.push(bytes);
  }

  close(connection: ConnectionId): void {
    const port = this.ports.get(connection);
    if (port === undefined) return;
    this.forget(connection, true);
    closePort(port, 'server closed the connection');
  }

  /** Closes every connection, as a crashed process's sockets are reset. */
  closeAll(reason: string): void {
    for (const [id, port] of this.ports) {
      this.forget(id, false); // a crash: what was not written yet is lost
      closePort(port, reason);
    }
  }

  /** Drops the connection; its unsent replies are written first when `flush`. */
  private forget(connection: ConnectionId, flush: boolean): void {
    const outgoing = this.outgoing.get(connection);
    if (flush) outgoing?.flush();
    else outgoing?.discard();
    this.outgoing.delete(connection);
    this.ports.delete(connection);
  }

  private onPortMessage(connection: ConnectionId, data: unknown): void {
    if (!this.ports.has(connection)) return;
    if (isPortMessage(data) && data.type === 'data') {
      this.feed({ kind: 'connection.data', connection, bytes: data.bytes });
      return;
    }
    // A client close, or garbage on the port: either way the connection is over.
    const port = this.ports.get(connection);
    this.forget(connection, false);
    if (port !== undefined) {
      port.onmessage = null;
      port.close();
    }
    this.feed({ kind: 'connection.close', connection });
  }
}

function closePort(port: PortLike, reason: string): void {
  port.onmessage = null;
  port.postMessage({ type: 'close', reason }, []);
  port.close();
}
