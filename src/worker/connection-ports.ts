// The worker's side of client connections: each connection is a MessagePort the page transferred.
// Implements CoreHost's ConnectionIo (send/close by connection id) and turns port messages into
// server inputs. The port protocol is `PortMessage` (bytes, then an explicit close).
import type { ConnectionIo } from '../host/core-host';
import type { ServerInput } from '../zk/server-api';
import type { ConnectionId } from '../zk/types';
import { isPortMessage, type PortMessage } from './protocol';
import type { PortLike } from './port-stream';

/** More live connections than this are refused (the core has its own per-host limit too). */
export const CONNECTIONS_MAX = 1024;

export class ConnectionPorts implements ConnectionIo {
  private readonly ports = new Map<ConnectionId, PortLike>();
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
    port.onmessage = (event: MessageEvent) => this.onPortMessage(id, event.data);
    port.start();
    this.feed({ kind: 'connection.open', connection: id, remoteAddress });
    return id;
  }

  send(connection: ConnectionId, bytes: Uint8Array): void {
    const port = this.ports.get(connection);
    if (port === undefined) return;
    // The core may hand out views of a larger buffer: copy so only these bytes are transferred.
    const copy = bytes.slice();
    const message: PortMessage = { type: 'data', bytes: copy };
    port.postMessage(message, [copy.buffer]);
  }

  close(connection: ConnectionId): void {
    const port = this.ports.get(connection);
    if (port === undefined) return;
    this.ports.delete(connection);
    closePort(port, 'server closed the connection');
  }

  /** Closes every connection, as a crashed process's sockets are reset. */
  closeAll(reason: string): void {
    for (const [id, port] of this.ports) {
      this.ports.delete(id);
      closePort(port, reason);
    }
  }

  private onPortMessage(connection: ConnectionId, data: unknown): void {
    if (!this.ports.has(connection)) return;
    if (isPortMessage(data) && data.type === 'data') {
      this.feed({ kind: 'connection.data', connection, bytes: data.bytes });
      return;
    }
    // A client close, or garbage on the port: either way the connection is over.
    const port = this.ports.get(connection);
    this.ports.delete(connection);
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
