import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { analyzeTree, type QueryAnalysis } from './analyze-query.js';
import { ConnectionPool } from './connection-pool.js';
import { decodeSql } from './decode-sql.js';
import { parseUserSelect } from './dialect/index.js';
import { HotTableFiles } from './hot-table-files.js';
import { createStreamViews, streamViewInputs } from './create-views.js';
import { DEFAULT_FTS_FIELDS } from './o2-functions.js';
import { findSource, type BoundStream } from './plan-query.js';
import { PlanMemo } from './plan-memo.js';
import { assertSafeTree } from './query-tree.js';
import { resultToHits } from './rows-to-hits.js';
import { SEARCH_ERROR, searchError } from './search-error.js';
import { clocked } from './stage-clock.js';
import { parseSelect, printSelect } from './sql-ast.js';
import { DEFAULT_VALUES_SIZE, mergeWhere, valuesQuery } from './values-query.js';
import { literalList } from './sql-text.js';
import { narrowPlanned } from './time-top-n.js';
import { parquetAnswerMemo } from './partial-rows.js';
import { FooterCache, type BareCount } from './count-from-metadata.js';
import { countBareStream } from './bare-count.js';
import { checkTimeRange } from './check-time-range.js';
import { createSplitViews, runWorkerPartial, splitTempNames, WORKER_VIEW } from './split-search.js';
import type { PlannedSplit } from './split-search.js';
import { VersionedCache, type FileFacts } from './versioned-cache.js';
import { FileAnswers, type FileAnswerDeps } from './file-answers.js';
import { RunGate } from './run-gate.js';
import { TextMemo } from './text-memo.js';
import type { SearchQuery, ValuesQuery } from '@o2/domain';
import type { Hit, SearchOptions, SearchResponse, StreamRef, StreamSource } from './types.js';
import { DEFAULT_QUERY_LIMIT, emptyResponse } from './types.js';

export interface SearchEngineOptions {
  /** Scratch space: DuckDB spill files and the Parquet copies of in-memory tables. */
  tempDir: string;
  /**
   * Directories the Parquet files of `StreamSource.parquetFiles` live in (file cache, local
   * WAL files). DuckDB refuses every other path, whatever the SQL says.
   */
  allowedDirectories?: readonly string[];
  threads?: number;
  /** DuckDB `memory_limit`, e.g. `'2GB'`. */
  memoryLimit?: string;
  /** Interrupts a query running longer than this (DEADLINE_EXCEEDED). */
  timeoutMs?: number;
  /** Statements scanning at once (`RunGate`); the rest wait in arrival order. Default: unlimited. */
  maxRunning?: number;
  defaultLimit?: number;
  defaultFtsFields?: readonly string[];
  /** `ZO_DASHBOARD_PLACEHOLDER`: predicates on it read as "no filter" (empty: off). */
  dashboardPlaceholder?: string;
}

const MB = 1024 * 1024;
type TimeRange = Pick<SearchQuery, 'startTime' | 'endTime'>;

/**
 * One DuckDB instance per process; each search takes a pooled connection (its temp views are
 * dropped before reuse). The instance is locked down at creation: no extension loading, file
 * access only below the allowed directories, configuration frozen.
 */
