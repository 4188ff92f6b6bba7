import { describe, expect, it } from 'vitest';
import { afterQueuedTasks } from './after-queued-tasks';

describe('afterQueuedTasks', () => {
  it('runs later than microtasks, in call order, each once', async () => {
    const seen: string[] = [];
    const done = new Promise<void>((resolve) => {
      afterQueuedTasks(() => seen.push('a'));
      afterQueuedTasks(() => {
        seen.push('b');
        resolve();
      });
    });
    queueMicrotask(() => seen.push('micro'));
    expect(seen).toEqual([]);
    await done;
    expect(seen).toEqual(['micro', 'a', 'b']);
  });

  it('runs a callback queued by a callback in a later batch', async () => {
    const seen: string[] = [];
    await new Promise<void>((resolve) => {
      afterQueuedTasks(() => {
        seen.push('first');
        afterQueuedTasks(() => {
          seen.push('third');
          resolve();
        });
      });
      afterQueuedTasks(() => seen.push('second'));
    });
    expect(seen).toEqual(['first', 'second', 'third']);
  });
});
