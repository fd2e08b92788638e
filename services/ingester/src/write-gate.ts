/**
 * Lets many ingest requests write (WAL append + memtable append) at once, and lets the persist
 * cycle run alone: while it freezes the memtables and rotates the WAL, no write is half-done,
 * so every WAL segment up to the rotation holds exactly the rows of the frozen memtables.
 */
export class WriteGate {
  private writers = 0;
  private closed: Promise<void> | undefined;
  private drained: (() => void) | undefined;

  /** Runs a write; waits while an exclusive section is active. */
  async write<T>(work: () => Promise<T>): Promise<T> {
    while (this.closed !== undefined) await this.closed;
    this.writers++;
    try {
      return await work();
    } finally {
      this.writers--;
      if (this.writers === 0) this.drained?.();
    }
  }

  /** Runs `work` with no write in progress and none starting until it ends. */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    while (this.closed !== undefined) await this.closed;
    let open!: () => void;
    this.closed = new Promise<void>((resolve) => (open = resolve));
    try {
      if (this.writers > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      this.drained = undefined;
      return await work();
    } finally {
      this.closed = undefined;
      open();
    }
  }
}
