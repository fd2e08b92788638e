import type { FileEntry } from '@o2/domain';
import { fileKey, parseFileKey, storedFileKey } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { MetaStore, SchemaField, StoredFileEntry, StreamRef } from '@o2/metastore';
import { ColumnarBatchBuilder, encodeParquet, generateFileId, readParquet } from '@o2/parquet';
import type { ObjectStore } from '@o2/storage';
import type { CsvTable } from './parse-csv.js';

export const ENRICHMENT_TABLES = 'enrichment_tables';

export interface EnrichmentStoreDeps {
  metaStore: MetaStore;
  objectStore: ObjectStore;
  /** Wall clock, ms (tests pin it). */
  now?: () => number;
  /**
   * Largest table (bytes of its rows in memory, summed over its files): an append that would
   * pass it fails with PAYLOAD_TOO_LARGE (`ZO_ENRICHMENT_TABLE_LIMIT`). No limit when absent.
   */
  maxTableBytes?: number;
}

/** One table as the VRL functions read it: its columns and rows (`_timestamp` left out). */
export interface LoadedTable {
  name: string;
  columns: readonly string[];
  rows: ReadonlyArray<Readonly<Record<string, string>>>;
  /** The live files it was read from (ids), so a cache can tell when the table changed. */
  version: string;
}

export interface TableSummary {
  name: string;
  records: number;
  files: number;
  /** When the current contents were written, µs (O2's `_timestamp` of the rows). */
  updatedAt: number;
}

const MAX_ATTEMPTS = 5;

const refOf = (org: string, name: string): StreamRef => ({ org, type: ENRICHMENT_TABLES, name });

/** The version token of a file set: the sorted ids of its live files. */
export function versionOf(files: readonly StoredFileEntry[]): string {
  return files
    .map((f) => f.id)
    .sort((a, b) => a - b)
    .join(',');
}

function unionFields(a: readonly SchemaField[], b: readonly SchemaField[]): SchemaField[] {
  const names = new Set(a.map((f) => f.name));
  return [...a, ...b.filter((f) => !names.has(f.name))];
}

const sameFields = (a: readonly SchemaField[], b: readonly SchemaField[]): boolean =>
  a.length === b.length && a.every((f, i) => f.name === b[i]?.name && f.type === b[i]?.type);

/**
 * Enrichment tables stored as O2 stores them: a stream of type `enrichment_tables`, each upload
 * one Parquet file (every value a string, `_timestamp` the upload time) under the normal object
 * key, registered in `file_list`, the schema in the schema history. So the streams API lists
 * them, stream deletion removes them, and search reads them like any stream, in both shapes.
 *
 * A replacing upload swaps the table's whole file set in one `file_list` transaction: a reader
 * sees the old rows or the new ones, never both. While it happens the schema is the union of
 * the old and new columns (a column the rows lack reads NULL); afterwards it is the new header.
 */
export class EnrichmentStore {
  private readonly now: () => number;

