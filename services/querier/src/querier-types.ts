import type { Table } from 'apache-arrow';
import type { StoredFileEntry, StreamRef as MetaStreamRef } from '@o2/metastore';

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
  /** Rows (in the query's range) of the files other queriers read. */
  tables: Table[];
  nodes: NodeScan[];
}

/** Spreads a stream's stored files over the live queriers (cluster mode). */
export interface FileSplit {
  split(
    ref: MetaStreamRef,
    files: readonly StoredFileEntry[],
    range: { startTs: number; endTs: number },
  ): Promise<FileSplitResult>;
}

export interface StoredRows {
  tables: Table[];
  records: number;
}
