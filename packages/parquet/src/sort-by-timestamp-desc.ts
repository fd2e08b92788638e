import type { Table } from 'apache-arrow';
import { columnSpecsOf } from './column-spec.js';
import { ColumnarBatchBuilder } from './columnar-batch-builder.js';

/** A copy of `table` as one batch sorted by `_timestamp` descending (ties keep their order). */
export function sortByTimestampDesc(table: Table): Table {
  return toFileOrder(table, undefined);
}

/**
 * A copy of `table` as one batch in the order a Parquet file keeps: `_timestamp` desc, and with
 * `clusterGroupRows` rows clustered within each run of that many (`clusterWithinGroups`).
 */
export function toFileOrder(table: Table, clusterGroupRows: number | undefined): Table {
  const builder = new ColumnarBatchBuilder(columnSpecsOf(table.schema), {
    initialRows: table.numRows,
  });
  builder.appendTable(table);
  return builder.finish(clusterGroupRows === undefined ? {} : { clusterGroupRows });
}
