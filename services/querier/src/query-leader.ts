import { join } from 'node:path';
import type { Config } from '@o2/config';
import type {
  AroundQuery,
  SearchQuery,
  SearchResponseBody,
  SearchService,
  StreamKind,
  ValuesQuery,
} from '@o2/domain';
import { AppError } from '@o2/errors';
import type { Lifecycle } from '@o2/lifecycle';
import type { Logger } from '@o2/logger';
import type { MetaStore, StreamRef as MetaStreamRef, StreamType } from '@o2/metastore';
import { clocked, createSearchEngine, withStageClock } from '@o2/search';
import type { PartialResult, SearchEngine, SearchOptions, StreamSource } from '@o2/search';
import { aroundSql } from './around-sql.js';
import { isFilesMoved } from './late-share.js';
import { partitionPlan } from './partition-plan.js';
import { engineConcurrency } from './engine-concurrency.js';
import { queryMemoryLimitMb } from './query-memory.js';
import { maxQueryRangeHours, queryRangeLimit } from './query-range-limit.js';
import type { QuerierMetrics, QueryStage } from './querier-metrics.js';
import type { SourceResolver } from './source-resolver.js';

export interface QueryLeaderDeps {
  config: Config;
  logger: Logger;
  metaStore: MetaStore;
  resolver: SourceResolver;
  /** Directories DuckDB may read stored files from (the file cache's). */
  fileDirectories: readonly string[];
  /** Whether stored files are split over the cluster's queriers: the profile then names them. */
  clustered: boolean;
  /** Times each stage of a search (`zo_query_duration_seconds`). */
  metrics?: Pick<QuerierMetrics, 'stage'>;
}

export type QueryLeader = Lifecycle &
  SearchService & {
    /** `options` are the engine's (e.g. `numericLists` for in-process PromQL reads). */
    search(
      org: string,
      type: StreamKind,
      query: SearchQuery,
      options?: Pick<SearchOptions, 'numericLists'>,
    ): Promise<SearchResponseBody>;
    /** Runs a leader's partial SQL over `source` (a worker's share, see `SearchEngine.partial`). */
    partial(
      sql: string,
      range: { startTs: number; endTs: number },
      source: StreamSource,
    ): Promise<PartialResult & { records: number }>;
  };

/**
 * The querier's public side: analyses a query's SQL, has the resolver gather its sources, runs
 * it on DuckDB through `@o2/search` (with the configured timeout) and logs the query profile.
 */
