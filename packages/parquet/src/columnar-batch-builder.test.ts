import { describe, expect, it } from 'vitest';
import {
  makeData,
  RecordBatch,
  Schema,
  Field,
  Int64,
  Int32,
  Float64,
  Utf8,
  Struct,
  Table,
} from 'apache-arrow';
import { AppError } from '@o2/errors';
import type { ColumnSpec } from './column-spec.js';
import { ColumnarBatchBuilder } from './columnar-batch-builder.js';
import { sortByTimestampDesc } from './sort-by-timestamp-desc.js';

const SCHEMA: ColumnSpec[] = [
  { name: '_timestamp', type: 'Int64' },
  { name: 'log', type: 'Utf8' },
  { name: 'code', type: 'Int64' },
  { name: 'bytes', type: 'UInt64' },
  { name: 'ratio', type: 'Float64' },
  { name: 'ok', type: 'Boolean' },
];

function rows(table: Table): Record<string, unknown>[] {
  return table.toArray().map((row: { toJSON(): Record<string, unknown> }) => row.toJSON());
}

describe('ColumnarBatchBuilder', () => {
  it('builds every column type with nulls for missing and null values', () => {
    const builder = new ColumnarBatchBuilder(SCHEMA, { initialRows: 2 });
    builder.append({
      _timestamp: 3,
      log: 'héllo wörld ✓ 🚀',
      code: -7,
      bytes: 2 ** 60,
      ratio: 0.25,
      ok: true,
    });
    builder.append({ _timestamp: 2, log: '', code: null, ok: false });
    builder.append({ _timestamp: 1, ratio: -1e300, bytes: 18446744073709551615n });
    const table = builder.finish();
    expect(table.numRows).toBe(3);
    expect(table.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      '_timestamp:Int64',
      'log:Utf8',
      'code:Int64',
      'bytes:Uint64',
      'ratio:Float64',
      'ok:Bool',
    ]);
    expect(rows(table)).toEqual([
      {
        _timestamp: 3n,
        log: 'héllo wörld ✓ 🚀',
        code: -7n,
        bytes: 2n ** 60n,
        ratio: 0.25,
        ok: true,
      },
      { _timestamp: 2n, log: '', code: null, bytes: null, ratio: null, ok: false },
      {
        _timestamp: 1n,
        log: null,
        code: null,
        bytes: 18446744073709551615n,
        ratio: -1e300,
        ok: null,
      },
    ]);
    expect(table.getChild('log')!.nullCount).toBe(1);
    expect(table.getChild('ok')!.nullCount).toBe(1);
  });

  it('keeps int64 microsecond timestamps and large integers exact', () => {
    const builder = new ColumnarBatchBuilder(SCHEMA);
    const ts = 1_755_780_000_123_456;
    builder.append({ _timestamp: ts, code: 2 ** 53 + 2 });
    builder.append({ _timestamp: ts - 1, code: -(2n ** 63n) });
    builder.append({ _timestamp: BigInt(ts - 2), code: '9223372036854775807' });
    const table = builder.finish();
    expect([...table.getChild('_timestamp')!]).toEqual([
      BigInt(ts),
      BigInt(ts - 1),
      BigInt(ts - 2),
    ]);
    expect([...table.getChild('code')!]).toEqual([2n ** 53n + 2n, -(2n ** 63n), 2n ** 63n - 1n]);
  });

  it('sorts rows by _timestamp descending whatever the arrival order', () => {
    const builder = new ColumnarBatchBuilder(SCHEMA);
    const order = [5, 1, 9, 3, 9, 7, 2, 8, 4, 6];
    order.forEach((ts, i) => builder.append({ _timestamp: ts, log: `row${i}`, code: i }));
    const table = builder.finish();
    expect([...table.getChild('_timestamp')!].map(Number)).toEqual([9, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    // Every column moved with its timestamp; equal timestamps keep their arrival order.
    expect([...table.getChild('log')!]).toEqual([
      'row2',
      'row4',
      'row7',
      'row5',
      'row9',
      'row0',
      'row8',
      'row3',
      'row6',
      'row1',
    ]);

    for (const asc of [true, false]) {
      for (let i = 0; i < 100; i++)
        builder.append({ _timestamp: asc ? i : 99 - i, code: asc ? i : 99 - i });
      const sorted = builder.finish();
      expect([...sorted.getChild('_timestamp')!]).toEqual([...sorted.getChild('code')!]);
      expect(Number(sorted.getChild('_timestamp')!.get(0))).toBe(99);
    }
  });

  it('sorts timestamps spread over decades with the comparator fallback', () => {
    const builder = new ColumnarBatchBuilder(SCHEMA);
    const values = [0, 4_000_000_000_000_000, 1, 2_000_000_000_000_000, 3];
    for (const ts of values) builder.append({ _timestamp: ts, log: String(ts) });
    const table = builder.finish();
    expect([...table.getChild('log')!]).toEqual([...values].sort((a, b) => b - a).map(String));
  });

  it('rejects a record without a numeric _timestamp or with an unknown column, keeping nothing of it', () => {
    const builder = new ColumnarBatchBuilder(SCHEMA);
    builder.append({ _timestamp: 10, log: 'kept' });
    expect(() => builder.append({ log: 'no ts' })).toThrow(AppError);
    const error = (() => {
      try {
        builder.append({ _timestamp: 11, log: 'half', code: 5, unknown: 'x' });
      } catch (err) {
        return err as AppError;
      }
      return undefined;
    })();
    expect(error?.code).toBe('INVALID_ARGUMENT');
    builder.append({ _timestamp: 12, unknown: null, ok: true });
    expect(builder.length).toBe(2);
    expect(rows(builder.finish())).toEqual([
      { _timestamp: 12n, log: null, code: null, bytes: null, ratio: null, ok: true },
      { _timestamp: 10n, log: 'kept', code: null, bytes: null, ratio: null, ok: null },
    ]);
  });

  it('coerces mismatched values or stores null, never a wrong value', () => {
    const builder = new ColumnarBatchBuilder(SCHEMA);
    builder.append({ _timestamp: 1, log: 42, code: '17', bytes: -1, ratio: 'abc', ok: 'TRUE' });
    builder.append({ _timestamp: 0, log: true, code: 3.9, bytes: '12', ratio: '2.5', ok: 0 });
    expect(rows(builder.finish())).toEqual([
      { _timestamp: 1n, log: '42', code: 17n, bytes: null, ratio: null, ok: true },
      { _timestamp: 0n, log: 'true', code: 3n, bytes: 12n, ratio: 2.5, ok: false },
    ]);
  });

  it('adds _timestamp when the schema lacks it and refuses a non-Int64 one', () => {
    expect(new ColumnarBatchBuilder([{ name: 'a', type: 'Utf8' }]).schema[0]).toEqual({
      name: '_timestamp',
      type: 'Int64',
    });
    expect(() => new ColumnarBatchBuilder([{ name: '_timestamp', type: 'Utf8' }])).toThrow(/Int64/);
    expect(
      () =>
        new ColumnarBatchBuilder([
          { name: 'a', type: 'Utf8' },
          { name: 'a', type: 'Utf8' },
        ]),
    ).toThrow(/duplicate/);
  });

  it('adds a column mid-way with earlier rows null', () => {
    const builder = new ColumnarBatchBuilder([{ name: 'a', type: 'Utf8' }]);
    builder.append({ _timestamp: 2, a: 'x' });
    builder.addColumn({ name: 'b', type: 'Int64' });
    builder.append({ _timestamp: 1, a: 'y', b: 5 });
    expect(rows(builder.finish())).toEqual([
      { _timestamp: 2n, a: 'x', b: null },
      { _timestamp: 1n, a: 'y', b: 5n },
    ]);
  });

  it.each([true, false])(
    'leaves finished tables intact while the builder is refilled (retainBuffers %s)',
    (retainBuffers) => {
      const builder = new ColumnarBatchBuilder(SCHEMA, { retainBuffers, initialRows: 4 });
      const batch = (base: number, order: 'asc' | 'desc'): Record<string, unknown>[] => {
        const expected: Record<string, unknown>[] = [];
        for (let i = 0; i < 50; i++) {
          const ts = order === 'asc' ? base + i : base + 49 - i;
          builder.append({ _timestamp: ts, log: `${base}-${ts}`, code: ts, ok: ts % 2 === 0 });
          expected.push({
            _timestamp: BigInt(ts),
            log: `${base}-${ts}`,
            code: BigInt(ts),
            bytes: null,
            ratio: null,
            ok: ts % 2 === 0,
          });
        }
        return expected.sort((a, b) => Number((b._timestamp as bigint) - (a._timestamp as bigint)));
      };
      const firstRows = batch(1000, 'desc');
      const first = builder.finish();
      const secondRows = batch(2000, 'asc');
      const second = builder.finish();
      batch(3000, 'desc');
      builder.finish();
      expect(rows(first)).toEqual(firstRows);
      expect(rows(second)).toEqual(secondRows);
    },
  );

  it('reports a byte size that grows with the data and resets on finish', () => {
    const builder = new ColumnarBatchBuilder(SCHEMA);
    const empty = builder.byteSize;
    for (let i = 0; i < 1000; i++) builder.append({ _timestamp: i, log: 'x'.repeat(100), code: i });
    expect(builder.byteSize).toBeGreaterThan(empty + 1000 * 116);
    expect(builder.byteSize).toBeLessThan(empty + 1000 * 140);
    expect(builder.minTimestamp).toBe(0);
    expect(builder.maxTimestamp).toBe(999);
    builder.finish();
    expect(builder.length).toBe(0);
    expect(builder.minTimestamp).toBeUndefined();
  });

  it('appends Arrow tables, copying native columns and widening others', () => {
    const source = new ColumnarBatchBuilder([
      { name: 'log', type: 'Utf8' },
      { name: 'code', type: 'Int64' },
    ]);
    source.append({ _timestamp: 5, log: 'a', code: 1 });
    source.append({ _timestamp: 7, code: 2 });
    const sourceTable = source.finish();
    // A table with an Int32 column and a sliced batch, as another writer might produce.
    const fields = [
      new Field('_timestamp', new Int64(), false),
      new Field('code', new Int32(), true),
    ];
    const foreign = new Table([
      new RecordBatch(
        new Schema(fields),
        makeData({
          type: new Struct(fields),
          length: 3,
          nullCount: 0,
          children: [
            makeData({
              type: new Int64(),
              length: 3,
              nullCount: 0,
              data: new BigInt64Array([9n, 8n, 6n]),
            }),
            makeData({
              type: new Int32(),
              length: 3,
              nullCount: 0,
              data: new Int32Array([90, 80, 60]),
            }),
          ],
        }).slice(1, 2),
      ),
    ]);
    const target = new ColumnarBatchBuilder([
      { name: 'log', type: 'Utf8' },
      { name: 'code', type: 'Float64' },
      { name: 'extra', type: 'Boolean' },
    ]);
    target.appendTable(sourceTable);
    target.appendTable(foreign);
    expect(rows(target.finish())).toEqual([
      { _timestamp: 8n, log: null, code: 80, extra: null },
      { _timestamp: 7n, log: null, code: 2, extra: null },
      { _timestamp: 6n, log: null, code: 60, extra: null },
      { _timestamp: 5n, log: 'a', code: 1, extra: null },
    ]);
  });

  it('sortByTimestampDesc sorts any table of supported columns', () => {
    const fields = [
      new Field('_timestamp', new Int64(), true),
      new Field('v', new Utf8(), true),
      new Field('f', new Float64(), true),
    ];
    const data = makeData({
      type: new Struct(fields),
      length: 3,
      nullCount: 0,
      children: [
        makeData({
          type: new Int64(),
          length: 3,
          nullCount: 0,
          data: new BigInt64Array([1n, 3n, 2n]),
        }),
        makeData({
          type: new Utf8(),
          length: 3,
          nullCount: 0,
          valueOffsets: new Int32Array([0, 1, 2, 3]),
          data: new TextEncoder().encode('abc'),
        }),
        makeData({
          type: new Float64(),
          length: 3,
          nullCount: 1,
          nullBitmap: new Uint8Array([0b101]),
          data: new Float64Array([1, 0, 3]),
        }),
      ],
    });
    const sorted = sortByTimestampDesc(new Table([new RecordBatch(new Schema(fields), data)]));
    expect(rows(sorted)).toEqual([
      { _timestamp: 3n, v: 'b', f: null },
      { _timestamp: 2n, v: 'c', f: 3 },
      { _timestamp: 1n, v: 'a', f: 1 },
    ]);
  });
});
