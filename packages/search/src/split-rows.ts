import type { AstNode } from './sql-ast.js';
import {
  bigintConstant,
  columnRef,
  integerConstant,
  isNode,
  list,
  str,
  visitTree,
} from './sql-ast.js';
import type { Shape, SplitInput, SplitPlan } from './split-tree.js';
import {
  baseTable,
  callsVolatile,
  canonical,
  isAggregateQuery,
  readsStreamColumnsOnly,
  selectNode,
  wholeRowsPartial,
} from './split-tree.js';

export function rowsSplit(input: SplitInput, shape: Shape | undefined): SplitPlan {
  const { root, view } = input;
  const columns = referencedColumns(input);
  const select =
    columns === undefined
      ? wholeRowsPartial(view)
      : selectNode(
          columns.map((c) => columnRef(c)),
          baseTable(view, ''),
        );
  if (shape === undefined) return { kind: 'rows', partial: select, final: root };
  const from = root.from_table as AstNode;
  const where = root.where_clause;
  const pushWhere = readsStreamColumnsOnly(where, shape) && !callsVolatile(where);
  let partial: AstNode = {
    ...select,
    from_table: from,
    where_clause: pushWhere ? (where ?? null) : null,
  };
  const top = pushWhere && !input.keepAllRows ? topModifiers(input, shape) : undefined;
  if (top !== undefined) partial = { ...partial, modifiers: top };
  return { kind: 'rows', partial, final: root };
}

/** The rows a rows split's partial is limited to (its top-n LIMIT), or undefined if unlimited. */
export function partialRowLimit(partial: AstNode): number | undefined {
  const limit = list(partial, 'modifiers')
    .filter(isNode)
    .find((m) => str(m, 'type') === 'LIMIT_MODIFIER');
  return limit === undefined || isNode(limit.offset) ? undefined : integerConstant(limit.limit);
}

/**
 * ORDER BY … LIMIT n OFFSET m of a plain SELECT, as each node's own top `n + m` rows: the
 * final's top rows are among them. Undefined when the query aggregates, de-duplicates, or
 * orders by anything but stream columns (aliases, positions).
 */
function topModifiers(input: SplitInput, shape: Shape): AstNode[] | undefined {
  const { root } = input;
  if (isAggregateQuery(root, input.aggregateFunctions)) return undefined;
  const modifiers = list(root, 'modifiers').filter(isNode);
  const limit = modifiers.find((m) => str(m, 'type') === 'LIMIT_MODIFIER');
  if (limit === undefined) return undefined;
  if (modifiers.some((m) => !['LIMIT_MODIFIER', 'ORDER_MODIFIER'].includes(str(m, 'type'))))
    return undefined;
  const count = integerConstant(limit.limit);
  const offset = isNode(limit.offset) ? integerConstant(limit.offset) : 0;
  if (count === undefined || offset === undefined || count < 0 || offset < 0) return undefined;
  const aliases = new Map(
    list(root, 'select_list')
      .filter(isNode)
      .map((e) => [str(e, 'alias').toLowerCase(), e]),
  );
  const order = modifiers.find((m) => str(m, 'type') === 'ORDER_MODIFIER');
  for (const term of order === undefined ? [] : list(order, 'orders').filter(isNode)) {
    const expr = term.expression;
    if (!isNode(expr) || str(expr, 'class') === 'CONSTANT') return undefined;
    if (!readsStreamColumnsOnly(expr, shape) || callsVolatile(expr)) return undefined;
    let shadowed = false;
    visitTree(expr, (node) => {
      if (str(node, 'class') !== 'COLUMN_REF') return;
      const names = list(node, 'column_names').map(String);
      const aliased = names.length === 1 ? aliases.get(names[0]!.toLowerCase()) : undefined;
      if (aliased !== undefined && canonical(aliased) !== canonical(node)) shadowed = true;
    });
    if (shadowed) return undefined;
  }
  return [
    ...(order === undefined ? [] : [order]),
    { type: 'LIMIT_MODIFIER', limit: bigintConstant(count + offset), offset: null },
  ];
}

/** The stream columns the query names; undefined when it reads `*` (or cannot be told). */
function referencedColumns(input: SplitInput): string[] | undefined {
  const known = new Map(input.columns.map((c) => [c.toLowerCase(), c]));
  const used = new Set<string>();
  let star = false;
  visitTree(input.root, (node) => {
    const cls = str(node, 'class');
    if (cls === 'STAR' || cls === 'COLUMNS') star = true;
    if (cls !== 'COLUMN_REF') return;
    // Any part may be a column (`t.a`, `a.field`): over-including one costs a column only.
    for (const name of list(node, 'column_names').map(String)) {
      const column = known.get(name.toLowerCase());
      if (column !== undefined) used.add(column);
    }
  });
  if (star) return undefined;
  if (used.size === 0) {
    // `SELECT count(*)` names no column; any one keeps the row count.
    const first = known.get('_timestamp') ?? input.columns[0];
    if (first === undefined) return undefined;
    used.add(first);
  }
  return input.columns.filter((c) => used.has(c));
}
