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
  // One branch per span of nearby row ranges: DuckDB skips the row groups a single
  // `file_row_number` range excludes (an OR of ranges it would scan), and disjoint spans never
  // repeat a row. Ranges closer than a row group share a span, so the rows a token index names
  // one by one in a group are read in one scan of it, the OR of them a filter inside the span.
  const rangedWhere =
    input.rangedTime === undefined
      ? where
      : `${ts} >= ${intLiteral(input.rangedTime[0])} AND ${ts} < ${intLiteral(input.rangedTime[1])}`;
  for (const file of input.files.filter((f) => ranges.has(f))) {
    for (const span of spansOf(ranges.get(file) ?? [])) {
      const first = span[0]![0];
      const end = span[span.length - 1]![1];
      const inside =
        span.length === 1
          ? ''
          : ` AND (${span.map(([a, b]) => (b === a + 1 ? `file_row_number = ${intLiteral(a)}` : `(file_row_number >= ${intLiteral(a)} AND file_row_number < ${intLiteral(b)})`)).join(' OR ')})`;
      branches.push(
        `SELECT * EXCLUDE (file_row_number) FROM read_parquet(${literalList([file])}, ` +
          `hive_partitioning = false, file_row_number = true) WHERE file_row_number >= ` +
          `${intLiteral(first)} AND file_row_number < ${intLiteral(end)}${inside} AND ${rangedWhere}`,
      );
    }
  }
  return (
    `CREATE TEMP VIEW ${quoteIdent(input.view)} AS SELECT ${columns} FROM (` +
    branches.join(' UNION ALL BY NAME ') +
    ')'
  );
}
