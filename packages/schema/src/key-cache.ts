import { formatKey } from './format-key.js';

/** Entries kept before the cache starts over; bounds memory when keys are unbounded (ids). */
export const DEFAULT_KEY_CACHE_LIMIT = 50_000;

/**
 * Memoises raw key → full flattened key. Records of one stream repeat the same keys, and a
 * `Map` hit on a decoder-internalised string is far cheaper than re-scanning and
 * re-concatenating it. Nested keys are cached per parent path, so `prefix + '_' + key`
 * is built once and later records reuse the very same string.
 *
 * Bounded: when the number of entries passes `limit`, everything is dropped and refilled.
 * That keeps the worst case (a key per record, e.g. ids used as keys) at O(limit) memory
 * with no per-hit bookkeeping cost, unlike an LRU.
 */
export class KeyCache {
  private top = new Map<string, string>();
  private nested = new Map<string, Map<string, string>>();
  private entries = 0;

  constructor(readonly limit: number = DEFAULT_KEY_CACHE_LIMIT) {}

  /** The table for keys of the top-level object. */
  topTable(): Map<string, string> {
    return this.top;
  }

  /** The table for keys of an object found under the flattened path `prefix`. */
  nestedTable(prefix: string): Map<string, string> {
    let table = this.nested.get(prefix);
    if (table === undefined) {
      table = new Map();
      this.nested.set(prefix, table);
    }
    return table;
  }

  /** Formats `raw`, joins it to `prefix` (top level when undefined) and remembers it. */
  add(table: Map<string, string>, prefix: string | undefined, raw: string): string {
    const formatted = formatKey(raw);
    const full = prefix === undefined ? formatted : `${prefix}_${formatted}`;
    if (++this.entries > this.limit) this.clear();
    table.set(raw, full);
    return full;
  }

  get size(): number {
    return this.entries;
  }

  clear(): void {
    this.top = new Map();
    this.nested = new Map();
    this.entries = 0;
  }
}

let shared: KeyCache | undefined;

/**
 * The process-wide cache used when a caller passes none. Created on first use (no work at
 * import time); it only memoises a pure function, so sharing it cannot change results.
 */
export function sharedKeyCache(): KeyCache {
  shared ??= new KeyCache();
  return shared;
}
