import { describe, expect, it } from 'vitest';
import { FrameWriter, type FrameScheduler } from './frame-writer';

class ManualFrames implements FrameScheduler {
  private next = 1;
  readonly pending = new Map<number, () => void>();
  request(callback: () => void): number {
    const handle = this.next++;
    this.pending.set(handle, callback);
    return handle;
  }
  cancel(handle: number): void {
    this.pending.delete(handle);
  }
  frame(): void {
    const due = [...this.pending.values()];
    this.pending.clear();
    for (const callback of due) callback();
  }
}

describe('FrameWriter', () => {
  it('writes nothing before the frame, then only the newest value, once', () => {
    const frames = new ManualFrames();
    const written: number[] = [];
    const writer = new FrameWriter<number>((v) => written.push(v), frames);
    writer.set(10);
    writer.set(20);
    writer.set(30);
    expect(written).toEqual([]);
    expect(frames.pending.size).toBe(1);
    frames.frame();
    expect(written).toEqual([30]);
    frames.frame();
    expect(written).toEqual([30]);
    writer.set(40);
    frames.frame();
    expect(written).toEqual([30, 40]);
  });

  it('cancel drops the pending write', () => {
    const frames = new ManualFrames();
    const written: number[] = [];
    const writer = new FrameWriter<number>((v) => written.push(v), frames);
    writer.set(1);
    writer.cancel();
    frames.frame();
    expect(written).toEqual([]);
    expect(frames.pending.size).toBe(0);
  });
});
