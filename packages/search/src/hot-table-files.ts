import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unlinkSync } from 'node:fs';
import type { Table } from 'apache-arrow';
import { ParquetEncoderPool } from '@o2/parquet';

/**
 * In-memory Arrow tables reach DuckDB as small uncompressed Parquet files. Measured on this
 * machine with k8slog rows (38 columns): encoding 20k rows takes ~150 ms and DuckDB scans the
 * file in milliseconds, while the Appender (`appendDataChunk`) needs ~0.5 s for the same rows
 * and NDJSON is slower still. Arrow tables are immutable, so each table is encoded once and the
 * file is reused by every later query until the table is garbage-collected or the cache closed.
 * The encoding runs in a worker thread: on the main thread it held up every other query's
 * planning and result conversion, and ingest's request handling, for its whole duration
 * (event-loop delay up to seconds with 8 searchers under ingest).
 */
export class HotTableFiles {
  private readonly files = new WeakMap<Table, Promise<string>>();
  private readonly paths = new Set<string>();
  private readonly registry = new FinalizationRegistry<string>((path) => {
    this.paths.delete(path);
    try {
      unlinkSync(path);
    } catch {
      // Already gone (close() removed the directory): nothing to free.
    }
  });
  private ready: Promise<void> | undefined;
  private encoder: ParquetEncoderPool | undefined;

  /** `dir` is also the engine's scratch space for split queries' partial results. */
  constructor(readonly dir: string) {}

  /** The Parquet file holding `table`'s rows; undefined for an empty table. */
  async fileFor(table: Table): Promise<string | undefined> {
    if (table.numRows === 0) return undefined;
    let pending = this.files.get(table);
    if (pending === undefined) {
      pending = this.write(table);
      this.files.set(table, pending);
      pending.catch(() => this.files.delete(table));
    }
    return pending;
  }

  get fileCount(): number {
    return this.paths.size;
  }

  private async write(table: Table): Promise<string> {
    this.ready ??= mkdir(this.dir, { recursive: true }).then(() => undefined);
    await this.ready;
    this.encoder ??= new ParquetEncoderPool({ size: 1 });
    const encoded = await this.encoder.encode(table, { compression: 'uncompressed' });
    const path = join(this.dir, `${randomUUID()}.parquet`);
    await writeFile(path, encoded.bytes);
    this.paths.add(path);
    this.registry.register(table, path);
    return path;
  }

  async close(): Promise<void> {
    await this.encoder?.close();
    this.paths.clear();
    await rm(this.dir, { recursive: true, force: true });
  }
}
