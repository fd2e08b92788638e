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
import { mergeNewestFirst } from './merge-newest-first.js';
import type { NewestFirstReport } from './merge-newest-first.js';

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
 * they all carry it. Files whose footers carry our stats (every file we write; their row groups
 * are time slices newest first) are merged streaming, a row group out as soon as no unread
 * input group can hold a newer row (`mergeNewestFirst`): about one decoded group per input is
 * held. Other files are decoded a row group at a time into one batch builder and written a
 * group at a time from it (`copyInGroups`, `encodeParquetGroups`): the merged rows held once.
 * Either way wasm memory stays near one row group's size. With `encode`, the merged table is
 * made whole and handed to it instead.
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
  const footers = metadata.map((m) => m.stats);
  const everyFooter = footers.every((f) => f !== undefined);
  const { encode, ...encodeOptions } = options;
  if (encodeOptions.originalSize === undefined && everyFooter) {
    encodeOptions.originalSize = footers.reduce((sum, f) => sum + f.originalSize, 0);
  }
  const groupRows = encodeOptions.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  const cluster = encodeOptions.cluster === true;
  if (encode === undefined && totalRows > 0 && everyFooter) {
    const stats = {
      minTs: Math.min(...footers.map((f) => f.minTs)),
      maxTs: Math.max(...footers.map((f) => f.maxTs)),
      records: totalRows,
      originalSize: encodeOptions.originalSize!,
    };
    const report: NewestFirstReport = { outOfOrder: false, minTs: Infinity, maxTs: -Infinity };
    const sources = files.map((file, i) => ({
      groups: readParquetRowGroups(file),
      newest: footers[i]!.maxTs,
    }));
    try {
      const encoded = await encodeParquetGroups(
        mergeNewestFirst(sources, merged, groupRows, cluster, report),
        stats,
        encodeOptions,
      );
      // The footer's bounds were written first, from the inputs' footers: they must be the rows'.
      if (report.minTs === stats.minTs && report.maxTs === stats.maxTs) return encoded;
    } catch (err) {
      if (!report.outOfOrder) throw err;
    }
  }

  const builder = new ColumnarBatchBuilder(merged, {
    initialRows: totalRows,
  });
  for (const file of files) {
    for await (const group of readParquetRowGroups(file)) builder.appendTable(group);
    // Decoding is synchronous wasm (up to ~1 s per big file on a busy box): a macrotask turn
    // between files lets requests and query results in, where awaits alone only run microtasks.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const order = cluster ? { clusterGroupRows: groupRows } : {};
  if (encode !== undefined) return encode(builder.finish(order), encodeOptions);
  // Written a row group at a time from the builder: the merged rows exist once, not also as a
  // reordered copy and its IPC.
  // An empty builder (files of no rows) is refused by encodeParquetGroups before these are read.
  const stats = {
    minTs: builder.minTimestamp!,
    maxTs: builder.maxTimestamp!,
    records: builder.length,
    originalSize: encodeOptions.originalSize ?? builder.byteSize,
  };
  return encodeParquetGroups(builder.copyInGroups(groupRows, order), stats, encodeOptions);
}
