import { mkdir, open, readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { IngestResult } from '@o2/domain';
import { writeFileAtomic } from '../persist/fs-atomic.js';

/** One remembered answer: org, key, request fingerprint, first-answer time (ms), the answer. */
export interface IdempotencyRecord {
  o: string;
  k: string;
  f: string;
  t: number;
  r: IngestResult;
}

interface Pending {
  line: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const FILE = 'journal.ndjson';

/**
 * The durable side of the idempotency keys: an append-only file of NDJSON records under
 * `{ZO_DATA_WAL_DIR}/idempotency/`. WAL segments are dropped once their rows are committed as
 * Parquet, long before a 10 min window ends, so the key written in the WAL header alone would be
 * forgotten; this file keeps it for the whole window. Appends that arrive together share one
 * write and (unless ZO_WAL_FSYNC_DISABLED) one fsync, like the WAL's. `rewrite` replaces the
 * file with the live records only (temp + rename), so it stays about one window long.
 */
export class IdempotencyJournal {
  private pending: Pending[] = [];
  private chain: Promise<void> = Promise.resolve();
  private scheduled = false;
  private bytes = 0;

  private constructor(
    private readonly dir: string,
    private handle: FileHandle,
    private readonly fsync: boolean,
  ) {}

  /** Opens (creating) the journal and returns it with the records it holds, oldest first. */
  static async open(
    dir: string,
    fsync: boolean,
  ): Promise<{ journal: IdempotencyJournal; records: IdempotencyRecord[] }> {
    await mkdir(dir, { recursive: true });
    const path = join(dir, FILE);
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const records: IdempotencyRecord[] = [];
    for (const line of text.split('\n')) {
      if (line === '') continue;
      try {
        records.push(JSON.parse(line) as IdempotencyRecord);
      } catch {
        // A line torn by a crash mid-append: its request's WAL segment was still active then
        // (the append happens inside the write gate), so WAL replay restores the key.
      }
    }
    const journal = new IdempotencyJournal(dir, await open(path, 'a'), fsync);
    journal.bytes = Buffer.byteLength(text);
    return { journal, records };
  }

  /** Bytes in the file now (appended since the last rewrite included). */
  get size(): number {
    return this.bytes;
  }

  /** Appends one record; resolves once written (and synced when fsync is on). */
  append(record: IdempotencyRecord): Promise<void> {
    const line = `${JSON.stringify(record)}\n`;
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ line, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      this.chain = this.chain.then(() => this.writePending());
    });
  }

  /** Replaces the file by `records()` taken when the rewrite runs (after queued appends). */
  rewrite(records: () => IdempotencyRecord[]): Promise<void> {
    const run = this.chain.then(async () => {
      const text = records()
        .map((r) => `${JSON.stringify(r)}\n`)
        .join('');
      const path = join(this.dir, FILE);
      await writeFileAtomic(path, text);
      await this.handle.close();
      this.handle = await open(path, 'a');
      this.bytes = Buffer.byteLength(text);
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.chain;
    await this.handle.close();
  }

  private async writePending(): Promise<void> {
    this.scheduled = false;
    const batch = this.pending.splice(0);
    if (batch.length === 0) return;
    try {
      const text = batch.map((p) => p.line).join('');
      await this.handle.write(text);
      if (this.fsync) await this.handle.datasync();
      this.bytes += Buffer.byteLength(text);
      for (const p of batch) p.resolve();
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }
}