  constructor(private readonly deps: EnrichmentStoreDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Stores the CSV's rows as the table (`append` false) or adds them to it. */
  async save(org: string, name: string, csv: CsvTable, append: boolean): Promise<TableSummary> {
    const { metaStore, objectStore } = this.deps;
    const ref = refOf(org, name);
    if ((await metaStore.streamDeletions.get(ref)) !== undefined) {
      throw new AppError('CONFLICT', `enrichment table ${name} is being deleted; try again later`);
    }
    const ts = this.now() * 1000;
    const fields: SchemaField[] = [
      { name: '_timestamp', type: 'Int64' },
      ...csv.columns.map((c) => ({ name: c, type: 'Utf8' })),
    ];
    const builder = new ColumnarBatchBuilder(
      fields.map((f) => ({ name: f.name, type: f.type === 'Int64' ? 'Int64' : 'Utf8' })),
    );
    for (const row of csv.rows) {
      const record: Record<string, string | number> = { _timestamp: ts };
      csv.columns.forEach((c, i) => (record[c] = row[i] ?? ''));
      builder.append(record);
    }
    const encoded = encodeParquet(builder.finish());
    if (append && this.deps.maxTableBytes !== undefined) {
      const live = await metaStore.fileList.query(ref);
      const total = live.reduce((n, f) => n + f.originalSize, encoded.originalSize);
      if (total > this.deps.maxTableBytes)
        throw new AppError(
          'PAYLOAD_TOO_LARGE',
          `enrichment table ${name} would exceed the limit of ${this.deps.maxTableBytes} bytes`,
        );
    }
    const id = generateFileId(this.now());
    const key = fileKey({ org, streamType: ENRICHMENT_TABLES, stream: name, ts, id });
    const parsed = parseFileKey(key);
    const entry: FileEntry = {
      org,
      type: ENRICHMENT_TABLES,
      stream: name,
      date: parsed.date,
      file: parsed.file,
      minTs: encoded.minTs,
      maxTs: encoded.maxTs,
      records: encoded.records,
      originalSize: encoded.originalSize,
      compressedSize: encoded.compressedSize,
      indexSize: 0,
      flattened: false,
    };
    await objectStore.put(key, encoded.bytes);
    await metaStore.streams.ensure(ref);
    await this.putSchema(ref, ts, (current) => unionFields(current, fields));
    await this.swapFiles(ref, entry, append);
    if (!append) await this.putSchema(ref, ts, () => fields);
    const live = await metaStore.fileList.query(ref);
    return {
      name,
      records: live.reduce((n, f) => n + f.records, 0),
      files: live.length,
      updatedAt: ts,
    };
  }

  /** Every table of the org that is not being deleted. */
  async list(org: string): Promise<TableSummary[]> {
    const { metaStore } = this.deps;
    const deleting = new Set(
      (await metaStore.streamDeletions.list(org))
        .filter((d) => d.type === ENRICHMENT_TABLES)
        .map((d) => d.name),
    );
    const streams = await metaStore.streams.list(org, ENRICHMENT_TABLES);
    const out: TableSummary[] = [];
    for (const stream of streams) {
      if (deleting.has(stream.name)) continue;
      const files = await metaStore.fileList.query(stream);
      out.push({
        name: stream.name,
        records: files.reduce((n, f) => n + f.records, 0),
        files: files.length,
        updatedAt: files.reduce((m, f) => Math.max(m, f.maxTs), 0),
      });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The live files' version token; undefined when the table does not exist or is being deleted. */
  async version(org: string, name: string): Promise<string | undefined> {
    const ref = refOf(org, name);
    if ((await this.deps.metaStore.streamDeletions.get(ref)) !== undefined) return undefined;
    const files = await this.deps.metaStore.fileList.query(ref);
    return files.length === 0 ? undefined : versionOf(files);
  }

  /** The table's rows, read from its live files; undefined when it has none. */
  async load(org: string, name: string): Promise<LoadedTable | undefined> {
    const { metaStore, objectStore } = this.deps;
    const ref = refOf(org, name);
    if ((await metaStore.streamDeletions.get(ref)) !== undefined) return undefined;
    const files = await metaStore.fileList.query(ref);
    if (files.length === 0) return undefined;
    const schema = await metaStore.schemas.latest(ref);
    const columns = (schema?.fields ?? []).map((f) => f.name).filter((c) => c !== '_timestamp');
    const rows: Array<Record<string, string>> = [];
    for (const file of files) {
      const table = await readParquet(await objectStore.getBytes(storedFileKey(file)));
      const vectors = columns.map((c) => [c, table.getChild(c)] as const);
      for (let i = 0; i < table.numRows; i++) {
        const out: Record<string, string> = {};
        for (const [c, vector] of vectors) {
          const v: unknown = vector?.get(i);
          if (typeof v === 'string') out[c] = v;
        }
        rows.push(out);
      }
    }
    return { name, columns, rows, version: versionOf(files) };
  }

  /** Stores the next schema version when `next` changes it (retrying a concurrent writer). */
  private async putSchema(
    ref: StreamRef,
    ts: number,
    next: (current: readonly SchemaField[]) => SchemaField[],
  ): Promise<void> {
    const schemas = this.deps.metaStore.schemas;
    for (let attempt = 1; ; attempt++) {
      const latest = await schemas.latest(ref);
      const fields = next(latest?.fields ?? []);
      if (latest !== undefined && sameFields(latest.fields, fields)) return;
      try {
        await schemas.put(ref, latest?.version ?? 0, ts, fields);
        return;
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'CONFLICT') || attempt >= MAX_ATTEMPTS)
          throw err;
      }
    }
  }

  /**
   * Registers the new file; replacing also retires every live file in the same transaction
   * (retried when another writer or the compactor changed the set meanwhile).
   */
  private async swapFiles(ref: StreamRef, entry: FileEntry, append: boolean): Promise<void> {
    const fileList = this.deps.metaStore.fileList;
    for (let attempt = 1; ; attempt++) {
      const removed = append
        ? []
        : (await fileList.query(ref)).map((f) => ({ date: f.date, file: f.file }));
      try {
        await fileList.replace(ref, [entry], removed);
        return;
      } catch (err) {
        const retry =
          err instanceof AppError &&
          err.code === 'CONFLICT' &&
          !/being deleted/.test(err.message) &&
          attempt < MAX_ATTEMPTS;
        if (!retry) throw err;
      }
    }
  }
}
