/**
 * The queries of this process that may still read stored files: each one from the moment it
 * starts resolving its sources (before it reads the file list) until it releases them. On a
 * single node every reader of stored files is such a query, so the compactor may purge a file
 * marked deleted once no query that began before the mark is still running, instead of waiting
 * out ZO_COMPACT_DELETE_FILES_DELAY_MINUTES (merged-away inputs would otherwise double the
 * disk footprint for that long).
 */
export class StoredFileReads {
  readonly #running = new Map<number, number>(); // read id → start, ms
  #next = 0;

  /** Records a read starting now; the returned function ends it (idempotent). */
  begin(now = Date.now()): () => void {
    const id = this.#next++;
    this.#running.set(id, now);
    return () => {
      this.#running.delete(id);
    };
  }

  /** When the oldest running read began (ms), or undefined when none runs. */
  oldestSince(): number | undefined {
    let oldest: number | undefined;
    for (const since of this.#running.values()) {
      if (oldest === undefined || since < oldest) oldest = since;
    }
    return oldest;
  }
}
