import type { AstNode, Json } from './sql-ast.js';
import { columnRef, integerConstant, isNode, list, str, visitTree } from './sql-ast.js';
import { mergedAggregate, partialAggregates, splittableAggregate } from './split-aggregates.js';
import { rowsSplit } from './split-rows.js';
import type { Shape, SplitInput, SplitPlan } from './split-tree.js';
import {
  baseTable,
  canonical,
  isAggregateCall,
  isAggregateQuery,
  KEY_PREFIX,
  PART_PREFIX,
  readsStreamColumnsOnly,
  selectNode,
  shapeOf,
} from './split-tree.js';

export type { SplitInput, SplitPlan } from './split-tree.js';
export { wholeRowsPartial } from './split-tree.js';

export function splitPlan(input: SplitInput): SplitPlan {
  const shape = shapeOf(input);
  if (shape !== undefined && isAggregateQuery(input.root, input.aggregateFunctions)) {
    const split = aggregateSplit(input, shape);
    if (split !== undefined) return split;
  }
  return rowsSplit(input, shape);
}

function aggregateSplit(input: SplitInput, shape: Shape): SplitPlan | undefined {
  const { root, aggregateFunctions } = input;
  if (str(root, 'aggregate_handling') !== 'STANDARD_HANDLING') return undefined;
  if (!readsStreamColumnsOnly(root.where_clause, shape)) return undefined;
  const selectList = list(root, 'select_list').filter(isNode);
  const keys = groupKeys(root, selectList, shape);
  if (keys === undefined) return undefined;
  const keyIndex = new Map(keys.map((k, i) => [canonical(k), i]));
  const parts: AstNode[] = [];
  const partIndex = new Map<string, number>();
  let refused = false;
  const partOf = (part: AstNode): AstNode => {
    const id = canonical(part);
    let index = partIndex.get(id);
    if (index === undefined) {
      index = parts.length;
      parts.push({ ...part, alias: `${PART_PREFIX}${index}` });
      partIndex.set(id, index);
    }
    return columnRef(`${PART_PREFIX}${index}`);
  };
  /** The final's form of an expression: keys and aggregates become partial columns. */
  const merge = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(merge);
    if (!isNode(value)) return value;
    const key = keyIndex.get(canonical(value));
    if (key !== undefined && value.class !== undefined)
      return { ...columnRef(`${KEY_PREFIX}${key}`), alias: str(value, 'alias') };
    if (str(value, 'class') === 'FUNCTION' && isAggregateCall(value, aggregateFunctions)) {
      if (!splittableAggregate(value) || !readsStreamColumnsOnly(value.children, shape)) {
        refused = true;
        return value;
      }
      const merged = mergedAggregate(value, partialAggregates(value).map(partOf));
      return { ...merged, alias: str(value, 'alias') };
    }
    const out: AstNode = {};
    for (const [k, child] of Object.entries(value)) out[k] = merge(child);
    return out;
  };
  const finalSelect = selectList.map((item, i) => {
    const merged = merge(item) as AstNode;
    // The final's expression prints differently: keep the planned query's column name.
    return { ...merged, alias: str(item, 'alias') || (input.names[i] ?? '') };
  });
  const having = isNode(root.having) ? merge(root.having) : null;
  const modifiers = list(root, 'modifiers').map((m) =>
    isNode(m) && str(m, 'type') === 'ORDER_MODIFIER' ? merge(m) : m,
  );
  if (refused) return undefined;
  const finalNames = new Set(finalSelect.map((e) => str(e, 'alias').toLowerCase()));
  // Left-over column refs would read raw columns the partial does not carry.
  const onlyPartColumns = (expr: Json, aliases: boolean): boolean => {
    let ok = true;
    visitTree(expr, (node) => {
      // `*` and COLUMNS(...) would expand over the partial's columns.
      if (['STAR', 'COLUMNS'].includes(str(node, 'class'))) ok = false;
      if (str(node, 'class') !== 'COLUMN_REF') return;
      const names = list(node, 'column_names').map(String);
      const name = names[0] ?? '';
      const partColumn = names.length === 1 && name.startsWith('__o2_');
      if (!partColumn && !(aliases && names.length === 1 && finalNames.has(name.toLowerCase())))
        ok = false;
    });
    return ok;
  };
  if (!onlyPartColumns(finalSelect, false) || !onlyPartColumns(having, false)) return undefined;
  if (!onlyPartColumns(modifiers, true)) return undefined;
  if (parts.length === 0 && keys.length === 0) return undefined;
  const partialList = [...keys.map((k, i) => ({ ...k, alias: `${KEY_PREFIX}${i}` })), ...parts];
  const partial = {
    ...selectNode(partialList, root.from_table as AstNode),
    where_clause: root.where_clause ?? null,
    group_expressions: keys.map((k) => ({ ...k, alias: '' })),
    group_sets: keys.length === 0 ? [] : [keys.map((_, i) => i)],
  };
  const final = {
    ...selectNode(finalSelect, baseTable(input.view, '')),
    modifiers,
    group_expressions: keys.map((_, i) => columnRef(`${KEY_PREFIX}${i}`)),
    group_sets: keys.length === 0 ? [] : [keys.map((_, i) => i)],
    having,
  };
  return { kind: 'aggregate', partial, final };
}

/**
 * The GROUP BY expressions as the partial computes them: positions and select-list aliases
 * resolved to their expressions. Undefined when one is ambiguous (a name both an alias and a
 * column), reads anything but stream columns, or the grouping is not one plain set.
 */
function groupKeys(root: AstNode, selectList: AstNode[], shape: Shape): AstNode[] | undefined {
  const groups = list(root, 'group_expressions').filter(isNode);
  const sets = list(root, 'group_sets');
  const plainSet =
    sets.length === 0
      ? groups.length === 0
      : sets.length === 1 &&
        Array.isArray(sets[0]) &&
        sets[0].length === groups.length &&
        sets[0].every((v, i) => v === i);
  if (!plainSet) return undefined;
  const keys: AstNode[] = [];
  for (const group of groups) {
    let key: AstNode | undefined = group;
    const position = str(group, 'class') === 'CONSTANT' ? integerConstant(group) : undefined;
    if (str(group, 'class') === 'CONSTANT') {
      key = position === undefined ? undefined : selectList[position - 1];
    } else if (str(group, 'class') === 'COLUMN_REF') {
      const names = list(group, 'column_names').map(String);
      const name = names.length === 1 ? names[0]!.toLowerCase() : '';
      const aliased = selectList.find((e) => str(e, 'alias').toLowerCase() === name);
      if (aliased !== undefined && name !== '') {
        if (shape.columns.has(name)) return undefined;
        key = aliased;
      }
    }
    if (key === undefined || !readsStreamColumnsOnly(key, shape)) return undefined;
    if (str(key, 'class') === 'CONSTANT') return undefined;
    keys.push({ ...key, alias: '' });
  }
  return keys;
}
