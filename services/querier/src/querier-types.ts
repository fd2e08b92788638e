import type { Table } from 'apache-arrow';
import type { StoredFileEntry, StreamRef as MetaStreamRef } from '@o2/metastore';
import type { RowRanges, ScanStream } from '@o2/proto';
import type { PartialRows } from '@o2/search';

/** A query's time range in microseconds, half-open. */
export interface TimeRange {
  startTs: number;
  endTs: number;
}

/** One stream's rows held by an ingester plus the stored files, taken at one instant. */
export interface HotSnapshot {
  tables: Table[];
  localFiles: string[];
  storedFiles: StoredFileEntry[];
  release(): void;
}

/** Where hot (not yet uploaded) data comes from: the in-process ingester on a single node. */
export interface HotDataSource {
  snapshot(ref: MetaStreamRef, range: { startTs: number; endTs: number }): Promise<HotSnapshot>;
  /** Cluster: the snapshot, with the stored files read first available before it. */
  begin?(ref: MetaStreamRef, range: { startTs: number; endTs: number }): BegunSnapshot;
}

/** A snapshot under way (`HotDataSource.begin`). */
export interface BegunSnapshot {
  /** This querier's file_list read, taken before any ingester was asked. */
  listed: Promise<StoredFileEntry[]>;
  snapshot: Promise<HotSnapshot>;
}

/** What one querier did for a query: the query profile's per-node part. */
export interface NodeScan {
  name: string;
  files: number;
  records: number;
}

export interface FileSplitResult {
  /** The files this querier reads itself. */
  local: StoredFileEntry[];
  /** This querier's line of the profile (its own share). */
  nodes: NodeScan[];
  /**
   * Has the other queriers run a partial SQL over their shares; absent when this querier holds
   * every file.
   */
  ask?: (sql: string, range: TimeRange) => Promise<RemoteShares>;
}

/** The other queriers' answers to a partial SQL. */
export interface RemoteShares {
  /** One DuckDB-written Parquet file (the partial's result) per querier that answered. */
  parquet: Uint8Array[];
  /** The answers of queriers that had few rows, as text (instead of `parquet`). */
  rows: PartialRows[];
  /** Shares of queriers that were unavailable: this querier reads them after all. */
  unavailable: StoredFileEntry[];
  /** Rows the other queriers scanned. */
  records: number;
  /** Profile lines: each worker's, plus this querier's for the shares it took over. */
  nodes: NodeScan[];
}

/** Spreads a stream's stored files over the live queriers (cluster mode). */
export interface FileSplit {
  split(
    ref: MetaStreamRef,
    files: readonly StoredFileEntry[],
    range: { startTs: number; endTs: number },
    /** The stream's schema and settings as this query read them, handed on to the workers. */
    stream?: ScanStream,
    /**
     * Per file (by `storedFileKey`), the rows this query's token index left: a worker reads
     * only those, as this querier does its own share. Files not in it are read whole.
     */
    rowRanges?: ReadonlyMap<string, RowRanges>,
  ): Promise<FileSplitResult>;
}