export class SearchEngine {
  private closed = false;
  /** Per-file facts read once per file version: row counts, schemas and `_timestamp` stats. */
  private readonly fileFacts = new VersionedCache<FileFacts>();
  private readonly footers = new FooterCache();
  /** Aggregates' partials per stored file version (see `FileAnswers`). */
  private readonly answers = new FileAnswers();
  /** `analyze` per (encoding, SQL) text: the leader asks it before every search. */
  private readonly analyses = new TextMemo<QueryAnalysis>(1000, 4_000_000);
  private readonly plans = new PlanMemo();
  private readonly splits = new TextMemo<PlannedSplit>(500, 8_000_000);
  private readonly parquetAnswers = parquetAnswerMemo();
  private readonly gate: RunGate;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly hotFiles: HotTableFiles,
    private readonly aggregateFunctions: ReadonlySet<string>,
    private readonly options: SearchEngineOptions,
    private readonly pool = new ConnectionPool(instance),
  ) {
    this.gate = new RunGate(options.maxRunning ?? Infinity, options.timeoutMs);
  }

  static async create(options: SearchEngineOptions): Promise<SearchEngine> {
    const tempDir = resolve(options.tempDir);
    const spill = join(tempDir, 'spill');
    const hot = join(tempDir, `hot-${randomUUID()}`);
    await mkdir(spill, { recursive: true });
    await mkdir(hot, { recursive: true });
    const config: Record<string, string> = {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      temp_directory: spill,
      // Every file DuckDB reads is local (file cache, WAL), already in the OS page cache: its
      // own copy of the bytes only doubled them in the process's RSS, up to memory_limit.
      enable_external_file_cache: 'false',
      // jemalloc returns freed pages from a background thread, so an idle process shrinks back.
      allocator_background_threads: 'true',
    };
    if (options.threads !== undefined) config.threads = String(options.threads);
    if (options.memoryLimit !== undefined) config.memory_limit = options.memoryLimit;
    const instance = await DuckDBInstance.create(':memory:', config);
    const conn = await instance.connect();
    try {
      const reader = await conn.runAndReadAll(
        "SELECT DISTINCT lower(function_name) FROM duckdb_functions() WHERE function_type = 'aggregate'",
      );
      const aggregates = new Set(reader.getRows().map((row) => String(row[0])));
      const allowed = [hot, spill, ...(options.allowedDirectories ?? []).map((d) => resolve(d))];
      await conn.run('SET parquet_metadata_cache = true');
      // DataFusion's semantics: integer / integer truncates, naive timestamps are UTC.
      await conn.run('SET GLOBAL integer_division = true');
      await conn.run("SET GLOBAL TimeZone = 'UTC'");
      await conn.run(`SET allowed_directories = ${literalList(allowed.map((d) => `${d}/`))}`);
      await conn.run('SET enable_external_access = false');
      await conn.run('SET lock_configuration = true');
      return new SearchEngine(instance, new HotTableFiles(hot), aggregates, options);
    } catch (err) {
      instance.closeSync();
      throw err;
    } finally {
      conn.closeSync();
    }
  }

  /** The streams a query reads, for the caller to resolve into sources. */
  async referencedStreams(sql: string, encoding?: string): Promise<StreamRef[]> {
    return (await this.analyze(sql, encoding)).streams;
  }

  /** Streams plus the `match_all` terms that can prune their files (see `tokenIndexMayMatch`). */
  async analyze(sql: string, encoding?: string): Promise<QueryAnalysis> {
    const key = `${encoding ?? ''}\0${sql}`;
    let analysis = this.analyses.get(key);
    if (analysis === undefined) {
      analysis = await this.withConnection(async (conn) => {
        const root = await parseUserSelect(conn, decodeSql(sql, encoding));
        assertSafeTree(root);
        return analyzeTree(root);
      });
      this.analyses.set(key, analysis, key.length);
    }
    return structuredClone(analysis); // callers own what they are given
  }

  async search(
    request: SearchQuery,
    sources: readonly StreamSource[],
    options: SearchOptions = {},
  ): Promise<SearchResponse> {
    const started = performance.now();
    checkTimeRange(request);
    const sql = decodeSql(request.sql, request.encoding);
    const from = Math.max(0, Math.trunc(request.from ?? 0));
    const size = Math.trunc(request.size ?? 0);
    const views: string[] = [];
    const tables: string[] = [];
    const waited = { ms: 0 };
    return this.withConnection(
      async (conn) => {
        const plan = await clocked('plan', () =>
          this.plans.plan(conn, {
            sql,
            startTime: request.startTime,
            endTime: request.endTime,
            from,
            size,
            trackTotalHits: request.trackTotalHits === true,
            sources,
            defaultLimit: options.defaultLimit ?? this.options.defaultLimit ?? DEFAULT_QUERY_LIMIT,
            defaultFtsFields:
              options.defaultFtsFields ?? this.options.defaultFtsFields ?? DEFAULT_FTS_FIELDS,
            aggregateFunctions: this.aggregateFunctions,
            dashboardPlaceholder: this.options.dashboardPlaceholder ?? '',
          }),
        );
        views.push(...plan.streams.map((s) => s.view));
        // Cluster mode: the other queriers run the query's partial (see `createSplitViews`).
        const deps = this.splitDeps(conn, request);
        const { fileFacts, footers, hotFiles } = this;
        const split = await clocked('split_views', () => createSplitViews(deps, plan));
        if (split !== undefined) splitTempNames(plan.streams, views, tables);
        const bare = split === undefined ? plan.bareCount : undefined;
        const counting = bare && (await deps.countBare(plan.streams[0]!, bare));
        // Counted without a scan: no view was made, so none to drop (a statement per count).
        if (counting && !counting.scanRest) views.splice(0);
        const answered =
          split === undefined && !counting
            ? await clocked('answers', () =>
                this.answers.answer(deps, plan, options.numericLists === undefined),
              )
            : undefined;
        answered?.temps(views);
        const scan =
          split?.scan ??
          counting?.scan ??
          answered?.scan ??
          (await clocked('views', () =>
            createStreamViews(conn, plan.streams, request, hotFiles, fileFacts, plan.inlineViews),
          ));
        const searchStarted = performance.now();
        const cte = await clocked('top_n', () => narrowPlanned(conn, plan, scan, footers, views));
        const counted = counting?.counted ?? 0;
        // Everything counted without a scan: the one row a bare count answers.
        let hits =
          bare !== undefined && counting?.scanRest === false
            ? [{ [bare.column]: 0 }]
            : (answered?.hits ??
              (await clocked('final', () =>
                this.gate.statement(
                  conn,
                  split?.sql ?? answered?.sql ?? cte + plan.sql,
                  (result) => resultToHits(result, options.numericLists),
                  waited,
                ),
              ).finally(() => answered?.release())));
        if (answered?.hits === undefined) answered?.keep(hits);
        const countRow = hits[0];
        if (counted > 0 && bare !== undefined && countRow !== undefined) {
          const column = bare.column;
          countRow[column] = Number(countRow[column] ?? 0) + counted;
        }
        const functionError: string[] = [];
        let isPartial = false;
        const truncateAt = plan.limit.truncateAt;
        if (truncateAt !== undefined && hits.length > truncateAt) {
          hits = hits.slice(0, truncateAt);
          isPartial = true;
          functionError.push(
            `Query result is too large, only the first ${truncateAt} rows are returned`,
          );
        }
        let total = hits.length;
        if (plan.countSql !== undefined) {
          const [row] = await this.gate.statement(
            conn,
            cte + plan.countSql,
            (r) => resultToHits(r),
            waited,
          );
          total = Number(Object.values(row ?? {})[0] ?? 0);
        }
        const searchTook = Math.round(performance.now() - searchStarted);
        const took = Math.round(performance.now() - started);
        const base = emptyResponse();
        const response: SearchResponse = {
          ...base,
          took,
          took_detail: { ...base.took_detail, total: took, search_took: searchTook },
          hits,
          total,
          from,
          size,
          scan_size: Math.round((scan.bytes / MB) * 1000) / 1000,
          scan_records: scan.records,
          is_partial: isPartial,
          function_error: functionError,
        };
        response.took_detail.wait_in_queue = Math.round(waited.ms);
        if (plan.histogramInterval !== undefined)
          response.histogram_interval = plan.histogramInterval;
        return response;
      },
      views,
      tables,
    );
  }

  /** A worker's share of a split query: the leader's partial over `source`, as text or Parquet. */
  async partial(sql: string, range: TimeRange, source: StreamSource) {
    checkTimeRange(range);
    return this.withConnection(
      (conn) => runWorkerPartial(this.splitDeps(conn, range), sql, source),
      [WORKER_VIEW],
    );
  }

  private splitDeps(conn: DuckDBConnection, range: TimeRange): FileAnswerDeps {
    const { aggregateFunctions, hotFiles, footers, fileFacts, splits } = this;
    const read: FileAnswerDeps['read'] = (sql, r) => this.gate.statement(conn, sql, r);
    const run = (sql: string) => this.gate.statement(conn, sql, () => Promise.resolve());
    const createViews = (s: readonly BoundStream[]) =>
      createStreamViews(conn, s, range, hotFiles, fileFacts);
    const viewInputs = (s: readonly BoundStream[]) =>
      streamViewInputs(conn, s, range, hotFiles, fileFacts);
    const countBare = (s: BoundStream, bare: BareCount) =>
      countBareStream(conn, s, range, bare, hotFiles, { fileFacts, footers });
    const deps = { conn, aggregateFunctions, createViews, run, read, range, countBare, splits };
    const hotFile: FileAnswerDeps['hotFile'] = (t) => hotFiles.fileFor(t);
    const all: FileAnswerDeps = { ...deps, dir: hotFiles.dir, viewInputs, fileFacts, hotFile };
    // Each querier keeps its shares' per-file partials, as the single node keeps its own.
    all.answers = (s, p) => this.answers.share(all, s, p);
    all.parquetAnswers = this.parquetAnswers;
    return all;
  }

  /** O2's `_values`: the top values of each requested field the stream has, one search per field,
   * answered as `hits: [{ field, values: [{ zo_sql_key, zo_sql_num }] }]`. */
  async values(
    stream: StreamRef,
    request: ValuesQuery,
    sources: readonly StreamSource[],
    options: SearchOptions = {},
  ): Promise<SearchResponse> {
    const started = performance.now();
    const source = findSource(stream, sources);
    if (source === undefined || source.schema.length === 0) {
      throw searchError(SEARCH_ERROR.streamNotFound, `stream not found: ${stream.name}`);
    }
    const size =
      request.size !== undefined && request.size > 0 ? request.size : DEFAULT_VALUES_SIZE;
    const present = new Set(source.schema.map((f) => f.name));
    const fields = request.fields.filter((f) => present.has(f));
    const hits: Hit[] = [];
    let last: SearchResponse | undefined;
    let scanRecords = 0;
    for (const field of fields) {
      let sql = valuesQuery({
        stream: stream.name,
        ...(stream.type === undefined ? {} : { streamType: stream.type }),
        field,
        ...(request.filter === undefined ? {} : { filter: request.filter }),
        ...(request.keyword === undefined ? {} : { keyword: request.keyword }),
        noCount: request.noCount === true,
      });
      if (request.sql !== undefined && request.sql !== '') {
        sql = await this.narrowedBy(sql, request.sql);
      }
      last = await this.search(
        {
          sql,
          startTime: request.startTime,
          endTime: request.endTime,
          from: request.from ?? 0,
          size,
        },
        sources,
        options,
      );
      scanRecords += last.scan_records;
      hits.push({ field, values: last.hits });
    }
    const took = Math.round(performance.now() - started);
    return {
      ...(last ?? emptyResponse()),
      took,
      took_detail: { ...(last ?? emptyResponse()).took_detail, total: took },
      hits,
      total: fields.length,
      from: request.from ?? 0,
      size,
      scan_records: scanRecords,
    };
  }

  /**
   * `sql` with the WHERE of a user's base64 `base` query ANDed in (O2's `_values` and `_around`
   * `sql` parameter), printed back by DuckDB: user text only enters as parsed tree.
   */
  async narrowedBy(sql: string, base: string): Promise<string> {
    return this.withConnection(async (conn) => {
      const baseRoot = await parseUserSelect(conn, decodeSql(base, 'base64'));
      assertSafeTree(baseRoot);
      return printSelect(conn, mergeWhere(await parseSelect(conn, sql), baseRoot));
    });
  }

  /** Removes the in-memory tables' Parquet copies and closes DuckDB. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.pool.close();
    this.instance.closeSync();
    await this.hotFiles.close();
  }

  /** A pooled connection; the temp views and tables `work` makes are dropped before reuse. */
  private withConnection<T>(
    work: (c: DuckDBConnection) => Promise<T>,
    views?: string[],
    tables?: string[],
  ) {
    return this.pool.use(work, views, tables);
  }
}

export async function createSearchEngine(options: SearchEngineOptions): Promise<SearchEngine> {
  return SearchEngine.create(options);
}