export function createQueryLeader(deps: QueryLeaderDeps): QueryLeader {
  const { config, logger, metaStore, resolver } = deps;
  let engine: SearchEngine | undefined;
  const timeStage = deps.metrics?.stage ?? (() => () => undefined);
  /** Runs `work` as `stage`, timed whether it answers or throws. */
  const timed = async <T>(stage: QueryStage, work: () => Promise<T>): Promise<T> => {
    const end = timeStage(stage);
    try {
      return await clocked(stage, work);
    } finally {
      end();
    }
  };

  const running = (): SearchEngine => {
    if (engine === undefined)
      throw new AppError('UNAVAILABLE', 'querier is not running', { retryAfterSeconds: 1 });
    return engine;
  };

  /** One search, its stages timed by the caller's clock. */
  const searchOnce = async (
    org: string,
    type: StreamKind,
    query: SearchQuery,
    options: Pick<SearchOptions, 'numericLists'>,
    eager = false,
  ): Promise<SearchResponseBody> => {
    const search = running();
    const endTotal = timeStage('total');
    const analysis = await timed('analyze', () => search.analyze(query.sql, query.encoding));
    const terms = new Map(analysis.fullTextTerms.map((t) => [t.stream.name, t.terms]));
    const traceIds = new Map(analysis.fullTextTerms.map((t) => [t.stream.name, t.traceIds]));
    const range = { startTs: query.startTime, endTs: query.endTime };
    const resolveStarted = performance.now();
    const resolved = await timed('resolve', () =>
      resolver.resolve(org, type, analysis.streams, range, terms, traceIds, eager),
    );
    const resolveMs = Math.round(performance.now() - resolveStarted);
    try {
      const limit = queryRangeLimit(resolved.sources, query.startTime, query.endTime);
      const response = await timed('execute', () =>
        search.search(
          {
            sql: query.sql,
            startTime: limit?.startTime ?? query.startTime,
            endTime: query.endTime,
            ...(query.from === undefined ? {} : { from: query.from }),
            ...(query.size === undefined ? {} : { size: query.size }),
            ...(query.trackTotalHits === undefined ? {} : { trackTotalHits: query.trackTotalHits }),
            ...(query.encoding === undefined ? {} : { encoding: query.encoding }),
          },
          resolved.sources,
          options,
        ),
      );
      const clamped =
        limit === undefined
          ? {}
          : {
              function_error: [...response.function_error, limit.message],
              is_partial: true,
              new_start_time: limit.startTime,
              new_end_time: query.endTime,
            };
      return {
        ...response,
        ...clamped,
        // O2's "file list" stage is ours to resolve: the file list, index pruning, fetches.
        took_detail: { ...response.took_detail, file_list_took: resolveMs },
        scan_files: resolved.scanned,
        pruned_files: resolved.pruned,
        // Which querier read how many stored files (cluster mode only).
        ...(deps.clustered ? { nodes: resolved.nodes } : {}),
      };
    } finally {
      resolved.release();
      endTotal();
    }
  };

  const leader: QueryLeader = {
    name: 'querier',

    async start() {
      engine = await createSearchEngine({
        tempDir: join(config.ZO_DATA_TMP_DIR, 'duckdb'),
        allowedDirectories: [...deps.fileDirectories, join(config.ZO_DATA_WAL_DIR, 'files')],
        ...(config.ZO_QUERY_THREAD_NUM > 0 ? { threads: config.ZO_QUERY_THREAD_NUM } : {}),
        memoryLimit: `${queryMemoryLimitMb(config)}MiB`,
        timeoutMs: config.ZO_QUERY_TIMEOUT * 1000,
        maxRunning: engineConcurrency(config),
        defaultLimit: config.ZO_QUERY_DEFAULT_LIMIT,
        dashboardPlaceholder: config.ZO_DASHBOARD_PLACEHOLDER,
      });
      logger.info('querier started');
    },

    async stop() {
      await engine?.close();
      engine = undefined;
    },

    partial: (sql, range, source) =>
      running().partial(sql, { startTime: range.startTs, endTime: range.endTs }, source),

    async search(
      org: string,
      type: StreamKind,
      query: SearchQuery,
      options: Pick<SearchOptions, 'numericLists'> = {},
    ): Promise<SearchResponseBody> {
      const started = performance.now();
      // A compaction that replaced files while the ingesters were asked voids the split already
      // sent: the query runs again with its snapshot taken before the split (`late-share.ts`).
      const { value, stages } = await withStageClock(() =>
        searchOnce(org, type, query, options).catch((error: unknown) => {
          if (!isFilesMoved(error)) throw error;
          return searchOnce(org, type, query, options, true);
        }),
      );
      stages['total'] = Math.round((performance.now() - started) * 100) / 100;
      // The query profile, as the leader saw it (O2 logs every search at info too); `stages`
      // names where a cluster query's wall time went (they overlap where work runs concurrently).
      logger.info(
        {
          org,
          took: value.took,
          tookDetail: value.took_detail,
          scanRecords: value.scan_records,
          scanned: value.scan_files,
          pruned: value.pruned_files,
          nodes: value['nodes'] ?? [],
          stages,
        },
        'search',
      );
      return value;
    },

    async values(
      org: string,
      type: StreamKind,
      stream: string,
      query: ValuesQuery,
    ): Promise<SearchResponseBody> {
      const search = running();
      const range = { startTs: query.startTime, endTs: query.endTime };
      const resolved = await resolver.resolve(
        org,
        type,
        [{ name: stream, type }],
        range,
        new Map(),
        undefined,
        true, // snapshot first: this path has no rerun for files a compaction moved
      );
      try {
        return { ...(await search.values({ name: stream, type }, query, resolved.sources)) };
      } finally {
        resolved.release();
      }
    },

    async around(
      org: string,
      type: StreamKind,
      stream: string,
      query: AroundQuery,
    ): Promise<SearchResponseBody> {
      const half = Math.max(1, Math.ceil(query.size / 2));
      const window = 900 * 1_000_000;
      // The `sql` parameter narrows both halves by its WHERE (O2 keeps the user's filter).
      const sideSql = async (side: 'before' | 'after'): Promise<string> => {
        const own = aroundSql(stream, query.filters, side, half);
        return query.sql === undefined || query.sql === ''
          ? own
          : running().narrowedBy(own, query.sql);
      };
      // Half-open ranges: `before` ends at the key itself, `after` starts just past it.
      const before = await leader.search(org, type, {
        sql: await sideSql('before'),
        startTime: query.key - window,
        endTime: query.key + 1,
        size: half,
      });
      const after = await leader.search(org, type, {
        sql: await sideSql('after'),
        startTime: query.key + 1,
        endTime: query.key + window + 1,
        size: half,
      });
      const hits = [
        ...((after['hits'] as unknown[]) ?? []).reverse(),
        ...((before['hits'] as unknown[]) ?? []),
      ];
      return {
        ...before,
        hits,
        total: hits.length,
        size: query.size,
        took: Number(before['took'] ?? 0) + Number(after['took'] ?? 0),
      };
    },

    async partition(
      org: string,
      type: StreamKind,
      query: SearchQuery,
    ): Promise<SearchResponseBody> {
      const analysis = await running().analyze(query.sql, query.encoding);
      const stats = { files: 0, records: 0, originalSize: 0, compressedSize: 0 };
      const refs = analysis.streams.map((ref): MetaStreamRef => ({
        org,
        type: (ref.type ?? type) as StreamType,
        name: ref.name,
      }));
      const streams = await Promise.all(refs.map((ref) => metaStore.streams.get(ref)));
      // The UI splits only what it may search: the range a stream's limit leaves.
      const settings = streams.map((s) => ({ settings: s?.settings }));
      const limit = queryRangeLimit(settings, query.startTime, query.endTime);
      const startTime = limit?.startTime ?? query.startTime;
      for (const metaRef of refs) {
        for (const file of await metaStore.fileList.query(metaRef, {
          startTs: startTime,
          endTs: query.endTime,
        })) {
          stats.files++;
          stats.records += file.records;
          stats.originalSize += file.originalSize;
          stats.compressedSize += file.compressedSize;
        }
      }
      return partitionPlan({ ...query, startTime }, stats, maxQueryRangeHours(settings) ?? 0);
    },
  };
  return leader;
}
