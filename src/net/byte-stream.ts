// A duplex byte stream: what the client library runs over (TCP in Node, an in-page channel in the
// browser, an in-memory pipe in the simulator). It uses no Node APIs.

export interface ByteStream {
  send(bytes: Uint8Array): void;
  /** Closes both directions; `onClose` handlers run once. */
  close(): void;
  onData(handler: (bytes: Uint8Array) => void): void;
  onClose(handler: (reason: string) => void): void;
}

/** Opens a stream to "host:port" (or a host-specific address string); rejects if it cannot. */
export type Connector = (address: string) => Promise<ByteStream>;

/** Two connected in-memory ends; delivery is synchronous unless `schedule` defers it. */
export function memoryPipe(schedule: (fn: () => void) => void = (fn) => fn()): [ByteStream, ByteStream] {
  const makeEnd = () => ({
    dataHandlers: [] as Array<(b: Uint8Array) => void>,
    closeHandlers: [] as Array<(r: string) => void>,
    closed: false,
  });
  const a = makeEnd();
  const b = makeEnd();
  const endpoint = (self: typeof a, other: typeof a): ByteStream => ({
    send(bytes) {
      if (self.closed) return;
      const copy = bytes.slice();
      schedule(() => {
        if (!other.closed) for (const h of other.dataHandlers) h(copy);
      });
    },
    close() {
      if (self.closed) return;
      self.closed = true;
      schedule(() => {
        for (const h of self.closeHandlers) h('closed locally');
        if (!other.closed) {
          other.closed = true;
          for (const h of other.closeHandlers) h('closed by peer');
        }
      });
    },
    onData(h) {
      self.dataHandlers.push(h);
    },
    onClose(h) {
      self.closeHandlers.push(h);
    },
  });
  return [endpoint(a, b), endpoint(b, a)];
}
