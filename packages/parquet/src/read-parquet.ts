import { tableFromIPC } from 'apache-arrow';
import type { Schema, Table } from 'apache-arrow';
import {
  Compression,
  Encoding,
  ParquetFile,
  readParquet as readWholeFile,
  readSchema,
} from 'parquet-wasm';
import type { Table as WasmTable } from 'parquet-wasm';
import { AppError } from '@o2/errors';
import type { ParquetFileStats } from './encode-parquet.js';
import { METADATA_KEYS } from './encode-parquet.js';

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
      wasmTable = readWholeFile(bytes);
    } else {
      const file = await openParquetFile(bytes);
      try {
        wasmTable = await file.read({ columns: [...options.columns] });
      } finally {
        file.free();
      }
    }
  } catch (err) {
    throw AppError.invalidArgument('cannot read parquet file', {
      cause: err,
      details: errorText(err),
    });
  }
  return tableFromIPC(wasmTable.intoIPCStream());
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
          compression: Compression[chunk.compression()],
          encodings: chunk.encodings().map((e) => Encoding[e]),
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
      schema: tableFromIPC(readSchema(bytes).intoIPCStream()).schema,
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
  return ParquetFile.fromFile(new Blob([bytes]));
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
