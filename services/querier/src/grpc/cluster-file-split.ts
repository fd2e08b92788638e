import type { Cluster, NodeInfo } from '@o2/cluster';
import { storedFileKey } from '@o2/domain';
import { PeerClientPool } from '@o2/grpc';
import type { Logger } from '@o2/logger';
import type { StoredFileEntry, StreamRef } from '@o2/metastore';
import { clocked } from '@o2/search';
import type { PartialRows } from '@o2/search';
import { AppError, toAppError } from '@o2/errors';
import { ScanService, collectScan, encodeScanRequest } from '@o2/proto';
import type { RowRanges, ScanStream } from '@o2/proto';
import type { FileSplit, FileSplitResult, RemoteShares } from '../app.js';
import { querierAddresses } from '../querier-addresses.js';
import { rendezvousOwner } from '../rendezvous-owner.js';

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
 * its key by rendezvous hashing; the leader keeps its own share and, once the query is planned,
 * asks every other querier (`ScanService.Search`) to run the query's partial SQL over its share
 * in the time range (see `@o2/search` `splitPlan`); the leader's final SQL merges the answers
 * with its own partial. A worker that is UNAVAILABLE (dead, not yet out of the registry) has its
 * share read by the leader instead, so losing a querier never fails a query; any other worker
 * error fails it, since answering without those rows would be silently wrong.
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
    stream?: ScanStream,
    rowRanges?: ReadonlyMap<string, RowRanges>,
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
    shares.delete(self.grpcAddr);
    const nodes = [{ name: self.name, files: local.length, records: recordsOf(local) }];
    if (shares.size === 0) return { local, nodes };
    return {
      local,
      nodes,
      ask: (sql, asked) =>
        this.askAll({ ref, stream, rowRanges }, shares, names, sql, asked ?? range),
    };
  }

  private async askAll(
    ref: AskedStream,
    shares: ReadonlyMap<string, StoredFileEntry[]>,
    names: ReadonlyMap<string, string>,
    sql: string,
    range: { startTs: number; endTs: number },
  ): Promise<RemoteShares> {
    const answer: RemoteShares = { parquet: [], rows: [], unavailable: [], records: 0, nodes: [] };
    await Promise.all(
      [...shares].map(async ([address, share]) => {
        try {
          const one = await clocked(`ask_${names.get(address) ?? address}`, () =>
            this.ask(address, ref, share, sql, range),
          );
          answer.nodes.push({
            name: one.node || (names.get(address) ?? address),
            files: share.length,
            records: one.records,
          });
          answer.records += one.records;
          if (one.rows !== undefined) answer.rows.push(one.rows);
          else answer.parquet.push(one.parquet);
        } catch (error) {
          if (toAppError(error).code !== 'UNAVAILABLE') throw error;
          this.logger.warn(
            { err: error, worker: address, files: share.length },
            'worker unavailable, reading its share here',
          );
          answer.unavailable.push(...share);
        }
      }),
    );
    if (answer.unavailable.length > 0) {
      const { name } = this.options.self;
      const took = answer.unavailable;
      answer.nodes.unshift({ name, files: took.length, records: recordsOf(took) });
    }
    return answer;
  }

  private async ask(
    address: string,
    { ref, stream, rowRanges }: AskedStream,
    share: readonly StoredFileEntry[],
    sql: string,
    range: { startTs: number; endTs: number },
  ): Promise<{ parquet: Uint8Array; rows?: PartialRows; records: number; node: string }> {
    const answer = await collectScan(
      this.clients
        .client(address)
        .service(ScanService)
        .search(
          encodeScanRequest({
            queryId: '',
            org: ref.org,
            type: ref.type,
            sql,
            range,
            files: share,
            ...(stream === undefined ? {} : { stream }),
            ...(rowRanges === undefined || rowRanges.size === 0
              ? {}
              : { rowRanges: share.map((file) => rowRanges.get(storedFileKey(file))) }),
          }),
          { timeoutMs: this.options.timeoutMs },
        ),
    );
    return {
      parquet: Buffer.concat(answer.parquet),
      ...(answer.partialRows === undefined ? {} : { rows: partialRowsOf(answer.partialRows) }),
      records: answer.stats?.records ?? 0,
      node: answer.stats?.node ?? '',
    };
  }

  close(): void {
    this.clients.close();
  }
}

/** The stream a worker is asked about, with its schema and settings when the leader has them. */
interface AskedStream {
  ref: StreamRef;
  stream: ScanStream | undefined;
  rowRanges: ReadonlyMap<string, RowRanges> | undefined;
}

function recordsOf(files: readonly StoredFileEntry[]): number {
  return files.reduce((sum, f) => sum + f.records, 0);
}

/**
 * A worker's text answer, its shape checked (the leader checks the column types as it builds
 * SQL from them): a malformed one is the worker's fault, never rows silently dropped.
 */
function partialRowsOf(bytes: Uint8Array): PartialRows {
  const value = JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
  const v = value as Partial<PartialRows> | null;
  const ok =
    typeof v === 'object' &&
    v !== null &&
    Array.isArray(v.columns) &&
    v.columns.every((c) => typeof c.name === 'string' && typeof c.type === 'string') &&
    Array.isArray(v.rows) &&
    v.rows.every(
      (r) =>
        Array.isArray(r) &&
        r.length === v.columns!.length &&
        r.every((x) => x === null || typeof x === 'string'),
    );
  if (!ok) throw new AppError('INTERNAL', 'a worker answered malformed partial rows');
  return value as PartialRows;
}
