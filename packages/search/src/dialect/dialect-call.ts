import type { CallTemplate } from '../o2-functions.js';
import { placeholder } from '../o2-functions.js';
import type { AstNode, Json } from '../sql-ast.js';
import { isNode, list, str } from '../sql-ast.js';
import { SEARCH_ERROR, searchError } from '../search-error.js';
import type { StreamFieldType } from '../types.js';
import { callArgs, expandFixed } from './dialect-function.js';
import { DIALECT_FUNCTIONS } from './function-table.js';

export type ColumnType = (column: string) => StreamFieldType | undefined;

/**
 * `approx_percentile_cont(p) WITHIN GROUP (ORDER BY x [DESC])` reaches the tree as DuckDB's
 * `quantile_cont(p)` with an ORDER BY (see normalize-sql.ts); it means the 2-argument form,
 * with `1 - p` when the order is descending.
 */
function withinGroup(call: AstNode, columnType: ColumnType): CallTemplate | undefined {
  const orders = isNode(call.order_bys) ? list(call.order_bys, 'orders') : [];
  const children = list(call, 'children');
  const order = orders[0];
  if (orders.length !== 1 || children.length !== 1 || !isNode(order)) return undefined;
  const x = order.expression as AstNode;
  const descending = str(order, 'type') === 'DESCENDING';
  const p = descending ? `(1 - ${placeholder(1)})` : placeholder(1);
  const kind = callArgs('approx_percentile_cont', [x], columnType).kind(0);
  const value = `quantile_cont(${placeholder(0)}, ${p})`;
  return {
    sql: kind === 'integer' ? `CAST(trunc(${value}) AS BIGINT)` : value,
    args: [x, children[0] as AstNode],
  };
}

/**
 * The DuckDB template for a DataFusion/O2 function call, or undefined when DuckDB's own
 * function of that name already means the same. Arity and literal arguments are checked here:
 * a wrong call is a 20001 naming the function, never an engine error about our rewrite.
 */
export function dialectTemplate(call: AstNode, columnType: ColumnType): CallTemplate | undefined {
  const name = str(call, 'function_name').toLowerCase();
  if (name === 'quantile_cont') return withinGroup(call, columnType);
  const entry = Object.hasOwn(DIALECT_FUNCTIONS, name) ? DIALECT_FUNCTIONS[name] : undefined;
  if (entry === undefined) return undefined;
  const args: Json[] = list(call, 'children');
  const [min, max] = entry.arity;
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    throw searchError(SEARCH_ERROR.invalidSql, `${name} takes ${want} arguments`);
  }
  if (call.distinct === true && name !== 'approx_distinct') {
    throw searchError(SEARCH_ERROR.invalidSql, `${name} does not take DISTINCT`);
  }
  // A template replaces the whole call: a FILTER or ORDER BY on it would be dropped silently.
  const orders = isNode(call.order_bys) ? list(call.order_bys, 'orders') : [];
  if (isNode(call.filter) || orders.length > 0) {
    throw searchError(SEARCH_ERROR.invalidSql, `${name} does not take FILTER or ORDER BY here`);
  }
  const sql =
    typeof entry.sql === 'string'
      ? expandFixed(entry.sql)
      : entry.sql(callArgs(name, args, columnType));
  return { sql, args: args as AstNode[] };
}

/** Names the layer translates (for the function catalogue and tests). */
export function dialectFunctionNames(): string[] {
  return Object.keys(DIALECT_FUNCTIONS).filter((n) => /^[a-z_]/.test(n));
}

/** Window forms of the approximate aggregates: DuckDB's exact aggregate of the same meaning. */
const WINDOW_AGGREGATES: Readonly<Record<string, { name: string; distinct?: boolean }>> = {
  approx_distinct: { name: 'count', distinct: true },
  approx_median: { name: 'median' },
  approx_percentile_cont: { name: 'quantile_cont' },
};

/** `approx_median(x) OVER (...)` and kin; other window nodes pass through. */
export function dialectWindow(window: AstNode): AstNode {
  const name = str(window, 'function_name').toLowerCase();
  const target = Object.hasOwn(WINDOW_AGGREGATES, name) ? WINDOW_AGGREGATES[name] : undefined;
  if (target === undefined) return window;
  const children = list(window, 'children').slice(0, name === 'approx_percentile_cont' ? 2 : 1);
  return {
    ...window,
    function_name: target.name,
    children,
    ...(target.distinct === true ? { distinct: true } : {}),
  };
}
