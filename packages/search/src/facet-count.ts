import { resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SearchQuery } from '@o2/domain';
import { wholeFileRows } from './count-from-metadata.js';
import { createStreamViews } from './create-views.js';
import type { ScanStats } from './create-views.js';
import { comparable, facetShapeOf } from './facet-shape.js';
import type { FacetShape } from './facet-shape.js';
import type { HotTableFiles } from './hot-table-files.js';
import { bucketMicros } from './o2-functions.js';
import type { QueryPlan } from './plan-query.js';
import type { AstNode, Json } from './sql-ast.js';
import { isNode, list, parseSelect, printSelect, str, visitTree } from './sql-ast.js';
import { quoteIdent, quoteLiteral } from './sql-text.js';
import { splitPlan } from './split-plan.js';
import { splitTempNames } from './split-search.js';
import type { SplitDeps } from './split-search.js';
import { streamViewSql } from './stream-view.js';
import type { FileFacets, StreamSource } from './types.js';
import { storedFileFacts } from './versioned-cache.js';
import type { FileFacts, VersionedCache } from './versioned-cache.js';

const MINUTE_MICROS = 60_000_000;
const COUNT = '__o2_n';

export interface FacetCountDeps extends Pick<
  SplitDeps,
  'conn' | 'footers' | 'aggregateFunctions' | 'run'
> {
  request: Pick<SearchQuery, 'startTime' | 'endTime'>;
  hotFiles: HotTableFiles;
  fileFacts: VersionedCache<FileFacts>;
}

/** The SQL to run instead of the plan's, over a view the facets and a partial scan make. */
export interface FacetCount {
  sql: string;
  scan: ScanStats;
  /** Stored files whose facets answered for them. */
  files: number;
}

/**
 * Group-by, equality and per-minute histogram counts of one stream from its stored files'
 * facets (see `FileFacets`): the query is split as for cluster mode (`splitPlan`); files wholly
 * inside the range whose facets hold the dimension answer the partial from their summed facet
 * rows, every other file and the in-memory tables run the partial as scanned rows, and the
 * final merges both, so ordering, limits and column names are the unsplit query's. Undefined
 * (the plain path runs) for any other query, or when no file has the facets it needs.
 */
export async function countFromFacets(
  deps: FacetCountDeps,
  plan: QueryPlan,
  /** The connection's temp views and tables to drop after the query: this adds its own. */
  views: string[],
  tables: string[],
): Promise<FacetCount | undefined> {
  const stream = plan.streams.length === 1 ? plan.streams[0]! : undefined;
  const source = stream?.source;
  const facetsOf = source?.facets;
  if (stream === undefined || source === undefined || facetsOf === undefined) return undefined;
  if (source.remote !== undefined || source.allRows === true) return undefined;
  if (plan.countSql !== undefined || plan.timeTopN !== undefined || plan.bareCount !== undefined)
    return undefined;
  if (source.parquetFiles.length === 0) return undefined;
  splitTempNames(plan.streams, views, tables); // the same names as a cluster split's
  const { conn, request } = deps;
  const root = await parseSelect(conn, plan.sql);
  // A cheap look first: a grouped or filtered query counting rows.
  let counts = false;
  visitTree(root.select_list ?? null, (n) => {
    counts ||= str(n, 'function_name') === 'count_star';
  });
  if (!counts) return undefined;
  if (list(root, 'group_expressions').length === 0 && !isNode(root.where_clause)) return undefined;
  const { schema } = source;
  const { startTime, endTime } = request;
  // Bound over no file, for DESCRIBE and the view's column types (as a cluster split does).
  await conn.run(streamViewSql({ view: stream.view, schema, files: [], startTime, endTime }));
  const answer = await facetAnswer(deps, plan, root, facetsOf).catch(async (error: unknown) => {
    await conn.run(`DROP VIEW IF EXISTS ${quoteIdent(stream.view)}`);
    throw error;
  });
  // Not answerable: the plain path makes the view.
  if (answer === undefined) await conn.run(`DROP VIEW IF EXISTS ${quoteIdent(stream.view)}`);
  return answer;
}

