// A set of strings that iterates in the order Java's HashSet<String> would, so getChildren and
// snapshots list children as an Apache server does. A java.util.HashMap iterates bucket by
// bucket ((h ^ h>>>16) & (capacity-1), h = String.hashCode), each bucket in insertion order; the
// table doubles when size exceeds 3/4 of capacity and never shrinks. (Treeified buckets, which
// need 8+ colliding names, are not modelled.)

export function javaStringHash(value: string): number {
  let hash = 0;
  for (let i = 0; i < value.length; i++) hash = (Math.imul(hash, 31) + value.charCodeAt(i)) | 0;
  return hash;
}

function bucketOf(value: string, capacity: number): number {
  const h = javaStringHash(value);
  return (h ^ (h >>> 16)) & (capacity - 1);
}

/** Capacity HashMap.putMapEntries/clone picks for `size` entries (tableSizeFor(size/0.75 + 1)). */
export function javaCopyCapacity(size: number): number {
  if (size === 0) return 16; // an empty copy allocates the default table on first add
  const wanted = Math.floor(size / 0.75 + 1);
  let capacity = 1;
  while (capacity < wanted) capacity *= 2;
  return capacity;
}

/** Orders `itemsInInsertionOrder` as a HashSet of the given capacity iterates them. */
export function javaHashOrder(itemsInInsertionOrder: Iterable<string>, capacity: number): string[] {
  const keyed = [...itemsInInsertionOrder].map((item, index) => ({ item, index, bucket: bucketOf(item, capacity) }));
  keyed.sort((a, b) => a.bucket - b.bucket || a.index - b.index);
  return keyed.map((k) => k.item);
}

export class JavaHashSet {
  /** JS Sets keep insertion order, which is the order within one Java bucket. */
  private readonly items = new Set<string>();
  private capacityNow: number;
  private ordered: string[] | null = null;

  /** DataNode allocates `new HashSet<>(8)`; ephemeral sets use the default 16. */
  constructor(initialCapacity = 8) {
    this.capacityNow = initialCapacity;
  }

  get size(): number {
    return this.items.size;
  }
  get capacity(): number {
    return this.capacityNow;
  }

  has(item: string): boolean {
    return this.items.has(item);
  }

  add(item: string): boolean {
    if (this.items.has(item)) return false;
    this.items.add(item);
    if (this.items.size > this.capacityNow * 0.75) this.capacityNow *= 2;
    this.ordered = null;
    return true;
  }

  delete(item: string): boolean {
    const removed = this.items.delete(item);
    if (removed) this.ordered = null;
    return removed;
  }

  /** Iteration order of the Java set. The array is shared: do not mutate it. */
  toArray(): readonly string[] {
    if (this.ordered === null) this.ordered = javaHashOrder(this.items, this.capacityNow);
    return this.ordered;
  }
}
