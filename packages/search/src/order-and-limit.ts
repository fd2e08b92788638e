import type { AstNode, Json } from './sql-ast.js';
import { bigintConstant, columnRef, integerConstant, isNode, list, str } from './sql-ast.js';
import { QUERY_WITH_NO_LIMIT } from './types.js';

const TIMESTAMP = '_timestamp';

export interface OrderAndLimitInput {
  from: number;
  size: number;
  defaultLimit: number;
  aggregateFunctions: ReadonlySet<string>;
  /** Views standing for streams: a plain SELECT over one of them may gain `_timestamp`. */
  streamViews: ReadonlySet<string>;
}

export interface LimitOutcome {
  /** The LIMIT the query runs with (undefined: none). */
  limit: number | undefined;
  /** Set when the default limit applied: the query fetched one row more to notice truncation. */
  truncateAt: number | undefined;
}

export interface OrderAndLimitResult {
  root: AstNode;
  /** The same query without ORDER BY/LIMIT/OFFSET, for counting total hits. */
  unlimited: AstNode;
  aggregate: boolean;
  limit: LimitOutcome;
}

function modifiersOf(node: AstNode): AstNode[] {
  return list(node, 'modifiers').filter(isNode);
}

/** True when an expression calls an aggregate outside subqueries and window functions. */
function callsAggregate(expr: Json | undefined, aggregates: ReadonlySet<string>): boolean {
  if (Array.isArray(expr)) return expr.some((e) => callsAggregate(e, aggregates));
  if (!isNode(expr)) return false;
  const cls = str(expr, 'class');
  if (cls === 'SUBQUERY' || cls === 'WINDOW') return false;
  if (cls === 'FUNCTION' && aggregates.has(str(expr, 'function_name').toLowerCase())) return true;
  return Object.values(expr).some((child) => callsAggregate(child, aggregates));
}

function hasWindow(expr: Json | undefined): boolean {
  if (Array.isArray(expr)) return expr.some(hasWindow);
  if (!isNode(expr)) return false;
  if (str(expr, 'class') === 'SUBQUERY') return false;
  if (str(expr, 'class') === 'WINDOW') return true;
  return Object.values(expr).some(hasWindow);
}

/** Aggregations: GROUP BY, HAVING, DISTINCT, aggregate calls, set operations. */
export function isAggregateNode(node: AstNode, aggregates: ReadonlySet<string>): boolean {
  if (str(node, 'type') !== 'SELECT_NODE') return true;
  if (list(node, 'group_expressions').length > 0 || isNode(node.having)) return true;
  if (str(node, 'aggregate_handling') === 'FORCE_AGGREGATES') return true;
  if (modifiersOf(node).some((m) => str(m, 'type') === 'DISTINCT_MODIFIER')) return true;
  return callsAggregate(node.select_list, aggregates);
}

function outputName(expr: AstNode): string {
  const alias = str(expr, 'alias');
  if (alias !== '') return alias;
  const last = list(expr, 'column_names').at(-1);
  return str(expr, 'class') === 'COLUMN_REF' && typeof last === 'string' ? last : '';
}

function starKeepsTimestamp(star: AstNode, from: Json | undefined): boolean {
  if (star.columns === true || isNode(star.expr)) return false;
  // `*` over a join yields one `_timestamp` per side: ordering by it would be ambiguous.
  if (isNode(from) && str(from, 'type') === 'JOIN' && str(star, 'relation_name') === '') {
    return false;
  }
  const excluded = [...list(star, 'exclude_list'), ...list(star, 'qualified_exclude_list')];
  return !JSON.stringify(excluded).includes(`"${TIMESTAMP}"`);
}

export function outputHasTimestamp(node: AstNode): boolean {
  if (str(node, 'type') === 'SET_OPERATION_NODE') {
    return isNode(node.left) && outputHasTimestamp(node.left);
  }
  return list(node, 'select_list').some(
    (e) =>
      isNode(e) &&
      ((str(e, 'class') === 'STAR' && starKeepsTimestamp(e, node.from_table)) ||
        outputName(e) === TIMESTAMP),
  );
}

/** O2's AddTimestampVisitor: plain one-stream SELECTs return `_timestamp` even when not asked. */
function readsOneStream(node: AstNode, views: ReadonlySet<string>): boolean {
  const from = node.from_table;
  return isNode(from) && str(from, 'type') === 'BASE_TABLE' && views.has(str(from, 'table_name'));
}

function effectiveLimit(sqlLimit: number | undefined, input: OrderAndLimitInput): LimitOutcome {
  if (input.size > 0) {
    return {
      limit: sqlLimit === undefined ? input.size : Math.min(sqlLimit, input.size),
      truncateAt: undefined,
    };
  }
  if (sqlLimit !== undefined || input.size === QUERY_WITH_NO_LIMIT) {
    return { limit: sqlLimit, truncateAt: undefined };
  }
  return { limit: input.defaultLimit + 1, truncateAt: input.defaultLimit };
}

/**
 * O2's AddSortAndLimitRule on the outermost query: without ORDER BY, rows come newest first
 * when `_timestamp` is in the output; `size`, `from` and a SQL LIMIT combine as §4.1 says.
 */
export function applyOrderAndLimit(root: AstNode, input: OrderAndLimitInput): OrderAndLimitResult {
  const aggregate = isAggregateNode(root, input.aggregateFunctions);
  let node = root;
  if (
    !aggregate &&
    !hasWindow(root.select_list) &&
    readsOneStream(root, input.streamViews) &&
    !outputHasTimestamp(root)
  ) {
    node = { ...node, select_list: [...list(node, 'select_list'), columnRef(TIMESTAMP)] };
  }
  const modifiers = modifiersOf(node);
  const limitModifier = modifiers.find((m) => str(m, 'type') === 'LIMIT_MODIFIER');
  const rest = modifiers.filter((m) => m !== limitModifier);
  const hasOrder = rest.some((m) => str(m, 'type') === 'ORDER_MODIFIER');
  if (!hasOrder && outputHasTimestamp(node)) {
    rest.push({
      type: 'ORDER_MODIFIER',
      orders: [
        { type: 'DESCENDING', null_order: 'ORDER_DEFAULT', expression: columnRef(TIMESTAMP) },
      ],
    });
  }
  const unlimited = { ...node, modifiers: rest.filter((m) => str(m, 'type') !== 'ORDER_MODIFIER') };

  const sqlLimitExpr = limitModifier?.limit;
  const sqlLimit = integerConstant(sqlLimitExpr);
  const sqlOffsetExpr = limitModifier?.offset ?? null;
  if (isNode(sqlLimitExpr) && sqlLimit === undefined) {
    // A computed LIMIT is left to the query; only `from` can still move the window.
    const offset = input.from > 0 ? bigintConstant(input.from) : sqlOffsetExpr;
    rest.push({ type: 'LIMIT_MODIFIER', limit: sqlLimitExpr, offset });
    return {
      root: { ...node, modifiers: rest },
      unlimited,
      aggregate,
      limit: { limit: undefined, truncateAt: undefined },
    };
  }
  const limit = effectiveLimit(sqlLimit, input);
  const offset = input.from > 0 ? bigintConstant(input.from) : sqlOffsetExpr;
  if (limit.limit !== undefined || offset !== null) {
    rest.push({
      type: 'LIMIT_MODIFIER',
      limit: limit.limit === undefined ? null : bigintConstant(limit.limit),
      offset,
    });
  }
  return { root: { ...node, modifiers: rest }, unlimited, aggregate, limit };
}
