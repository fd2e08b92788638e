import { DataType } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import { AppError } from '@o2/errors';
import { TIMESTAMP_COLUMN } from './column-spec.js';
import type { ParquetCompression, ParquetWriterOptions } from './parquet-writer.js';
import { writeParquetFromIpc } from './parquet-writer.js';
import { BufferRecycler, tableToIpcStream } from './ipc-stream.js';
import { sortByTimestampDesc } from './sort-by-timestamp-desc.js';

export type { ParquetCompression } from './parquet-writer.js';

const COMPRESSIONS: readonly ParquetCompression[] = ['zstd', 'snappy', 'lz4', 'uncompressed'];

/**
 * Rows per row group (`ZO_PARQUET_MAX_ROW_GROUP_SIZE` when 0). Smaller than O2's 131072: the
 * token index names the row groups a rare term can be in, and DuckDB prunes by row group, so a
 * group is the least a `match_all` reads per hit; `_timestamp` statistics prune finer too.
 * 1M k8s rows in 8 files: 131072 → 16384 is +25 % Parquet bytes (7.7 → 9.7 MB, still under
 * VictoriaLogs' footprint), rare term count 152 → 16 ms (1 hit) and 616 → 253 ms (10 hits),
 * newest 100 of the last 10 s 27 → 17 ms; full scans unchanged within noise.
 */
export const DEFAULT_ROW_GROUP_SIZE = 16 * 1024;

/** Footer key/value metadata keys we write. */
export const METADATA_KEYS = {
  minTs: 'min_ts',
  maxTs: 'max_ts',
  records: 'records',
  originalSize: 'original_size',
} as const;

export interface EncodeParquetOptions {
  rowGroupSize?: number;
  compression?: ParquetCompression;
  /** Bytes the records took before encoding (e.g. their JSON); defaults to the Arrow size. */
  originalSize?: number;
  /** Extra footer key/value metadata. */
  metadata?: Readonly<Record<string, string>>;
}

/** The stats a file_list row needs, besides the file's key. */
export interface ParquetFileStats {
  /** Smallest `_timestamp`, µs. */
  minTs: number;
  maxTs: number;
  records: number;
  originalSize: number;
}

export interface EncodedParquet extends ParquetFileStats {
  bytes: Uint8Array;
  compressedSize: number;
}

/** Everything the wasm step needs, computed on the calling thread. */
export interface PreparedEncode {
  ipc: Uint8Array;
  writer: ParquetWriterOptions;
  stats: ParquetFileStats;
}

/**
 * Checks and measures a table for encoding: sorts it `_timestamp` desc unless it already is,
 * takes the file_list stats, and serialises it as an Arrow IPC stream for parquet-wasm into
 * memory from `allocate`.
 */
export function prepareEncode(
  table: Table,
  options: EncodeParquetOptions = {},
  allocate: (bytes: number) => Uint8Array = (bytes) => new Uint8Array(bytes),
): PreparedEncode {
  const rowGroupSize = options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1) {
    throw AppError.invalidArgument(`rowGroupSize must be a positive integer, got ${rowGroupSize}`);
  }
  const compression = options.compression ?? 'zstd';
  if (!COMPRESSIONS.includes(compression)) {
    throw AppError.invalidArgument(`unknown compression ${String(compression)}`);
  }
  if (table.numRows === 0) throw AppError.invalidArgument('cannot encode an empty table');
  const ts = timestampStats(table);
  const sorted = ts.descending ? table : sortByTimestampDesc(table);
  const stats: ParquetFileStats = {
    minTs: ts.min,
    maxTs: ts.max,
    records: table.numRows,
    originalSize: options.originalSize ?? arrowByteSize(sorted),
  };
  const keyValueMetadata: Array<[string, string]> = [
    ...Object.entries(options.metadata ?? {}),
    [METADATA_KEYS.minTs, String(stats.minTs)],
    [METADATA_KEYS.maxTs, String(stats.maxTs)],
    [METADATA_KEYS.records, String(stats.records)],
    [METADATA_KEYS.originalSize, String(stats.originalSize)],
  ];
  return {
    ipc: tableToIpcStream(sorted, allocate),
    writer: { rowGroupSize, compression, keyValueMetadata },
    stats,
  };
}

/**
 * Encodes a table as one Parquet file (zstd, row groups of at most `rowGroupSize` rows, chunk
 * statistics, min/max ts and records in the footer), sorted `_timestamp` desc. Runs wasm on the
 * calling thread; `ParquetEncoderPool` does the same in worker threads.
 */
export function encodeParquet(table: Table, options: EncodeParquetOptions = {}): EncodedParquet {
  const prepared = prepareEncode(table, options, scratch.take);
  let bytes: Uint8Array;
  try {
    bytes = writeParquetFromIpc(prepared.ipc, prepared.writer);
  } catch (err) {
    throw AppError.internal('parquet encoding failed', err);
  } finally {
    scratch.give(prepared.ipc.buffer as ArrayBuffer);
  }
  return { ...prepared.stats, bytes, compressedSize: bytes.byteLength };
}

/** One IPC buffer reused by direct encodes on this thread (wasm copies it in, so it is free after). */
const scratch = new BufferRecycler(64 * 1024 * 1024, 1);

/** Bytes held by the table's Arrow buffers. */
export function arrowByteSize(table: Table): number {
  let total = 0;
  for (const batch of table.batches) total += batch.data.byteLength;
  return total;
}

interface TimestampStats {
  min: number;
  max: number;
  descending: boolean;
}

function timestampStats(table: Table): TimestampStats {
  const field = table.schema.fields.find((f) => f.name === TIMESTAMP_COLUMN);
  if (field === undefined)
    throw AppError.invalidArgument(`table has no ${TIMESTAMP_COLUMN} column`);
  if (!DataType.isInt(field.type) || field.type.bitWidth !== 64 || !field.type.isSigned) {
    throw AppError.invalidArgument(`${TIMESTAMP_COLUMN} must be Int64, not ${String(field.type)}`);
  }
  const column = table.getChild(TIMESTAMP_COLUMN)!;
  let min = Infinity;
  let max = -Infinity;
  let previous = Infinity;
  let descending = true;
  for (const data of column.data) {
    if (data.nullCount > 0) throw AppError.invalidArgument(`${TIMESTAMP_COLUMN} has nulls`);
    const values = data.values as BigInt64Array;
    // Read int64 as two int32 halves: exact below 2^53 and no BigInt per row.
    const halves = new Int32Array(values.buffer, values.byteOffset, data.length * 2);
    for (let i = 0; i < data.length; i++) {
      const ts = halves[i * 2 + 1]! * 4294967296 + (halves[i * 2]! >>> 0);
      if (ts > previous) descending = false;
      previous = ts;
      if (ts < min) min = ts;
      if (ts > max) max = ts;
    }
  }
  return { min, max, descending };
}
