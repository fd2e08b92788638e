import { makeData, makeVector, RecordBatch, Struct, Table } from 'apache-arrow';
import type { Data, DataType } from 'apache-arrow';
import { AppError } from '@o2/errors';
import type { ColumnSpec, FlatRecord, RecordValue } from './column-spec.js';
import {
  arrowSchemaOf,
  isNativeArrowType,
  normaliseSchema,
  TIMESTAMP_COLUMN,
} from './column-spec.js';
import type { ColumnBuilder } from './column-builder.js';
import { BooleanColumn } from './boolean-column.js';
import { FixedWidthColumn } from './fixed-width-column.js';
import { Utf8Column } from './utf8-column.js';
import { reversePermutation, timestampDescPermutation } from './timestamp-order.js';
import { clusterWithinGroups } from './row-clusters.js';

export interface ColumnarBatchBuilderOptions {
  /** Rows to reserve per column up front (default 256; columns grow by doubling past it). */
  initialRows?: number;
  /**
   * Keep column buffers across `finish` calls (default false). Memory written once is far
   * cheaper to write again than fresh memory (first-touch page faults cost ~4 ms per MB on this
   * VM kind), so a builder refilled batch after batch should keep them — at the price of
   * holding them while idle and copying out on `finish`. A one-shot builder should not: it
   * hands its buffers to the table without copying when no reordering is needed.
   */
  retainBuffers?: boolean;
}

export interface FinishOptions {
  /**
   * Rows per row group of the file the table will be written as: the rows are then clustered
   * within each run of this many (`clusterWithinGroups`). Absent: `_timestamp` desc alone.
   */
  clusterGroupRows?: number;
}

/** A builder's rows in file order as row groups (see `ColumnarBatchBuilder.fileGroups`). */
export interface FileGroups {
  /** Row groups: `groupRows` rows each, the last one fewer. */
  readonly count: number;
  /** Rows in groups `from`…`to` (`to` excluded). */
  rows(from: number, to: number): number;
  /** Smallest and largest `_timestamp` (µs) of the rows in groups `from`…`to`. */
  timestampRange(from: number, to: number): { min: number; max: number };
  /** Group `index`'s rows copied out as one table. */
  copy(index: number): Table;
}

/**
 * Accumulates flat records column by column into typed arrays and hands them out as one Arrow
 * `Table` (a single record batch) sorted by `_timestamp` descending, or in the order a Parquet
 * file keeps (`FinishOptions.clusterGroupRows`). This is the memtable's storage: `byteSize` is
 * what rotation limits compare with.
 */
export class ColumnarBatchBuilder {
  private readonly specs: ColumnSpec[];
  private readonly columns = new Map<string, ColumnBuilder>();
  private readonly ordered: ColumnBuilder[] = [];
  private readonly ts: FixedWidthColumn;
  private readonly initialRows: number;
  private readonly retainBuffers: boolean;
  private rows = 0;
  private min = Infinity;
  private max = -Infinity;
  private last = Infinity;
  private descending = true;
  private strictlyAscending = true;

  constructor(schema: readonly ColumnSpec[], options: ColumnarBatchBuilderOptions = {}) {
    this.initialRows = options.initialRows ?? 256;
    this.retainBuffers = options.retainBuffers ?? false;
    this.specs = [];
    for (const spec of normaliseSchema(schema)) this.addColumn(spec);
    this.ts = this.columns.get(TIMESTAMP_COLUMN) as FixedWidthColumn;
  }

  get schema(): readonly ColumnSpec[] {
    return this.specs;
  }

  /** Rows appended since the last `finish`. */
  get length(): number {
    return this.rows;
  }

  /** Approximate bytes of Arrow buffers held, for memtable size limits. */
  get byteSize(): number {
    let total = 0;
    for (const column of this.ordered) total += column.byteSize();
    return total;
  }

  /** Smallest `_timestamp` appended (µs), undefined while empty. */
  get minTimestamp(): number | undefined {
    return this.rows === 0 ? undefined : this.min;
  }

  get maxTimestamp(): number | undefined {
    return this.rows === 0 ? undefined : this.max;
  }

