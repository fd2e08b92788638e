import { timeOnlyRange } from './count-from-metadata.js';
import type { AstNode, Json } from './sql-ast.js';
import { isNode, list, str, visitTree } from './sql-ast.js';
import type { SplitPlan } from './split-plan.js';
import { KEY_PREFIX, PART_PREFIX } from './split-tree.js';

/**
 * A split partial that per-file facets can answer: count_star parts only, grouped by (or
 * filtered on) one column, the "dimension", or grouped by a per-minute-constant histogram of
 * `_timestamp`. The facet rows (dimension value, row count) then go through the same partial
 * with `count_star()` replaced by a sum of the counts, so DuckDB itself evaluates keys and
 * filters over them, with the view's column types.
 */
export interface FacetShape {
  /** The stream column whose facet is read (`_timestamp`: the per-minute counts). */
  column: string;
  /** The time bounds of the WHERE (`[start, end)` µs), dropped from the facets' partial. */
  start: number;
  end: number;
  /** The partial over the facet rows (its FROM is set by the caller). */
  partial: AstNode;
}

/** Expression classes whose value over one row depends on that row's columns only. */
const PURE = new Set(['COLUMN_REF', 'CONSTANT', 'COMPARISON', 'CONJUNCTION', 'OPERATOR', 'CAST']);

/** The one column `expr` reads (lowercased), '' for none, undefined for anything unsafe. */
function onlyColumn(expr: Json, allowFunctions: boolean): string | undefined {
  const names = new Set<string>();
  let ok = true;
  visitTree(expr, (node) => {
    const cls = str(node, 'class');
    if (cls === '' || (cls === 'FUNCTION' && allowFunctions)) return;
    if (!PURE.has(cls)) ok = false;
    if (cls === 'COLUMN_REF') {
      const parts = list(node, 'column_names');
      if (parts.length !== 1) ok = false;
      names.add(typeof parts[0] === 'string' ? parts[0].toLowerCase() : '');
    }
    if (cls === 'OPERATOR' && str(node, 'type').includes('SUBQUERY')) ok = false;
  });
  if (!ok || names.size > 1) return undefined;
  return [...names][0] ?? '';
}

function conjuncts(where: Json): Json[] {
  if (!isNode(where)) return [];
  if (str(where, 'class') === 'CONJUNCTION' && str(where, 'type') === 'CONJUNCTION_AND')
    return list(where, 'children').flatMap(conjuncts);
  return [where];
}

/** The AST with every node's source position and alias dropped, for comparing expressions. */
export function comparable(value: Json): Json {
  if (Array.isArray(value)) return value.map(comparable);
  if (!isNode(value)) return value;
  const out: AstNode = {};
  for (const [k, v] of Object.entries(value)) {
    if (k !== 'query_location' && k !== 'alias') out[k] = comparable(v);
  }
  return out;
}

function isCountStar(expr: AstNode): boolean {
  const name = str(expr, 'function_name');
  return str(expr, 'class') === 'FUNCTION' && name === 'count_star' && expr.distinct !== true;
}

/**
 * The facet shape of an aggregate split, or undefined. `histogramKey` is the (comparable)
 * expression O2's `histogram(_timestamp, ...)` became when its interval is a whole number of
 * minutes from a minute-aligned origin in UTC: only then is every bucket a union of minutes.
 */
export function facetShapeOf(
  split: SplitPlan,
  columns: ReadonlyMap<string, string>,
  histogramKey: Json | undefined,
  sumOfCounts: AstNode,
): FacetShape | undefined {
  if (split.kind !== 'aggregate') return undefined;
  const { partial } = split;
  if (isNode(partial.having) || list(partial, 'modifiers').length > 0) return undefined;
  const items = list(partial, 'select_list').filter(isNode);
  const keys = items.filter((e) => str(e, 'alias').startsWith(KEY_PREFIX));
  const parts = items.filter((e) => str(e, 'alias').startsWith(PART_PREFIX));
  if (keys.length + parts.length !== items.length || !parts.every(isCountStar)) return undefined;
  if (keys.length > 1) return undefined;
  let range = { start: -Infinity, end: Infinity };
  const rest: Json[] = [];
  for (const part of conjuncts(partial.where_clause ?? null)) {
    const bounds = timeOnlyRange(part);
    if (bounds === undefined) rest.push(part);
    else
      range = { start: Math.max(range.start, bounds.start), end: Math.min(range.end, bounds.end) };
  }
  const key = keys[0];
  let dimension: string | undefined;
  if (key !== undefined && histogramKey !== undefined) {
    const same = JSON.stringify(comparable(key)) === JSON.stringify(histogramKey);
    if (same && rest.length === 0) dimension = '_timestamp';
  }
  if (dimension === undefined) {
    const read = new Set<string | undefined>([...keys, ...rest].map((e) => onlyColumn(e, false)));
    read.delete('');
    const only = read.size === 1 ? [...read][0] : undefined;
    if (only === undefined || only === '_timestamp') return undefined;
    dimension = columns.get(only);
  }
  if (dimension === undefined) return undefined;
  const where =
    rest.length === 0
      ? null
      : rest.length === 1
        ? rest[0]!
        : { class: 'CONJUNCTION', type: 'CONJUNCTION_AND', alias: '', children: rest };
  const select = items.map((e) =>
    isCountStar(e) ? { ...structuredClone(sumOfCounts), alias: str(e, 'alias') } : e,
  );
  return {
    column: dimension,
    ...range,
    partial: { ...partial, select_list: select, where_clause: where },
  };
}
