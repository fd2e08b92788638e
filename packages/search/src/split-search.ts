import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { BoundStream, QueryPlan } from './plan-query.js';
import { assertSafeTree, isTableRef } from './query-tree.js';
import { SEARCH_ERROR, searchError } from './search-error.js';
import type { AstNode } from './sql-ast.js';
import { list, isNode, parseSelect, printSelect, str, visitTree } from './sql-ast.js';
import { partialResult, partialRowsSql } from './partial-rows.js';
import type { PartialDeps, PartialResult } from './partial-rows.js';
import { literalList, quoteIdent } from './sql-text.js';
import type { BareCount, BareShare } from './split-share.js';
import { sharePartialSql } from './split-share.js';
import { splitPlan, wholeRowsPartial } from './split-plan.js';
import type { ScanStats } from './create-views.js';
import { clocked } from './stage-clock.js';
import { streamViewSql } from './stream-view.js';
import type { TextMemo } from './text-memo.js';
import type { StreamViewInput } from './stream-view.js';
import type { StreamSource } from './types.js';

/** What reading a set of views cost (the engine's scan statistics). */
export interface SplitScanStats {
  bytes: number;
  records: number;
}

export interface SplitDeps {
  conn: DuckDBConnection;
  /** Scratch directory DuckDB may read and write (the engine's hot-table directory). */
  dir: string;
  aggregateFunctions: ReadonlySet<string>;
  createViews(streams: readonly BoundStream[]): Promise<ScanStats>;
  /** A bare count's share counted from footers and Arrow, its view made over the rest only. */
  countBare(stream: BoundStream, bare: BareCount): Promise<BareShare>;
  /** Runs a statement under the engine's query deadline. */
  run(sql: string): Promise<void>;
  /** `run`, reading the result; absent: a worker answers in Parquet only. */
  read?: PartialDeps['read'];
  /** Worker partials (by their SQL) last answered in Parquet: see `partialResult`. */
  parquetAnswers?: PartialDeps['parquetAnswers'];
  /** The query's time range (µs), which every querier's view of the stream applies. */
  range: { startTime: number; endTime: number };
  /** Split plans by planned SQL and stream schema (see {@link planSplit}). */
  splits?: TextMemo<PlannedSplit>;
  /**
   * A share's aggregate partial from the engine's kept per-file partials (`FileAnswers.share`):
   * the SQL of its rows and what it covers, undefined when it does not qualify.
   */
  answers?(
    stream: BoundStream,
    partial: AstNode,
  ): Promise<{ sql: string; scan: ScanStats; release(): void } | undefined>;
}

/** A single-stream query's split: the workers' partial and the leader's final SQL. */
export interface PlannedSplit {
  /** `aggregate`: partials merge per group key; `rows`: the final reruns the planned query. */
  kind: 'aggregate' | 'rows';
  partial: AstNode;
  partialSql: string;
  /** The SQL the leader runs over the partial results. */
  sql: string;
}

export interface SplitViews {
  /** The SQL to run over the views (the split's final, or the planned SQL). */
  sql: string;
  scan: SplitScanStats & { versions: Map<string, string>; views: Map<string, StreamViewInput> };
}

/** The view name a worker binds the partial's one table to. */
export const WORKER_VIEW = '__o2_stream_0';

/**
 * Every temp view and table `createSplitViews` may make for `streams`, for the connection pool
 * to drop before the connection is reused (names it did not make are dropped `IF EXISTS`).
 */
export function splitTempNames(
  streams: readonly Pick<BoundStream, 'view'>[],
  views: string[],
  tables: string[],
): void {
  for (const { view } of streams) {
    views.push(`${view}_local`, `${view}_extra`);
    tables.push(`${view}_part`, `${view}_extra_part`, `${view}_remote`);
  }
}

/**
 * The leader's side of a split query: for each stream with other queriers' files, sends them the
 * partial SQL and, meanwhile, runs it over this querier's own files; the stream's view then reads
 * the union of all partial results, and the final SQL runs over it. Streams without a `remote`
 * get their plain views. Undefined when no stream has a `remote` (single node).
 */
