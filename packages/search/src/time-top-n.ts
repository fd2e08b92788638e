import type { DuckDBConnection } from '@duckdb/node-api';
import type { AstNode, Json } from './sql-ast.js';
import { bigintConstant, integerConstant, isNode, list, str } from './sql-ast.js';
import { intLiteral, quoteIdent } from './sql-text.js';
import { streamSelectSql, streamViewSql } from './stream-view.js';
import type { StreamViewInput } from './stream-view.js';
import { footerNarrowed } from './top-n-bound.js';
import type { FooterDeps } from './top-n-bound.js';
import type { FooterCache } from './count-from-metadata.js';
import type { ScanStats } from './create-views.js';

const TIMESTAMP = '_timestamp';

/**
 * A query that only wants the newest (or oldest) `rows` rows of one stream: the logs page's
 * `SELECT * FROM s ORDER BY _timestamp DESC LIMIT n`. The engine first reads the `_timestamp`
 * column alone to find the boundary timestamp of the n-th row, then narrows the stream's time
 * range to it, so the full rows are read only from the row groups that can hold the answer.
 */
export interface TimeTopN {
  /** The temp view standing for the stream. */
  view: string;
  descending: boolean;
  /** LIMIT plus OFFSET: how many rows from the newest (oldest) end the answer can reach. */
  rows: number;
  /**
   * With a WHERE: the query itself with LIMIT rows and no OFFSET, whose `_timestamp`s (O2's
   * one-stream SELECTs always output it) the view is then narrowed to.
   */
  probe?: AstNode;
}

function isTimestampRef(expr: Json | undefined): boolean {
  if (!isNode(expr) || str(expr, 'class') !== 'COLUMN_REF') return false;
  return list(expr, 'column_names').at(-1) === TIMESTAMP;
}

/** `*` or a bare column, neither able to stand for a different `_timestamp`. */
function isPlainItem(expr: Json): boolean {
  if (!isNode(expr)) return false;
  const cls = str(expr, 'class');
  if (cls === 'STAR') {
    return (
      expr.columns !== true &&
      !isNode(expr.expr) &&
      list(expr, 'replace_list').length === 0 &&
      list(expr, 'rename_list').length === 0
    );
  }
  if (cls !== 'COLUMN_REF') return false;
  const alias = str(expr, 'alias');
  // `SELECT code AS _timestamp ... ORDER BY _timestamp` would order by the alias.
  return alias !== TIMESTAMP || isTimestampRef(expr);
}

function isEmpty(value: Json | undefined): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}

/**
 * The top-n shape of the final (ordered and limited) query, or undefined when the query is
 * anything else: a filter, an aggregate, a window, a join, a CTE, a computed column or limit
 * could each make rows outside the narrowed range matter.
 */
export function timeTopNOf(root: AstNode, views: ReadonlySet<string>): TimeTopN | undefined {
  if (str(root, 'type') !== 'SELECT_NODE') return undefined;
  const from = root.from_table;
  if (!isNode(from) || str(from, 'type') !== 'BASE_TABLE' || !views.has(str(from, 'table_name')))
    return undefined;
  if (isNode(from.sample)) return undefined;
  // A filter is fine unless it reads the stream again (a subquery would see the narrowed view).
  if (JSON.stringify(root.where_clause ?? null).includes('"SUBQUERY"')) return undefined;
  if (!isEmpty(root.group_expressions)) return undefined;
  if (isNode(root.having) || isNode(root.qualify) || isNode(root.sample)) return undefined;
  if (str(root, 'aggregate_handling') === 'FORCE_AGGREGATES') return undefined;
  const ctes = isNode(root.cte_map) ? list(root.cte_map, 'map') : [];
  if (ctes.length > 0) return undefined;
  if (!list(root, 'select_list').every(isPlainItem)) return undefined;
  const modifiers = list(root, 'modifiers').filter(isNode);
  if (modifiers.length !== 2) return undefined;
  const order = modifiers.find((m) => str(m, 'type') === 'ORDER_MODIFIER');
  const limit = modifiers.find((m) => str(m, 'type') === 'LIMIT_MODIFIER');
  if (order === undefined || limit === undefined) return undefined;
  const orders = list(order, 'orders').filter(isNode);
  const only = orders.length === 1 ? orders[0] : undefined;
  if (only === undefined || !isTimestampRef(only.expression)) return undefined;
  const direction = str(only, 'type');
  // DuckDB's default order (ORDER_DEFAULT) is ascending; this engine never changes it.
  if (!['DESCENDING', 'ASCENDING', 'ORDER_DEFAULT'].includes(direction)) return undefined;
  const count = integerConstant(limit.limit);
  const offset = isNode(limit.offset) ? integerConstant(limit.offset) : 0;
  if (count === undefined || offset === undefined || count <= 0) return undefined;
  const top: TimeTopN = {
    view: str(from, 'table_name'),
    descending: direction === 'DESCENDING',
    rows: count + offset,
  };
  if (isEmpty(root.where_clause)) return top;
  const limitRows = { type: 'LIMIT_MODIFIER', limit: bigintConstant(top.rows), offset: null };
  return {
    ...top,
    probe: { ...root, modifiers: [order, limitRows] },
  };
}

