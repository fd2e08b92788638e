import { BoundedMap } from '@o2/bounded-map';

/**
 * Remembers the answers to recent ingest requests by their id, so a request the router resends
 * after UNAVAILABLE (it never saw the answer) gets the first answer instead of storing the
 * records twice. Entries hold the pending promise: a resend that arrives while the first attempt
 * still runs waits for it. A failed attempt is forgotten, so its resend runs again. Bounded by
 * count, oldest first out — a resend comes within the router's deadline, long before eviction.
 */
export class RequestIdCache<T> {
  private readonly entries: BoundedMap<string, Promise<T>>;

  constructor(capacity: number) {
    this.entries = new BoundedMap(capacity);
  }

  /** The answer for `id`: the remembered one, else `run()`'s (remembered once it succeeds). */
  answer(id: string, run: () => Promise<T>): Promise<T> {
    const known = this.entries.get(id);
    if (known !== undefined) return known;
    const pending = run();
    this.entries.set(id, pending);
    pending.catch(() => {
      if (this.entries.get(id) === pending) this.entries.delete(id);
    });
    return pending;
  }

  get size(): number {
    return this.entries.size;
  }
}
