import type { FunctionTable } from './dialect-function.js';

/**
 * DataFusion's `array_*` family where DuckDB's list functions differ in name or meaning. Arrays
 * are 1-based in both. DataFusion keeps first-occurrence order in set operations and sorts in
 * `array_distinct`; DuckDB's list_distinct/list_union make no order promise, so those are spelt
 * out with list_filter over positions.
 */

/** Elements of `list` whose first occurrence is at their own position. */
const firstOccurrences = (list: string): string =>
  `list_filter(${list}, lambda __o2_x, __o2_i: list_position(${list}, __o2_x) = __o2_i)`;

export const ARRAY_FUNCTIONS: FunctionTable = {
  make_array: { arity: [0, 64], sql: (a) => `list_value(${range(a.count, a.arg).join(', ')})` },
  make_list: { arity: [0, 64], sql: (a) => `list_value(${range(a.count, a.arg).join(', ')})` },
  array_element: { arity: [2, 2], sql: 'list_extract($1, $2)' },
  list_element: { arity: [2, 2], sql: 'list_extract($1, $2)' },
  array_length: { arity: [1, 2], sql: 'CAST(len($1) AS UBIGINT)' },
  cardinality: { arity: [1, 1], sql: 'CAST(len(flatten([$1])) AS UBIGINT)' },
  array_empty: { arity: [1, 1], sql: '(len($1) = 0)' },
  empty: { arity: [1, 1], sql: '(len($1) = 0)' },
  array_has: { arity: [2, 2], sql: 'list_contains($1, $2)' },
  array_contains: { arity: [2, 2], sql: 'list_contains($1, $2)' },
  array_has_all: { arity: [2, 2], sql: 'list_has_all($1, $2)' },
  array_has_any: { arity: [2, 2], sql: 'list_has_any($1, $2)' },
  array_position: {
    arity: [2, 3],
    sql: (a) =>
      a.count === 2
        ? `list_position(${a.arg(0)}, ${a.arg(1)})`
        : `(list_position(list_slice(${a.arg(0)}, ${a.arg(2)}, len(${a.arg(0)})), ${a.arg(1)}) + ${a.arg(2)} - 1)`,
  },
  array_positions: {
    arity: [2, 2],
    sql: 'CAST(list_filter(range(1, len($1) + 1), lambda __o2_i: $1[__o2_i] = $2) AS UBIGINT[])',
  },
  array_append: { arity: [2, 2], sql: 'list_append($1, $2)' },
  array_push_back: { arity: [2, 2], sql: 'list_append($1, $2)' },
  array_prepend: { arity: [2, 2], sql: 'list_prepend($1, $2)' },
  array_push_front: { arity: [2, 2], sql: 'list_prepend($1, $2)' },
  array_concat: {
    arity: [1, 16],
    sql: (a) => range(a.count, a.arg).reduce((acc, next) => `list_concat(${acc}, ${next})`),
  },
  array_cat: { arity: [2, 2], sql: 'list_concat($1, $2)' },
  array_distinct: { arity: [1, 1], sql: "list_sort(list_distinct($1), 'ASC', 'NULLS FIRST')" },
  array_sort: {
    arity: [1, 3],
    sql: (a) => {
      const order = a.count >= 2 ? a.text(1, 'the order').toUpperCase() : 'ASC';
      const nulls = a.count >= 3 ? a.text(2, 'the null order').toUpperCase() : 'NULLS FIRST';
      if (!['ASC', 'DESC'].includes(order)) a.fail(`unknown order ${order}`);
      if (!['NULLS FIRST', 'NULLS LAST'].includes(nulls)) a.fail(`unknown null order ${nulls}`);
      return `list_sort(${a.arg(0)}, '${order}', '${nulls}')`;
    },
  },
  array_reverse: { arity: [1, 1], sql: 'list_reverse($1)' },
  array_slice: { arity: [3, 4], sql: 'list_slice($1, $2, $3)' },
  array_pop_back: { arity: [1, 1], sql: 'list_slice($1, 1, len($1) - 1)' },
  array_pop_front: { arity: [1, 1], sql: 'list_slice($1, 2, len($1))' },
  array_remove: {
    arity: [2, 2],
    sql: 'list_filter($1, lambda __o2_x, __o2_i: __o2_i <> coalesce(list_position($1, $2), 0))',
  },
  array_remove_all: {
    arity: [2, 2],
    sql: 'list_filter($1, lambda __o2_x: __o2_x IS DISTINCT FROM $2)',
  },
  array_replace: {
    arity: [3, 3],
    sql: 'list_transform($1, lambda __o2_x, __o2_i: CASE WHEN __o2_i = list_position($1, $2) THEN $3 ELSE __o2_x END)',
  },
  array_replace_all: {
    arity: [3, 3],
    sql: 'list_transform($1, lambda __o2_x: CASE WHEN __o2_x = $2 THEN $3 ELSE __o2_x END)',
  },
  array_to_string: { arity: [2, 3], sql: 'array_to_string($1, $2)' },
  array_join: { arity: [2, 3], sql: 'array_to_string($1, $2)' },
  list_to_string: { arity: [2, 3], sql: 'array_to_string($1, $2)' },
  array_union: { arity: [2, 2], sql: firstOccurrences('list_concat($1, $2)') },
  array_intersect: {
    arity: [2, 2],
    sql: `list_filter(${firstOccurrences('$1')}, lambda __o2_y: list_contains($2, __o2_y))`,
  },
  array_except: {
    arity: [2, 2],
    sql: `list_filter(${firstOccurrences('$1')}, lambda __o2_y: NOT list_contains($2, __o2_y))`,
  },
  array_max: { arity: [1, 1], sql: 'list_max($1)' },
  array_min: { arity: [1, 1], sql: 'list_min($1)' },
  array_repeat: {
    arity: [2, 2],
    sql: 'list_transform(range(CAST($2 AS BIGINT)), lambda __o2_i: $1)',
  },
  string_to_array: { arity: [2, 3], sql: 'string_split($1, $2)' },
  string_to_list: { arity: [2, 3], sql: 'string_split($1, $2)' },
};

function range(count: number, arg: (i: number) => string): string[] {
  return Array.from({ length: count }, (_, i) => arg(i));
}
