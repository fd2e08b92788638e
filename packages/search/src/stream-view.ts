import { intLiteral, literalList, quoteIdent } from './sql-text.js';
import type { StreamField, StreamFieldType } from './types.js';

const DUCKDB_TYPES: Record<StreamFieldType, string> = {
  Utf8: 'VARCHAR',
  Int64: 'BIGINT',
  UInt64: 'UBIGINT',
  Float64: 'DOUBLE',
  Boolean: 'BOOLEAN',
};

export function duckdbType(type: StreamFieldType): string {
  return DUCKDB_TYPES[type];
}

export interface StreamViewInput {
  view: string;
  schema: readonly StreamField[];
  files: readonly string[];
  startTime: number;
  endTime: number;
  /** Only rows holding one of these `_timestamp`s (a top-n query's narrowed view). */
  timestamps?: readonly number[];
  /**
   * Per file of `files`: the only row ranges (`[first, end)` Parquet row numbers) that can
   * match, as the token index's row groups tell. A file absent here is read whole.
   */
  rowRanges?: ReadonlyMap<string, ReadonlyArray<readonly [number, number]>>;
  /**
   * The time range of the files read in row ranges when it differs from the others' (a top-n
   * narrowing that left them out of its probe); `timestamps` then binds only the others.
   */
  rangedTime?: readonly [number, number];
  /** Per file: its schema signature (`FileFacts.schema`); a file absent here is unknown. */
  schemas?: ReadonlyMap<string, string>;
  /** Per file: `[min, max]` of its `_timestamp` (no nulls), from its footer. */
  bounds?: ReadonlyMap<string, readonly [number, number]>;
}

/** Rows apart below which two ranges are read by one scan (the default row group). */
const SPAN_GAP = 16_384;

/**
 * Row ranges one scan ORs at most. DuckDB (1.5) skips the row groups an OR of `file_row_number`
 * ranges excludes, but then tests every row it reads against the whole OR, which costs more
 * than it saves past a few dozen ranges. One 9-group file, a count with a filter, ms CPU (OR
 * of the ranges / whole file): 8 ranges 17 / 35, 32: 27 / 32, 222: 77 / 32, 1000: 347 / 36.
 */
const MAX_ORED_RANGES = 16;

/** `file_row_number` inside any of `ranges` (half-open). */
function rangesTest(ranges: ReadonlyArray<readonly [number, number]>): string {
  const test = ([a, b]: readonly [number, number]): string =>
    b === a + 1
      ? `file_row_number = ${intLiteral(a)}`
      : `file_row_number >= ${intLiteral(a)} AND file_row_number < ${intLiteral(b)}`;
  return ranges.length === 1 ? test(ranges[0]!) : ranges.map((r) => `(${test(r)})`).join(' OR ');
}

/** Sorted disjoint ranges cut into runs whose gaps are under SPAN_GAP. */
function spansOf(
  ranges: ReadonlyArray<readonly [number, number]>,
): Array<Array<readonly [number, number]>> {
  const spans: Array<Array<readonly [number, number]>> = [];
  for (const range of [...ranges].sort((a, b) => a[0] - b[0])) {
    const span = spans[spans.length - 1];
    if (span !== undefined && range[0] - span[span.length - 1]![1] < SPAN_GAP) span.push(range);
    else spans.push([range]);
  }
  return spans;
}

/**
 * One temp view per stream: the stored schema's columns over every file, with the half-open
 * time range inside so it reaches each Parquet scan as a row-group filter. A typed empty branch
 * carries every schema column into the `UNION ALL BY NAME`, so a column absent from some or all
 * files reads NULL and keeps its stored type; columns the files hold beyond the schema are
 * dropped by the outer projection. Hive partitioning is off: O2 file paths hold `key=value`
 * folders that are not columns.
 */
export function streamViewSql(input: StreamViewInput): string {
  // OR REPLACE: a split's planning may have bound the name over no file already.
  return `CREATE OR REPLACE TEMP VIEW ${quoteIdent(input.view)} AS ${streamSelectSql(input)}`;
}

