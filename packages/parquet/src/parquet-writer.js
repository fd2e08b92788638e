// Plain JS on purpose: the encoder worker imports this file, and a worker thread cannot load
// TypeScript, so it must be runnable as is from src/ (tests) and dist/ (tsc copies it).
import {
  Compression,
  EnabledStatistics,
  Encoding,
  Table,
  WriterPropertiesBuilder,
  wasmMemory,
  writeParquet,
} from 'parquet-wasm';

/** @typedef {'zstd' | 'snappy' | 'lz4' | 'uncompressed'} ParquetCompression */

/**
 * @typedef {object} ParquetWriterOptions
 * @property {number} rowGroupSize  maximum rows per row group
 * @property {ParquetCompression} compression
 * @property {Array<[string, string]>} keyValueMetadata  footer key/value metadata
 */

const TIMESTAMP_COLUMN = '_timestamp';

/** @type {Record<ParquetCompression, Compression>} */
const CODECS = {
  zstd: Compression.ZSTD,
  snappy: Compression.SNAPPY,
  lz4: Compression.LZ4_RAW,
  uncompressed: Compression.UNCOMPRESSED,
};

/**
 * Encodes an Arrow IPC stream as a Parquet file with parquet-wasm. Chunk statistics are on
 * (engines prune row groups with them); page indexes are left out to keep small files small.
 * `_timestamp` is nearly unique per row and sorted, so it skips the dictionary and is delta
 * encoded: on k8s logs that makes whole files about 45% smaller at no CPU cost.
 *
 * @param {Uint8Array} ipc
 * @param {ParquetWriterOptions} options
 * @returns {Uint8Array}
 */
export function writeParquetFromIpc(ipc, options) {
  const codec = CODECS[options.compression];
  if (codec === undefined) throw new Error(`unknown compression ${String(options.compression)}`);
  const properties = new WriterPropertiesBuilder()
    .setCompression(codec)
    .setMaxRowGroupSize(options.rowGroupSize)
    .setStatisticsEnabled(EnabledStatistics.Chunk)
    .setColumnDictionaryEnabled(TIMESTAMP_COLUMN, false)
    .setColumnEncoding(TIMESTAMP_COLUMN, Encoding.DELTA_BINARY_PACKED)
    .setKeyValueMetadata(new Map(options.keyValueMetadata))
    .build();
  return writeParquet(Table.fromIPCStream(ipc), properties);
}

/** Bytes of wasm linear memory this thread's parquet-wasm instance holds (it never shrinks). */
export function wasmMemoryBytes() {
  return wasmMemory().buffer.byteLength;
}
