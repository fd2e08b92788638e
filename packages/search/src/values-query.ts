import type { AstNode } from './sql-ast.js';
import { isNode, str } from './sql-ast.js';
import { SEARCH_ERROR, searchError } from './search-error.js';
import { quoteIdent, quoteLiteral } from './sql-text.js';

/** `ZO_QUERY_VALUES_DEFAULT_NUM`. */
export const DEFAULT_VALUES_SIZE = 10;

export interface ValuesQueryInput {
  stream: string;
  /** Stream-type qualifier (`logs`, ...), written in front of the stream name when given. */
  streamType?: string;
  field: string;
  /** O2's `filter=col=v1,v2`: rows whose `col` is one of the values. */
  filter?: string;
  /** Case-insensitive substring the field's value must contain. */
  keyword?: string;
  noCount?: boolean;
}

/** Splits `col=v1,v2` into the column and its values; a filter without `=` is invalid. */
export function parseValuesFilter(filter: string): { column: string; values: string[] } {
  const at = filter.indexOf('=');
  if (at <= 0) throw searchError(SEARCH_ERROR.invalidSql, `invalid values filter: ${filter}`);
  return { column: filter.slice(0, at).trim(), values: filter.slice(at + 1).split(',') };
}

/**
 * The O2 SQL for one field of `_values` (§4.2): top values as `zo_sql_key`/`zo_sql_num`. Every
 * piece of the request is a quoted identifier or a quoted literal, so a filter or keyword such
 * as `' OR 1=1 --` stays a value to compare with.
 */
export function valuesQuery(input: ValuesQueryInput): string {
  const field = quoteIdent(input.field);
  const from =
    input.streamType === undefined
      ? quoteIdent(input.stream)
      : `${quoteIdent(input.streamType)}.${quoteIdent(input.stream)}`;
  const where: string[] = [];
  if (input.filter !== undefined && input.filter !== '') {
    const { column, values } = parseValuesFilter(input.filter);
    where.push(`${quoteIdent(column)} IN (${values.map(quoteLiteral).join(', ')})`);
  }
  if (input.keyword !== undefined && input.keyword !== '') {
    where.push(`str_match_ignore_case(${field}, ${quoteLiteral(input.keyword)})`);
  }
  const whereSql = where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`;
  if (input.noCount === true) {
    return `SELECT ${field} AS zo_sql_key FROM ${from}${whereSql} GROUP BY zo_sql_key ORDER BY zo_sql_key ASC`;
  }
  return (
    `SELECT ${field} AS zo_sql_key, COUNT(*) AS zo_sql_num FROM ${from}${whereSql} ` +
    'GROUP BY zo_sql_key ORDER BY zo_sql_num DESC, zo_sql_key ASC'
  );
}

/** ANDs the WHERE of `base` (O2's `_values` `sql` parameter) into the values query. */
export function mergeWhere(target: AstNode, base: AstNode): AstNode {
  if (str(base, 'type') !== 'SELECT_NODE') {
    throw searchError(SEARCH_ERROR.invalidSql, 'the values sql must be a plain SELECT');
  }
  const extra = base.where_clause;
  if (!isNode(extra)) return target;
  const own = target.where_clause;
  const where: AstNode = isNode(own)
    ? { class: 'CONJUNCTION', type: 'CONJUNCTION_AND', alias: '', children: [own, extra] }
    : extra;
  return { ...target, where_clause: where };
}