/** The SELECT of {@link streamViewSql}'s view, for a caller inlining it as a CTE. */
export function streamSelectSql(input: StreamViewInput): string {
  const columns = input.schema.map((f) => quoteIdent(f.name)).join(', ');
  const typed = input.schema
    .map((f) => `CAST(NULL AS ${duckdbType(f.type)}) AS ${quoteIdent(f.name)}`)
    .join(', ');
  const branches = [`SELECT ${typed} WHERE false`];
  const ts = quoteIdent('_timestamp');
  const where =
    `${ts} >= ${intLiteral(input.startTime)} AND ${ts} < ${intLiteral(input.endTime)}` +
    (input.timestamps === undefined
      ? ''
      : ` AND ${ts} IN (${input.timestamps.map((t) => intLiteral(t)).join(', ')})`);
  const ranges = input.rowRanges ?? new Map<string, ReadonlyArray<readonly [number, number]>>();
  const whole = input.files.filter((f) => !ranges.has(f));
  // Files of one schema are read by one `read_parquet` without `union_by_name`: DuckDB then
  // binds the first file's schema only, where `union_by_name` reads and unifies every file's on
  // each bind (the view's CREATE and again each statement over it). 15 files of the 1M-record
  // bench: CREATE VIEW 2.5 -> 1.2 ms, binding a count over the view 4.5 -> 1.5 ms. Files of
  // unknown schema (the memtable's copies) keep `union_by_name`.
  // A file whose every `_timestamp` lies inside the range is read without the range filter:
  // DuckDB would still test it on every row (count by namespace over 1M rows in 15 such files:
  // 108 -> 43 ms, `code = 200` 38 -> 28 ms in a micro-bench).
  const inside = (file: string): boolean => {
    const span = input.bounds?.get(file);
    return (
      input.timestamps === undefined &&
      span !== undefined &&
      span[0] >= input.startTime &&
      span[1] < input.endTime
    );
  };
  const groups = new Map<string, { files: string[]; schema: string; filtered: boolean }>();
  for (const file of whole) {
    const schema = input.schemas?.get(file) ?? '';
    const filtered = !inside(file);
    const key = `${filtered}\0${schema}`;
    const group = groups.get(key) ?? { files: [], schema, filtered };
    group.files.push(file);
    groups.set(key, group);
  }
  for (const { files, schema, filtered } of groups.values()) {
    const unify = schema === '' && files.length > 1;
    branches.push(
      `SELECT * FROM read_parquet(${literalList(files)}, union_by_name = ${unify}, hive_partitioning = false)` +
        (filtered ? ` WHERE ${where}` : ''),
    );
  }
  // A file's few row ranges are read by one scan, their OR its filter: DuckDB skips the row
  // groups the OR excludes, and one `read_parquet` per file binds and plans once where one per
  // range bound each (a rare term's 10 blocks in 3 files of 9 groups: count 44-47 -> 34-36 ms
  // CPU, first 100 68-73 -> 58-64). More ranges are cut into spans of nearby ones, each one
  // scan of `[first, end)`, its ranges ORed inside up to MAX_ORED_RANGES; past that the span is
  // read whole, which stays exact: rows outside the ranges cannot hold the terms every read of
  // the stream requires, so the query's own filter drops them. Spans never repeat a row.
  const rangedWhere =
    input.rangedTime === undefined
      ? where
      : `${ts} >= ${intLiteral(input.rangedTime[0])} AND ${ts} < ${intLiteral(input.rangedTime[1])}`;
  const rangedScan = (file: string, test: string): string =>
    `SELECT * EXCLUDE (file_row_number) FROM read_parquet(${literalList([file])}, ` +
    `hive_partitioning = false, file_row_number = true) WHERE ${test} AND ${rangedWhere}`;
  for (const file of input.files.filter((f) => ranges.has(f))) {
    const fileRanges = [...(ranges.get(file) ?? [])].sort((a, b) => a[0] - b[0]);
    if (fileRanges.length <= MAX_ORED_RANGES) {
      if (fileRanges.length > 0) branches.push(rangedScan(file, `(${rangesTest(fileRanges)})`));
      continue;
    }
    for (const span of spansOf(fileRanges)) {
      const whole: ReadonlyArray<readonly [number, number]> = [
        [span[0]![0], span[span.length - 1]![1]],
      ];
      const inside =
        span.length === 1 || span.length > MAX_ORED_RANGES ? '' : ` AND (${rangesTest(span)})`;
      branches.push(rangedScan(file, `${rangesTest(whole)}${inside}`));
    }
  }
  return `SELECT ${columns} FROM (${branches.join(' UNION ALL BY NAME ')})`;
}
