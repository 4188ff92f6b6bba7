// Memo of explored search configurations: (set of linearized operations, model state).
// Reaching a configuration twice cannot lead anywhere new, so the search prunes it.

import { canonicalString } from './canonical';
import type { Model } from './model';

export class StateCache<S> {
  private readonly buckets = new Map<string, S[]>();
  private count = 0;

  constructor(private readonly model: Pick<Model<S, unknown, unknown>, 'hash' | 'equal'>) {}

  get size(): number {
    return this.count;
  }

  /** Adds the configuration; false when it was already present. */
  addIfNew(linearizedKey: string, state: S): boolean {
    const key = this.keyOf(linearizedKey, state);
    const bucket = this.buckets.get(key);
    if (bucket === undefined) {
      this.buckets.set(key, [state]);
      this.count++;
      return true;
    }
    const equal = this.model.equal;
    // Without `equal`, the key already contains the full state identity (hash or canonical text).
    if (equal === undefined) return false;
    if (bucket.some((seen) => equal(seen, state))) return false;
    bucket.push(state);
    this.count++;
    return true;
  }

  private keyOf(linearizedKey: string, state: S): string {
    if (this.model.hash !== undefined) return linearizedKey + '\u0000' + this.model.hash(state);
    if (this.model.equal !== undefined) return linearizedKey;
    return linearizedKey + '\u0000' + canonicalString(state);
  }
}
