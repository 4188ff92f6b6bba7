// TCP front end for a server core: one ConnectionId per socket, bytes in and out, nothing parsed here.
import net from 'node:net';
import type { ConnectionId } from '../zk/types';
import type { ConnectionIo } from '../host/core-host';
import type { ServerInput } from '../zk/server-api';

export interface TcpListener extends ConnectionIo {
  readonly port: number;
  shutdown(): Promise<void>;
  closeConnection(connection: ConnectionId): void;
}

export function listenTcp(
  host: string,
  port: number,
  feed: (input: ServerInput) => void,
): Promise<TcpListener> {
  const sockets = new Map<ConnectionId, net.Socket>();
  let nextConnection = 1;
  const server = net.createServer({ noDelay: true }, (socket) => {
    const connection: ConnectionId = nextConnection++;
    sockets.set(connection, socket);
    socket.setNoDelay(true);
    feed({ kind: 'connection.open', connection, remoteAddress: normalizeAddress(socket.remoteAddress) });
    socket.on('data', (chunk: Buffer) => feed({ kind: 'connection.data', connection, bytes: new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength) }));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (sockets.delete(connection)) feed({ kind: 'connection.close', connection });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const boundPort = typeof address === 'object' && address !== null ? address.port : port;
      const listener: TcpListener = {
        port: boundPort,
        send(connection, bytes) {
          const socket = sockets.get(connection);
          if (socket === undefined) return;
          // Replies produced by one input (a group-commit batch, a data chunk) leave in one syscall.
          if (!socket.writableCorked) {
            socket.cork();
            process.nextTick(() => socket.uncork());
          }
          socket.write(bytes);
        },
        close(connection) {
          sockets.get(connection)?.end();
        },
        closeConnection(connection) {
          sockets.get(connection)?.destroy();
        },
        shutdown(): Promise<void> {
          for (const socket of sockets.values()) socket.destroy();
          return new Promise((done) => server.close(() => done()));
        },
      };
      resolve(listener);
    });
  });
}

function normalizeAddress(address: string | undefined): string {
  if (address === undefined) return '0.0.0.0';
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}
