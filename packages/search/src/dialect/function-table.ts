import type { CallArgs, FunctionTable } from './dialect-function.js';
import { ARRAY_FUNCTIONS } from './array-functions.js';
import { O2_ARRAY_FUNCTIONS } from './o2-array-functions.js';
import { TIME_FUNCTIONS } from './time-functions.js';

/**
 * DataFusion (and O2 UDF) names with no DuckDB function of the same meaning, each as the DuckDB
 * SQL that computes what DataFusion would. Names DuckDB already implements identically are not
 * listed; DuckDB answers them itself.
 *
 * Approximate aggregates are computed exactly: the exact value is what DataFusion's sketches
 * approximate, and an exact answer is the only one a test (or a user comparing two engines) can
 * check. DataFusion keeps the input's type for percentiles, so integer inputs are truncated.
 */

/** Arrow type names accepted by `arrow_cast`, as DuckDB types. */
const ARROW_TYPES: Readonly<Record<string, string>> = {
  Int8: 'TINYINT',
  Int16: 'SMALLINT',
  Int32: 'INTEGER',
  Int64: 'BIGINT',
  UInt8: 'UTINYINT',
  UInt16: 'USMALLINT',
  UInt32: 'UINTEGER',
  UInt64: 'UBIGINT',
  Float32: 'FLOAT',
  Float64: 'DOUBLE',
  Utf8: 'VARCHAR',
  LargeUtf8: 'VARCHAR',
  Utf8View: 'VARCHAR',
  Boolean: 'BOOLEAN',
  Date32: 'DATE',
  Date64: 'DATE',
};

const ARROW_TIMESTAMP = /^Timestamp\((Second|Millisecond|Microsecond|Nanosecond),\s*None\)$/;

/** DuckDB's type names → Arrow's, for `arrow_typeof`. */
const DUCKDB_TO_ARROW: ReadonlyArray<readonly [string, string]> = [
  ['BIGINT', 'Int64'],
  ['INTEGER', 'Int32'],
  ['SMALLINT', 'Int16'],
  ['TINYINT', 'Int8'],
  ['UBIGINT', 'UInt64'],
  ['UINTEGER', 'UInt32'],
  ['DOUBLE', 'Float64'],
  ['FLOAT', 'Float32'],
  ['VARCHAR', 'Utf8'],
  ['BOOLEAN', 'Boolean'],
  ['DATE', 'Date32'],
  ['TIMESTAMP', 'Timestamp(Microsecond, None)'],
  ['TIMESTAMP WITH TIME ZONE', 'Timestamp(Nanosecond, Some("+00:00"))'],
];

function arrowCast(a: CallArgs): string {
  const target = a.text(1, 'the type').trim();
  const simple = ARROW_TYPES[target];
  if (simple !== undefined) {
    const truncated = /INT(EGER)?$/.test(simple) && a.kind(0) === 'float';
    return `CAST(${truncated ? `trunc(${a.arg(0)})` : a.arg(0)} AS ${simple})`;
  }
  const ts = ARROW_TIMESTAMP.exec(target);
  if (ts === null) return a.fail(`unsupported Arrow type ${target}`);
  const kind = a.kind(0);
  if (kind !== 'integer' && kind !== 'float') return `CAST(${a.arg(0)} AS TIMESTAMP)`;
  const scale = {
    Second: '* 1000000',
    Millisecond: '* 1000',
    Microsecond: '',
    Nanosecond: '// 1000',
  };
  return `make_timestamp(CAST(${a.arg(0)} AS BIGINT) ${scale[ts[1] as keyof typeof scale]})`;
}

/** Percentiles keep an integer input's type (DataFusion truncates the estimate). */
function percentile(a: CallArgs, p: string): string {
  const value = `quantile_cont(${a.arg(0)}, ${p})`;
  return a.kind(0) === 'integer' ? `CAST(trunc(${value}) AS BIGINT)` : value;
}

