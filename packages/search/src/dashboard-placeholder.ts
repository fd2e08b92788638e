import type { AstNode, Json } from './sql-ast.js';
import { isNode, list, mapTree, str, stringConstant } from './sql-ast.js';

/**
 * O2's dashboard "All" sentinel (`ZO_DASHBOARD_PLACEHOLDER`, `_o2_all_`): a dashboard variable
 * set to "All" is substituted as the sentinel, and every predicate that compares a column with
 * it reads as "no filter". As O2's `remove_dashboard_placeholder` does, `=`, `<`, `<=`, `>`, `>=`,
 * `IN (…)` holding it, `LIKE`/`ILIKE` it and `str_match`/`match_field` (and their
 * `_ignore_case` forms) with it become `true`; `!=`, `NOT IN`, `NOT LIKE`/`NOT ILIKE` become
 * `false`. The sentinel may be a string literal or a bare identifier (an unquoted `$var`).
 */

const TRUE_WHEN_COMPARED = new Set([
  'COMPARE_EQUAL',
  'COMPARE_LESSTHAN',
  'COMPARE_LESSTHANOREQUALTO',
  'COMPARE_GREATERTHAN',
  'COMPARE_GREATERTHANOREQUALTO',
]);

/** DuckDB's names for LIKE, ILIKE and their negations, and what each becomes. */
const LIKE_FUNCTIONS: ReadonlyMap<string, boolean> = new Map([
  ['~~', true],
  ['~~*', true],
  ['!~~', false],
  ['!~~*', false],
]);

const MATCH_FUNCTIONS = new Set([
  'str_match',
  'str_match_ignore_case',
  'match_field',
  'match_field_ignore_case',
]);

/** `TRUE` / `FALSE` as DuckDB's parser writes them (a cast of 't' / 'f'). */
function booleanNode(value: boolean): AstNode {
  return {
    class: 'CAST',
    type: 'OPERATOR_CAST',
    alias: '',
    child: {
      class: 'CONSTANT',
      type: 'VALUE_CONSTANT',
      alias: '',
      value: { type: { id: 'VARCHAR', type_info: null }, is_null: false, value: value ? 't' : 'f' },
    },
    cast_type: { id: 'BOOLEAN', type_info: null },
    try_cast: false,
  };
}

function isPlaceholder(node: Json | undefined, placeholder: string): boolean {
  if (stringConstant(node) === placeholder) return true;
  if (!isNode(node) || str(node, 'class') !== 'COLUMN_REF') return false;
  return list(node, 'column_names')[0] === placeholder;
}

function replacement(node: AstNode, placeholder: string): boolean | undefined {
  const kind = str(node, 'class');
  const type = str(node, 'type');
  const is = (child: Json | undefined) => isPlaceholder(child, placeholder);
  if (kind === 'COMPARISON' && (is(node['left']) || is(node['right']))) {
    if (TRUE_WHEN_COMPARED.has(type)) return true;
    if (type === 'COMPARE_NOTEQUAL') return false;
  }
  if (kind === 'OPERATOR' && (type === 'COMPARE_IN' || type === 'COMPARE_NOT_IN')) {
    if (list(node, 'children').slice(1).some(is)) return type === 'COMPARE_IN';
  }
  if (kind === 'FUNCTION') {
    const name = str(node, 'function_name').toLowerCase();
    const args = list(node, 'children');
    const like = LIKE_FUNCTIONS.get(name);
    if (like !== undefined && is(args[1])) return like;
    if (MATCH_FUNCTIONS.has(name) && args.length === 2 && is(args[1])) return true;
  }
  return undefined;
}

/**
 * The parsed statement with every predicate on the placeholder replaced by `true`/`false`; the
 * tree itself when the placeholder is empty (the feature is off).
 */
export function removeDashboardPlaceholder<T extends Json>(tree: T, placeholder: string): T {
  if (placeholder === '') return tree;
  return mapTree(tree, (node) => {
    const value = replacement(node, placeholder);
    return value === undefined ? node : booleanNode(value);
  }) as T;
}
