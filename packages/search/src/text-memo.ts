/**
 * A bounded least-recently-used map of strings to values, weighed in characters (key plus the
 * caller's weight of the value): query texts repeat (dashboards, the UI's refresh, alerts), so
 * what DuckDB answers for one text is worth keeping, but a user's huge SQL must not pin memory.
 */
export class TextMemo<V> {
  private readonly entries = new Map<string, { value: V; weight: number }>();
  private weight = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxChars: number,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    // Re-inserting moves the key to the young end of the Map's order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Keeps `value` unless it alone would take more than a quarter of the budget. */
  set(key: string, value: V, valueChars = 0): void {
    const weight = key.length + valueChars;
    if (weight > this.maxChars / 4) return;
    this.drop(key);
    this.entries.set(key, { value, weight });
    this.weight += weight;
    while (this.entries.size > this.maxEntries || this.weight > this.maxChars) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.drop(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.weight -= entry.weight;
  }
}

/**
 * Memoises an async text-to-text function (DuckDB's SQL ⇄ JSON round trips: pure functions of
 * their input, whatever the connection). Failures are not kept: they are rare and may be
 * transient (an interrupted connection).
 */
export async function memoText(
  memo: TextMemo<string>,
  input: string,
  compute: () => Promise<string>,
): Promise<string> {
  const hit = memo.get(input);
  if (hit !== undefined) return hit;
  const output = await compute();
  memo.set(input, output, output.length);
  return output;
}
