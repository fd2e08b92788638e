import type { AstNode, Json } from './sql-ast.js';
import { isNode, list, str, visitTree } from './sql-ast.js';
import { isTableRef } from './query-tree.js';

/**
 * How a planned single-stream query runs over a cluster: every querier runs `partial` over its
 * own files (through the stream's view), the leader reads the union of the partial results
 * through the same view name and runs `final` over it. `aggregate` splits merge partial
 * aggregates per group key (a few rows per node); `rows` splits ship the rows the WHERE keeps,
 * with only the columns the query names (and, for ORDER BY … LIMIT, each node's top rows), and
 * the final query is the planned one, unchanged.
 */
export interface SplitPlan {
  kind: 'aggregate' | 'rows';
  partial: AstNode;
  final: AstNode;
}

export interface SplitInput {
  /** The planned query (O2 functions expanded, the stream bound to `view`). */
  root: AstNode;
  view: string;
  /** The stream's schema column names. */
  columns: readonly string[];
  aggregateFunctions: ReadonlySet<string>;
  /** The planned query's output column names, which name the final's unaliased columns. */
  names: readonly string[];
  /** Every matching row must reach the final (a total-hits count runs over the same view). */
  keepAllRows: boolean;
}

/** Partial result columns: group keys and partial aggregates. */
export const KEY_PREFIX = '__o2_k';
export const PART_PREFIX = '__o2_p';

/** Functions whose value changes per call: a WHERE with them must be evaluated once only. */
const VOLATILE = /^(random|uuid|gen_random_uuid|uuidv4|uuidv7|setseed|nextval|currval)$/;

/** The partial of a query that cannot be split at all: every row of the view, every column. */
export function wholeRowsPartial(view: string): AstNode {
  return selectNode(
    [
      {
        class: 'STAR',
        type: 'STAR',
        alias: '',
        relation_name: '',
        exclude_list: [],
        replace_list: [],
        rename_list: [],
        columns: false,
        expr: null,
        unpacked: false,
      },
    ],
    baseTable(view, ''),
  );
}

export interface Shape {
  /** Lower-cased schema column → its stored name. */
  columns: Map<string, string>;
  /** The alias the stream is read under (qualified refs name it). */
  alias: string;
}

/**
 * The single-stream SELECT a split can reason about: one stream read once, as the FROM of the
 * top SELECT, no CTE, subquery, join, window, sample or QUALIFY. Anything else: undefined.
 */
export function shapeOf(input: SplitInput): Shape | undefined {
  const { root, view } = input;
  if (str(root, 'type') !== 'SELECT_NODE') return undefined;
  if (list(isNode(root.cte_map) ? root.cte_map : {}, 'map').length > 0) return undefined;
  if (root.sample !== null && root.sample !== undefined) return undefined;
  if (root.qualify !== null && root.qualify !== undefined) return undefined;
  const from = root.from_table;
  if (!isNode(from) || str(from, 'type') !== 'BASE_TABLE' || str(from, 'table_name') !== view)
    return undefined;
  if (from.sample !== null && from.sample !== undefined) return undefined;
  if (list(from, 'column_name_alias').length > 0) return undefined;
  let tables = 0;
  let unsafe = false;
  visitTree(root, (node) => {
    if (isTableRef(node)) tables++;
    const cls = str(node, 'class');
    if (cls === 'SUBQUERY' || cls === 'WINDOW' || cls === 'LAMBDA' || cls === 'LAMBDA_REF')
      unsafe = true;
  });
  if (tables !== 1 || unsafe) return undefined;
  const columns = new Map(input.columns.map((c) => [c.toLowerCase(), c]));
  return { columns, alias: str(from, 'alias').toLowerCase() };
}

export function isAggregateQuery(root: AstNode, aggregates: ReadonlySet<string>): boolean {
  if (list(root, 'group_expressions').length > 0 || isNode(root.having)) return true;
  let found = false;
  visitTree(root.select_list ?? null, (node) => {
    if (str(node, 'class') === 'FUNCTION' && isAggregateCall(node, aggregates)) found = true;
  });
  return found;
}

export function isAggregateCall(node: AstNode, aggregates: ReadonlySet<string>): boolean {
  const name = str(node, 'function_name').toLowerCase();
  return str(node, 'schema') === '' && (aggregates.has(name) || name === 'count_star');
}

/** True when every column an expression reads is a stream column (maybe qualified). */
export function readsStreamColumnsOnly(expr: Json | undefined, shape: Shape): boolean {
  let ok = true;
  visitTree(expr ?? null, (node) => {
    const cls = str(node, 'class');
    if (cls === 'STAR' || cls === 'COLUMNS' || cls === 'PARAMETER') ok = false;
    if (cls !== 'COLUMN_REF') return;
    const names = list(node, 'column_names').map(String);
    const column = names.at(-1)?.toLowerCase() ?? '';
    const qualifier = names.length === 2 ? names[0]!.toLowerCase() : shape.alias;
    if (names.length > 2 || qualifier !== shape.alias || !shape.columns.has(column)) ok = false;
  });
  return ok;
}

export function callsVolatile(expr: Json | undefined): boolean {
  let found = false;
  visitTree(expr ?? null, (node) => {
    if (
      str(node, 'class') === 'FUNCTION' &&
      VOLATILE.test(str(node, 'function_name').toLowerCase())
    )
      found = true;
  });
  return found;
}

/** An expression's identity, its own alias aside (nested aliases name struct fields: kept). */
export function canonical(node: Json): string {
  return JSON.stringify(isNode(node) ? { ...node, alias: '' } : node);
}

export function baseTable(name: string, alias: string): AstNode {
  return {
    type: 'BASE_TABLE',
    alias,
    sample: null,
    schema_name: '',
    table_name: name,
    column_name_alias: [],
    catalog_name: '',
    at_clause: null,
  };
}

export function selectNode(selectList: Json[], from: AstNode): AstNode {
  return {
    type: 'SELECT_NODE',
    modifiers: [],
    cte_map: { map: [] },
    select_list: selectList,
    from_table: from,
    where_clause: null,
    group_expressions: [],
    group_sets: [],
    aggregate_handling: 'STANDARD_HANDLING',
    having: null,
    sample: null,
    qualify: null,
  };
}