/**
 * Rows of token-index ranges up to which the view is read as it is, without narrowing: eight
 * default row groups. The probe gains nothing on ranged files unless its time range then
 * excludes whole row groups of them (the narrowed answer still reads every range inside it),
 * and each ranged group costs DuckDB about the same to read for every column as for the
 * filter's (it decompresses the column chunks up to the range either way: a 65-row block
 * ~1.7 ms CPU for the filter columns, ~5 ms for all 32; a whole 16384-row group ~5 and ~10).
 * Reading eight groups directly risks ~40 ms CPU when the probe would have excluded them all,
 * and saves the probe's read of every group when it excludes none (a rare term). In merged
 * files a rare term's groups past the index's token-list budget were named whole (their n-gram
 * bitmap only): the bench's 300k-row file of 19 groups named 5 whole groups and 2 blocks for
 * its 7 hits; over 6 such files, first 100 rows: probed 156-158 ms CPU, read directly 108-110.
 * Such groups now name the block of a trigram of the term found in one block only (the token
 * index's trigram blocks); a term of common trigrams still names them whole.
 */
const FEW_RANGED_ROWS = 8 * 16_384;

/**
 * The files read in token-index row ranges when those are few rows in all, else none. Such
 * files are left out of the probe and read as they are: probing them would read their row
 * groups twice (the probe, then the answer) to save reading a few rows. A rare term's first
 * 100 of 1M rows, its 10 hits in blocks of 65 rows in 10 groups: 112 -> 65 ms CPU. Up to one
 * group's rows before: a rare term's blocks plus one whole group (a group past the index's
 * token-list budget keeps only its n-gram bitmap) were probed, 400k rows in 3 files of 9
 * groups, 10 hits: 121-125 -> 74-75 ms CPU, 139-363 -> 66-117 ms wall.
 */
function fewRanged(view: StreamViewInput): string[] {
  const files = view.files.filter((f) => view.rowRanges?.has(f));
  let rows = 0;
  for (const file of files)
    for (const [first, end] of view.rowRanges!.get(file)!) rows += end - first;
  return rows <= FEW_RANGED_ROWS ? files : [];
}

/**
 * Reads the `_timestamp` column alone to find the n-th row's timestamp, then recreates the view
 * over the range from there on, so the full rows come only from the row groups whose statistics
 * reach it. Exact: every row of the answer lies in the narrowed range (ties included). Without a
 * filter the stored files' footers narrow the view first (`footerNarrowed`), so the probe reads
 * only the row groups that can hold the answer. The view exists already (a split's partial).
 */
export async function narrowToTopN(
  conn: DuckDBConnection,
  top: TimeTopN,
  view: StreamViewInput,
  probeSql: string | undefined,
  footers?: FooterDeps,
): Promise<void> {
  let current = view;
  const make = async (input: StreamViewInput): Promise<void> => {
    if (input === current) return;
    await conn.run(streamViewSql(input)); // CREATE OR REPLACE
    current = input;
  };
  const narrowed =
    probeSql === undefined
      ? await narrowFilterless(conn, top, view, footers)
      : await probeNarrowed(conn, view, probeSql, async (probed) => {
          await make(probed);
          return '';
        });
  await make(narrowed);
}

/**
 * A filtered top-n's view narrowed to the probe's timestamps: the filter's own top-n, whose
 * rows hold the answer's. The files read in few row ranges are left out of the probe (they stay
 * in the answer's view whole). `read(input)`: what makes the probe read `input` as the view (a
 * CTE prefix, or '' once the view is made). A failing probe leaves the view as it was.
 */
