import { AppError } from '@o2/errors';
import { METRIC_VALUE_COLUMN, NATIVE_HISTOGRAM_COLUMN } from '@o2/metrics';
import type { Matcher } from '@o2/promql';
import { CompiledMatcher } from '@o2/promql';
import { literal, quoteIdentifier } from '../around-sql.js';

/** Output names of the aggregated columns; label columns spelled like these are never labels. */
export const TIMES_ALIAS = '__o2_times__';
export const VALUES_ALIAS = '__o2_values__';
export const COUNT_ALIAS = '__o2_samples__';
export const HISTOGRAMS_ALIAS = '__o2_histograms__';
export const RESERVED_ALIASES: ReadonlySet<string> = new Set([
  TIMES_ALIAS,
  VALUES_ALIAS,
  COUNT_ALIAS,
  HISTOGRAMS_ALIAS,
]);

/** One metric stream as a selector sees it: its label columns and optional extra columns. */
export interface MetricStreamShape {
  stream: string;
  /** Utf8 label columns, `__name__` included, sorted. */
  labels: readonly string[];
  /** The stream has a native histogram column (rows holding one are not plain samples). */
  histograms: boolean;
  /** The stream has an `exemplars` column (OTLP keeps them there as JSON). */
  exemplars: boolean;
}

/** SQL text, or one of the two answers that need none. */
export type MatcherCondition = { sql: string } | 'all' | 'none';

/**
 * The WHERE condition for one label matcher, with Prometheus's semantics: a label a row lacks
 * (NULL, or a column the stream does not have) is the empty string, and regexes are RE2 fully
 * anchored with `.` matching newlines — DuckDB's `regexp_full_match` is RE2, so the pattern is
 * the user's own, only wrapped. `'all'` when every row matches, `'none'` when none can.
 */
export function matcherCondition(m: Matcher, shape: MetricStreamShape): MatcherCondition {
  if (m.value.includes('\0') || m.name.includes('\0'))
    throw AppError.invalidArgument('label matchers must not contain NUL characters');
  const compiled = new CompiledMatcher(m); // validates the regex like the engine does
  if (!shape.labels.includes(m.name)) return compiled.matchesEmpty() ? 'all' : 'none';
  const col = quoteIdentifier(m.name);
  const text = `coalesce(${col}, '')`;
  switch (m.type) {
    case '=':
      return { sql: `${text} = ${literal(m.value)}` };
    case '!=':
      return { sql: `${text} <> ${literal(m.value)}` };
    case '=~':
      return { sql: `regexp_full_match(${text}, ${literal(`(?s:${m.value})`)})` };
    case '!~':
      return { sql: `NOT regexp_full_match(${text}, ${literal(`(?s:${m.value})`)})` };
  }
}

/** The AND of every matcher's condition, `undefined` when no row of the stream can match. */
export function whereClause(
  matchers: readonly Matcher[],
  shape: MetricStreamShape,
): string | undefined {
  const parts: string[] = [];
  for (const m of matchers) {
    const c = matcherCondition(m, shape);
    if (c === 'none') return undefined;
    if (c !== 'all') parts.push(c.sql);
  }
  return parts.length === 0 ? '' : ` WHERE ${parts.join(' AND ')}`;
}

/**
 * One row per series of a stream: its label values and the sample times and values as two
 * lists (one JSON array each instead of one object per sample). The lists are in the same
 * order as each other but not in time order: `list(… ORDER BY _timestamp)` made DuckDB sort
 * every series and cost most of the query, so the reader orders them (`timeOrder`). Both are
 * DOUBLE (µs are exact below 2^53) so the reader can take DuckDB's arrays as they are, and
 * the reader leaves out lists longer than `maxPoints` (`numericLists.maxLength`: a CASE around
 * them here made DuckDB copy every list); the caller raises the limit error from the count. A
 * stream holding native histograms adds a third list, the `__histogram__` JSON per sample (NULL
 * for floats), NULL past `maxPoints` so those bytes never cross into JavaScript.
 */
export function seriesSamplesSql(
  shape: MetricStreamShape,
  where: string,
  maxPoints: number,
  limit: number,
): string {
  const labels = shape.labels.map(quoteIdentifier).join(', ');
  const count = 'count(*)';
  const histograms = shape.histograms
    ? `CASE WHEN ${count} > ${maxPoints} THEN NULL ELSE list(${quoteIdentifier(NATIVE_HISTOGRAM_COLUMN)}) END`
    : 'NULL';
  return (
    `SELECT ${labels}, list(CAST("_timestamp" AS DOUBLE)) AS ${TIMES_ALIAS}, ` +
    `list(CAST(${quoteIdentifier(METRIC_VALUE_COLUMN)} AS DOUBLE)) AS ${VALUES_ALIAS}, ` +
    `${count} AS ${COUNT_ALIAS}, ${histograms} AS ${HISTOGRAMS_ALIAS} ` +
    `FROM ${quoteIdentifier(shape.stream)}${where} GROUP BY ${labels} LIMIT ${limit}`
  );
}

/** The distinct label sets of a stream's matching series (series, labels, label values). */
export function seriesLabelsSql(shape: MetricStreamShape, where: string, limit: number): string {
  const labels = shape.labels.map(quoteIdentifier).join(', ');
  return `SELECT ${labels} FROM ${quoteIdentifier(shape.stream)}${where} GROUP BY ${labels} LIMIT ${limit}`;
}

/** Which label columns hold a non-empty value in the matching rows: one count per column. */
export function labelNamesSql(shape: MetricStreamShape, where: string): string {
  const counts = shape.labels.map(
    (name, i) => `count(NULLIF(${quoteIdentifier(name)}, '')) AS "n${i}"`,
  );
  return `SELECT ${counts.join(', ')} FROM ${quoteIdentifier(shape.stream)}${where}`;
}

/** The distinct non-empty values of one label in the matching rows. */
export function labelValuesSql(
  shape: MetricStreamShape,
  label: string,
  where: string,
  limit: number,
): string {
  const col = quoteIdentifier(label);
  const filter = `${col} IS NOT NULL AND ${col} <> ''`;
  const clause = where === '' ? ` WHERE ${filter}` : `${where} AND ${filter}`;
  return `SELECT ${col} AS "v" FROM ${quoteIdentifier(shape.stream)}${clause} GROUP BY ${col} LIMIT ${limit}`;
}
