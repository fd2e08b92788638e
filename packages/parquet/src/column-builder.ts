import type { Data } from 'apache-arrow';
import type { ColumnType, RecordValue } from './column-spec.js';

/**
 * One column of a `ColumnarBatchBuilder`. Rows are written in order; rows a record leaves out
 * are filled lazily (`padTo`), so a record only costs work for the keys it has — streams often
 * have hundreds of sparse columns.
 */
export interface ColumnBuilder {
  readonly type: ColumnType;
  /** Rows materialised so far (≤ the builder's row count). */
  readonly length: number;
  /** Writes `value` at `row` (≥ length); rows in between become null. */
  set(row: number, value: RecordValue): void;
  /** Copies `data` (whose type is this column's native Arrow type) to rows `row`… */
  appendNative(row: number, data: Data): void;
  /** Null-fills up to `rows`. */
  padTo(rows: number): void;
  /** Forgets rows from `rows` on (rolls back a half-appended record). */
  truncate(rows: number): void;
  /** Bytes the column's buffers hold for its rows (an estimate of the Arrow size). */
  byteSize(): number;
  /**
   * Arrow data for `rows` rows, reordered by `perm` when given. Leaves the column empty; with
   * `retain` it keeps its (already faulted-in) buffers for the next batch and copies out,
   * otherwise it hands its buffers over when no reordering is needed.
   */
  finish(rows: number, perm: Uint32Array | undefined, retain: boolean): Data;
  /**
   * Arrow data for the rows `perm` names (indices below `rows`, the builder's row count),
   * copied out; the column keeps every row.
   */
  copy(rows: number, perm: Uint32Array): Data;
}

/** The next capacity ≥ `need`, doubling from `current`. */
export function grownCapacity(current: number, need: number): number {
  let size = Math.max(current, 16);
  while (size < need) size *= 2;
  return size;
}
