import type { DuckDBConnection } from '@duckdb/node-api';
import type { AstNode, Json } from './sql-ast.js';
import { integerConstant, isNode, list, str } from './sql-ast.js';
import { literalList, quoteIdent } from './sql-text.js';
import { streamViewSql } from './stream-view.js';
import { VersionedCache } from './versioned-cache.js';
import type { StreamViewInput } from './stream-view.js';

/**
 * `SELECT count(*) FROM s` with no filter but the time range: a file whose row groups all lie
 * inside the range is counted from its Parquet footer, and only the other files (those the
 * range cuts, and in-memory tables) are scanned.
 */
export interface BareCount {
  view: string;
  /** The result column holding the count. */
  column: string;
}

function isEmpty(value: Json | undefined): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}

function isCountStar(expr: Json): boolean {
  if (!isNode(expr) || str(expr, 'class') !== 'FUNCTION') return false;
  if (str(expr, 'function_name') !== 'count_star' || expr.distinct === true) return false;
  const orders = isNode(expr.order_bys) ? list(expr.order_bys, 'orders') : [];
  return isEmpty(expr.filter) && orders.length === 0 && list(expr, 'children').length === 0;
}

/** The bare count shape of the final query, or undefined for anything else. */
export function bareCountOf(root: AstNode, views: ReadonlySet<string>): BareCount | undefined {
  if (str(root, 'type') !== 'SELECT_NODE') return undefined;
  const from = root.from_table;
  if (!isNode(from) || str(from, 'type') !== 'BASE_TABLE' || !views.has(str(from, 'table_name')))
    return undefined;
  if (isNode(from.sample) || isNode(root.sample)) return undefined;
  if (!isEmpty(root.where_clause) || !isEmpty(root.group_expressions)) return undefined;
  if (isNode(root.having) || isNode(root.qualify)) return undefined;
  const ctes = isNode(root.cte_map) ? list(root.cte_map, 'map') : [];
  if (ctes.length > 0) return undefined;
  const items = list(root, 'select_list');
  const only = items.length === 1 ? items[0] : undefined;
  if (only === undefined || !isCountStar(only) || !isNode(only)) return undefined;
  for (const modifier of list(root, 'modifiers').filter(isNode)) {
    // One row comes out; a LIMIT of at least 1 without OFFSET keeps it.
    if (str(modifier, 'type') !== 'LIMIT_MODIFIER') return undefined;
    const limit = integerConstant(modifier.limit);
    if (isNode(modifier.offset) && integerConstant(modifier.offset) !== 0) return undefined;
    if (limit === undefined || limit < 1) return undefined;
  }
  const alias = str(only, 'alias');
  return { view: str(from, 'table_name'), column: alias === '' ? 'count_star()' : alias };
}

/**
 * Counts the rows of the view's files that lie wholly inside its time range from their Parquet
 * metadata (`_timestamp` min/max of every row group, cached per path), recreates the view over
 * the remaining files and returns the count taken. A file without statistics is left to the scan.
 */
export async function countWholeFiles(
  conn: DuckDBConnection,
  view: StreamViewInput,
  footers: FooterCache = new FooterCache(),
  versions: ReadonlyMap<string, string> = new Map(),
): Promise<number> {
  if (view.files.length === 0) return 0;
  const version = (f: string): string => versions.get(f) ?? '';
  const missing = view.files.filter((f) => footers.get(f, version(f)) === undefined);
  if (missing.length > 0) {
    const reader = await conn.runAndReadAll(
      `SELECT file_name, row_group_num_rows::BIGINT, TRY_CAST(stats_min_value AS BIGINT), ` +
        `TRY_CAST(stats_max_value AS BIGINT) FROM parquet_metadata(${literalList(missing)}) ` +
        `WHERE path_in_schema = '_timestamp'`,
    );
    const groups = new Map<string, RowGroupTimes[]>(missing.map((f) => [f, []]));
    for (const [file, rows, min, max] of reader.getRows()) {
      groups.get(String(file))?.push({
        rows: Number(rows),
        // An unreadable statistic must count as "not inside", never vanish.
        min: min === null ? undefined : Number(min),
        max: max === null ? undefined : Number(max),
      });
    }
    for (const [file, list] of groups) footers.set(file, version(file), list);
  }
  const whole = new Map<string, number>();
  for (const file of view.files) {
    // A file read in row ranges only is not counted whole (no such file in a bare count today).
    if (view.rowRanges?.has(file) === true) continue;
    const groups = footers.get(file, version(file)) ?? [];
    const inside = (g: RowGroupTimes): boolean =>
      g.min !== undefined && g.max !== undefined && g.min >= view.startTime && g.max < view.endTime;
    if (groups.length > 0 && groups.every(inside)) {
      whole.set(
        file,
        groups.reduce((n, g) => n + g.rows, 0),
      );
    }
  }
  if (whole.size === 0) return 0;
  const rest = view.files.filter((f) => !whole.has(f));
  await conn.run(`DROP VIEW ${quoteIdent(view.view)}`);
  await conn.run(streamViewSql({ ...view, files: rest }));
  return [...whole.values()].reduce((a, b) => a + b, 0);
}

interface RowGroupTimes {
  rows: number;
  min: number | undefined;
  max: number | undefined;
}

/** `_timestamp` row-group statistics per Parquet file version, read once. */
export class FooterCache extends VersionedCache<RowGroupTimes[]> {}
