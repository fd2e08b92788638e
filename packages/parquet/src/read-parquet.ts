import { tableFromIPC } from 'apache-arrow';
import type { Schema, Table } from 'apache-arrow';
import type { ParquetFile, Table as WasmTable } from 'parquet-wasm';
import { AppError } from '@o2/errors';
import type { ParquetFileStats } from './encode-parquet.js';
import { METADATA_KEYS } from './encode-parquet.js';
import { parquetWasm, releaseWhenIdle, wasmMemoryBytes } from './parquet-wasm.js';

/** parquet-wasm.js for tests, typed here: type-aware lint of tests does not read plain JS. */
export const wasmInstance = {
  current: (): object => parquetWasm(),
  bytes: (): number => wasmMemoryBytes(),
  releaseWhenIdle: (maxBytes: number, idleMs: number): void => releaseWhenIdle(maxBytes, idleMs),
};

/**
 * A decode grows this thread's wasm memory to about the decoded table's size, and wasm memory
 * never shrinks: a compaction merge of 500 MB files left ~470 MiB on the main thread for good.
 * Past this size the instance is dropped after a quiet second, freeing it.
 */
const KEEP_WASM_BYTES = 64 * 1024 * 1024;
const RELEASE_AFTER_IDLE_MS = 1000;

export interface ReadParquetOptions {
  /** Columns to read; the others are never decoded. */
  columns?: readonly string[];
}

/**
 * Decodes a Parquet file into an Arrow table. With `columns` it goes through `ParquetFile`,
 * the parquet-wasm reader that honours a projection (`readParquet` ignores it).
 */
export async function readParquet(
  bytes: Uint8Array,
  options: ReadParquetOptions = {},
): Promise<Table> {
  let wasmTable: WasmTable;
  try {
    if (options.columns === undefined) {
      wasmTable = parquetWasm().readParquet(bytes);
    } else {
      const file = await openParquetFile(bytes);
      try {
        wasmTable = await file.read({ columns: [...options.columns] });
      } finally {
        file.free();
      }
    }
  } catch (err) {
    throw unreadable(err);
  }
  const table = tableFromIPC(wasmTable.intoIPCStream());
  releaseWhenIdle(KEEP_WASM_BYTES, RELEASE_AFTER_IDLE_MS);
  return table;
}

/**
 * Decodes a Parquet file one row group at a time, each as an Arrow table: wasm memory holds one
 * decoded row group at a time instead of the whole file (a merge's inputs are up to hundreds of
 * MB decoded). The file's bytes are read from a Blob, so they are not copied into wasm whole.
 * `columns` projects as in `readParquet`.
 */
export async function* readParquetRowGroups(
  bytes: Uint8Array,
  options: ReadParquetOptions = {},
): AsyncGenerator<Table> {
  let file: ParquetFile;
  let groups: number;
  try {
    file = await openParquetFile(bytes);
    const metadata = file.metadata();
    groups = metadata.numRowGroups();
    metadata.free();
  } catch (err) {
    throw unreadable(err);
  }
  try {
    for (let group = 0; group < groups; group++) {
      let wasmTable: WasmTable;
      try {
        wasmTable = await file.read({
          rowGroups: [group],
          ...(options.columns === undefined ? {} : { columns: [...options.columns] }),
        });
      } catch (err) {
        throw unreadable(err);
      }
      yield tableFromIPC(wasmTable.intoIPCStream());
    }
  } finally {
    file.free();
    releaseWhenIdle(KEEP_WASM_BYTES, RELEASE_AFTER_IDLE_MS);
  }
}

export interface ParquetColumnChunkInfo {
  /** Dotted column path (our columns are flat, so the column name). */
  path: string;
  compression: string;
  encodings: string[];
  compressedSize: number;
  uncompressedSize: number;
  numValues: number;
}

export interface ParquetRowGroupInfo {
  numRows: number;
  compressedSize: number;
  totalByteSize: number;
  columns: ParquetColumnChunkInfo[];
}

export interface ParquetMetadata {
  numRows: number;
  createdBy: string | undefined;
  rowGroups: ParquetRowGroupInfo[];
  /** The Arrow schema stored in (or derived from) the file. */
  schema: Schema;
  /** Footer key/value metadata, without the embedded `ARROW:schema`. */
  keyValueMetadata: Record<string, string>;
  /**
   * The file_list stats from our footer metadata, when the file has them. parquet-wasm does not
   * expose per-column min/max statistics, so these are the ones to prune with.
   */
  stats: ParquetFileStats | undefined;
}

/** Footer facts of a Parquet file, read without decoding any data page. */
export async function readParquetMetadata(bytes: Uint8Array): Promise<ParquetMetadata> {
  let file: ParquetFile;
  try {
    file = await openParquetFile(bytes);
  } catch (err) {
    throw AppError.invalidArgument('cannot read parquet metadata', {
      cause: err,
      details: errorText(err),
    });
  }
  try {
    const metadata = file.metadata();
    const fileMetadata = metadata.fileMetadata();
    const keyValueMetadata: Record<string, string> = {};
    for (const [key, value] of fileMetadata.keyValueMetadata() as Map<string, string>) {
      if (key !== 'ARROW:schema') keyValueMetadata[key] = value;
    }
    const rowGroups: ParquetRowGroupInfo[] = [];
    for (let i = 0; i < metadata.numRowGroups(); i++) {
      const group = metadata.rowGroup(i);
      const columns: ParquetColumnChunkInfo[] = [];
      for (let c = 0; c < group.numColumns(); c++) {
        const chunk = group.column(c);
        columns.push({
          path: chunk.columnPath().join('.'),
          compression: parquetWasm().Compression[chunk.compression()],
          encodings: chunk.encodings().map((e) => parquetWasm().Encoding[e]),
          compressedSize: chunk.compressedSize(),
          uncompressedSize: chunk.uncompressedSize(),
          numValues: chunk.numValues(),
        });
        chunk.free();
      }
      rowGroups.push({
        numRows: group.numRows(),
        compressedSize: group.compressedSize(),
        totalByteSize: group.totalByteSize(),
        columns,
      });
      group.free();
    }
    const result: ParquetMetadata = {
      numRows: fileMetadata.numRows(),
      createdBy: fileMetadata.createdBy(),
      rowGroups,
      schema: tableFromIPC(parquetWasm().readSchema(bytes).intoIPCStream()).schema,
      keyValueMetadata,
      stats: statsFromMetadata(keyValueMetadata),
    };
    fileMetadata.free();
    metadata.free();
    return result;
  } finally {
    file.free();
  }
}

function statsFromMetadata(kv: Record<string, string>): ParquetFileStats | undefined {
  const minTs = Number(kv[METADATA_KEYS.minTs]);
  const maxTs = Number(kv[METADATA_KEYS.maxTs]);
  const records = Number(kv[METADATA_KEYS.records]);
  const originalSize = Number(kv[METADATA_KEYS.originalSize]);
  if (![minTs, maxTs, records, originalSize].every(Number.isFinite)) return undefined;
  return { minTs, maxTs, records, originalSize };
}

function openParquetFile(bytes: Uint8Array): Promise<ParquetFile> {
  return parquetWasm().ParquetFile.fromFile(new Blob([bytes]));
}

/** A file the decoder refused: bad input, with the decoder's reason. */
function unreadable(err: unknown): AppError {
  return AppError.invalidArgument('cannot read parquet file', {
    cause: err,
    details: errorText(err),
  });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
