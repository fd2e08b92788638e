import type { Table } from 'apache-arrow';
import { AppError } from '@o2/errors';
import type { ColumnSpec } from './column-spec.js';
import { columnSpecsOf, normaliseSchema } from './column-spec.js';
import { ColumnarBatchBuilder } from './columnar-batch-builder.js';
import type { EncodedParquet, EncodeParquetOptions } from './encode-parquet.js';
import { encodeParquetGroups } from './encode-parquet.js';
import { readParquetMetadata, readParquetRowGroups } from './read-parquet.js';
import { DEFAULT_ROW_GROUP_SIZE } from './row-clusters.js';
import { unionSchema } from './union-schema.js';

export interface MergeParquetOptions extends EncodeParquetOptions {
  /** Encoder to use, e.g. `pool.encode` so wasm encoding happens off this thread. */
  encode?: (
    table: Table,
    options: EncodeParquetOptions,
  ) => EncodedParquet | Promise<EncodedParquet>;
}

/**
 * Merges Parquet files into one, in file order (`_timestamp` desc; with `cluster`, clustered
 * within row groups: `clusterWithinGroups`). The output schema is the union of
 * `schema` (the stream's current one, whose order leads) and the files' schemas, widened where
 * types differ; a file's missing columns read null. `originalSize` adds up the inputs' when
 * they all carry it. Files are decoded a row group at a time on this thread, yielding between
 * files, and written a row group at a time from the batch builder (`copyInGroups`,
 * `encodeParquetGroups`): wasm memory stays near one row group's size, and the merged rows are
 * held once. With `encode`, the merged table is made whole and handed to it instead.
 */
export async function mergeParquetFiles(
  files: readonly Uint8Array[],
  schema: readonly ColumnSpec[] = [],
  options: MergeParquetOptions = {},
): Promise<EncodedParquet> {
  if (files.length === 0) throw AppError.invalidArgument('nothing to merge');
  const metadata = await Promise.all(files.map((file) => readParquetMetadata(file)));
  const merged = unionSchema([
    normaliseSchema(schema),
    ...metadata.map((m) => columnSpecsOf(m.schema)),
  ]);
  const totalRows = metadata.reduce((sum, m) => sum + m.numRows, 0);
  const builder = new ColumnarBatchBuilder(merged, {
    initialRows: totalRows,
  });
  for (const file of files) {
    for await (const group of readParquetRowGroups(file)) builder.appendTable(group);
    // Decoding is synchronous wasm (up to ~1 s per big file on a busy box): a macrotask turn
    // between files lets requests and query results in, where awaits alone only run microtasks.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  const originals = metadata.map((m) => m.stats?.originalSize);
  const { encode, ...encodeOptions } = options;
  if (encodeOptions.originalSize === undefined && originals.every((o) => o !== undefined)) {
    encodeOptions.originalSize = originals.reduce((sum, o) => sum + o, 0);
  }
  const groupRows = encodeOptions.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  const order = encodeOptions.cluster === true ? { clusterGroupRows: groupRows } : {};
  if (encode !== undefined) return encode(builder.finish(order), encodeOptions);
  // Written a row group at a time from the builder: the merged rows exist once, not also as a
  // reordered copy and its IPC (at the compactor's bound, 256 MB decoded each).
  // An empty builder (files of no rows) is refused by encodeParquetGroups before these are read.
  const stats = {
    minTs: builder.minTimestamp!,
    maxTs: builder.maxTimestamp!,
    records: builder.length,
    originalSize: encodeOptions.originalSize ?? builder.byteSize,
  };
  return encodeParquetGroups(builder.copyInGroups(groupRows, order), stats, encodeOptions);
}
