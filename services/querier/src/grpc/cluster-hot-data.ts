import type { Cluster } from '@o2/cluster';
import { createGrpcClient } from '@o2/grpc';
import type { GrpcClient } from '@o2/grpc';
import type { Logger } from '@o2/logger';
import type { MetaStore, StreamRef } from '@o2/metastore';
import { SearchService } from '@o2/proto';
import type { FileRef } from '@o2/proto';
import { RecordBatchReader, Table } from 'apache-arrow';
import type { HotDataSource, HotSnapshot } from '../app.js';
import { storedEntryOf, wireStreamType } from './wire-types.js';

export interface ClusterHotDataOptions {
  cluster: Cluster;
  metaStore: MetaStore;
  token: string;
  logger: Logger;
  maxMessageBytes: number;
  /** Deadline of one ingester's HotData call. */
  timeoutMs: number;
}

/** Every Arrow IPC stream in the concatenated chunks, as one table each. */
export function tablesOfIpc(chunks: readonly Uint8Array[]): Table[] {
  if (chunks.length === 0) return [];
  const tables: Table[] = [];
  for (const reader of RecordBatchReader.readAll(Buffer.concat(chunks))) {
    const batches = [...reader];
    if (batches.length > 0) tables.push(new Table(batches));
  }
  return tables;
}

const fileKey = (f: { date: string; file: string }) => `${f.date}/${f.file}`;

/**
 * Hot data of a querier without a local ingester: file_list read once here, then every live
 * ingester's `HotData` (memtable rows and local files as Arrow, plus the files it saw
 * registered). Files are joined by key, so one uploaded between our file_list read and an
 * ingester's snapshot is counted once, and its rows are not in that ingester's Arrow. A failing
 * ingester fails the query: answering without its rows would be silently wrong.
 */
export class ClusterHotData implements HotDataSource {
  private readonly clients = new Map<string, GrpcClient>();

  constructor(private readonly options: ClusterHotDataOptions) {}

  async snapshot(ref: StreamRef, range: { startTs: number; endTs: number }): Promise<HotSnapshot> {
    const { cluster, metaStore, timeoutMs } = this.options;
    const storedFiles = await metaStore.fileList.query(ref, range);
    // A restarted ingester on the same address is listed twice until its old registration
    // lapses; asking that address twice would count its rows twice.
    const addresses = new Set((await cluster.nodes.list('ingester')).map((n) => n.grpcAddr));
    const answers = await Promise.all(
      [...addresses].map(async (address) => {
        const chunks: Uint8Array[] = [];
        let registered: FileRef[] = [];
        const stream = this.client(address)
          .service(SearchService)
          .hotData(
            {
              org: ref.org,
              streamType: wireStreamType(ref.type),
              stream: ref.name,
              startTime: BigInt(range.startTs),
              endTime: BigInt(range.endTs),
            },
            { timeoutMs },
          );
        for await (const message of stream) {
          if (message.arrowIpc.byteLength > 0) chunks.push(message.arrowIpc);
          if (message.registeredFiles.length > 0) registered = message.registeredFiles;
        }
        return { tables: tablesOfIpc(chunks), registered };
      }),
    );
    const files = new Map(storedFiles.map((f) => [fileKey(f), f]));
    for (const answer of answers)
      for (const file of answer.registered)
        if (!files.has(fileKey(file))) files.set(fileKey(file), storedEntryOf(ref, file));
    return {
      tables: answers.flatMap((a) => a.tables),
      localFiles: [],
      storedFiles: [...files.values()],
      release: () => undefined,
    };
  }

  private client(address: string): GrpcClient {
    let client = this.clients.get(address);
    if (client === undefined) {
      client = createGrpcClient({
        address,
        token: this.options.token,
        logger: this.options.logger,
        maxMessageBytes: this.options.maxMessageBytes,
      });
      this.clients.set(address, client);
    }
    return client;
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}
