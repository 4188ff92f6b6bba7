// A ByteStream over one end of a MessageChannel: how a page's client session talks to the server in
// its worker. A MessagePort has no reliable close signal, so each side says 'close' explicitly.
import type { ByteStream, Connector } from '../net/byte-stream';
import { isPortMessage, type PortMessage } from './protocol';
import { TurnCoalescer } from './turn-coalescer';

/** The subset of MessagePort used here, so tests can pass a fake. */
export interface PortLike {
  postMessage(message: PortMessage, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
  start(): void;
  close(): void;
}

export function portByteStream(port: PortLike): ByteStream {
  const dataHandlers: Array<(bytes: Uint8Array) => void> = [];
  const closeHandlers: Array<(reason: string) => void> = [];
  let closed = false;
  // Requests of one turn go out as one message (the coalescer copies, so nothing is detached).
  const outgoing = new TurnCoalescer((bytes) => {
    if (!closed) port.postMessage({ type: 'data', bytes }, [bytes.buffer]);
  });

  const finish = (reason: string): void => {
    if (closed) return;
    closed = true;
    outgoing.discard();
    port.onmessage = null;
    port.close();
    for (const handler of closeHandlers) handler(reason);
  };

  port.onmessage = (event: MessageEvent) => {
    if (closed) return;
    const message: unknown = event.data;
    if (!isPortMessage(message)) {
      finish('protocol error: unexpected message on connection port');
      return;
    }
    if (message.type === 'close') finish(`closed by server: ${message.reason}`);
    else for (const handler of dataHandlers) handler(message.bytes);
  };
  port.start();

  return {
    send(bytes) {
      if (!closed) outgoing.push(bytes);
    },
    close() {
      if (closed) return;
      outgoing.flush();
      port.postMessage({ type: 'close', reason: 'client closed' }, []);
      finish('closed locally');
    },
    onData(handler) {
      dataHandlers.push(handler);
    },
    onClose(handler) {
      closeHandlers.push(handler);
    },
  };
}

/** A Connector whose every connection is a fresh MessageChannel handed to `attach` (the worker). */
export function portConnector(attach: (port: MessagePort, remoteAddress: string) => void, remoteAddress: string): Connector {
  return async () => {
    const channel = new MessageChannel();
    attach(channel.port2, remoteAddress);
    return portByteStream(channel.port1);
  };
}