export async function createSplitViews(
  deps: SplitDeps,
  plan: QueryPlan,
): Promise<SplitViews | undefined> {
  if (!plan.streams.some((s) => s.source.remote !== undefined)) return undefined;
  const { conn } = deps;
  const range = { startTs: deps.range.startTime, endTs: deps.range.endTime };
  const scan: SplitViews['scan'] = { bytes: 0, records: 0, versions: new Map(), views: new Map() };
  const add = (s: SplitScanStats): void => {
    scan.bytes += s.bytes;
    scan.records += s.records;
  };
  let sql = plan.sql;
  for (const stream of plan.streams) {
    const remote = stream.source.remote;
    if (remote === undefined) {
      add(await deps.createViews([stream]));
      continue;
    }
    const view = quoteIdent(stream.view);
    const local = `${stream.view}_local`;
    let partial = wholeRowsPartial(stream.view);
    let partialSql: string;
    if (plan.streams.length === 1) {
      const split = await clocked('split_plan', () => planSplit(deps, plan, stream));
      partial = split.partial;
      partialSql = split.partialSql;
      sql = split.sql;
    } else partialSql = await printSelect(conn, partial);
    const localPart = `${stream.view}_part`;
    // This querier's own share runs while the workers run theirs.
    const [asked, own] = await Promise.allSettled([
      clocked('remote', () => remote(partialSql, range)),
      clocked('own_share', async () => {
        const late = stream.source.late && (await clocked('late_rows', () => stream.source.late!));
        const source: StreamSource =
          late === undefined
            ? stream.source
            : {
                ...stream.source,
                tables: [...(stream.source.tables ?? []), ...late.tables],
                parquetFiles: [...stream.source.parquetFiles, ...late.parquetFiles],
              };
        const share = await sharePartialSql(
          deps,
          { ...stream, source, view: local },
          renameTable(partial, local),
        );
        add(share.scan);
        // A count from footers alone is read inline: no table to make for one constant row.
        if (share.counted !== undefined) return partialRowsSql([share.counted]);
        try {
          await deps.run(`CREATE TEMP TABLE ${quoteIdent(localPart)} AS ${share.sql}`);
        } finally {
          share.release?.();
        }
        return `SELECT * FROM ${quoteIdent(localPart)}`;
      }),
    ]);
    // Both settled first: the connection is idle again when the error reaches its pool.
    if (asked.status === 'rejected') throw asked.reason;
    if (own.status === 'rejected') throw own.reason;
    const answer = asked.value;
    scan.records += answer.records;
    const branches = [own.value];
    if (answer.files.length > 0) {
      // Files of an unavailable querier, read here with the same partial.
      const extra = `${stream.view}_extra`;
      const source: StreamSource = { ...stream.source, parquetFiles: answer.files, tables: [] };
      delete source.rowRanges;
      delete source.late;
      const taken = await sharePartialSql(
        deps,
        { ...stream, source, view: extra },
        renameTable(partial, extra),
      );
      add(taken.scan);
      try {
        await deps.run(`CREATE TEMP TABLE ${quoteIdent(`${extra}_part`)} AS ${taken.sql}`);
      } finally {
        taken.release?.();
      }
      branches.push(`SELECT * FROM ${quoteIdent(`${extra}_part`)}`);
    }
    if (answer.parquet.length > 0) {
      const remoteParts = `${stream.view}_remote`;
      await clocked('merge_remote', () => readParquetInto(deps, remoteParts, answer.parquet));
      branches.push(`SELECT * FROM ${quoteIdent(remoteParts)}`);
      scan.bytes += answer.parquet.reduce((sum, b) => sum + b.byteLength, 0);
    }
    // Few rows came as text: read in the view itself, no table or file between.
    if (answer.rows.length > 0) branches.push(partialRowsSql(answer.rows));
    await conn.run(
      `CREATE OR REPLACE TEMP VIEW ${view} AS ${branches.join(' UNION ALL BY NAME ')}`,
    );
  }
  return { sql, scan };
}

/**
 * The split of a single-stream query. It is a function of the planned SQL, the stream's view
 * name and schema (the columns `*` expands to and DESCRIBE names) and whether every row is kept,
 * so it is memoised by those: planning it costs several DuckDB calls (bind a view, parse,
 * DESCRIBE, print twice) on the path before the workers are even asked, on every repeat of a
 * dashboard's query. The planned SQL carries no time range (the stream's view applies it).
 */
