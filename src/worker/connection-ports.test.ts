import { describe, expect, it } from 'vitest';
import type { ServerInput } from '../zk/server-api';
import { ConnectionPorts } from './connection-ports';
import type { PortLike } from './port-stream';
import type { PortMessage } from './protocol';

class FakePort implements PortLike {
  sent: PortMessage[] = [];
  closed = false;
  onmessage: ((event: MessageEvent) => void) | null = null;
  postMessage(message: PortMessage): void {
    this.sent.push(message);
  }
  start(): void {}
  close(): void {
    this.closed = true;
  }
  deliver(data: unknown): void {
    this.onmessage?.({ data } as MessageEvent);
  }
}

describe('ConnectionPorts', () => {
  it('turns port traffic into connection inputs and sends copies of effect bytes', async () => {
    const inputs: ServerInput[] = [];
    const ports = new ConnectionPorts((i) => inputs.push(i));
    const port = new FakePort();
    const id = ports.attach(port, 'page');
    expect(inputs).toEqual([{ kind: 'connection.open', connection: id, remoteAddress: 'page' }]);
    port.deliver({ type: 'data', bytes: new Uint8Array([1]) });
    expect(inputs[1]).toEqual({ kind: 'connection.data', connection: id, bytes: new Uint8Array([1]) });
    const big = new Uint8Array([7, 8, 9]);
    ports.send(id as number, big.subarray(1));
    ports.send(id as number, big.subarray(0, 1));
    await Promise.resolve(); // the replies of one turn go out together
    expect(port.sent).toEqual([{ type: 'data', bytes: new Uint8Array([8, 9, 7]) }]);
    expect(big).toEqual(new Uint8Array([7, 8, 9]));
  });

  it('writes unsent replies before a server-side close, and none after a crash', async () => {
    const ports = new ConnectionPorts(() => undefined);
    const a = new FakePort();
    const b = new FakePort();
    const idA = ports.attach(a, 'a') as number;
    const idB = ports.attach(b, 'b') as number;
    ports.send(idA, new Uint8Array([1]));
    ports.close(idA);
    expect(a.sent).toEqual([{ type: 'data', bytes: new Uint8Array([1]) }, { type: 'close', reason: 'server closed the connection' }]);
    ports.send(idB, new Uint8Array([2]));
    ports.closeAll('crashed');
    await Promise.resolve();
    expect(b.sent).toEqual([{ type: 'close', reason: 'crashed' }]);
  });

  it('closes the connection on a client close or a malformed message', () => {
    const inputs: ServerInput[] = [];
    const ports = new ConnectionPorts((i) => inputs.push(i));
    const a = new FakePort();
    const b = new FakePort();
    const idA = ports.attach(a, 'a');
    const idB = ports.attach(b, 'b');
    a.deliver({ type: 'close', reason: 'client closed' });
    b.deliver('garbage');
    expect(inputs.slice(2)).toEqual([
      { kind: 'connection.close', connection: idA },
      { kind: 'connection.close', connection: idB },
    ]);
    expect(a.closed && b.closed).toBe(true);
    expect(ports.size).toBe(0);
  });

  it('tells the client why when the server closes', () => {
    const ports = new ConnectionPorts(() => undefined);
    const port = new FakePort();
    const id = ports.attach(port, 'a');
    ports.close(id as number);
    expect(port.sent).toEqual([{ type: 'close', reason: 'server closed the connection' }]);
    expect(port.closed).toBe(true);
    ports.send(id as number, new Uint8Array([1]));
    expect(port.sent).toHaveLength(1);
  });
});
