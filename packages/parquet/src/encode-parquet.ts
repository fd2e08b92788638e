import { DataType } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import { AppError } from '@o2/errors';
import { TIMESTAMP_COLUMN } from './column-spec.js';
import type { ParquetCompression, ParquetWriterOptions } from './parquet-writer.js';
import { writeParquetFromIpc, writeParquetFromIpcPieces } from './parquet-writer.js';
import { BufferRecycler, tableToIpcStreams } from './ipc-stream.js';
import { RowGroupShape } from './group-feed.js';
import { DEFAULT_ROW_GROUP_SIZE } from './row-clusters.js';
import { toFileOrder } from './sort-by-timestamp-desc.js';

export type { ParquetCompression } from './parquet-writer.js';

const COMPRESSIONS: readonly ParquetCompression[] = ['zstd', 'snappy', 'lz4', 'uncompressed'];

export { DEFAULT_ROW_GROUP_SIZE } from './row-clusters.js';

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
  /**
   * Cluster rows within row groups when the table has to be put in file order
   * (`clusterWithinGroups`; logs streams): otherwise `_timestamp` desc alone.
   */
  cluster?: boolean;
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
  /** Where each IPC stream in `ipc` ends: one, or one per row group (`perRowGroup`). */
  streamEnds: number[];
  writer: ParquetWriterOptions;
  stats: ParquetFileStats;
}

/**
 * Checks and measures a table for encoding: puts it in file order (row groups newest first; with
 * `cluster`, rows clustered within each: `clusterWithinGroups`) unless its row groups already
 * are time slices newest first, takes the file_list stats, and serialises it as an Arrow IPC
 * stream for parquet-wasm into memory from `allocate` — with `perRowGroup`, one stream per row
 * group, for `writeParquetFromIpcStreams`.
 */
export function prepareEncode(
  table: Table,
  options: EncodeParquetOptions = {},
  allocate: (bytes: number) => Uint8Array = (bytes) => new Uint8Array(bytes),
  perRowGroup = false,
): PreparedEncode {
  const { sorted, stats, rowGroupSize } = inFileOrder(table, options);
  return {
    ...tableToIpcStreams(sorted, perRowGroup ? rowGroupSize : undefined, allocate),
    writer: writerOptions(options, stats),
    stats,
  };
}

/**
 * Writes row groups given one table each, already in file order (at most `rowGroupSize` rows
 * each, only the last shorter; their `_timestamp`s within `stats`), a group at a time: each
 * group's IPC is made when the writer asks for it, so neither the whole table's IPC nor its
 * wasm copy ever exists (`ColumnarBatchBuilder.copyInGroups` makes such groups).
 */
export async function encodeParquetGroups(
  groups: Iterable<Table> | AsyncIterable<Table>,
  stats: ParquetFileStats,
  options: EncodeParquetOptions = {},
): Promise<EncodedParquet> {
  const { rowGroupSize } = checkedOptions(options);
  if (stats.records === 0) throw AppError.invalidArgument('cannot encode an empty table');
  const shape = new RowGroupShape(rowGroupSize, stats.records);
  async function* pieces(): AsyncGenerator<Uint8Array> {
    for await (const group of groups) {
      shape.add(group);
      yield tableToIpcStreams(group, undefined, (n) => new Uint8Array(n)).ipc;
    }
  }
  let bytes: Uint8Array;
  try {
    bytes = await writeParquetFromIpcPieces(pieces(), writerOptions(options, stats));
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw AppError.internal('parquet encoding failed', err);
  }
  shape.end();
  return { ...stats, bytes, compressedSize: bytes.byteLength };
}

/** The table in file order with its file_list stats (see `prepareEncode`). */
function inFileOrder(
  table: Table,
  options: EncodeParquetOptions,
): { sorted: Table; stats: ParquetFileStats; rowGroupSize: number } {
  const { rowGroupSize } = checkedOptions(options);
  if (table.numRows === 0) throw AppError.invalidArgument('cannot encode an empty table');
  const ts = timestampStats(table, rowGroupSize);
  const sorted = ts.groupsInOrder
    ? table
    : toFileOrder(table, options.cluster === true ? rowGroupSize : undefined);
  const stats: ParquetFileStats = {
    minTs: ts.min,
    maxTs: ts.max,
    records: table.numRows,
    originalSize: options.originalSize ?? arrowByteSize(sorted),
  };
  return { sorted, stats, rowGroupSize };
}