async function facetAnswer(
  deps: FacetCountDeps,
  plan: QueryPlan,
  root: AstNode,
  facetsOf: NonNullable<StreamSource['facets']>,
): Promise<FacetCount | undefined> {
  const { conn, request } = deps;
  const stream = plan.streams[0]!;
  const { source } = stream;
  const { schema } = source;
  const { startTime, endTime } = request;
  const names = (await conn.runAndReadAll(`DESCRIBE ${plan.sql}`))
    .getRows()
    .map((r) => String(r[0]));
  const split = splitPlan({
    root,
    view: stream.view,
    columns: schema.map((f) => f.name),
    aggregateFunctions: deps.aggregateFunctions,
    names,
    keepAllRows: false,
  });
  const columns = new Map(schema.map((f) => [f.name.toLowerCase(), f.name]));
  const sum = await parseSelect(conn, `SELECT COALESCE(sum(${COUNT}), 0)::BIGINT`);
  const shape = facetShapeOf(split, columns, await histogramKey(conn, plan), select0(sum));
  if (shape === undefined || split.kind !== 'aggregate') return undefined;
  const start = Math.max(startTime, shape.start);
  const end = Math.min(endTime, shape.end);
  if (!(start < end)) return undefined;

  const byResolved = new Map(source.parquetFiles.map((f) => [resolve(f), f]));
  const stored = [...byResolved.keys()];
  const facts = await storedFileFacts(conn, stored, deps.fileFacts);
  const ranged = new Set([...(source.rowRanges?.keys() ?? [])].map((f) => resolve(f)));
  const candidates = stored.filter((f) => !ranged.has(f));
  const whole = await wholeFileRows(conn, candidates, { start, end }, deps.footers, facts.versions);
  const sums = new Map<string | null, number>();
  const answered = new Set<string>();
  for (const [file, rows] of whole) {
    const counts = countsOf(await facetsOf(byResolved.get(file)!), shape.column);
    // Counts that do not add up to the footer's rows are not this file's: scan it.
    if (counts === undefined || counts.reduce((n, [, c]) => n + c, 0) !== rows) continue;
    for (const [value, n] of counts) sums.set(value, (sums.get(value) ?? 0) + n);
    answered.add(file);
  }
  if (answered.size === 0) return undefined;

  const view = stream.view;
  const local = `${view}_local`;
  const rest = { ...source, parquetFiles: stored.filter((f) => !answered.has(f)) };
  const made = await createStreamViews(
    conn,
    [{ ...stream, source: rest, view: local }],
    request,
    deps.hotFiles,
    deps.fileFacts,
  );
  // What the query covers (every file and table), as the plain path reports it.
  const scan: ScanStats = { ...facts, views: made.views };
  for (const table of new Set(source.tables ?? [])) {
    scan.records += table.numRows;
    for (const batch of table.batches) scan.bytes += batch.data.byteLength;
  }

  const part = `${view}_part`;
  const rows = `${view}_remote`;
  const facetPart = `${view}_extra_part`;
  const ownSql = await printSelect(conn, fromTable(split.partial, local));
  await deps.run(`CREATE TEMP TABLE ${quoteIdent(part)} AS ${ownSql}`);
  await createFacetRows(deps, shape, view, rows, sums);
  const facetSql = await printSelect(conn, fromTable(shape.partial, rows));
  await deps.run(`CREATE TEMP TABLE ${quoteIdent(facetPart)} AS ${facetSql}`);
  await conn.run(
    `CREATE OR REPLACE TEMP VIEW ${quoteIdent(view)} AS SELECT * FROM ${quoteIdent(part)} ` +
      `UNION ALL BY NAME SELECT * FROM ${quoteIdent(facetPart)}`,
  );
  return { sql: await printSelect(conn, split.final), scan, files: answered.size };
}

/** The facet's (value, rows) pairs for `column`, minutes as their first µs. */
function countsOf(
  facets: FileFacets | undefined,
  column: string,
): ReadonlyArray<readonly [string | null, number]> | undefined {
  if (facets === undefined) return undefined;
  if (column !== '_timestamp') return facets.columns.get(column);
  return facets.minutes?.map(([minute, n]) => [String(minute * MINUTE_MICROS), n] as const);
}

/** The facet rows as a temp table: the dimension in the view's type, and the row count. */
async function createFacetRows(
  deps: FacetCountDeps,
  shape: FacetShape,
  view: string,
  table: string,
  sums: ReadonlyMap<string | null, number>,
): Promise<void> {
  const column = quoteIdent(shape.column);
  const described = await deps.conn.runAndReadAll(
    `DESCRIBE SELECT ${column} FROM ${quoteIdent(view)}`,
  );
  const type = String(described.getRows()[0]?.[1] ?? 'VARCHAR');
  const values = [...sums].map(
    ([v, n]) => `(${v === null ? 'NULL' : quoteLiteral(v)}, ${Math.trunc(n)})`,
  );
  await deps.run(
    `CREATE TEMP TABLE ${quoteIdent(table)} AS SELECT CAST(v AS ${type}) AS ${column}, ` +
      `n::BIGINT AS ${COUNT} FROM (VALUES ${values.join(', ')}) AS t(v, n)`,
  );
}

/**
 * The comparable form of `histogram(_timestamp, <interval>)` in UTC as the plan wrote it, when
 * the interval is whole minutes (the origin, 2001-01-01, is a minute boundary); else undefined.
 */
async function histogramKey(conn: DuckDBConnection, plan: QueryPlan): Promise<Json | undefined> {
  const seconds = plan.histogramInterval;
  if (seconds === undefined || seconds % 60 !== 0) return undefined;
  const expr = bucketMicros(`CAST(${quoteIdent('_timestamp')} AS BIGINT)`, 0, seconds);
  return comparable(select0(await parseSelect(conn, `SELECT ${expr}`)));
}

function select0(root: AstNode): AstNode {
  return list(root, 'select_list')[0] as AstNode;
}

function fromTable(partial: AstNode, table: string): AstNode {
  const from = partial.from_table as AstNode;
  return { ...partial, from_table: { ...from, table_name: table, alias: str(from, 'alias') } };
}
