import { readFile } from 'node:fs/promises';
import type { StoredFileEntry } from '@o2/metastore';
import { readParquet } from '@o2/parquet';
import type { ServiceImpl } from '@o2/grpc';
import type { HotDataRequest, SearchService } from '@o2/proto';
import { tableToIPC } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import type { Ingester } from '../app.js';
import { streamKindOf } from '@o2/proto';

type HotDataMessage =
  ReturnType<ServiceImpl<typeof SearchService>['hotData']> extends AsyncIterable<infer M>
    ? M
    : never;

/** Well under any gRPC message limit, large enough that a chunk's overhead is nothing. */
const CHUNK_BYTES = 4 * 1024 * 1024;

export function fileRefOf(file: StoredFileEntry) {
  return {
    stream: file.stream,
    date: file.date,
    file: file.file,
    minTs: BigInt(file.minTs),
    maxTs: BigInt(file.maxTs),
    records: BigInt(file.records),
    originalSize: BigInt(file.originalSize),
    compressedSize: BigInt(file.compressedSize),
    indexSize: BigInt(file.indexSize),
  };
}

function projected(table: Table, columns: readonly string[]): Table {
  if (columns.length === 0) return table;
  const present = columns.filter((c) => table.schema.fields.some((f) => f.name === c));
  return table.select(present);
}

/**
 * `SearchService.HotData` on an ingester: one consistent snapshot of the stream (memtable rows,
 * local Parquet files not uploaded yet, file_list as of that instant). Every table — memtable
 * or local file read back — goes out as its own Arrow IPC stream, the streams one after the
 * other in the chunked bytes (tables differ in schema as the stream schema evolves); a reader
 * takes them in turn (`RecordBatchReader.readAll`). The file_list rows seen in the snapshot
 * travel as `registered_files`, so the leader adds any file uploaded since its own read.
 */
export function hotDataHandler(
  ingester: Ingester,
  nodeName: string,
): Pick<ServiceImpl<typeof SearchService>, 'hotData'> {
  return {
    async *hotData(request: HotDataRequest): AsyncGenerator<HotDataMessage> {
      const started = Date.now();
      const snapshot = await ingester.snapshot(
        {
          org: request.org,
          type: streamKindOf(request.streamType),
          name: request.stream,
        },
        { startTs: Number(request.startTime), endTs: Number(request.endTime) },
      );
      let records = 0;
      try {
        const tables = [...snapshot.tables];
        for (const path of snapshot.localFiles)
          tables.push(await readParquet(await readFile(path)));
        for (const table of tables) {
          if (table.numRows === 0) continue;
          records += table.numRows;
          const bytes = tableToIPC(projected(table, request.columns), 'stream');
          for (let at = 0; at < bytes.byteLength; at += CHUNK_BYTES) {
            yield { arrowIpc: bytes.subarray(at, Math.min(at + CHUNK_BYTES, bytes.byteLength)) };
          }
        }
      } finally {
        snapshot.release();
      }
      yield {
        registeredFiles: snapshot.storedFiles.map(fileRefOf),
        stats: {
          node: nodeName,
          files: BigInt(snapshot.localFiles.length),
          records: BigInt(records),
          tookMs: BigInt(Date.now() - started),
        },
      };
    },
  };
}
