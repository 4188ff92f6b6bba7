// A long pause of one server (a stop-the-world GC, SIGSTOP): while frozen, the core processes
// nothing. Inputs (peer messages, client bytes, storage completions) wait in arrival order, while
// the channels stay open so peers and clients see only silence. The clock is not buffered: a
// paused process sees one big jump when it resumes, so only the newest time matters.
import type { SteppableCore } from '../host/core-host';
import type { ServerEffect, ServerInput } from '../zk/server-api';

/** Inputs held during one freeze; beyond this the oldest peer or client input is dropped and counted. */
export const FROZEN_INPUTS_MAX = 50_000;

export class FreezeGate implements SteppableCore {
  private frozenNow = false;
  private held: ServerInput[] = [];
  private droppedCount = 0;

  constructor(private readonly core: SteppableCore) {}

  get frozen(): boolean {
    return this.frozenNow;
  }

  /** Inputs waiting for the thaw. */
  get buffered(): number {
    return this.held.length;
  }

  /** Inputs lost because the buffer was full (reported to the page as a warning). */
  takeDropped(): number {
    const count = this.droppedCount;
    this.droppedCount = 0;
    return count;
  }

  step(input: ServerInput): ServerEffect[] {
    if (!this.frozenNow) return this.core.step(input);
    if (input.kind === 'clock') return [];
    this.held.push(input);
    if (this.held.length > FROZEN_INPUTS_MAX) {
      // Storage completions are never dropped: the core would wait for them forever.
      const oldest = this.held.findIndex((held) => !held.kind.startsWith('storage.'));
      if (oldest >= 0) {
        this.held.splice(oldest, 1);
        this.droppedCount++;
      }
    }
    return [];
  }

  freeze(): void {
    this.frozenNow = true;
  }

  /**
   * Ends the pause and hands back what waited, oldest first; the host feeds each one (carrying out
   * its effects) through `step`, which no longer holds them.
   */
  thaw(): ServerInput[] {
    this.frozenNow = false;
    const held = this.held;
    this.held = [];
    return held;
  }
}
