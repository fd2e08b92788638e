import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import type { Config } from '@o2/config';
import type {
  AroundQuery,
  SearchQuery,
  SearchResponseBody,
  SearchService,
  StreamKind,
  ValuesQuery,
} from '@o2/domain';
import { storedFileKey, tokenIndexKey } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { Lifecycle } from '@o2/lifecycle';
import type { Logger } from '@o2/logger';
import type {
  MetaStore,
  StoredFileEntry,
  StreamRef as MetaStreamRef,
  StreamType,
} from '@o2/metastore';
import { readParquet } from '@o2/parquet';
import { createSearchEngine } from '@o2/search';
import { tokenIndexMayMatch } from '@o2/token-index';
import type { SearchEngine, StreamField, StreamRef, StreamSource } from '@o2/search';
import type { ObjectStore } from '@o2/storage';
import { aroundSql } from './around-sql.js';
import { FileCache } from './file-cache.js';
import { partitionPlan } from './partition-plan.js';
import { rowsInRange } from './rows-in-range.js';

/** One stream's rows held by an ingester plus the stored files, taken at one instant. */
export interface HotSnapshot {
  tables: Table[];
  localFiles: string[];
  storedFiles: StoredFileEntry[];
  release(): void;
}

/** Where hot (not yet uploaded) data comes from: the in-process ingester on a single node. */
export interface HotDataSource {
  snapshot(ref: MetaStreamRef, range: { startTs: number; endTs: number }): Promise<HotSnapshot>;
}

/** What one querier did for a query: the query profile's per-node part. */
export interface NodeScan {
  name: string;
  files: number;
  records: number;
}

export interface FileSplitResult {
  /** The files this querier reads itself. */
  local: StoredFileEntry[];
  /** Rows (in the query's range) of the files other queriers read. */
  tables: Table[];
  nodes: NodeScan[];
}

/** Spreads a stream's stored files over the live queriers (cluster mode). */
export interface FileSplit {
  split(
    ref: MetaStreamRef,
    files: readonly StoredFileEntry[],
    range: { startTs: number; endTs: number },
  ): Promise<FileSplitResult>;
}

export interface StoredRows {
  tables: Table[];
  records: number;
}

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
}

export type Querier = Lifecycle &
  SearchService & {
    /** A worker's share of a leader's query: the rows of these stored files in the range. */
    readStoredRows(
      files: readonly StoredFileEntry[],
      range: { startTs: number; endTs: number },
    ): Promise<StoredRows>;
  };

const INDEX_CACHE_ENTRIES = 20_000;

/**
 * The querier role: resolves the streams a query reads to their sources — stored Parquet
 * (fetched into the file cache on S3), local files and memtable rows of the ingester, all from
 * one consistent snapshot — skips files whose token index rules out a `match_all` term, and
 * runs the SQL on DuckDB through `@o2/search`.
 */
