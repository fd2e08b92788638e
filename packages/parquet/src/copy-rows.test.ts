import { describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import { AppError } from '@o2/errors';
import type { ColumnSpec } from './column-spec.js';
import { ColumnarBatchBuilder } from './columnar-batch-builder.js';

const SCHEMA: ColumnSpec[] = [
  { name: '_timestamp', type: 'Int64' },
  { name: 'log', type: 'Utf8' },
  { name: 'code', type: 'Int64' },
  { name: 'ratio', type: 'Float64' },
  { name: 'ok', type: 'Boolean' },
];

function rows(table: Table): Record<string, unknown>[] {
  return table.toArray().map((row: { toJSON(): Record<string, unknown> }) => row.toJSON());
}

function filled(): ColumnarBatchBuilder {
  const builder = new ColumnarBatchBuilder(SCHEMA, { initialRows: 2 });
  builder.append({ _timestamp: 5, log: 'five', code: 5, ok: true });
  builder.append({ _timestamp: 9, log: 'nine', ratio: 0.5 });
  builder.append({ _timestamp: 1, code: 1, ok: false });
  builder.append({ _timestamp: 7, log: 'seven ✓', ratio: -2, ok: true });
  builder.append({ _timestamp: 3 });
  return builder;
}

describe('ColumnarBatchBuilder.copyRows', () => {
  it('copies a range of rows sorted by _timestamp desc and keeps every row', () => {
    const builder = filled();
    const tail = builder.copyRows(2);
    expect(rows(tail)).toEqual([
      { _timestamp: 7n, log: 'seven ✓', code: null, ratio: -2, ok: true },
      { _timestamp: 3n, log: null, code: null, ratio: null, ok: null },
      { _timestamp: 1n, log: null, code: 1n, ratio: null, ok: false },
    ]);
    expect(tail.getChild('log')?.nullCount).toBe(2);
    expect(rows(builder.copyRows(1, 2))).toEqual([
      { _timestamp: 9n, log: 'nine', code: null, ratio: 0.5, ok: null },
    ]);
    expect(builder.copyRows(5).numRows).toBe(0);
    expect(builder.length).toBe(5);
    // The builder still holds all rows, in order, for the next copy or the final encode.
    builder.append({ _timestamp: 8, log: 'eight' });
    expect(rows(builder.copyRows(5)).map((r) => r['log'])).toEqual(['eight']);
    expect(rows(builder.finish()).map((r) => r['_timestamp'])).toEqual([9n, 8n, 7n, 5n, 3n, 1n]);
  });

  it('sees columns added after the rows were appended as null', () => {
    const builder = filled();
    builder.addColumn({ name: 'late', type: 'Utf8' });
    builder.append({ _timestamp: 2, late: 'x' });
    expect(rows(builder.copyRows(4)).map((r) => r['late'])).toEqual([null, 'x']);
  });

  it('refuses a range outside the rows', () => {
    const builder = filled();
    expect(() => builder.copyRows(3, 9)).toThrow(AppError);
    expect(() => builder.copyRows(-1)).toThrow(AppError);
    expect(() => builder.copyRows(4, 2)).toThrow(AppError);
  });
});
