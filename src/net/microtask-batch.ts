// Handler calls of a transport, run in order from one microtask: never inside an API call or
// half-way a state change. After close() nothing queued (or queued later) runs, even from the
// batch that is running when a handler closes the transport.

export class MicrotaskBatch {
  private queued: Array<() => void> = [];
  private closed = false;

  post(fn: () => void): void {
    if (this.closed) return;
    this.queued.push(fn);
    if (this.queued.length > 1) return;
    queueMicrotask(() => {
      const batch = this.queued;
      this.queued = [];
      for (const run of batch) if (!this.closed) run();
    });
  }

  close(): void {
    this.closed = true;
    this.queued = [];
  }
}