export function createQuerier(deps: QuerierDeps): Querier {
  const { config, metaStore, objectStore } = deps;
  const logger = deps.logger.child({ module: 'querier' });
  const files = deps.fileCache ?? FileCache.fromConfig(config, objectStore);
  const indexes = new Map<string, Uint8Array>();
  let engine: SearchEngine | undefined;

  const running = (): SearchEngine => {
    if (engine === undefined)
      throw new AppError('UNAVAILABLE', 'querier is not running', { retryAfterSeconds: 1 });
    return engine;
  };

  const tokenIndex = async (file: StoredFileEntry): Promise<Uint8Array | undefined> => {
    const key = tokenIndexKey(storedFileKey(file));
    const hit = indexes.get(key);
    if (hit !== undefined) return hit;
    try {
      const index = await objectStore.getBytes(key);
      if (indexes.size >= INDEX_CACHE_ENTRIES)
        indexes.delete(indexes.keys().next().value as string);
      indexes.set(key, index);
      return index;
    } catch {
      return undefined; // no index: the file can't be ruled out
    }
  };

  /** Sources for every stream the SQL reads, plus the snapshots to release afterwards. */
  const resolveSources = async (
    org: string,
    type: StreamKind,
    refs: readonly StreamRef[],
    range: { startTs: number; endTs: number },
    terms: ReadonlyMap<string, string[]>,
  ): Promise<{
    sources: StreamSource[];
    release(): void;
    scanned: number;
    pruned: number;
    nodes: NodeScan[];
  }> => {
    const snapshots: HotSnapshot[] = [];
    const nodes = new Map<string, NodeScan>();
    const sources: StreamSource[] = [];
    let scanned = 0;
    let pruned = 0;
    try {
      for (const ref of refs) {
        const streamType = (ref.type ?? type) as StreamType;
        const metaRef: MetaStreamRef = { org, type: streamType, name: ref.name };
        const [schema, stream] = await Promise.all([
          metaStore.schemas.latest(metaRef),
          metaStore.streams.get(metaRef),
        ]);
        const snapshot: HotSnapshot =
          deps.hotData !== undefined
            ? await deps.hotData.snapshot(metaRef, range)
            : {
                tables: [],
                localFiles: [],
                storedFiles: await metaStore.fileList.query(metaRef, range),
                release: () => undefined,
              };
        snapshots.push(snapshot);
        const wanted = terms.get(ref.name) ?? [];
        const kept: StoredFileEntry[] = [];
        for (const file of snapshot.storedFiles) {
          if (config.ZO_ENABLE_INVERTED_INDEX && wanted.length > 0 && file.indexSize > 0) {
            const index = await tokenIndex(file);
            if (index !== undefined && wanted.some((term) => !tokenIndexMayMatch(index, term))) {
              pruned++;
              continue;
            }
          }
          kept.push(file);
        }
        scanned += kept.length + snapshot.localFiles.length;
        let own: readonly StoredFileEntry[] = kept;
        let remote: Table[] = [];
        if (deps.fileSplit !== undefined) {
          const split = await deps.fileSplit.split(metaRef, kept, range);
          own = split.local;
          remote = split.tables;
          for (const node of split.nodes) {
            const sum = nodes.get(node.name) ?? { name: node.name, files: 0, records: 0 };
            sum.files += node.files;
            sum.records += node.records;
            nodes.set(node.name, sum);
          }
        }
        const stored = await Promise.all(own.map((f) => files.localPath(storedFileKey(f))));
        sources.push({
          name: ref.name,
          type: streamType,
          schema: (schema?.fields ?? []) as StreamField[],
          parquetFiles: [...stored, ...snapshot.localFiles],
          tables: [...snapshot.tables, ...remote],
          settings: stream?.settings ?? {},
        });
      }
    } catch (error) {
      snapshots.forEach((s) => s.release());
      throw error;
    }
    return {
      sources,
      scanned,
      pruned,
      nodes: [...nodes.values()],
      release: () => snapshots.forEach((s) => s.release()),
    };
  };

  const querier: Querier = {
    name: 'querier',

    async start() {
      engine = await createSearchEngine({
        tempDir: join(config.ZO_DATA_TMP_DIR, 'duckdb'),
        allowedDirectories: [...files.directories, join(config.ZO_DATA_WAL_DIR, 'files')],
        ...(config.ZO_QUERY_THREAD_NUM > 0 ? { threads: config.ZO_QUERY_THREAD_NUM } : {}),
        timeoutMs: config.ZO_QUERY_TIMEOUT * 1000,
        defaultLimit: config.ZO_QUERY_DEFAULT_LIMIT,
      });
      logger.info('querier started');
    },

    async stop() {
      await engine?.close();
      engine = undefined;
    },

    async search(org: string, type: StreamKind, query: SearchQuery): Promise<SearchResponseBody> {
      const search = running();
      const analysis = await search.analyze(query.sql, query.encoding);
      const terms = new Map(analysis.fullTextTerms.map((t) => [t.stream.name, t.terms]));
      const range = { startTs: query.startTime, endTs: query.endTime };
      const resolved = await resolveSources(org, type, analysis.streams, range, terms);
      try {
        const response = await search.search(
          {
            sql: query.sql,
            startTime: query.startTime,
            endTime: query.endTime,
            ...(query.from === undefined ? {} : { from: query.from }),
            ...(query.size === undefined ? {} : { size: query.size }),
            ...(query.trackTotalHits === undefined ? {} : { trackTotalHits: query.trackTotalHits }),
            ...(query.encoding === undefined ? {} : { encoding: query.encoding }),
          },
          resolved.sources,
        );
        // The query profile, as the leader saw it (O2 logs every search at info too).
        logger.info(
          {
            org,
            took: response.took,
            tookDetail: response.took_detail,
            scanRecords: response.scan_records,
            scanned: resolved.scanned,
            pruned: resolved.pruned,
            nodes: resolved.nodes,
          },
          'search',
        );
        return {
          ...response,
          scan_files: resolved.scanned,
          pruned_files: resolved.pruned,
          // Which querier read how many stored files (cluster mode only).
          ...(deps.fileSplit === undefined ? {} : { nodes: resolved.nodes }),
        };
      } finally {
        resolved.release();
      }
    },

    async readStoredRows(stored, range) {
      const tables: Table[] = [];
      let records = 0;
      for (const file of stored) {
        const table = rowsInRange(
          await readParquet(await readFile(await files.localPath(storedFileKey(file)))),
          range,
        );
        if (table.numRows === 0) continue;
        records += table.numRows;
        tables.push(table);
      }
      return { tables, records };
    },

    async values(
      org: string,
      type: StreamKind,
      stream: string,
      query: ValuesQuery,
    ): Promise<SearchResponseBody> {
      const search = running();
      const range = { startTs: query.startTime, endTs: query.endTime };
      const resolved = await resolveSources(org, type, [{ name: stream, type }], range, new Map());
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
      // Half-open ranges: `before` ends at the key itself, `after` starts just past it.
      const before = await querier.search(org, type, {
        sql: aroundSql(stream, query.filters, 'before', half),
        startTime: query.key - window,
        endTime: query.key + 1,
        size: half,
      });
      const after = await querier.search(org, type, {
        sql: aroundSql(stream, query.filters, 'after', half),
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
      for (const ref of analysis.streams) {
        const metaRef: MetaStreamRef = {
          org,
          type: (ref.type ?? type) as StreamType,
          name: ref.name,
        };
        for (const file of await metaStore.fileList.query(metaRef, {
          startTs: query.startTime,
          endTs: query.endTime,
        })) {
          stats.files++;
          stats.records += file.records;
          stats.originalSize += file.originalSize;
          stats.compressedSize += file.compressedSize;
        }
      }
      return partitionPlan(query, stats);
    },
  };
  return querier;
}
