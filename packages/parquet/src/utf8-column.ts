import { makeData, Utf8 } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import { AppError } from '@o2/errors';
import type { RecordValue } from './column-spec.js';
import type { ColumnBuilder } from './column-builder.js';
import { grownCapacity } from './column-builder.js';
import { toUtf8 } from './coerce-value.js';
import { GrowableBitmap } from './growable-bitmap.js';

/** Arrow Utf8 offsets are int32: one column of one batch holds less than 2 GiB of text. */
const MAX_DATA_BYTES = 0x7fffffff;
/** Below this many UTF-16 units a JS loop beats a call into the native UTF-8 writer. */
const SHORT_STRING = 32;
/** Below this many bytes a JS loop beats `subarray` + `set` when reordering strings. */
const SHORT_COPY = 64;

/**
 * `Buffer#utf8Write` is the native writer behind `Buffer#write` without its argument
 * checking, which costs more than the copy for typical log fields. Long-standing and widely
 * used, but undocumented, so `write` stays as the fallback.
 */
type Utf8Writer = (this: Buffer, text: string, offset: number, length: number) => number;
const nativeUtf8Write = (Buffer.prototype as unknown as { utf8Write?: Utf8Writer }).utf8Write;

/**
 * Utf8 column built from hand-made buffers: int32 offsets plus one UTF-8 byte buffer that
 * doubles when full. Arrow's own builders do the same job about ten times slower.
 */
export class Utf8Column implements ColumnBuilder {
  readonly type = 'Utf8';
  length = 0;
  private capacity: number;
  private offsets: Int32Array;
  /** The UTF-8 bytes; `bytes` is a plain view of the same memory (Buffer#subarray is slow). */
  private data: Buffer;
  private bytes: Uint8Array;
  private dataLength = 0;
  /** Bytes the previous batch needed, so the next one allocates once instead of doubling up. */
  private dataHint: number;
  private readonly validity: GrowableBitmap;

  constructor(private readonly initialRows = 1024) {
    this.capacity = Math.max(16, initialRows);
    this.offsets = new Int32Array(this.capacity + 1);
    this.dataHint = this.capacity * 16;
    this.data = Buffer.allocUnsafeSlow(this.dataHint);
    this.bytes = plainView(this.data);
    this.validity = new GrowableBitmap(this.capacity);
  }

  private ensureRows(rows: number): void {
    if (rows <= this.capacity) return;
    this.capacity = grownCapacity(this.capacity, rows);
    const offsets = new Int32Array(this.capacity + 1);
    offsets.set(this.offsets.subarray(0, this.length + 1));
    this.offsets = offsets;
    this.validity.ensure(this.capacity);
  }

  private ensureBytes(bytes: number): void {
    if (bytes <= this.data.length) return;
    if (bytes > MAX_DATA_BYTES) {
      throw new AppError('RESOURCE_EXHAUSTED', 'a Utf8 column of one batch exceeds 2 GiB');
    }
    // The first growth of a batch jumps past what the previous batch needed.
    const floor = this.data.length < this.dataHint ? Math.ceil(this.dataHint * 1.25) : 0;
    const size = Math.min(MAX_DATA_BYTES, Math.max(floor, grownCapacity(this.data.length, bytes)));
    const grown = Buffer.allocUnsafeSlow(size);
    const grownBytes = plainView(grown);
    grownBytes.set(this.bytes.subarray(0, this.dataLength));
    this.data = grown;
    this.bytes = grownBytes;
  }

  set(row: number, value: RecordValue): void {
    this.ensureRows(row + 1);
    this.padTo(row);
    const text = toUtf8(value);
    if (text !== undefined) {
      this.ensureBytes(this.dataLength + text.length * 3);
      this.dataLength += writeUtf8(this.data, this.dataLength, text);
      this.validity.set(row);
    }
    this.offsets[row + 1] = this.dataLength;
    this.length = row + 1;
  }

  appendNative(row: number, data: Data): void {
    this.padTo(row);
    const count = data.length;
    this.ensureRows(row + count);
    const srcOffsets = data.valueOffsets as Int32Array;
    const start = srcOffsets[0]!;
    const end = srcOffsets[count]!;
    this.ensureBytes(this.dataLength + (end - start));
    const bytes = data.values as Uint8Array;
    this.bytes.set(bytes.subarray(start, end), this.dataLength);
    const shift = this.dataLength - start;
    for (let i = 1; i <= count; i++) this.offsets[row + i] = srcOffsets[i]! + shift;
    this.dataLength += end - start;
    if (data.nullCount === 0 || data.nullBitmap === undefined || data.nullBitmap.length === 0) {
      this.validity.setRange(row, count);
    } else {
      this.validity.copyFrom(data.nullBitmap, data.offset, row, count);
    }
    this.length = row + count;
  }

