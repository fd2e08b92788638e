import type { Table } from 'apache-arrow';
import { arrowByteSize } from '@o2/parquet';

/** A row range of a table and the Arrow bytes it stands for. */
export interface EncodeSlice {
  table: Table;
  bytes: number;
}

/**
 * Splits a memtable's finished table into row ranges of at most about `maxBytes` of Arrow data
 * each (views, nothing copied), one Parquet file per range. What encoding a table costs on top
 * of the table itself — its IPC copy for the encoder worker (parquet-wasm there takes one row
 * group of it at a time) — then scales with one range, not with the whole table: a 137 MB
 * memtable once needed ~4× that (~550 MB) at once. The table is in file order for
 * `groupRows`-row groups (time slices newest first, rows clustered within each), and ranges are
 * cut at whole groups, so the files cover disjoint time ranges and keep their clusters.
 * `maxBytes` ≤ 0: one file.
 */
export function encodeSlices(table: Table, maxBytes: number, groupRows: number): EncodeSlice[] {
  const bytes = arrowByteSize(table);
  if (maxBytes <= 0 || bytes <= maxBytes || table.numRows < 2) return [{ table, bytes }];
  const count = Math.min(table.numRows, Math.ceil(bytes / maxBytes));
  const rows = Math.ceil(Math.ceil(table.numRows / count) / groupRows) * groupRows;
  const slices: EncodeSlice[] = [];
  for (let start = 0; start < table.numRows; start += rows) {
    const end = Math.min(table.numRows, start + rows);
    // A slice's buffers are views of the whole table's, so Arrow would count the whole table
    // for each: its share of the bytes goes to file_list's original_size instead.
    slices.push({
      table: table.slice(start, end),
      bytes: Math.round((bytes * (end - start)) / table.numRows),
    });
  }
  return slices;
}
