// A broken invariant, as every simulator checker reports it.

export interface Violation {
  checker: string;
  atMs: number;
  message: string;
}

/**
 * Collects violations; bounded per checker so a cascade of one bug neither floods the report nor
 * hides what the other checkers found.
 */
export class ViolationLog {
  readonly items: Violation[] = [];
  suppressed = 0;
  private readonly perChecker = new Map<string, number>();

  constructor(private readonly maxPerChecker = 10) {}

  add(checker: string, atMs: number, message: string): void {
    const count = this.perChecker.get(checker) ?? 0;
    this.perChecker.set(checker, count + 1);
    if (count >= this.maxPerChecker) {
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
