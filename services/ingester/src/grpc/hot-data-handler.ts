import { readFile } from 'node:fs/promises';
import { readParquet } from '@o2/parquet';
import type { ServiceImpl } from '@o2/grpc';
import { arrowChunks, decodeHotDataRequest, encodeHotDataTail } from '@o2/proto';
import type { HotDataRequest, HotDataService } from '@o2/proto';
import { tableToIPC } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import type { Ingester } from '../app.js';

type HotDataMessage =
  ReturnType<ServiceImpl<typeof HotDataService>['hotData']> extends AsyncIterable<infer M>
    ? M
    : never;

function projected(table: Table, columns: readonly string[]): Table {
  if (columns.length === 0) return table;
  const present = columns.filter((c) => table.schema.fields.some((f) => f.name === c));
  return table.select(present);
}

/**
 * `HotDataService.HotData` on an ingester: one consistent snapshot of the stream (memtable rows,
 * local Parquet files not uploaded yet, stored files as of that instant). Every table — memtable
 * or local file read back — goes out as its own Arrow IPC stream, the streams one after the
 * other in the chunked bytes (tables differ in schema as the stream schema evolves); a reader
 * takes them in turn (`RecordBatchReader.readAll`). The stored files seen in the snapshot
 * (its own recent uploads, or file_list's rows) travel as `registered_files`, so the leader adds
 * any file uploaded since its own read.
 */
export function hotDataHandler(
  ingester: Ingester,
  nodeName: string,
): ServiceImpl<typeof HotDataService> {
  return {
    async *hotData(request: HotDataRequest): AsyncGenerator<HotDataMessage> {
      const started = Date.now();
      const call = decodeHotDataRequest(request);
      const snapshot = await ingester.hotData(call.ref, call.range);
      let records = 0;
      try {
        const tables = [...snapshot.tables];
        for (const path of snapshot.localFiles)
          tables.push(await readParquet(await readFile(path)));
        for (const table of tables) {
          if (table.numRows === 0) continue;
          records += table.numRows;
          const bytes = tableToIPC(projected(table, call.columns), 'stream');
          for (const arrowIpc of arrowChunks(bytes)) yield { arrowIpc };
        }
      } finally {
        snapshot.release();
      }
      const { ownUploadsMs, registeredMsAgo } = snapshot;
      const own =
        ownUploadsMs === undefined
          ? undefined
          : { coversMs: ownUploadsMs, registeredMsAgo: registeredMsAgo ?? [] };
      yield encodeHotDataTail(snapshot.storedFiles, own, {
        node: nodeName,
        files: snapshot.localFiles.length,
        records,
        // Local files are not in file_list yet: the ingester knows no stored sizes for them.
        originalSize: 0,
        compressedSize: 0,
        tookMs: Date.now() - started,
        prunedFiles: 0,
      });
    },
  };
}
