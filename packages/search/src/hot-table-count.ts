import type { Table } from 'apache-arrow';

interface TimeBounds {
  min: bigint;
  max: bigint;
}

/** Per immutable table: its `_timestamp` min and max (null when it has none), found once. */
const BOUNDS = new WeakMap<Table, TimeBounds | null>();

/** The `_timestamp` column's chunks as int64 words, or undefined when it is not plain Int64. */
function timestampChunks(table: Table): BigInt64Array[] | undefined {
  const column = table.getChild('_timestamp');
  if (column === null) return undefined;
  const chunks: BigInt64Array[] = [];
  for (const data of column.data) {
    if (!(data.values instanceof BigInt64Array) || data.nullCount > 0) return undefined;
    chunks.push(data.values.subarray(0, data.length));
  }
  return chunks;
}

/**
 * Counts a table's rows with `_timestamp` in `[start, end)` straight from its Arrow column, or
 * undefined when the column is missing, holds nulls or is not Int64 (the caller scans instead).
 * A bare `count(*)` over the memtable then needs no Parquet copy of it and no DuckDB scan: the
 * bounds are known after one pass per table (tables are immutable), so a range covering the
 * table, the common case, costs nothing, and a range cutting it one compare per row.
 */
export function countTableRows(table: Table, start: number, end: number): number | undefined {
  if (table.numRows === 0) return 0;
  const chunks = timestampChunks(table);
  if (chunks === undefined) return undefined;
  let bounds = BOUNDS.get(table);
  if (bounds === undefined) {
    bounds = null;
    for (const values of chunks) {
      for (const v of values) {
        if (bounds === null) bounds = { min: v, max: v };
        else if (v < bounds.min) bounds.min = v;
        else if (v > bounds.max) bounds.max = v;
      }
    }
    BOUNDS.set(table, bounds);
  }
  if (bounds === null) return 0;
  // BigInt compares stay exact beyond 2^53, where a Number could round across a bound.
  const low = BigInt(Math.ceil(Math.max(start, Number.MIN_SAFE_INTEGER)));
  const high = BigInt(Math.ceil(Math.min(end, Number.MAX_SAFE_INTEGER)));
  if (bounds.min >= low && bounds.max < high) return table.numRows;
  if (bounds.max < low || bounds.min >= high) return 0;
  let count = 0;
  for (const values of chunks) {
    for (const v of values) if (v >= low && v < high) count++;
  }
  return count;
}
