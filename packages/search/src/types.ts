import type { Table } from 'apache-arrow';
import type { FieldType } from '@o2/domain';
import type { PartialRows } from './partial-rows.js';
import type { ListedFileStats } from './versioned-cache.js';

/** `ZO_QUERY_DEFAULT_LIMIT`: rows returned when neither `size` nor a SQL LIMIT says otherwise. */
export const DEFAULT_QUERY_LIMIT = 1000;

/** O2's `QUERY_WITH_NO_LIMIT`: a `size` of -999 lifts the default limit. */
export const QUERY_WITH_NO_LIMIT = -999;

/** Column types of a stream schema (@o2/domain's `FieldType`, as `@o2/schema` uses them). */
export type StreamFieldType = FieldType;

export interface StreamField {
  name: string;
  type: StreamFieldType;
}

export interface StreamSettings {
  /** Extra full-text fields of the stream (O2's `settings.full_text_search_keys`). */
  full_text_search_keys?: readonly string[];
}

/** A stream as the SQL names it: `"default"` or `logs."default"`. */
export interface StreamRef {
  name: string;
  /** The schema qualifier when one was written (`logs`, `metrics`, `traces`, ...). */
  type?: string;
}

/** Everything the engine reads for one stream the SQL references. */
export interface StreamSource {
  name: string;
  /** Stream type, matched against a schema qualifier in the SQL when both are given. */
  type?: string;
  /** The stored schema; empty means the stream does not exist (20002). */
  schema: readonly StreamField[];
  /** Local Parquet files holding the stream's stored rows (already pruned by the caller). */
  parquetFiles: readonly string[];
  /**
   * Per file of `parquetFiles`: the only `[first, end)` row ranges that can match the query
   * (from the token index's row groups, `tokenIndexRowRanges`). Other files are read whole.
   */
  rowRanges?: ReadonlyMap<string, ReadonlyArray<readonly [number, number]>>;
  /**
   * Bytes of files of `parquetFiles` as the file list has them (keys: resolved paths). A stored
   * file is immutable (a new name per write), so its size is its version: no `stat` per query.
   */
  fileSizes?: ReadonlyMap<string, number>;
  /**
   * Rows and `_timestamp` bounds of files of `parquetFiles` as the file list has them (keys:
   * resolved paths), so a file met for the first time costs no footer statistics read.
   */
  fileStats?: ReadonlyMap<string, ListedFileStats>;
  /** Rows held in memory (memtables, immutables), Arrow tables with columns from `schema`. */
  tables?: readonly Table[];
  settings?: StreamSettings;
  /**
   * Read every row whatever the query's time range (enrichment tables: their rows carry the
   * upload time, which says nothing about the rows they are joined with).
   */
  allRows?: boolean;
  /**
   * Cluster mode: the stream's files other queriers hold. The engine calls it once per query
   * with the partial SQL each of them runs over its own files (see `splitPlan`).
   */
  remote?: RemoteScan;
  /**
   * Cluster mode, with `remote`: rows this querier's own share still waits for (the ingesters'
   * rows and the stored files their answers added), read beside the workers' calls instead of
   * before them. A rejection fails the query.
   */
  late?: Promise<LateRows>;
}

/** What a leader's own share adds once the ingesters answered (see `StreamSource.late`). */
export interface LateRows {
  tables: readonly Table[];
  parquetFiles: readonly string[];
}

/** What the other queriers answered to a partial SQL. */
export interface RemotePartials {
  /** One DuckDB-written Parquet file per querier that answered with many rows. */
  parquet: Uint8Array[];
  /** The answers of queriers that had few rows, as text (see `PartialRows`). */
  rows: PartialRows[];
  /** Local paths of stored files to read here after all (their querier was unavailable). */
  files: string[];
  /** Rows the other queriers scanned. */
  records: number;
}

/** Runs a partial SQL (over the stream, in µs `[startTs, endTs)`) on the other queriers. */
export type RemoteScan = (
  partialSql: string,
  range: { startTs: number; endTs: number },
) => Promise<RemotePartials>;

export interface SearchOptions {
  /** `ZO_QUERY_DEFAULT_LIMIT` (default 1000). */
  defaultLimit?: number;
  /** Full-text fields every stream has before its own settings (default `DEFAULT_FTS_FIELDS`). */
  defaultFtsFields?: readonly string[];
  /**
   * List-of-numbers result columns come back as `NumericList`s instead of JSON arrays: for
   * callers inside the process that read millions of list items (PromQL's samples).
   */
  numericLists?: NumericListOptions;
}

export interface NumericListOptions {
  /**
   * Longer lists come back as null without being copied (the caller bounds its memory and
   * tells a list that was too long by a count column of its own).
   */
  maxLength?: number;
}

/** One row's list of numbers (`SearchOptions.numericLists`); a NULL item is NaN, flagged in `nulls`. */
export interface NumericList {
  values: Float64Array;
  nulls: Uint8Array | undefined;
}

export interface TookDetail {
  total: number;
  cache_took: number;
  file_list_took: number;
  wait_in_queue: number;
  idx_took: number;
  search_took: number;
}

export type Hit = Record<string, unknown>;

/** O2's `_search` response. */
export interface SearchResponse {
  took: number;
  took_detail: TookDetail;
  hits: Hit[];
  total: number;
  from: number;
  size: number;
  /** MB of Parquet and in-memory data the query had to consider. */
  scan_size: number;
  scan_records: number;
  cached_ratio: number;
  idx_scan_size: number;
  result_cache_ratio: number;
  is_partial: boolean;
  function_error: string[];
  /** Seconds per bucket, present when the query used `histogram(...)`. */
  histogram_interval?: number;
}

/** A response with no hits, the base `_values` folds its per-field answers into. */
export function emptyResponse(): SearchResponse {
  return {
    took: 0,
    took_detail: {
      total: 0,
      cache_took: 0,
      file_list_took: 0,
      wait_in_queue: 0,
      idx_took: 0,
      search_took: 0,
    },
    hits: [],
    total: 0,
    from: 0,
    size: 0,
    scan_size: 0,
    scan_records: 0,
    cached_ratio: 0,
    idx_scan_size: 0,
    result_cache_ratio: 0,
    is_partial: false,
    function_error: [],
  };
}
