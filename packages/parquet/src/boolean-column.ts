import { Bool, makeData } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import type { RecordValue } from './column-spec.js';
import type { ColumnBuilder } from './column-builder.js';
import { toBoolean } from './coerce-value.js';
import { GrowableBitmap } from './growable-bitmap.js';

/** Boolean column: a value bitmap beside the validity bitmap, as Arrow lays it out. */
export class BooleanColumn implements ColumnBuilder {
  readonly type = 'Boolean';
  length = 0;
  private readonly values: GrowableBitmap;
  private readonly validity: GrowableBitmap;

  constructor(private readonly initialRows = 1024) {
    this.values = new GrowableBitmap(initialRows);
    this.validity = new GrowableBitmap(initialRows);
  }

  set(row: number, value: RecordValue): void {
    this.length = row + 1;
    const bool = toBoolean(value);
    if (bool === undefined) return;
    this.validity.ensure(row + 1);
    this.validity.set(row);
    if (bool) {
      this.values.ensure(row + 1);
      this.values.set(row);
    }
  }

  appendNative(row: number, data: Data): void {
    const count = data.length;
    this.values.copyFrom(data.values as Uint8Array, data.offset, row, count);
    if (data.nullCount === 0 || data.nullBitmap === undefined || data.nullBitmap.length === 0) {
      this.validity.setRange(row, count);
    } else {
      this.validity.copyFrom(data.nullBitmap, data.offset, row, count);
    }
    this.length = row + count;
  }

  padTo(rows: number): void {
    if (rows > this.length) this.length = rows;
  }

  truncate(rows: number): void {
    if (rows >= this.length) return;
    this.values.truncate(rows, this.length);
    this.validity.truncate(rows, this.length);
    this.length = rows;
  }

  byteSize(): number {
    return this.length >> 2;
  }

  finish(rows: number, perm: Uint32Array | undefined, retain: boolean): Data {
    this.padTo(rows);
    this.values.ensure(rows);
    this.validity.ensure(rows);
    const nullCount = rows - this.validity.setCount;
    const data = makeData({
      type: new Bool(),
      length: rows,
      nullCount,
      nullBitmap: nullCount > 0 ? this.validity.export(rows, perm) : undefined,
      data: this.values.export(rows, perm),
    });
    this.values.reset(this.initialRows, retain);
    this.validity.reset(this.initialRows, retain);
    this.length = 0;
    return data;
  }

  copy(rows: number, perm: Uint32Array): Data {
    this.padTo(rows);
    this.values.ensure(rows);
    this.validity.ensure(rows);
    const { bitmap, clear } = this.validity.exportCounted(perm);
    return makeData({
      type: new Bool(),
      length: perm.length,
      nullCount: clear,
      nullBitmap: clear > 0 ? bitmap : undefined,
      data: this.values.export(perm.length, perm),
    });
  }
}
