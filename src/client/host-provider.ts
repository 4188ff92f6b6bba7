// Round-robin over the connect string's servers, as Java's StaticHostProvider: the list is shuffled
// once (only when a random source is given, so the default order is deterministic), and a full
// cycle back to the last server that worked asks the caller to pause (spin delay) before retrying.

export interface NextHost {
  address: string;
  /** True when this pick completes a cycle without success: wait `spinDelayMs` first. */
  cycled: boolean;
}

export class HostProvider {
  private readonly addresses: readonly string[];
  private currentIndex = -1;
  private lastIndex = -1;

  constructor(addresses: readonly string[], random?: () => number) {
    if (addresses.length === 0) throw new Error('A HostProvider may not be empty!');
    this.addresses = random === undefined ? [...addresses] : shuffle(addresses, random);
  }

  size(): number {
    return this.addresses.length;
  }

  list(): readonly string[] {
    return this.addresses;
  }

  next(): NextHost {
    this.currentIndex = (this.currentIndex + 1) % this.addresses.length;
    const cycled = this.currentIndex === this.lastIndex;
    if (this.lastIndex === -1) this.lastIndex = 0;
    const address = this.addresses[this.currentIndex];
    if (address === undefined) throw new Error('host index out of range');
    return { address, cycled };
  }

  /** The current server accepted the session: a later cycle pauses when it comes back to it. */
  onConnected(): void {
    this.lastIndex = this.currentIndex;
  }
}

// Fisher-Yates driven by the injected source (values in [0, 1)).
function shuffle(addresses: readonly string[], random: () => number): string[] {
  const out = [...addresses];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(random() * (i + 1)));
    const tmp = out[i] as string;
    out[i] = out[j] as string;
    out[j] = tmp;
  }
  return out;
}
