import { fixedOffsetMicros } from '../histogram-interval.js';
import { intLiteral } from '../sql-text.js';
import type { CallArgs, FunctionTable } from './dialect-function.js';

/**
 * DataFusion's time functions and O2's time UDFs. O2 keeps `_timestamp` as an Int64 of µs;
 * DataFusion timestamps are naive (UTC) unless a zone is attached, and the engine runs with
 * TimeZone = UTC so DuckDB's naive TIMESTAMP behaves the same. Text arguments are parsed as
 * RFC 3339 (offsets honoured, the result in UTC), as DataFusion's `to_timestamp*` do.
 */

/** chrono's `strftime` specifiers that DuckDB spells differently; the rest are shared. */
const CHRONO_TO_DUCKDB: ReadonlyArray<readonly [string, string]> = [
  ['%.3f', '.%g'],
  ['%.6f', '.%f'],
  ['%.9f', '.%n'],
  ['%.f', '.%f'],
  ['%3f', '%g'],
  ['%6f', '%f'],
  ['%9f', '%n'],
  ['%f', '%n'],
  ['%F', '%Y-%m-%d'],
  ['%T', '%H:%M:%S'],
  ['%R', '%H:%M'],
  ['%D', '%m/%d/%y'],
  ['%h', '%b'],
  ['%s', '%s'],
  ['%%', '%%'],
];

/** Specifiers both understand with the same meaning. */
const SHARED = new Set('aAbBcdHIjmMpSUwWxXyYzZ'.split(''));

/** A chrono format string as DuckDB's strftime format; unknown specifiers are a 20001. */
export function chronoFormat(format: string, a: CallArgs): string {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    const mapped = CHRONO_TO_DUCKDB.find(([from]) => format.startsWith(from, i));
    if (mapped !== undefined) {
      out += mapped[1];
      i += mapped[0].length - 1;
      continue;
    }
    const spec = format[i + 1];
    if (spec === undefined || !SHARED.has(spec)) {
      a.fail(`unsupported format specifier %${spec ?? ''}`);
    }
    out += `%${spec}`;
    i++;
  }
  return out;
}

/** Naive UTC timestamp → local wall time of `zone` (`+08:00`, `UTC`, an IANA name or ''). */
function inZone(ts: string, zone: string, a: CallArgs): string {
  if (zone === '' || zone.toUpperCase() === 'UTC' || zone === 'Z') return ts;
  const offset = fixedOffsetMicros(zone);
  if (offset !== undefined) return `(${ts} + to_microseconds(${intLiteral(offset)}))`;
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone)) a.fail(`unknown time zone ${zone}`);
  return `timezone(${a.lit(zone)}, CAST(${ts} AS TIMESTAMPTZ))`;
}

function parsedText(a: CallArgs, i: number): string {
  return `CAST(CAST(CAST(${a.arg(i)} AS VARCHAR) AS TIMESTAMPTZ) AS TIMESTAMP)`;
}

/**
 * `to_timestamp_<unit>(x [, format...])`: integers count `unit` since the epoch, floats too
 * (seconds keep their fraction), text is RFC 3339 or matches one of the chrono formats.
 * `microsPerUnit` < 1 means nanoseconds. `trunc` cuts text results to the unit, as the Arrow
 * timestamp type of that unit does.
 */
function toTimestamp(microsPerUnit: number, trunc: string | undefined) {
  return (a: CallArgs): string => {
    const kind = a.kind(0);
    if (kind === 'timestamp') {
      // A timestamp already: only its unit changes (naive UTC, as DataFusion's cast).
      const ts = `CAST(${a.arg(0)} AS TIMESTAMP)`;
      return trunc === undefined ? ts : `date_trunc('${trunc}', ${ts})`;
    }
    if (kind === 'string' || a.count > 1) {
      let parsed = parsedText(a, 0);
      if (a.count > 1) {
        const formats: string[] = [];
        for (let i = 1; i < a.count; i++) {
          formats.push(a.lit(chronoFormat(a.text(i, 'the format'), a)));
        }
        parsed = `CAST(strptime(CAST(${a.arg(0)} AS VARCHAR), [${formats.join(', ')}]) AS TIMESTAMP)`;
      }
      return trunc === undefined ? parsed : `date_trunc('${trunc}', ${parsed})`;
    }
    if (kind === 'float') {
      return `make_timestamp(CAST(round(${a.arg(0)} * ${microsPerUnit}) AS BIGINT))`;
    }
    const value = `CAST(${a.arg(0)} AS BIGINT)`;
    if (microsPerUnit < 1) return `make_timestamp(${value} // ${intLiteral(1 / microsPerUnit)})`;
    if (microsPerUnit === 1) return `make_timestamp(${value})`;
    return `make_timestamp(${value} * ${intLiteral(microsPerUnit)})`;
  };
}