export async function planSplit(
  deps: SplitDeps,
  plan: QueryPlan,
  stream: BoundStream,
  made?: { view: boolean },
): Promise<PlannedSplit> {
  const { conn } = deps;
  const { schema } = stream.source;
  const keepAllRows = plan.countSql !== undefined;
  const key = `${stream.view}\0${keepAllRows}\0${JSON.stringify(schema)}\0${plan.sql}`;
  const known = deps.splits?.get(key);
  // Callers rename the partial's table in copies, but the tree is theirs to keep: clone it.
  if (known !== undefined) return { ...known, partial: structuredClone(known.partial) };
  // Bound to the stream's columns over no file for now (DESCRIBE names the planned query's
  // columns): the workers get the partial before this querier has listed its own files.
  const { startTime, endTime } = deps.range;
  await conn.run(streamViewSql({ view: stream.view, schema, files: [], startTime, endTime }));
  if (made) made.view = true;
  const split = splitPlan({
    root: await parseSelect(conn, plan.sql),
    view: stream.view,
    columns: schema.map((f) => f.name),
    aggregateFunctions: deps.aggregateFunctions,
    names: await outputNames(conn, plan.sql),
    keepAllRows,
  });
  const planned: PlannedSplit = {
    kind: split.kind,
    partial: split.partial,
    partialSql: await printSelect(conn, split.partial),
    sql: split.kind === 'aggregate' ? await printSelect(conn, split.final) : plan.sql,
  };
  deps.splits?.set(key, planned, planned.partialSql.length * 4 + planned.sql.length);
  return { ...planned, partial: structuredClone(planned.partial) };
}

/** The other queriers' partial results as one temp table (their files gone right after). */
async function readParquetInto(
  deps: SplitDeps,
  table: string,
  parquet: readonly Uint8Array[],
): Promise<void> {
  const files = parquet.map(() => join(deps.dir, `${randomUUID()}.parquet`));
  try {
    await Promise.all(files.map((f, i) => writeFile(f, parquet[i]!)));
    await deps.run(
      `CREATE TEMP TABLE ${quoteIdent(table)} AS SELECT * FROM read_parquet(` +
        `${literalList(files)}, union_by_name = true, hive_partitioning = false)`,
    );
  } finally {
    await Promise.all(files.map((f) => rm(f, { force: true })));
  }
}

/** A worker's side: the leader's partial SQL, checked, over `source`; its rows as text or Parquet. */
export async function runWorkerPartial(
  deps: SplitDeps,
  sql: string,
  source: StreamSource,
): Promise<PartialResult & { records: number }> {
  if (source.schema.length === 0)
    throw searchError(SEARCH_ERROR.streamNotFound, `stream not found: ${source.name}`);
  const partial = await clocked('worker_parse', () => workerPartial(deps.conn, sql));
  const stream = { ref: { name: source.name }, source, view: WORKER_VIEW };
  const share = await clocked('worker_share', () => sharePartialSql(deps, stream, partial));
  try {
    if (share.counted !== undefined) return { rows: share.counted, records: share.scan.records };
    // Keyed by the leader's partial: the share's SQL names this run's kept tables and files.
    const result = await clocked('worker_answer', () => partialResult(deps, share.sql, sql));
    return { ...result, records: share.scan.records };
  } finally {
    share.release?.();
  }
}

/** The planned query's output column names, as DuckDB names them (bound, not run). */
async function outputNames(conn: DuckDBConnection, sql: string): Promise<string[]> {
  const reader = await conn.runAndReadAll(`DESCRIBE ${sql}`);
  return reader.getRows().map((row) => String(row[0]));
}

function renameTable(partial: AstNode, view: string): AstNode {
  const from = partial.from_table as AstNode;
  return { ...partial, from_table: { ...from, table_name: view } };
}

/**
 * A worker's check of a leader's partial SQL: one SELECT, the engine's safety rules, exactly
 * one table and no CTE; that table becomes the worker's own view of the stream, whatever the
 * leader called it. The text is only ever used as a parsed tree.
 */
export async function workerPartial(conn: DuckDBConnection, sql: string): Promise<AstNode> {
  const root = await parseSelect(conn, sql);
  assertSafeTree(root);
  const tables: AstNode[] = [];
  let ctes = 0;
  visitTree(root, (node) => {
    if (isTableRef(node)) tables.push(node);
    if (isNode(node.cte_map)) ctes += list(node.cte_map, 'map').length;
  });
  const from = root.from_table;
  if (
    str(root, 'type') !== 'SELECT_NODE' ||
    ctes > 0 ||
    tables.length !== 1 ||
    !isNode(from) ||
    tables[0] !== from ||
    str(from, 'type') !== 'BASE_TABLE'
  ) {
    throw searchError(SEARCH_ERROR.invalidSql, 'a partial query reads exactly one stream');
  }
  return {
    ...root,
    from_table: { ...from, table_name: WORKER_VIEW, schema_name: '', catalog_name: '' },
  };
}
