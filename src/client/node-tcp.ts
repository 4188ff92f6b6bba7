// Node-only Connector over TCP (node:net). Never import this from browser code.
import { createConnection, type Socket } from 'node:net';
import type { ByteStream, Connector } from '../net/byte-stream';

/** Splits "host:port" / "[v6]:port" into connect options. */
export function parseAddress(address: string): { host: string; port: number } {
  const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(address);
  if (v6 !== null) return { host: v6[1] as string, port: Number(v6[2]) };
  const colon = address.lastIndexOf(':');
  if (colon <= 0) throw new Error(`address must be host:port, got "${address}"`);
  const port = Number(address.substring(colon + 1));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`bad port in "${address}"`);
  return { host: address.substring(0, colon), port };
}

export const tcpConnector: Connector = (address) =>
  new Promise<ByteStream>((resolve, reject) => {
    let target: { host: string; port: number };
    try {
      target = parseAddress(address);
    } catch (e) {
      reject(e);
      return;
    }
    const socket = createConnection({ host: target.host, port: target.port });
    socket.setNoDelay(true);
    const onError = (e: Error) => reject(e);
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      resolve(socketStream(socket));
    });
  });

function socketStream(socket: Socket): ByteStream {
  const closeHandlers: Array<(reason: string) => void> = [];
  let closed = false;
  let closeReason = 'closed by peer';
  const fireClose = () => {
    if (closed) return;
    closed = true;
    for (const h of closeHandlers) h(closeReason);
  };
  socket.on('error', (e) => {
    closeReason = e.message;
  });
  socket.on('close', fireClose);
  return {
    send(bytes) {
      if (!closed && !socket.destroyed) socket.write(bytes);
    },
    close() {
      closeReason = 'closed locally';
      socket.destroy();
    },
    onData(handler) {
      socket.on('data', (chunk: Uint8Array) => handler(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    },
    onClose(handler) {
      closeHandlers.push(handler);
    },
  };
}