async function probeNarrowed(
  conn: DuckDBConnection,
  view: StreamViewInput,
  probeSql: string,
  read: (input: StreamViewInput) => string | Promise<string>,
): Promise<StreamViewInput> {
  const ranged = fewRanged(view);
  if (view.files.length === ranged.length) return view;
  const probed =
    ranged.length === 0 ? view : { ...view, files: view.files.filter((f) => !ranged.includes(f)) };
  let rows;
  try {
    rows = (await conn.runAndReadAll((await read(probed)) + probeSql)).getRows();
  } catch {
    // e.g. two `_timestamp` output columns: the query runs unnarrowed and says why
    return view;
  }
  const times = [...new Set(rows.map((r) => Number(r[0])))];
  const narrowed =
    times.length === 0
      ? { ...probed, files: [] }
      : {
          ...probed,
          startTime: Math.max(view.startTime, Math.min(...times)),
          endTime: Math.min(view.endTime, Math.max(...times) + 1),
          timestamps: times,
        };
  return ranged.length === 0
    ? narrowed
    : {
        ...narrowed,
        files: [...narrowed.files, ...ranged],
        rangedTime: [view.startTime, view.endTime],
      };
}

/**
 * `narrowToTopN` without a filter: the footers' bound first (`footerNarrowed`), then the
 * n-th row's timestamp from the `_timestamp` column read over the view's SELECT itself; answers
 * the view narrowed to both. It needs no view beforehand, so the engine leaves the stream's
 * CREATE to it (`narrowPlanned`): each CREATE binds the view's files again.
 */
async function narrowFilterless(
  conn: DuckDBConnection,
  top: TimeTopN,
  view: StreamViewInput,
  footers: FooterDeps | undefined,
): Promise<StreamViewInput> {
  const cut = footers && (await footerNarrowed(conn, view, top.rows, top.descending, footers));
  // One row group left to read: the probe could only narrow the range inside it, and DuckDB
  // reads a group whole however few of its rows pass (the logs page's newest 100 of the bench's
  // 400 k records: the same 8.5-10 ms for the answer either way, the probe 2-5 ms on top).
  if (cut !== undefined && cut.reachingGroups <= 1) return cut.view;
  const base = cut?.view ?? view;
  const ts = quoteIdent(TIMESTAMP);
  const reader = await conn.runAndReadAll(
    `SELECT count(*)::BIGINT, min(${ts})::BIGINT, max(${ts})::BIGINT FROM (SELECT ${ts} FROM ` +
      `(${streamSelectSql(base)}) ORDER BY ${ts} ${top.descending ? 'DESC' : 'ASC'} LIMIT ${intLiteral(top.rows)})`,
  );
  const [count, min, max] = (reader.getRows()[0] ?? []).map((v) => Number(v));
  // Fewer rows than wanted: the answer is the whole range, nothing more to narrow.
  if (count !== top.rows || min === undefined || max === undefined) return base;
  return top.descending
    ? { ...base, startTime: Math.max(base.startTime, min) }
    : { ...base, endTime: Math.min(base.endTime, max + 1) };
}

/**
 * The engine's step between its views and its final statement: narrows a planned top-n, and
 * when `createStreamViews` left the views uncreated (`ScanStats.deferred`) answers them as CTEs
 * of their names to put before the final SQL (which then has no WITH of its own:
 * `PlannedQuery.inlineViews`), a filtered top-n's probe reading its view the same way; the
 * views leave the pool's drop list. No CREATE VIEW nor DROP per query (~1-1.5 ms CPU each;
 * newest 100 of the bench's 400 k records: 3 CREATEs and a DROP -> none). '' when the views
 * exist.
 */
export async function narrowPlanned(
  conn: DuckDBConnection,
  plan: { timeTopN: TimeTopN | undefined; timeTopNProbe: string | undefined },
  scan: ScanStats,
  footers: FooterCache,
  views: string[],
): Promise<string> {
  const top = plan.timeTopN;
  const view = top && scan.views.get(top.view);
  const deps = { footers, versions: scan.versions };
  const probe = plan.timeTopNProbe;
  if (!scan.deferred) {
    if (top !== undefined && view !== undefined) await narrowToTopN(conn, top, view, probe, deps);
    return '';
  }
  const inputs = new Map(scan.views);
  const ctes = (): string =>
    `WITH ${[...inputs]
      .map(([name, input]) => `${quoteIdent(name)} AS NOT MATERIALIZED (${streamSelectSql(input)})`)
      .join(', ')} `;
  if (top !== undefined && view !== undefined) {
    const probed = (input: StreamViewInput): string => {
      inputs.set(top.view, input);
      return ctes();
    };
    const narrowed =
      probe === undefined
        ? await narrowFilterless(conn, top, view, deps)
        : await probeNarrowed(conn, view, probe, probed);
    inputs.set(top.view, narrowed);
  }
  for (const name of inputs.keys()) {
    const at = views.indexOf(name);
    if (at >= 0) views.splice(at, 1);
  }
  return inputs.size === 0 ? '' : ctes();
}
