import type { Cluster, NodeInfo } from '@o2/cluster';
import { storedFileKey } from '@o2/domain';
import { toAppError } from '@o2/errors';
import { PeerClientPool } from '@o2/grpc';
import type { Logger } from '@o2/logger';
import type { StoredFileEntry, StreamRef } from '@o2/metastore';
import { ScanService, collectScan, encodeScanRequest } from '@o2/proto';
import type { Table } from 'apache-arrow';
import type { FileSplit, FileSplitResult, NodeScan } from '../app.js';
import { querierAddresses } from '../querier-addresses.js';
import { rendezvousOwner } from '../rendezvous-owner.js';
import { tablesOfIpc } from './cluster-hot-data.js';

export interface ClusterFileSplitOptions {
  cluster: Cluster;
  /** This querier, the leader of the queries it receives. */
  self: Pick<NodeInfo, 'name' | 'grpcAddr'>;
  token: string;
  logger: Logger;
  maxMessageBytes: number;
  /** Deadline of one worker's Search call. */
  timeoutMs: number;
  /** ZO_NODE_HEARTBEAT_TTL in ms; queriers up to 3 TTLs late still get their share. */
  nodeTtlMs?: number;
}

/**
 * The leader's side of a distributed scan: each stored file goes to the live querier that owns
 * its key by rendezvous hashing; the leader keeps its own share and asks every other querier
 * (`ScanService.Search`) for the rows of its share in the time range, which the leader's SQL
 * then reads next to its own files. A worker that is UNAVAILABLE (dead, not yet out of the
 * registry) has its share read by the leader instead, so losing a querier never fails a query;
 * any other worker error fails it, since answering without those rows would be silently wrong.
 */
export class ClusterFileSplit implements FileSplit {
  private readonly clients: PeerClientPool;
  private readonly logger: Logger;

  constructor(private readonly options: ClusterFileSplitOptions) {
    this.logger = options.logger.child({ module: 'file-split' });
    this.clients = new PeerClientPool(options);
  }

  async split(
    ref: StreamRef,
    files: readonly StoredFileEntry[],
    range: { startTs: number; endTs: number },
  ): Promise<FileSplitResult> {
    const { self } = this.options;
    const names = await querierAddresses(
      this.options.cluster,
      self,
      3 * (this.options.nodeTtlMs ?? 30_000),
    );
    const addresses = [...names.keys()];
    const shares = new Map<string, StoredFileEntry[]>();
    for (const file of files) {
      const owner = rendezvousOwner(storedFileKey(file), addresses);
      const share = shares.get(owner);
      if (share === undefined) shares.set(owner, [file]);
      else share.push(file);
    }
    const local = [...(shares.get(self.grpcAddr) ?? [])];
    const nodes: NodeScan[] = [];
    const answers = await Promise.all(
      [...shares]
        .filter(([address]) => address !== self.grpcAddr)
        .map(async ([address, share]) => {
          try {
            const answer = await this.ask(address, ref, share, range);
            nodes.push({
              name: answer.node || (names.get(address) ?? address),
              files: share.length,
              records: answer.records,
            });
            return answer.tables;
          } catch (error) {
            if (toAppError(error).code !== 'UNAVAILABLE') throw error;
            this.logger.warn(
              { err: error, worker: address, files: share.length },
              'worker unavailable, reading its share here',
            );
            local.push(...share);
            return [];
          }
        }),
    );
    nodes.unshift({
      name: self.name,
      files: local.length,
      records: local.reduce((sum, f) => sum + f.records, 0),
    });
    return { local, tables: answers.flat(), nodes };
  }

  private async ask(
    address: string,
    ref: StreamRef,
    share: readonly StoredFileEntry[],
    range: { startTs: number; endTs: number },
  ): Promise<{ tables: Table[]; records: number; node: string }> {
    const answer = await collectScan(
      this.clients
        .client(address)
        .service(ScanService)
        .search(
          encodeScanRequest({
            queryId: '',
            org: ref.org,
            type: ref.type,
            // The one plan workers run: the stream's rows in the range, every column.
            sql: `SELECT * FROM "${ref.name.replaceAll('"', '""')}"`,
            range,
            files: share,
          }),
          { timeoutMs: this.options.timeoutMs },
        ),
    );
    return {
      tables: tablesOfIpc(answer.chunks),
      records: answer.stats?.records ?? 0,
      node: answer.stats?.node ?? '',
    };
  }

  close(): void {
    this.clients.close();
  }
}