function checkedOptions(options: EncodeParquetOptions): {
  rowGroupSize: number;
  compression: ParquetCompression;
} {
  const rowGroupSize = options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1) {
    throw AppError.invalidArgument(`rowGroupSize must be a positive integer, got ${rowGroupSize}`);
  }
  const compression = options.compression ?? 'zstd';
  if (!COMPRESSIONS.includes(compression)) {
    throw AppError.invalidArgument(`unknown compression ${String(compression)}`);
  }
  return { rowGroupSize, compression };
}

/** The writer's settings: row groups, codec and our footer metadata (file_list stats). */
export function writerOptions(
  options: EncodeParquetOptions,
  stats: ParquetFileStats,
): ParquetWriterOptions {
  const { rowGroupSize, compression } = checkedOptions(options);
  const keyValueMetadata: Array<[string, string]> = [
    ...Object.entries(options.metadata ?? {}),
    [METADATA_KEYS.minTs, String(stats.minTs)],
    [METADATA_KEYS.maxTs, String(stats.maxTs)],
    [METADATA_KEYS.records, String(stats.records)],
    [METADATA_KEYS.originalSize, String(stats.originalSize)],
  ];
  return { rowGroupSize, compression, keyValueMetadata };
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

/**
 * `encodeParquet`'s file, written one row group at a time (`encodeParquetGroups` over the
 * table's row-group slices in file order): wasm memory stays near one row group's size whatever
 * the table's, and no whole-table IPC copy is made. For large tables in long-lived threads.
 */
export async function encodeParquetStreaming(
  table: Table,
  options: EncodeParquetOptions = {},
): Promise<EncodedParquet> {
  const { sorted, stats, rowGroupSize } = inFileOrder(table, options);
  function* slices(): Generator<Table> {
    for (let at = 0; at < sorted.numRows; at += rowGroupSize) {
      yield sorted.slice(at, at + rowGroupSize);
    }
  }
  return encodeParquetGroups(slices(), stats, options);
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
  /** Every run of `groupRows` rows (a row group) is newer than or as new as all after it. */
  groupsInOrder: boolean;
}

function timestampStats(table: Table, groupRows: number): TimestampStats {
  const field = table.schema.fields.find((f) => f.name === TIMESTAMP_COLUMN);
  if (field === undefined)
    throw AppError.invalidArgument(`table has no ${TIMESTAMP_COLUMN} column`);
  if (!DataType.isInt(field.type) || field.type.bitWidth !== 64 || !field.type.isSigned) {
    throw AppError.invalidArgument(`${TIMESTAMP_COLUMN} must be Int64, not ${String(field.type)}`);
  }
  const column = table.getChild(TIMESTAMP_COLUMN)!;
  let min = Infinity;
  let max = -Infinity;
  let earlierGroupsMin = Infinity;
  let groupMin = Infinity;
  let groupLeft = groupRows;
  let groupsInOrder = true;
  for (const data of column.data) {
    if (data.nullCount > 0) throw AppError.invalidArgument(`${TIMESTAMP_COLUMN} has nulls`);
    const values = data.values as BigInt64Array;
    // Read int64 as two int32 halves: exact below 2^53 and no BigInt per row.
    const halves = new Int32Array(values.buffer, values.byteOffset, data.length * 2);
    for (let i = 0; i < data.length; i++) {
      const ts = halves[i * 2 + 1]! * 4294967296 + (halves[i * 2]! >>> 0);
      if (groupLeft-- === 0) {
        if (groupMin < earlierGroupsMin) earlierGroupsMin = groupMin;
        groupMin = Infinity;
        groupLeft = groupRows - 1;
      }
      if (ts > earlierGroupsMin) groupsInOrder = false;
      if (ts < groupMin) groupMin = ts;
      if (ts < min) min = ts;
      if (ts > max) max = ts;
    }
  }
  return { min, max, groupsInOrder };
}
