import { resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SearchQuery } from '@o2/domain';
import type { HotTableFiles } from './hot-table-files.js';
import type { BoundStream } from './plan-query.js';
import { streamViewSql } from './stream-view.js';
import type { StreamViewInput } from './stream-view.js';
import { storedFileFacts } from './versioned-cache.js';
import type { FileFacts, VersionedCache } from './versioned-cache.js';

export interface ScanStats {
  bytes: number;
  records: number;
  /** Per stored file: size and mtime, so per-file facts can be cached (see `FooterCache`). */
  versions: Map<string, string>;
  /** Per view: what it was made of, so a top-n query can narrow it afterwards. */
  views: Map<string, StreamViewInput>;
  /** The views of `views` were left uncreated, for `narrowPlanned` to inline or create. */
  deferred?: boolean;
}

/**
 * What one temp view per bound stream would hold (its stored files and its in-memory tables'
 * Parquet copies, limited to the query's time range) and what the query will scan, without
 * making the views: a caller may inline them into its statement as CTEs instead.
 */
export async function streamViewInputs(
  conn: DuckDBConnection,
  streams: readonly BoundStream[],
  request: Pick<SearchQuery, 'startTime' | 'endTime'>,
  hotFiles: HotTableFiles,
  fileFacts: VersionedCache<FileFacts>,
): Promise<ScanStats> {
  const scan: ScanStats = { bytes: 0, records: 0, versions: new Map(), views: new Map() };
  for (const stream of streams) {
    const { source } = stream;
    const hot: string[] = [];
    // The same Table passed twice is still one set of rows.
    for (const table of new Set(source.tables ?? [])) {
      const file = await hotFiles.fileFor(table);
      if (file === undefined) continue;
      hot.push(file);
      scan.records += table.numRows;
      for (const batch of table.batches) scan.bytes += batch.data.byteLength;
    }
    const stored = [...new Set(source.parquetFiles.map((f) => resolve(f)))];
    const facts = await storedFileFacts(
      conn,
      stored,
      fileFacts,
      source.fileSizes,
      source.fileStats,
    );
    scan.bytes += facts.bytes;
    scan.records += facts.records;
    for (const [f, v] of facts.versions) scan.versions.set(f, v);
    const rowRanges = new Map<string, ReadonlyArray<readonly [number, number]>>();
    for (const [file, ranges] of source.rowRanges ?? []) rowRanges.set(resolve(file), ranges);
    scan.views.set(stream.view, {
      view: stream.view,
      schema: source.schema,
      files: [...stored, ...hot],
      schemas: facts.schemas,
      bounds: facts.bounds,
      ...(rowRanges.size > 0 ? { rowRanges } : {}),
      startTime: source.allRows === true ? 0 : request.startTime,
      endTime: source.allRows === true ? Number.MAX_SAFE_INTEGER : request.endTime,
    });
  }
  return scan;
}

/**
 * One temp view per bound stream (see {@link streamViewInputs}); returns what it will scan.
 * `deferred`: the views are only described in `views`, for `narrowPlanned` to inline them as
 * CTEs or create them.
 */
export async function createStreamViews(
  conn: DuckDBConnection,
  streams: readonly BoundStream[],
  request: Pick<SearchQuery, 'startTime' | 'endTime'>,
  hotFiles: HotTableFiles,
  fileFacts: VersionedCache<FileFacts>,
  deferred = false,
): Promise<ScanStats> {
  const scan = await streamViewInputs(conn, streams, request, hotFiles, fileFacts);
  if (deferred) return { ...scan, deferred };
  for (const view of scan.views.values()) await conn.run(streamViewSql(view));
  return scan;
}
