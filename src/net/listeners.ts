// A tiny handler list: subscribe returns its own unsubscribe; emit snapshots the list so a
// handler may unsubscribe (or subscribe) while being called.

export class Listeners<Args extends unknown[]> {
  private handlers: Array<(...args: Args) => void> = [];

  add(handler: (...args: Args) => void): () => void {
    this.handlers.push(handler);
    return () => {
      this.handlers = this.handlers.filter((h) => h !== handler);
    };
  }

  emit(...args: Args): void {
    for (const handler of [...this.handlers]) handler(...args);
  }

  clear(): void {
    this.handlers = [];
  }

  get size(): number {
    return this.handlers.length;
  }
}