/** O2's `parse_i64_to_timestamp_micros`: a number's unit guessed from its size (base 1971). */
function o2Micros(x: string): string {
  const v = `CAST(${x} AS BIGINT)`;
  return (
    `(CASE WHEN ${v} > 31536000000000000 THEN ${v} // 1000 ` +
    `WHEN ${v} > 31536000000000 THEN ${v} ` +
    `WHEN ${v} > 31536000000 THEN ${v} * 1000 ELSE ${v} * 1000000 END)`
  );
}

function toChar(a: CallArgs): string {
  return `strftime(${a.arg(0)}, ${a.lit(chronoFormat(a.text(1, 'the format'), a))})`;
}

export const TIME_FUNCTIONS: FunctionTable = {
  to_timestamp: { arity: [1, 8], sql: toTimestamp(1_000_000, undefined) },
  to_timestamp_seconds: { arity: [1, 8], sql: toTimestamp(1_000_000, 'second') },
  to_timestamp_millis: { arity: [1, 8], sql: toTimestamp(1000, 'millisecond') },
  to_timestamp_micros: { arity: [1, 8], sql: toTimestamp(1, undefined) },
  to_timestamp_nanos: { arity: [1, 8], sql: toTimestamp(0.001, undefined) },
  // O2: a string (RFC 3339, or a number of s/ms/µs/ns) → Timestamp(µs).
  cast_to_timestamp: {
    arity: [1, 1],
    sql: (a) =>
      a.kind(0) === 'timestamp'
        ? `CAST(${a.arg(0)} AS TIMESTAMP)`
        : a.kind(0) === 'string' || a.kind(0) === 'other'
          ? `(CASE WHEN regexp_full_match(CAST(${a.arg(0)} AS VARCHAR), '-?[0-9]+') ` +
            `THEN make_timestamp(${o2Micros(`TRY_CAST(CAST(${a.arg(0)} AS VARCHAR) AS BIGINT)`)}) ` +
            `ELSE ${parsedText(a, 0)} END)`
          : `make_timestamp(${o2Micros(a.arg(0))})`,
  },
  // date_bin's default origin is the Unix epoch; DuckDB's time_bucket would pick 2000-01-03.
  date_bin: {
    arity: [2, 3],
    sql: (a) =>
      `time_bucket(${a.arg(0)}, ${a.arg(1)}, ${a.count === 3 ? a.arg(2) : "TIMESTAMP '1970-01-01 00:00:00'"})`,
  },
  to_char: { arity: [2, 2], sql: toChar },
  // O2's 3-argument UDF (Int64 time in s/ms/µs/ns, chrono format, zone); 2 arguments is
  // DataFusion's alias of to_char.
  date_format: {
    arity: [2, 3],
    sql: (a) => {
      if (a.count === 2) return toChar(a);
      const format = a.lit(chronoFormat(a.text(1, 'the format'), a));
      const ts = `make_timestamp(${o2Micros(a.arg(0))})`;
      return `strftime(${inZone(ts, a.text(2, 'the time zone'), a)}, ${format})`;
    },
  },
  to_unixtime: {
    arity: [1, 8],
    sql: (a) => {
      const kind = a.kind(0);
      if (kind === 'integer') return `CAST(${a.arg(0)} AS BIGINT)`;
      const ts = kind === 'string' ? parsedText(a, 0) : a.arg(0);
      return `CAST(floor(epoch(${ts})) AS BIGINT)`;
    },
  },
  from_unixtime: { arity: [1, 1], sql: 'make_timestamp(CAST($1 AS BIGINT) * 1000000)' },
  to_date: { arity: [1, 1], sql: 'CAST($1 AS DATE)' },
  current_time: { arity: [0, 0], sql: 'CAST(CAST(now() AS TIMESTAMP) AS TIME)' },
  datepart: { arity: [2, 2], sql: 'date_part($1, $2)' },
  datetrunc: { arity: [2, 2], sql: 'date_trunc($1, $2)' },
};
