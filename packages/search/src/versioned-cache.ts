import { stat } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { literalList } from './sql-text.js';

const LIMIT = 20_000;

/**
 * A value per file path and version (e.g. size and mtime: a file rewritten in place is a new
 * version), dropping the least recently set past `limit` entries.
 */
export class VersionedCache<T> {
  private readonly entries = new Map<string, { version: string; value: T }>();

  constructor(private readonly limit = LIMIT) {}

  get(path: string, version: string): T | undefined {
    const entry = this.entries.get(path);
    return entry?.version === version ? entry.value : undefined;
  }

  set(path: string, version: string, value: T): void {
    this.entries.delete(path);
    this.entries.set(path, { version, value });
    if (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}

/**
 * Bytes and rows of a query's stored files, and each file's version (size and mtime). Row
 * counts come from the Parquet footers once per file version.
 */
export async function storedFileFacts(
  conn: DuckDBConnection,
  files: readonly string[],
  rowCounts: VersionedCache<number>,
): Promise<{ bytes: number; records: number; versions: Map<string, string> }> {
  const versions = new Map<string, string>();
  let bytes = 0;
  const stats = await Promise.all(files.map((f) => stat(f)));
  files.forEach((f, i) => {
    versions.set(f, `${stats[i]!.size}:${stats[i]!.mtimeMs}`);
    bytes += stats[i]!.size;
  });
  const unknown = files.filter((f) => rowCounts.get(f, versions.get(f)!) === undefined);
  if (unknown.length > 0) {
    const reader = await conn.runAndReadAll(
      `SELECT file_name, num_rows::BIGINT FROM parquet_file_metadata(${literalList(unknown)})`,
    );
    for (const [file, rows] of reader.getRows()) {
      const version = versions.get(String(file));
      if (version !== undefined) rowCounts.set(String(file), version, Number(rows));
    }
  }
  let records = 0;
  for (const f of files) records += rowCounts.get(f, versions.get(f)!) ?? 0;
  return { bytes, records, versions };
}
