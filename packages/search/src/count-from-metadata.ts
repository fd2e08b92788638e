import type { DuckDBConnection } from '@duckdb/node-api';
import type { AstNode, Json } from './sql-ast.js';
import { integerConstant, isNode, list, str } from './sql-ast.js';
import { literalList } from './sql-text.js';
import { VersionedCache } from './versioned-cache.js';

/**
 * `SELECT count(*) FROM s` with no filter but the time range: a file whose row groups all lie
 * inside the range is counted from its Parquet footer, an in-memory table from its `_timestamp`
 * column, and only the files the range cuts are scanned (see `countBareStream`).
 */
export interface BareCount {
  view: string;
  /** The result column holding the count. */
  column: string;
  /** A WHERE of `_timestamp` bounds only: the half-open range it keeps (µs). */
  start?: number;
  end?: number;
}

const FLIPPED: Record<string, string> = {
  COMPARE_GREATERTHANOREQUALTO: 'COMPARE_LESSTHANOREQUALTO',
  COMPARE_GREATERTHAN: 'COMPARE_LESSTHAN',
  COMPARE_LESSTHANOREQUALTO: 'COMPARE_GREATERTHANOREQUALTO',
  COMPARE_LESSTHAN: 'COMPARE_GREATERTHAN',
  COMPARE_EQUAL: 'COMPARE_EQUAL',
};

const isTimestamp = (node: Json | undefined): boolean =>
  isNode(node) &&
  str(node, 'class') === 'COLUMN_REF' &&
  list(node, 'column_names').at(-1) === '_timestamp';

/** An integer literal itself (no cast: a cast could change how the comparison is made). */
const literal = (node: Json | undefined): number | undefined =>
  isNode(node) && str(node, 'class') === 'CONSTANT' ? integerConstant(node) : undefined;

/**
 * The `[start, end)` a WHERE made only of `_timestamp` bounds against integer literals (`>=`,
 * `>`, `<`, `<=`, `=`, BETWEEN, joined by AND) keeps; undefined for any other WHERE.
 */
export function timeOnlyRange(where: Json): { start: number; end: number } | undefined {
  if (!isNode(where)) return undefined;
  const cls = str(where, 'class');
  if (cls === 'CONJUNCTION' && str(where, 'type') === 'CONJUNCTION_AND') {
    let range = { start: -Infinity, end: Infinity };
    for (const child of list(where, 'children')) {
      const part = timeOnlyRange(child);
      if (part === undefined) return undefined;
      range = { start: Math.max(range.start, part.start), end: Math.min(range.end, part.end) };
    }
    return range;
  }
  if (cls === 'BETWEEN' && isTimestamp(where.input)) {
    const [low, high] = [literal(where.lower), literal(where.upper)];
    return low === undefined || high === undefined ? undefined : { start: low, end: high + 1 };
  }
  if (cls !== 'COMPARISON') return undefined;
  let type = str(where, 'type');
  let value = isTimestamp(where.left) ? literal(where.right) : undefined;
  if (value === undefined && isTimestamp(where.right)) {
    value = literal(where.left);
    type = FLIPPED[type] ?? '';
  }
  if (value === undefined) return undefined;
  switch (type) {
    case 'COMPARE_GREATERTHANOREQUALTO':
      return { start: value, end: Infinity };
    case 'COMPARE_GREATERTHAN':
      return { start: value + 1, end: Infinity };
    case 'COMPARE_LESSTHAN':
      return { start: -Infinity, end: value };
    case 'COMPARE_LESSTHANOREQUALTO':
      return { start: -Infinity, end: value + 1 };
    case 'COMPARE_EQUAL':
      return { start: value, end: value + 1 };
    default:
      return undefined;
  }
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
  const range = isEmpty(root.where_clause) ? undefined : timeOnlyRange(root.where_clause ?? null);
  if (!isEmpty(root.where_clause) && range === undefined) return undefined;
  if (!isEmpty(root.group_expressions)) return undefined;
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
  return {
    view: str(from, 'table_name'),
    column: alias === '' ? 'count_star()' : alias,
    ...(range === undefined ? {} : { start: range.start, end: range.end }),
  };
}

/**
 * Per file of `files`: the `_timestamp` min/max and row count of each of its row groups, from
 * its Parquet footer, read once per file version (`footers`). An unreadable statistic is
 * undefined, never a guess.
 */
export async function rowGroupTimes(
  conn: DuckDBConnection,
  files: readonly string[],
  footers: FooterCache,
  versions: ReadonlyMap<string, string>,
): Promise<Map<string, readonly RowGroupTimes[]>> {
  const version = (f: string): string => versions.get(f) ?? '';
  const missing = files.filter((f) => footers.get(f, version(f)) === undefined);
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
        min: min === null ? undefined : Number(min),
        max: max === null ? undefined : Number(max),
      });
    }
    for (const [file, list] of groups) footers.set(file, version(file), list);
  }
  return new Map(files.map((f) => [f, footers.get(f, version(f)) ?? []]));
}

/**
 * Per file of `files` whose row groups all lie inside `[start, end)` by their Parquet metadata
 * (`_timestamp` min/max of every row group, cached per file version): its row count. A file
 * without statistics, or one cut by the range, is absent: the caller scans it.
 */
export async function wholeFileRows(
  conn: DuckDBConnection,
  files: readonly string[],
  range: { start: number; end: number },
  footers: FooterCache = new FooterCache(),
  versions: ReadonlyMap<string, string> = new Map(),
): Promise<Map<string, number>> {
  const whole = new Map<string, number>();
  if (files.length === 0) return whole;
  // An unreadable statistic must count as "not inside", never vanish.
  const inside = (g: RowGroupTimes): boolean =>
    g.min !== undefined && g.max !== undefined && g.min >= range.start && g.max < range.end;
  for (const [file, groups] of await rowGroupTimes(conn, files, footers, versions)) {
    if (groups.length > 0 && groups.every(inside)) {
      whole.set(
        file,
        groups.reduce((n, g) => n + g.rows, 0),
      );
    }
  }
  return whole;
}

export interface RowGroupTimes {
  rows: number;
  min: number | undefined;
  max: number | undefined;
}

/** `_timestamp` row-group statistics per Parquet file version, read once. */
export class FooterCache extends VersionedCache<RowGroupTimes[]> {}
