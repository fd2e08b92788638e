import { STREAM_TYPES as ALL_STREAM_TYPES } from '@o2/domain';
import type { AstNode, Json } from './sql-ast.js';
import { isNode, list, str, visitTree } from './sql-ast.js';
import { SEARCH_ERROR, searchError } from './search-error.js';
import type { StreamRef } from './types.js';

/**
 * Stream-type qualifiers O2 accepts in front of a stream name (`logs."default"`): every stream
 * type but `index`.
 */
const STREAM_TYPES: ReadonlySet<string> = new Set(ALL_STREAM_TYPES.filter((t) => t !== 'index'));

/** Table references a user query may contain; the rest (table functions, PIVOT, ...) is refused. */
const ALLOWED_TABLE_REFS: ReadonlySet<string> = new Set([
  'BASE_TABLE',
  'JOIN',
  'SUBQUERY',
  'EMPTY',
  'EXPRESSION_LIST',
]);

const TABLE_REF_TYPES: ReadonlySet<string> = new Set([
  ...ALLOWED_TABLE_REFS,
  'TABLE_FUNCTION',
  'PIVOT',
  'SHOW_REF',
  'COLUMN_DATA',
  'DELIM_GET',
  'BOUND_TABLE_REF',
  'INVALID',
]);

/**
 * Scalar functions that reveal settings or reach outside the query's own data. File readers are
 * table functions and are refused as table refs already; these names are refused anywhere.
 */
const DENIED_FUNCTION =
  /^(read_|parquet_|duckdb_|pragma_|json_(de)?serialize|json_execute|sniff_|iceberg_|delta_|glob$|query$|query_table$|current_setting$|getvariable$|getenv$|set_variable$|load_|install_|enable_|disable_|checkpoint$|force_checkpoint$|which_secret$)/;

export function isTableRef(node: AstNode): boolean {
  return node.class === undefined && TABLE_REF_TYPES.has(str(node, 'type'));
}

/** Lower-cased names of every CTE anywhere in the statement. */
export function cteNames(root: AstNode): Set<string> {
  const names = new Set<string>();
  visitTree(root, (node) => {
    const map = node.cte_map;
    if (!isNode(map)) return;
    for (const entry of list(map, 'map')) {
      if (isNode(entry)) names.add(str(entry, 'key').toLowerCase());
    }
  });
  return names;
}

/** The stream a BASE_TABLE names, or undefined when it names one of the query's CTEs. */
export function streamRefOf(table: AstNode, ctes: ReadonlySet<string>): StreamRef | undefined {
  const name = str(table, 'table_name');
  const schema = str(table, 'schema_name');
  const catalog = str(table, 'catalog_name');
  if (schema === '' && catalog === '' && ctes.has(name.toLowerCase())) return undefined;
  if (catalog !== '' || (schema !== '' && !STREAM_TYPES.has(schema.toLowerCase()))) {
    const shown = [catalog, schema, name].filter((p) => p !== '').join('.');
    throw searchError(SEARCH_ERROR.streamNotFound, `stream not found: ${shown}`);
  }
  return schema === '' ? { name } : { name, type: schema.toLowerCase() };
}

/**
 * Refuses everything a read-only search must not contain: table functions (`read_csv`, ...),
 * other table-ref kinds and a deny-list of scalar functions. Statement kinds other than SELECT
 * never get here: DuckDB's serializer only accepts SELECT.
 */
export function assertSafeTree(root: AstNode): void {
  visitTree(root, (node) => {
    if (isTableRef(node) && !ALLOWED_TABLE_REFS.has(str(node, 'type'))) {
      const fn = isNode(node.function) ? str(node.function, 'function_name') : '';
      const what = fn === '' ? str(node, 'type').toLowerCase() : `table function ${fn}`;
      throw searchError(SEARCH_ERROR.invalidSql, `${what} is not allowed in a search`);
    }
    if (
      node.class === 'FUNCTION' &&
      DENIED_FUNCTION.test(str(node, 'function_name').toLowerCase())
    ) {
      throw searchError(
        SEARCH_ERROR.invalidSql,
        `function ${str(node, 'function_name')} is not allowed in a search`,
      );
    }
  });
}

/** Every stream reference, in order of appearance, duplicates included. */
export function streamRefs(root: AstNode): StreamRef[] {
  const ctes = cteNames(root);
  const refs: StreamRef[] = [];
  visitTree(root, (node) => {
    if (isTableRef(node) && str(node, 'type') === 'BASE_TABLE') {
      const ref = streamRefOf(node, ctes);
      if (ref !== undefined) refs.push(ref);
    }
  });
  return refs;
}

export function sameRef(a: StreamRef, b: StreamRef): boolean {
  return a.name === b.name && a.type === b.type;
}

export function uniqueRefs(refs: readonly StreamRef[]): StreamRef[] {
  const out: StreamRef[] = [];
  for (const ref of refs) if (!out.some((r) => sameRef(r, ref))) out.push(ref);
  return out;
}

/** The top-level AND-ed conjuncts of a WHERE clause. */
export function conjuncts(expr: Json | undefined): AstNode[] {
  if (!isNode(expr)) return [];
  if (str(expr, 'class') === 'CONJUNCTION' && str(expr, 'type') === 'CONJUNCTION_AND') {
    return list(expr, 'children').flatMap((child) => conjuncts(child));
  }
  return [expr];
}
