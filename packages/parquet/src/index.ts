export type { ColumnSpec, ColumnType, FlatRecord, RecordValue } from './column-spec.js';
export {
  arrowSchemaOf,
  arrowTypeOf,
  COLUMN_TYPES,
  columnSpecsOf,
  TIMESTAMP_COLUMN,
} from './column-spec.js';
export type {
  ColumnarBatchBuilderOptions,
  FileGroups,
  FinishOptions,
} from './columnar-batch-builder.js';
export { ColumnarBatchBuilder } from './columnar-batch-builder.js';
export { sortByTimestampDesc } from './sort-by-timestamp-desc.js';
export { clustersRows } from './row-clusters.js';
export type {
  EncodedParquet,
  EncodeParquetOptions,
  ParquetCompression,
  ParquetFileStats,
} from './encode-parquet.js';
export {
  arrowByteSize,
  DEFAULT_ROW_GROUP_SIZE,
  encodeParquet,
  encodeParquetStreaming,
  METADATA_KEYS,
} from './encode-parquet.js';
export type { ParquetEncoderPoolOptions, ParquetEncoderPoolStats } from './parquet-encoder-pool.js';
export { BACKGROUND_NICENESS, ParquetEncoderPool } from './parquet-encoder-pool.js';
export type { IdleTimed, IdleWorkerOptions } from './idle-worker-timer.js';
export { IdleWorkerTimer } from './idle-worker-timer.js';
export { reniceThisThread } from './renice-thread.js';
export { wasmMemoryBytes } from './parquet-writer.js';
export type {
  ParquetColumnChunkInfo,
  ParquetMetadata,
  ParquetRowGroupInfo,
  ReadParquetOptions,
} from './read-parquet.js';
export { readParquet, readParquetMetadata, readParquetRowGroups } from './read-parquet.js';
export type { MergeParquetOptions } from './merge-parquet-files.js';
export { mergeParquetFiles } from './merge-parquet-files.js';
export { unionSchema, widerType } from './union-schema.js';
export type { FileIdGeneratorOptions } from './file-id.js';
export { FILE_ID_PATTERN, FileIdGenerator, fileIdTime, generateFileId } from './file-id.js';