/** Rust regex flags DataFusion accepts, as RE2 inline flags. */
function withFlags(a: CallArgs, pattern: number, flags: number | undefined): string {
  if (flags === undefined || flags >= a.count) return a.arg(pattern);
  const given = a.text(flags, 'the flags');
  if (!/^[imsUc]*$/.test(given)) a.fail(`unsupported regex flags ${given}`);
  const inline = given.replaceAll('c', '');
  if (inline === '') return a.arg(pattern);
  if (a.kind(pattern) === 'string') return a.lit(`(?${inline})${a.text(pattern, 'the pattern')}`);
  return `concat(${a.lit(`(?${inline})`)}, ${a.arg(pattern)})`;
}

/** Capturing groups of a literal pattern: `(` not escaped, not in a class, not `(?:`/`(?i)`. */
export function captureGroups(pattern: string): number {
  let groups = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') {
      const named = pattern.startsWith('?P<', i + 1) || /^\?<[A-Za-z_]/.test(pattern.slice(i + 1));
      if (pattern[i + 1] !== '?' || named) groups++;
    }
  }
  return groups;
}

/** DataFusion's regexp_match: the first match's groups (or the whole match), NULL if none. */
function regexpMatch(a: CallArgs): string {
  const pattern = withFlags(a, 1, 2);
  const text = `CAST(${a.arg(0)} AS VARCHAR)`;
  const groups = captureGroups(a.text(1, 'the pattern'));
  const items =
    groups === 0
      ? [`regexp_extract(${text}, ${pattern}, 0)`]
      : Array.from({ length: groups }, (_, g) => `regexp_extract(${text}, ${pattern}, ${g + 1})`);
  return `(CASE WHEN regexp_matches(${text}, ${pattern}) THEN [${items.join(', ')}] END)`;
}

function regexpLike(a: CallArgs): string {
  return `regexp_matches(CAST(${a.arg(0)} AS VARCHAR), ${withFlags(a, 1, 2)})`;
}

/** `x LIKE p` in DataFusion treats `\` as the escape character; DuckDB needs it said. */
const likeWith = (fn: string, negate: boolean): string =>
  `${negate ? 'NOT ' : ''}${fn}($1, $2, '\\')`;

/** Top-k by count (ties by value), as O2's `[{value, count}]` list. */
function topK(histogram: string, k: string): string {
  const sorted =
    `list_sort(list_transform(map_entries(${histogram}), ` +
    `lambda e: {'n': -CAST(e.value AS BIGINT), 'v': e.key}))`;
  return `list_transform(list_slice(${sorted}, 1, ${k}), lambda e: {'value': e.v, 'count': -e.n})`;
}

