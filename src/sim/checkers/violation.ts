// A broken invariant, as every simulator checker reports it.

export interface Violation {
  checker: string;
  atMs: number;
  message: string;
}

/** Collects violations; bounded so a cascade of one bug does not flood the report. */
export class ViolationLog {
  readonly items: Violation[] = [];
  suppressed = 0;

  constructor(private readonly max = 50) {}

  add(checker: string, atMs: number, message: string): void {
    if (this.items.length >= this.max) {
      this.suppressed++;
      return;
    }
    this.items.push({ checker, atMs, message });
  }

  get count(): number {
    return this.items.length + this.suppressed;
  }
}

export function hexZxid(zxid: bigint): string {
  return '0x' + BigInt.asUintN(64, zxid).toString(16);
}
