import { makeData, Float64, Int64, Uint64 } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import type { RecordValue } from './column-spec.js';
import type { ColumnBuilder } from './column-builder.js';
import { grownCapacity } from './column-builder.js';
import { toFloat64, toInt64, toUInt64 } from './coerce-value.js';
import { GrowableBitmap } from './growable-bitmap.js';

type FixedType = 'Int64' | 'UInt64' | 'Float64';

const TWO_POW_32 = 4294967296;

/**
 * Int64, UInt64 and Float64 columns: 8-byte slots in one ArrayBuffer seen through several
 * views. Integers that arrive as numbers are written as two 32-bit halves, which avoids a
 * BigInt allocation per value (µs timestamps are below 2^53, so numbers hold them exactly).
 */
export class FixedWidthColumn implements ColumnBuilder {
  length = 0;
  private capacity: number;
  private readonly initialRows: number;
  private words!: Float64Array | BigInt64Array | BigUint64Array;
  private halves!: Int32Array;
  private readonly validity: GrowableBitmap;

  constructor(
    readonly type: FixedType,
    initialRows = 1024,
  ) {
    this.initialRows = Math.max(16, initialRows);
    this.capacity = this.initialRows;
    this.validity = new GrowableBitmap(this.capacity);
    this.allocate(this.capacity);
  }

  private allocate(rows: number, keep = 0): void {
    const buffer = new ArrayBuffer(rows * 8);
    const words =
      this.type === 'Float64'
        ? new Float64Array(buffer)
        : this.type === 'Int64'
          ? new BigInt64Array(buffer)
          : new BigUint64Array(buffer);
    if (keep > 0) new Uint8Array(buffer).set(new Uint8Array(this.words.buffer, 0, keep * 8));
    this.words = words;
    this.halves = new Int32Array(buffer);
  }

  private ensure(rows: number): void {
    if (rows <= this.capacity) return;
    this.capacity = grownCapacity(this.capacity, rows);
    this.allocate(this.capacity, this.length);
    this.validity.ensure(this.capacity);
  }

  set(row: number, value: RecordValue): void {
    this.ensure(row + 1);
    this.length = row + 1;
    if (this.type === 'Float64') {
      const number = toFloat64(value);
      if (number === undefined) return;
      (this.words as Float64Array)[row] = number;
    } else {
      const int = this.type === 'Int64' ? toInt64(value) : toUInt64(value);
      if (int === undefined) return;
      if (typeof int === 'bigint') {
        (this.words as BigInt64Array | BigUint64Array)[row] = int;
      } else {
        const hi = Math.floor(int / TWO_POW_32);
        this.halves[row * 2] = (int - hi * TWO_POW_32) | 0;
        this.halves[row * 2 + 1] = hi | 0;
      }
    }
    this.validity.set(row);
  }

  /** The value at `row` as a number (exact below 2^53); only meaningful for non-null rows. */
  numberAt(row: number): number {
    if (this.type === 'Float64') return (this.words as Float64Array)[row]!;
    const lo = this.halves[row * 2]! >>> 0;
    const hi = this.halves[row * 2 + 1]!;
    return (this.type === 'Int64' ? hi : hi >>> 0) * TWO_POW_32 + lo;
  }

  isValid(row: number): boolean {
    return row < this.length && this.validity.get(row);
  }

  appendNative(row: number, data: Data): void {
    const count = data.length;
    this.ensure(row + count);
    const values = data.values as Float64Array | BigInt64Array | BigUint64Array;
    new Uint8Array(this.words.buffer, row * 8, count * 8).set(
      new Uint8Array(values.buffer, values.byteOffset, count * 8),
    );
    if (data.nullCount === 0 || data.nullBitmap === undefined || data.nullBitmap.length === 0) {
      this.validity.setRange(row, count);
    } else {
      this.validity.copyFrom(data.nullBitmap, data.offset, row, count);
    }
    this.length = row + count;
  }

  padTo(rows: number): void {
    this.ensure(rows);
    if (rows > this.length) this.length = rows;
  }

  truncate(rows: number): void {
    if (rows >= this.length) return;
    this.validity.truncate(rows, this.length);
    this.length = rows;
  }

  byteSize(): number {
    return this.length * 8 + (this.length >> 3);
  }

  finish(rows: number, perm: Uint32Array | undefined, retain: boolean): Data {
    this.padTo(rows);
    const nullCount = rows - this.validity.setCount;
    const nullBitmap = nullCount > 0 ? this.validity.export(rows, perm) : undefined;
    const values =
      perm !== undefined
        ? gather(this.words, perm)
        : retain || rows * 4 < this.capacity * 3
          ? this.words.slice(0, rows)
          : this.words.subarray(0, rows);
    const data = this.dataOf(rows, nullCount, nullBitmap, values);
    this.length = 0;
    if (!retain) {
      this.capacity = this.initialRows;
      this.allocate(this.capacity);
    }
    this.validity.reset(this.capacity, retain);
    return data;
  }

  copy(rows: number, perm: Uint32Array): Data {
    this.padTo(rows);
    const { bitmap, clear } = this.validity.exportCounted(perm);
    return this.dataOf(
      perm.length,
      clear,
      clear > 0 ? bitmap : undefined,
      gather(this.words, perm),
    );
  }

  private dataOf(
    rows: number,
    nullCount: number,
    nullBitmap: Uint8Array | undefined,
    values: Float64Array | BigInt64Array | BigUint64Array,
  ): Data {
    const common = { length: rows, nullCount, nullBitmap };
    return this.type === 'Float64'
      ? makeData({ ...common, type: new Float64(), data: values as Float64Array })
      : this.type === 'Int64'
        ? makeData({ ...common, type: new Int64(), data: values as BigInt64Array })
        : makeData({ ...common, type: new Uint64(), data: values as BigUint64Array });
  }
}

/**
 * Reorders 8-byte slots as pairs of 32-bit halves: no BigInt boxing, and no trip through a
 * Float64 view, which may canonicalise integer bit patterns that happen to spell a NaN.
 */
function gather<T extends Float64Array | BigInt64Array | BigUint64Array>(
  words: T,
  perm: Uint32Array,
): T {
  const src = new Int32Array(words.buffer, 0, words.length * 2);
  const out = new Int32Array(perm.length * 2);
  for (let i = 0; i < perm.length; i++) {
    const p = perm[i]! * 2;
    out[i * 2] = src[p]!;
    out[i * 2 + 1] = src[p + 1]!;
  }
  const ctor = words.constructor as new (buffer: ArrayBuffer) => T;
  return new ctor(out.buffer);
}
