import { describe, expect, it } from 'vitest';
import { MicrotaskBatch } from './microtask-batch';

const flush = (): Promise<void> => new Promise((resolve) => queueMicrotask(resolve));

describe('MicrotaskBatch', () => {
  it('runs posted calls later, in order', async () => {
    const batch = new MicrotaskBatch();
    const ran: number[] = [];
    batch.post(() => ran.push(1));
    batch.post(() => ran.push(2));
    expect(ran).toEqual([]);
    await flush();
    expect(ran).toEqual([1, 2]);
  });

  it('runs nothing after close, even the rest of a running batch', async () => {
    const batch = new MicrotaskBatch();
    const ran: number[] = [];
    batch.post(() => {
      ran.push(1);
      batch.close();
    });
    batch.post(() => ran.push(2));
    await flush();
    batch.post(() => ran.push(3));
    await flush();
    expect(ran).toEqual([1]);
  });
});
