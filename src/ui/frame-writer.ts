// Defers a DOM write to the next animation frame, keeping only the newest value. Writing
// scrollTop right after React's commit makes the browser lay the page out there and then (a
// forced layout per update); at the frame it lays the page out anyway, so the write costs nothing
// more there. Nothing is painted between the commit and that frame, so nothing jumps.

export interface FrameScheduler {
  request(callback: () => void): number;
  cancel(handle: number): void;
}

export const animationFrames: FrameScheduler = {
  request: (callback) => requestAnimationFrame(() => callback()),
  cancel: (handle) => cancelAnimationFrame(handle),
};

export class FrameWriter<T> {
  private handle = 0;
  private value: T | undefined;

  constructor(
    private readonly write: (value: T) => void,
    private readonly frames: FrameScheduler = animationFrames,
  ) {}

  /** Writes `value` at the next frame, instead of any value set before in this frame. */
  set(value: T): void {
    this.value = value;
    if (this.handle !== 0) return;
    this.handle = this.frames.request(() => {
      this.handle = 0;
      const v = this.value as T;
      this.value = undefined;
      this.write(v);
    });
  }

  /** Drops a pending write (unmount, or the user scrolled away). */
  cancel(): void {
    if (this.handle !== 0) this.frames.cancel(this.handle);
    this.handle = 0;
    this.value = undefined;
  }
}
