// Accepting a client connection (NIOServerCnxnFactory): maxClientCnxns per remote host is checked
// here; a connection over the limit is closed at once.
import type { ConnectionId } from '../types';
import { Connection } from './connection';
import type { ServerCore } from './server-core';

export function openConnection(core: ServerCore, id: ConnectionId, remoteAddress: string): void {
  const existing = core.connections.get(id);
  if (existing !== undefined) core.closeConnection(existing);
  const conn = new Connection(id, remoteAddress, core.nowMs, core.config.maxBufferBytes);
  const max = core.config.maxClientCnxns;
  if (max > 0) {
    let fromHost = 0;
    for (const c of core.connections.values()) if (c.host === conn.host) fromHost++;
    if (fromHost >= max) {
      core.trace({ type: 'warn', message: `Too many connections from ${conn.host} - max is ${max}` });
      core.emit({ kind: 'connection.close', connection: id });
      return;
    }
  }
  core.connections.set(id, conn);
}
