// Fixed-size bitset for the linearizability search: which operations are already linearized.

export class Bitset {
  private readonly words: Uint32Array;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 0) throw new Error(`Bitset size must be a non-negative integer, got ${size}`);
    this.words = new Uint32Array(Math.ceil(size / 32));
  }

  set(index: number): void {
    this.check(index);
    this.words[index >>> 5]! |= 1 << (index & 31);
  }

  clear(index: number): void {
    this.check(index);
    this.words[index >>> 5]! &= ~(1 << (index & 31));
  }

  has(index: number): boolean {
    this.check(index);
    return (this.words[index >>> 5]! & (1 << (index & 31))) !== 0;
  }

  /** Compact exact key (two UTF-16 code units per word), used to memoize search configurations. */
  key(): string {
    let out = '';
    for (const word of this.words) out += String.fromCharCode(word & 0xffff, word >>> 16);
    return out;
  }

  private check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new Error(`Bitset index ${index} out of range [0, ${this.size})`);
    }
  }
}
