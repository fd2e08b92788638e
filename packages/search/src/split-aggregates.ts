import type { AstNode, Json } from './sql-ast.js';
import { bigintConstant, functionCall, isNode, list, str } from './sql-ast.js';

/**
 * The aggregates a split can merge from per-node partials, and how. Everything else (DISTINCT,
 * FILTER, ORDER BY inside the call, percentiles, string_agg, ...) keeps the query unsplit.
 */
const MERGEABLE: ReadonlySet<string> = new Set(['count_star', 'count', 'sum', 'min', 'max', 'avg']);

export function splittableAggregate(call: AstNode): boolean {
  const name = str(call, 'function_name').toLowerCase();
  if (!MERGEABLE.has(name) || str(call, 'schema') !== '') return false;
  if (call.distinct === true || call.export_state === true) return false;
  if (call.filter !== null && call.filter !== undefined) return false;
  if (isNode(call.order_bys) && list(call.order_bys, 'orders').length > 0) return false;
  const args = list(call, 'children').length;
  if (name === 'count_star') return args === 0;
  if (name === 'count') return args <= 1;
  return args === 1;
}

/** The aggregates each node computes for one call (aliases are set by the caller). */
export function partialAggregates(call: AstNode): AstNode[] {
  const name = str(call, 'function_name').toLowerCase();
  const args = list(call, 'children');
  if (name === 'count_star' || (name === 'count' && args.length === 0))
    return [fn('count_star', [])];
  if (name === 'avg') return [fn('sum', args), fn('count', args)];
  return [fn(name, args)];
}

/**
 * The final's expression over the partial columns `parts` (as `partialAggregates` listed them),
 * typed like the unsplit aggregate: counts stay BIGINT, avg divides as DOUBLE (the engine runs
 * with `integer_division`, so an integer division would truncate).
 */
export function mergedAggregate(call: AstNode, parts: AstNode[]): AstNode {
  const name = str(call, 'function_name').toLowerCase();
  if (name === 'count_star' || name === 'count')
    return coalesce(cast(fn('sum', [parts[0]!]), 'BIGINT'), bigintConstant(0));
  if (name === 'avg') {
    const total = cast(fn('sum', [parts[0]!]), 'DOUBLE');
    const count = cast(fn('nullif', [fn('sum', [parts[1]!]), bigintConstant(0)]), 'DOUBLE');
    return { ...fn('/', [total, count]), is_operator: true };
  }
  // sum of sums, min of mins, max of maxes.
  return fn(name, [parts[0]!]);
}

function fn(name: string, children: Json[]): AstNode {
  return functionCall(name, structuredClone(children));
}

function cast(child: AstNode, type: string): AstNode {
  return {
    class: 'CAST',
    type: 'OPERATOR_CAST',
    alias: '',
    child,
    cast_type: { id: type, type_info: null },
    try_cast: false,
  };
}

function coalesce(...children: AstNode[]): AstNode {
  return { class: 'OPERATOR', type: 'OPERATOR_COALESCE', alias: '', children };
}
