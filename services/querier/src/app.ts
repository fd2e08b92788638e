import type { Config } from '@o2/config';
import type { PromqlService, SearchService } from '@o2/domain';
import type { Lifecycle } from '@o2/lifecycle';
import type { Logger } from '@o2/logger';
import type { MetaStore, StoredFileEntry, StreamType } from '@o2/metastore';
import type { RowRanges, ScanStream } from '@o2/proto';
import type { PartialResult } from '@o2/search';
import type { ObjectStore } from '@o2/storage';
import type { Registry } from 'prom-client';
import { FileCache } from './file-cache.js';
import { querierMetrics } from './querier-metrics.js';
import { createPromqlApi } from './promql/promql-api.js';
import { createQueryLeader } from './query-leader.js';
import type { FileSplit, HotDataSource } from './querier-types.js';
import { StoredFileReads } from './stored-file-reads.js';
import { createSourceResolver } from './source-resolver.js';

export type {
  FileSplit,
  FileSplitResult,
  HotDataSource,
  HotSnapshot,
  NodeScan,
  RemoteShares,
} from './querier-types.js';

export interface QuerierDeps {
  config: Config;
  logger: Logger;
  metaStore: MetaStore;
  objectStore: ObjectStore;
  /** Absent on a querier with no local ingester: stored files only. */
  hotData?: HotDataSource;
  /** Absent on a single node: every stored file is read here. */
  fileSplit?: FileSplit;
  /** Shared with the prefetcher in cluster mode; built from the config when absent. */
  fileCache?: FileCache;
  /** The process registry, for the query latency and file cache metrics. */
  registry?: Registry;
}

export type Querier = Lifecycle &
  SearchService & {
    /** The Prometheus HTTP API's answers, over this querier's own search path. */
    promql: PromqlService;
    /**
     * A worker's share of a leader's split query: its partial SQL over these stored files of
     * one stream, in the range; the result as text when it has few rows, else as DuckDB-written
     * Parquet.
     */
    partial(call: PartialCall): Promise<PartialResult & { records: number }>;
    /** This process's queries that may still read stored files (for a same-process compactor). */
    storedFileReads: StoredFileReads;
  };

export interface PartialCall {
  org: string;
  type: StreamType;
  stream: string;
  sql: string;
  range: { startTs: number; endTs: number };
  files: readonly StoredFileEntry[];
  /** The stream's schema and settings as the leader read them (see `ScanCall.stream`). */
  bound?: ScanStream;
  /** Per file (same order), the rows the leader's token index left (see `ScanCall.rowRanges`). */
  rowRanges?: ReadonlyArray<RowRanges | undefined>;
}

/**
 * The querier role: a source resolver (which hot rows, local files and stored Parquet a query
 * reads, from one consistent snapshot, pruned by token index, fetched into the file cache) and
 * a query leader (runs the SQL on DuckDB through `@o2/search`, splitting stored files over the
 * cluster's queriers when there is a file split).
 */
export function createQuerier(deps: QuerierDeps): Querier {
  const { config, metaStore, objectStore } = deps;
  const files = deps.fileCache ?? FileCache.fromConfig(config, objectStore);
  const metrics = querierMetrics(deps.registry);
  files.onLookup = (hit) => metrics.fileCache(hit);
  const storedFileReads = new StoredFileReads();
  const resolver = createSourceResolver({
    reads: storedFileReads,
    config,
    metaStore,
    objectStore,
    files,
    ...(deps.hotData === undefined ? {} : { hotData: deps.hotData }),
    ...(deps.fileSplit === undefined ? {} : { fileSplit: deps.fileSplit }),
  });
  const leader = createQueryLeader({
    config,
    logger: deps.logger.child({ module: 'querier' }),
    metaStore,
    resolver,
    fileDirectories: files.directories,
    clustered: deps.fileSplit !== undefined,
    metrics,
  });
  return {
    name: leader.name,
    start: () => leader.start(),
    stop: () => leader.stop(),
    search: (org, type, query) => leader.search(org, type, query),
    values: (org, type, stream, query) => leader.values(org, type, stream, query),
    around: (org, type, stream, query) => leader.around(org, type, stream, query),
    partition: (org, type, query) => leader.partition(org, type, query),
    partial: async ({ org, type, stream, sql, range, files: stored, bound, rowRanges }) => {
      const ref = { org, type, name: stream };
      const source = await resolver.storedSource(ref, stored, bound, rowRanges);
      return leader.partial(sql, range, source);
    },
    storedFileReads,
    promql: createPromqlApi({ config, logger: deps.logger, metaStore, search: leader }),
  };
}