  padTo(rows: number): void {
    if (rows <= this.length) return;
    this.ensureRows(rows);
    this.offsets.fill(this.dataLength, this.length + 1, rows + 1);
    this.length = rows;
  }

  truncate(rows: number): void {
    if (rows >= this.length) return;
    this.validity.truncate(rows, this.length);
    this.dataLength = this.offsets[rows]!;
    this.length = rows;
  }

  /**
   * A 32-bit FNV-1a hash of the row's bytes (0 for null, or a row past the column's length: not
   * yet padded, so null), for grouping rows by value without decoding strings.
   */
  valueHash(row: number): number {
    if (row >= this.length || !this.validity.get(row)) return 0;
    const bytes = this.bytes;
    let hash = 0x811c9dc5;
    for (let i = this.offsets[row]!, end = this.offsets[row + 1]!; i < end; i++) {
      hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
    }
    return hash >>> 0 || 1;
  }

  byteSize(): number {
    return (this.length + 1) * 4 + this.dataLength + (this.length >> 3);
  }

  finish(rows: number, perm: Uint32Array | undefined, retain: boolean): Data {
    this.padTo(rows);
    const nullCount = rows - this.validity.setCount;
    const nullBitmap = nullCount > 0 ? this.validity.export(rows, perm) : undefined;
    let valueOffsets: Int32Array;
    let bytes: Uint8Array;
    if (perm === undefined) {
      valueOffsets = this.offsets.slice(0, rows + 1);
      // Hand the buffer over when little of it would be wasted; copying costs more than it saves.
      bytes =
        retain || this.dataLength * 4 < this.bytes.length * 3
          ? this.bytes.slice(0, this.dataLength)
          : this.bytes.subarray(0, this.dataLength);
    } else {
      [valueOffsets, bytes] = gatherStrings(this.offsets, this.bytes, perm);
    }
    const out = makeData({
      type: new Utf8(),
      length: rows,
      nullCount,
      nullBitmap,
      valueOffsets,
      data: bytes,
    });
    this.dataHint = Math.max(this.dataHint, this.dataLength);
    this.length = 0;
    this.dataLength = 0;
    if (!retain) {
      this.capacity = Math.max(16, this.initialRows);
      this.offsets = new Int32Array(this.capacity + 1);
      // Small until the first write needs more; growth then jumps straight to the hint.
      this.data = Buffer.allocUnsafeSlow(this.capacity * 16);
      this.bytes = plainView(this.data);
    }
    this.validity.reset(this.capacity, retain);
    return out;
  }

  copy(rows: number, perm: Uint32Array): Data {
    this.padTo(rows);
    const { bitmap, clear } = this.validity.exportCounted(perm);
    const [valueOffsets, data] = gatherStrings(this.offsets, this.bytes, perm);
    return makeData({
      type: new Utf8(),
      length: perm.length,
      nullCount: clear,
      nullBitmap: clear > 0 ? bitmap : undefined,
      valueOffsets,
      data,
    });
  }
}

/** Writes `text` as UTF-8 at `at` (room for 3 bytes per UTF-16 unit is guaranteed); returns bytes. */
function writeUtf8(target: Buffer, at: number, text: string): number {
  const n = text.length;
  if (n < SHORT_STRING) {
    let i = 0;
    for (; i < n; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) break;
      target[at + i] = code;
    }
    if (i === n) return n;
  }
  return nativeUtf8Write === undefined
    ? target.write(text, at, 'utf8')
    : nativeUtf8Write.call(target, text, at, target.length - at);
}

function plainView(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}

function gatherStrings(
  offsets: Int32Array,
  data: Uint8Array,
  perm: Uint32Array,
): [Int32Array, Uint8Array] {
  const outOffsets = new Int32Array(perm.length + 1);
  // Sized exactly: `perm` may name a few rows of many (a copy of the newest rows).
  let size = 0;
  for (let i = 0; i < perm.length; i++) size += offsets[perm[i]! + 1]! - offsets[perm[i]!]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (let i = 0; i < perm.length; i++) {
    const p = perm[i]!;
    const start = offsets[p]!;
    const end = offsets[p + 1]!;
    const len = end - start;
    if (len <= SHORT_COPY) {
      for (let k = 0; k < len; k++) out[at + k] = data[start + k]!;
    } else {
      out.set(data.subarray(start, end), at);
    }
    at += len;
    outOffsets[i + 1] = at;
  }
  return [outOffsets, out];
}
