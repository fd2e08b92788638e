/**
 * A `Map` holding at most `capacity` entries: adding past it drops the oldest insertion first
 * (FIFO). Insertion order is what a `Map` keeps anyway, so eviction costs O(1) and a hit costs
 * nothing extra — enough for caches whose entries are either re-read soon or never (answers to
 * resends, verified passwords, per-file indexes). Re-setting a key keeps its original place.
 */
export class BoundedMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be a positive integer, got ${String(capacity)}`);
  }

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** Stores `value`, then drops the oldest entries while over capacity. */
  set(key: K, value: V): this {
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
    return this;
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