const CORE_FUNCTIONS: FunctionTable = {
  arrow_cast: { arity: [2, 2], sql: arrowCast },
  arrow_typeof: {
    arity: [1, 1],
    sql: `(CASE typeof($1) ${DUCKDB_TO_ARROW.map(([d, f]) => `WHEN '${d}' THEN '${f.replaceAll("'", "''")}'`).join(' ')} ELSE typeof($1) END)`,
  },
  approx_distinct: { arity: [1, 1], sql: 'count(DISTINCT $1)', aggregate: true },
  approx_percentile_cont: {
    arity: [2, 3],
    sql: (a) => percentile(a, a.arg(1)),
    aggregate: true,
  },
  approx_percentile_cont_with_weight: {
    arity: [3, 3],
    sql: (a) => percentile(a, a.arg(2)),
    aggregate: true,
  },
  approx_median: { arity: [1, 1], sql: (a) => percentile(a, '0.5'), aggregate: true },
  median: { arity: [1, 1], sql: (a) => percentile(a, '0.5'), aggregate: true },
  approx_topk: {
    arity: [2, 2],
    sql: (a) => topK(`histogram(${a.arg(0)})`, String(a.int(1, 'k'))),
    aggregate: true,
  },
  approx_topk_distinct: {
    arity: [3, 3],
    sql: (a) =>
      topK(
        `list_aggr(list_transform(list(DISTINCT {'a': ${a.arg(0)}, 'b': ${a.arg(1)}}) ` +
          `FILTER (WHERE ${a.arg(0)} IS NOT NULL AND ${a.arg(1)} IS NOT NULL), lambda x: x.a), 'histogram')`,
        String(a.int(2, 'k')),
      ),
    aggregate: true,
  },
  regexp_like: { arity: [2, 3], sql: regexpLike },
  regexp_match: { arity: [2, 3], sql: regexpMatch },
  regexp_count: {
    arity: [2, 4],
    sql: (a) =>
      `len(regexp_extract_all(CAST(${a.arg(0)} AS VARCHAR), ${withFlags(a, 1, a.count === 4 ? 3 : undefined)}))`,
  },
  // `~` and friends: PostgreSQL's regex operators search (DuckDB's `~` is a full match).
  regexp_full_match: { arity: [2, 2], sql: 'regexp_matches($1, $2)' },
  '~*': { arity: [2, 2], sql: "regexp_matches($1, $2, 'i')" },
  '!~': { arity: [2, 2], sql: 'NOT regexp_matches($1, $2)' },
  '!~*': { arity: [2, 2], sql: "NOT regexp_matches($1, $2, 'i')" },
  '~~': { arity: [2, 2], sql: likeWith('like_escape', false) },
  '!~~': { arity: [2, 2], sql: likeWith('like_escape', true) },
  '~~*': { arity: [2, 2], sql: likeWith('ilike_escape', false) },
  '!~~*': { arity: [2, 2], sql: likeWith('ilike_escape', true) },
  // O2: every match of the pattern, each the innermost group that matched (quotes stripped).
  re_matches: {
    arity: [2, 2],
    sql: (a) => {
      const text = `CAST(${a.arg(0)} AS VARCHAR)`;
      const pattern = a.lit(a.text(1, 'the pattern'));
      const groups = captureGroups(a.text(1, 'the pattern'));
      const all = (g: number): string => `regexp_extract_all(${text}, ${pattern}, ${g})`;
      const picks = Array.from({ length: groups + 1 }, (_, k) => groups - k).map(
        (g) => `nullif(${all(g)}[__o2_i], '')`,
      );
      const value = `coalesce(${picks.join(', ')}, '')`;
      const strip = `(CASE WHEN len(v) >= 2 AND starts_with(v, '"') AND ends_with(v, '"') THEN v[2:-2] ELSE v END)`;
      const list = `list_transform(list_transform(range(1, len(${all(0)}) + 1), lambda __o2_i: ${value}), lambda v: ${strip})`;
      return `(CASE WHEN len(${all(0)}) = 0 THEN NULL ELSE ${list} END)`;
    },
  },
  // O2 answers these from a secondary index when one exists; the row-level meaning is a
  // substring test, case-sensitive or not.
  match_field: { arity: [2, 2], sql: 'contains(CAST($1 AS VARCHAR), $2)' },
  match_field_ignore_case: {
    arity: [2, 2],
    sql: 'contains(lower(CAST($1 AS VARCHAR)), lower($2))',
  },
  btrim: { arity: [1, 2], sql: (a) => `trim(${a.arg(0)}${a.count === 2 ? `, ${a.arg(1)}` : ''})` },
  nvl: { arity: [2, 2], sql: 'coalesce($1, $2)' },
  nvl2: { arity: [3, 3], sql: '(CASE WHEN $1 IS NOT NULL THEN $2 ELSE $3 END)' },
  nanvl: { arity: [2, 2], sql: '(CASE WHEN isnan($1) THEN $2 ELSE $1 END)' },
  iszero: { arity: [1, 1], sql: '($1 = 0)' },
  signum: { arity: [1, 1], sql: 'CAST(sign($1) AS DOUBLE)' },
  // DataFusion's count of characters, not bytes (DuckDB's `length` already is).
  character_length: { arity: [1, 1], sql: 'length($1)' },
};

/** Every DataFusion/O2 function the dialect layer translates, by lower-case name. */
export const DIALECT_FUNCTIONS: FunctionTable = {
  ...CORE_FUNCTIONS,
  ...TIME_FUNCTIONS,
  ...ARRAY_FUNCTIONS,
  ...O2_ARRAY_FUNCTIONS,
};
