import { Table } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';

const TIMESTAMP = '_timestamp';

/**
 * The rows of `table` whose `_timestamp` (µs) lies in the half-open range, as slices of the
 * original batches (no copy). A table without `_timestamp` is returned whole: the leader's SQL
 * applies the range again, so this only saves bytes on the wire.
 */
export function rowsInRange(table: Table, range: { startTs: number; endTs: number }): Table {
  if (table.schema.fields.every((f) => f.name !== TIMESTAMP)) return table;
  const kept: RecordBatch[] = [];
  for (const batch of table.batches) {
    const column = batch.getChild(TIMESTAMP);
    if (column === null) continue;
    let runStart = -1;
    for (let i = 0; i <= batch.numRows; i++) {
      const value: unknown = i < batch.numRows ? column.get(i) : null;
      const ts = typeof value === 'bigint' || typeof value === 'number' ? Number(value) : NaN;
      const inside = ts >= range.startTs && ts < range.endTs;
      if (inside && runStart < 0) runStart = i;
      else if (!inside && runStart >= 0) {
        kept.push(batch.slice(runStart, i));
        runStart = -1;
      }
    }
  }
  return kept.length === 0 ? table.slice(0, 0) : new Table(kept);
}
