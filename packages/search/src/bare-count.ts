import { resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Table } from 'apache-arrow';
import type { SearchQuery } from '@o2/domain';
import type { BareCount, FooterCache } from './count-from-metadata.js';
import { wholeFileRows } from './count-from-metadata.js';
import { createStreamViews } from './create-views.js';
import type { ScanStats } from './create-views.js';
import { countTableRows } from './hot-table-count.js';
import type { HotTableFiles } from './hot-table-files.js';
import type { BoundStream } from './plan-query.js';
import { storedFileFacts } from './versioned-cache.js';
import type { FileFacts, VersionedCache } from './versioned-cache.js';

export interface BareCountCaches {
  fileFacts: VersionedCache<FileFacts>;
  footers: FooterCache;
}

export interface BareCountResult {
  /** Rows counted without a scan. */
  counted: number;
  /** What the query covers (all files and tables, as a full scan would report). */
  scan: ScanStats;
  /** Whether the stream's view was made over rows left to count (files the range cuts). */
  scanRest: boolean;
}

/**
 * A bare `count(*)` (see `BareCount`) answered without DuckDB where the data allows: stored files
 * lying wholly inside the range count from their footers, in-memory tables from their Arrow
 * `_timestamp` column. Only files the range cuts (or read in row ranges) still get a view for
 * the query to scan. Before this, every count created the view over every file and encoded the
 * memtable to Parquet, then created the view again over the rest: DuckDB binds `read_parquet`
 * over every file on each CREATE VIEW, which was most of a count's cost once the rows came
 * from footers.
 */
export async function countBareStream(
  conn: DuckDBConnection,
  stream: BoundStream,
  request: Pick<SearchQuery, 'startTime' | 'endTime'>,
  bare: BareCount,
  hotFiles: HotTableFiles,
  caches: BareCountCaches,
): Promise<BareCountResult> {
  const { source } = stream;
  const start = Math.max(source.allRows === true ? 0 : request.startTime, bare.start ?? -Infinity);
  const end = Math.min(
    source.allRows === true ? Number.MAX_SAFE_INTEGER : request.endTime,
    bare.end ?? Infinity,
  );
  const scan: ScanStats = { bytes: 0, records: 0, versions: new Map(), views: new Map() };
  let counted = 0;
  const restTables: Table[] = [];
  for (const table of new Set(source.tables ?? [])) {
    scan.records += table.numRows;
    for (const batch of table.batches) scan.bytes += batch.data.byteLength;
    const rows = start < end ? countTableRows(table, start, end) : 0;
    if (rows === undefined) restTables.push(table);
    else counted += rows;
  }
  const stored = [...new Set(source.parquetFiles.map((f) => resolve(f)))];
  const facts = await storedFileFacts(
    conn,
    stored,
    caches.fileFacts,
    source.fileSizes,
    source.fileStats,
  );
  scan.bytes += facts.bytes;
  scan.records += facts.records;
  scan.versions = facts.versions;
  const ranged = new Set([...(source.rowRanges?.keys() ?? [])].map((f) => resolve(f)));
  // A file read in row ranges only is never counted whole (no such file in a bare count today).
  const candidates = stored.filter((f) => !ranged.has(f));
  const whole =
    start < end
      ? await wholeFileRows(conn, candidates, { start, end }, caches.footers, facts.versions)
      : new Map(stored.map((f) => [f, 0]));
  for (const rows of whole.values()) counted += rows;
  const restFiles = stored.filter((f) => !whole.has(f));
  if (restFiles.length === 0 && restTables.length === 0) {
    return { counted, scan, scanRest: false };
  }
  const rest = { ...stream, source: { ...source, parquetFiles: restFiles, tables: restTables } };
  const made = await createStreamViews(conn, [rest], request, hotFiles, caches.fileFacts);
  scan.views = made.views;
  return { counted, scan, scanRest: true };
}
