import { describe, expect, it } from 'vitest';
import { TurnCoalescer } from './turn-coalescer';

const microtask = (): Promise<void> => Promise.resolve();

describe('TurnCoalescer', () => {
  it('posts the bytes of one turn as one message, in order', async () => {
    const posted: number[][] = [];
    const c = new TurnCoalescer((b) => posted.push([...b]));
    c.push(Uint8Array.of(1, 2));
    c.push(Uint8Array.of(3));
    c.push(Uint8Array.of(4, 5));
    expect(posted).toEqual([]);
    await microtask();
    expect(posted).toEqual([[1, 2, 3, 4, 5]]);
    c.push(Uint8Array.of(6));
    await microtask();
    expect(posted).toEqual([[1, 2, 3, 4, 5], [6]]);
  });

  it('copies what it queues, so the caller may reuse its buffer', async () => {
    const posted: number[][] = [];
    const c = new TurnCoalescer((b) => posted.push([...b]));
    const buffer = Uint8Array.of(7, 7);
    c.push(buffer);
    buffer.fill(0);
    await microtask();
    expect(posted).toEqual([[7, 7]]);
  });

  it('flushes at once when asked (before a close) and then has nothing left for the microtask', async () => {
    const posted: number[][] = [];
    const c = new TurnCoalescer((b) => posted.push([...b]));
    c.push(Uint8Array.of(1));
    c.flush();
    expect(posted).toEqual([[1]]);
    await microtask();
    expect(posted).toEqual([[1]]);
  });

  it('posts nothing after discard, and skips empty writes', async () => {
    const posted: number[][] = [];
    const c = new TurnCoalescer((b) => posted.push([...b]));
    c.push(new Uint8Array(0));
    c.push(Uint8Array.of(1));
    c.discard();
    await microtask();
    expect(posted).toEqual([]);
  });
});