  /** Adds a column (schema evolution); rows already appended read null in it. */
  addColumn(spec: ColumnSpec): void {
    if (this.columns.has(spec.name)) {
      throw AppError.alreadyExists(`column ${spec.name} already exists`);
    }
    normaliseSchema([...this.specs, spec]);
    const column =
      spec.type === 'Utf8'
        ? new Utf8Column(this.initialRows)
        : spec.type === 'Boolean'
          ? new BooleanColumn(this.initialRows)
          : new FixedWidthColumn(spec.type, this.initialRows);
    this.specs.push({ name: spec.name, type: spec.type });
    this.columns.set(spec.name, column);
    this.ordered.push(column);
  }

  /**
   * Appends one record. Keys must be schema columns (null/undefined values of unknown keys are
   * ignored); `_timestamp` must be a number or bigint. On error nothing of the record is kept.
   */
  append(record: FlatRecord): void {
    const rawTs = record[TIMESTAMP_COLUMN];
    const ts =
      typeof rawTs === 'number'
        ? Math.trunc(rawTs)
        : typeof rawTs === 'bigint'
          ? Number(rawTs)
          : NaN;
    if (!Number.isFinite(ts)) {
      throw AppError.invalidArgument(`record has no numeric ${TIMESTAMP_COLUMN}`);
    }
    const row = this.rows;
    for (const key in record) {
      const value = record[key];
      const column = this.columns.get(key);
      if (column === undefined) {
        if (value === null || value === undefined) continue;
        this.rollback(row);
        throw AppError.invalidArgument(`column ${key} is not in the schema`);
      }
      column.set(row, value);
    }
    this.rows = row + 1;
    this.track(ts);
  }

  /**
   * Appends every row of an Arrow table whose columns are all in the schema (missing ones read
   * null). Columns of the native type are copied buffer to buffer; others are converted value
   * by value (int → float → string widening after schema evolution).
   */
  appendTable(table: Table): void {
    for (const batch of table.batches) {
      const count = batch.numRows;
      if (count === 0) continue;
      const row = this.rows;
      const fields = batch.schema.fields;
      for (const field of fields) {
        if (!this.columns.has(field.name)) {
          throw AppError.invalidArgument(`column ${field.name} is not in the schema`);
        }
      }
      try {
        fields.forEach((field, i) => {
          const column = this.columns.get(field.name)!;
          const data = batch.data.children[i] as Data;
          if (isNativeArrowType(column.type, field.type as DataType)) {
            column.appendNative(row, data);
          } else {
            const vector = makeVector(data);
            for (let r = 0; r < count; r++) column.set(row + r, vector.get(r) as RecordValue);
          }
        });
        for (let r = row; r < row + count; r++) {
          if (!this.ts.isValid(r)) {
            throw AppError.invalidArgument(`row ${r - row} has a null ${TIMESTAMP_COLUMN}`);
          }
        }
      } catch (err) {
        this.rollback(row);
        throw err;
      }
      for (let r = row; r < row + count; r++) this.track(this.ts.numberAt(r));
      this.rows = row + count;
    }
  }

  /**
   * The rows appended so far as one Arrow table sorted by `_timestamp` desc (with
   * `clusterGroupRows`: in file order, see `clusterWithinGroups`); the builder empties.
   */
  finish(options: FinishOptions = {}): Table {
    const rows = this.rows;
    const perm = this.fileOrder(options);
    const children = this.ordered.map((column) => column.finish(rows, perm, this.retainBuffers));
    this.rows = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.last = Infinity;
    this.descending = true;
    this.strictlyAscending = true;
    return this.tableOf(children, rows);
  }

  /**
   * The rows in the order `finish(options)` gives, copied out `groupRows` at a time (the last
   * run may be shorter), each run one table: a merge writes a large file a row group at a
   * time this way, holding the rows once (here) rather than also as a reordered whole-table
   * copy and its IPC. The builder keeps every row.
   */
  *copyInGroups(groupRows: number, options: FinishOptions = {}): Generator<Table> {
    const groups = this.fileGroups(groupRows, options);
    for (let index = 0; index < groups.count; index++) yield groups.copy(index);
  }

