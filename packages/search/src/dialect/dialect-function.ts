import type { AstNode, Json } from '../sql-ast.js';
import { functionCall, integerConstant, isNode, str, stringConstant } from '../sql-ast.js';
import { SEARCH_ERROR, searchError } from '../search-error.js';
import { quoteLiteral } from '../sql-text.js';
import { placeholder } from '../o2-functions.js';
import type { StreamFieldType } from '../types.js';

/** What a builder may ask about the call it translates. */
export interface CallArgs {
  readonly name: string;
  readonly count: number;
  /** The SQL standing for argument `i` (0-based): the caller's own expression, spliced later. */
  readonly arg: (i: number) => string;
  /** Argument `i` as a string literal's text; anything else is a 20001 naming the function. */
  readonly text: (i: number, what: string) => string;
  /** Argument `i` as an integer literal. */
  readonly int: (i: number, what: string) => number;
  /** Re-quotes text as a SQL string literal. */
  readonly lit: (text: string) => string;
  /** What argument `i` is, as far as literals and the stream schema tell. */
  readonly kind: (i: number) => ArgKind;
  /** A 20001 error naming the function. */
  readonly fail: (reason: string) => never;
}

export type ArgKind = 'string' | 'integer' | 'float' | 'boolean' | 'timestamp' | 'other';

/**
 * One DataFusion or O2 function as DuckDB SQL. `sql` is either a fixed template, where `$1`,
 * `$2`, ... stand for the caller's arguments (only table text, never user text, is scanned for
 * them), or a builder for calls whose translation depends on literal arguments.
 */
export interface DialectFunction {
  /** Accepted argument counts, inclusive. */
  arity: readonly [number, number];
  sql: string | ((a: CallArgs) => string);
  /** True for aggregates, so callers can tell (the planner also sees DuckDB's own name). */
  aggregate?: boolean;
}

export type FunctionTable = Readonly<Record<string, DialectFunction>>;

const FIELD_KINDS: Record<StreamFieldType, ArgKind> = {
  Utf8: 'string',
  Int64: 'integer',
  UInt64: 'integer',
  Float64: 'float',
  Boolean: 'boolean',
};

function constantKind(node: Json | undefined): ArgKind | undefined {
  if (!isNode(node)) return undefined;
  if (str(node, 'class') === 'CAST') return undefined;
  if (str(node, 'class') !== 'CONSTANT') return undefined;
  const value = node.value;
  const type = isNode(value) && isNode(value.type) ? str(value.type, 'id') : '';
  if (type === 'VARCHAR') return 'string';
  if (/INT/.test(type)) return 'integer';
  if (type === 'DOUBLE' || type === 'FLOAT' || type === 'DECIMAL') return 'float';
  if (type === 'BOOLEAN') return 'boolean';
  return undefined;
}

const ARITHMETIC: ReadonlySet<string> = new Set(['+', '-', '*', '/', '%']);

/** Calls that already yield a timestamp (DuckDB's own, left as they are). */
const TIMESTAMP_FUNCTIONS: ReadonlySet<string> = new Set([
  'now',
  'current_timestamp',
  'get_current_timestamp',
  'date_trunc',
  'make_timestamp',
  'time_bucket',
]);

/**
 * What an expression yields, as far as literals, the stream schema and arithmetic over them
 * tell; `other` when unknown (function results, CTE columns).
 */
export function exprKind(
  node: Json | undefined,
  columnType: (column: string) => StreamFieldType | undefined,
): ArgKind {
  const literal = constantKind(node);
  if (literal !== undefined) return literal;
  if (!isNode(node)) return 'other';
  const cls = str(node, 'class');
  if (cls === 'COLUMN_REF') {
    const names = Array.isArray(node.column_names) ? node.column_names : [];
    const last = names.at(-1);
    const type = typeof last === 'string' ? columnType(last) : undefined;
    return type === undefined ? 'other' : FIELD_KINDS[type];
  }
  if (cls === 'CAST' && isNode(node.cast_type) && /^TIMESTAMP/.test(str(node.cast_type, 'id'))) {
    return 'timestamp';
  }
  if (cls === 'FUNCTION' && TIMESTAMP_FUNCTIONS.has(str(node, 'function_name').toLowerCase())) {
    return 'timestamp';
  }
  if (cls === 'FUNCTION' && ARITHMETIC.has(str(node, 'function_name'))) {
    const kinds = (Array.isArray(node.children) ? node.children : []).map((c) =>
      exprKind(c, columnType),
    );
    if (kinds.includes('float')) return 'float';
    if (kinds.length > 0 && kinds.every((k) => k === 'integer')) return 'integer';
  }
  return 'other';
}

/**
 * Wraps a call's argument nodes for a builder. `columnType` looks a bare column up in the
 * stream the call reads, so `to_timestamp_micros(_timestamp)` can tell an Int64 from text.
 */
export function callArgs(
  name: string,
  args: readonly Json[],
  columnType: (column: string) => StreamFieldType | undefined,
): CallArgs {
  const fail = (reason: string): never => {
    throw searchError(SEARCH_ERROR.invalidSql, `${name}: ${reason}`);
  };
  return {
    name,
    count: args.length,
    arg: (i) => placeholder(i),
    text: (i, what) => stringConstant(args[i]) ?? fail(`${what} must be a string literal`),
    int: (i, what) => {
      const value = integerConstant(args[i]);
      return value !== undefined && Number.isSafeInteger(value)
        ? value
        : fail(`${what} must be an integer literal`);
    },
    lit: quoteLiteral,
    kind: (i) => exprKind(args[i], columnType),
    fail,
  };
}

/** A fixed template's `$n` → the placeholder of argument n-1. */
export function expandFixed(sql: string): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => placeholder(Number(n) - 1));
}

const INTEGER_TYPES =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/;

/**
 * DataFusion (Arrow) casts a float to an integer by truncating toward zero; DuckDB rounds.
 * A CAST to an integer type of an expression known to be a float gets an explicit trunc().
 */
export function dialectCast(
  cast: AstNode,
  columnType: (column: string) => StreamFieldType | undefined,
): AstNode {
  const target = isNode(cast.cast_type) ? str(cast.cast_type, 'id') : '';
  if (!INTEGER_TYPES.test(target) || exprKind(cast.child, columnType) !== 'float') return cast;
  const trunc = functionCall('trunc', [cast.child as AstNode]);
  return { ...cast, child: trunc };
}
