import { describe, expect, it } from 'vitest';
import { portByteStream, type PortLike } from './port-stream';
import type { PortMessage } from './protocol';

function nextMessage(port: MessagePort): Promise<unknown> {
  return new Promise((resolve) => {
    port.onmessage = (event) => resolve(event.data);
  });
}

describe('portByteStream', () => {
  it('sends bytes as data messages without detaching the caller buffer', async () => {
    const channel = new MessageChannel();
    const stream = portByteStream(channel.port1 as unknown as PortLike);
    const received = nextMessage(channel.port2);
    const bytes = new Uint8Array([1, 2, 3]);
    stream.send(bytes);
    expect(await received).toEqual({ type: 'data', bytes: new Uint8Array([1, 2, 3]) });
    expect(bytes.length).toBe(3);
    stream.close();
    channel.port2.close();
  });

  it('sends the writes of one turn as one message, and writes them before its own close', async () => {
    const channel = new MessageChannel();
    const stream = portByteStream(channel.port1 as unknown as PortLike);
    const messages: unknown[] = [];
    const closeSeen = new Promise<void>((resolve) => {
      channel.port2.onmessage = (event) => {
        messages.push(event.data);
        if ((event.data as PortMessage).type === 'close') resolve();
      };
    });
    stream.send(new Uint8Array([1]));
    stream.send(new Uint8Array([2, 3]));
    await Promise.resolve();
    stream.send(new Uint8Array([4]));
    stream.close();
    await closeSeen;
    expect(messages).toEqual([
      { type: 'data', bytes: new Uint8Array([1, 2, 3]) },
      { type: 'data', bytes: new Uint8Array([4]) },
      { type: 'close', reason: 'client closed' },
    ]);
    channel.port2.close();
  });

  it('delivers incoming data and a server close exactly once', async () => {
    const channel = new MessageChannel();
    const stream = portByteStream(channel.port1 as unknown as PortLike);
    const chunks: number[][] = [];
    const reasons: string[] = [];
    stream.onData((b) => chunks.push([...b]));
    const closed = new Promise<void>((resolve) =>
      stream.onClose((r) => {
        reasons.push(r);
        resolve();
      }),
    );
    const data: PortMessage = { type: 'data', bytes: new Uint8Array([9]) };
    channel.port2.postMessage(data);
    channel.port2.postMessage({ type: 'close', reason: 'bye' } satisfies PortMessage);
    await closed;
    stream.close();
    expect(chunks).toEqual([[9]]);
    expect(reasons).toEqual(['closed by server: bye']);
    channel.port2.close();
  });

  it('treats a malformed message as a protocol error and closes', async () => {
    const channel = new MessageChannel();
    const stream = portByteStream(channel.port1 as unknown as PortLike);
    const reason = new Promise<string>((resolve) => stream.onClose(resolve));
    channel.port2.postMessage({ type: 'data', bytes: 'not bytes' });
    expect(await reason).toMatch(/protocol error/);
    channel.port2.close();
  });

  it('tells the other side when closed locally', async () => {
    const channel = new MessageChannel();
    const stream = portByteStream(channel.port1 as unknown as PortLike);
    const received = nextMessage(channel.port2);
    const reasons: string[] = [];
    stream.onClose((r) => reasons.push(r));
    stream.close();
    stream.close();
    expect(await received).toEqual({ type: 'close', reason: 'client closed' });
    expect(reasons).toEqual(['closed locally']);
    channel.port2.close();
  });
});