  /**
   * The rows in the order `finish(options)` gives, cut into row groups of `groupRows` rows (the
   * last one fewer) that are copied out one at a time, with the facts a file of a run of them
   * needs before it is written. Valid while no row is appended (a persisting memtable's builder
   * is no longer appended to); the builder keeps every row.
   */
  fileGroups(groupRows: number, options: FinishOptions = {}): FileGroups {
    if (!Number.isInteger(groupRows) || groupRows < 1) {
      throw AppError.invalidArgument(`groupRows must be a positive integer, got ${groupRows}`);
    }
    const rows = this.rows;
    const order = this.fileOrder(options) ?? Uint32Array.from({ length: rows }, (_, i) => i);
    const span = (from: number, to: number): Uint32Array => {
      if (this.rows !== rows) {
        throw AppError.internal('rows were appended to a builder while its groups were read');
      }
      return order.subarray(from * groupRows, Math.min(rows, to * groupRows));
    };
    return {
      count: Math.ceil(rows / groupRows),
      rows: (from, to) => span(from, to).length,
      timestampRange: (from, to) => {
        let min = Infinity;
        let max = -Infinity;
        for (const row of span(from, to)) {
          const ts = this.ts.numberAt(row);
          if (ts < min) min = ts;
          if (ts > max) max = ts;
        }
        return { min, max };
      },
      copy: (index) => this.copyOut(span(index, index + 1)),
    };
  }

  /** Row `row`'s `_timestamp` (µs). */
  timestampAt(row: number): number {
    return this.ts.numberAt(row);
  }

  /**
   * Rows `rows` (positions, in `_timestamp` desc order) copied out as one table for one row
   * group: with `cluster`, clustered as `finish({ clusterGroupRows })` clusters a group. The
   * builder keeps every row.
   */
  copyGroup(rows: Uint32Array, cluster: boolean): Table {
    const order = rows.slice();
    if (cluster) clusterWithinGroups(order, this.utf8Columns(), order.length);
    return this.copyOut(order);
  }

  /**
   * Rows `from`…`to` (in append order) as one Arrow table sorted by `_timestamp` desc, copied
   * out: the builder keeps every row. A memtable hands its newest rows to a query this way
   * without copying, sorting or re-encoding the rows earlier queries already took.
   */
  copyRows(from: number, to: number = this.rows): Table {
    if (
      !Number.isInteger(from) ||
      !Number.isInteger(to) ||
      from < 0 ||
      to > this.rows ||
      from > to
    ) {
      throw AppError.invalidArgument(`rows ${from}…${to} are not within 0…${this.rows}`);
    }
    const count = to - from;
    const ts = new Float64Array(count);
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < count; i++) {
      const t = this.ts.numberAt(from + i);
      ts[i] = t;
      if (t < min) min = t;
      if (t > max) max = t;
    }
    const perm = timestampDescPermutation(ts, min, max);
    for (let i = 0; i < count; i++) perm[i]! += from;
    return this.copyOut(perm);
  }

  /** Rows `order` (positions) copied out, in that order, as one table. */
  private copyOut(order: Uint32Array): Table {
    return this.tableOf(
      this.ordered.map((column) => column.copy(this.rows, order)),
      order.length,
    );
  }

  private utf8Columns(): Utf8Column[] {
    return this.ordered.filter((c): c is Utf8Column => c instanceof Utf8Column);
  }

  /** One record batch of `length` rows over the columns' data, in spec order. */
  private tableOf(children: Data[], length: number): Table {
    const schema = arrowSchemaOf(this.specs);
    const data = makeData({ type: new Struct(schema.fields), length, nullCount: 0, children });
    return new Table([new RecordBatch(schema, data)]);
  }

  private track(ts: number): void {
    if (ts > this.last) this.descending = false;
    if (ts <= this.last && this.last !== Infinity) this.strictlyAscending = false;
    this.last = ts;
    if (ts < this.min) this.min = ts;
    if (ts > this.max) this.max = ts;
  }

  /**
   * The row order `finish(options)` writes: `_timestamp` desc, then with `clusterGroupRows`
   * clustered within each run of that many rows; undefined when that is append order.
   */
  private fileOrder(options: FinishOptions): Uint32Array | undefined {
    const perm = this.permutation();
    if (options.clusterGroupRows === undefined) return perm;
    const order = perm ?? Uint32Array.from({ length: this.rows }, (_, i) => i);
    return clusterWithinGroups(order, this.utf8Columns(), options.clusterGroupRows) ? order : perm;
  }

  private permutation(): Uint32Array | undefined {
    const rows = this.rows;
    if (this.descending) return undefined;
    if (this.strictlyAscending) return reversePermutation(rows);
    const ts = new Float64Array(rows);
    for (let r = 0; r < rows; r++) ts[r] = this.ts.numberAt(r);
    return timestampDescPermutation(ts, this.min, this.max);
  }

  private rollback(rows: number): void {
    for (const column of this.ordered) column.truncate(rows);
  }
}
