import type { StreamKind } from '@o2/domain';
import { addHotStats } from '@o2/domain';
import type { Table } from 'apache-arrow';
import { ColumnarBatchBuilder } from '@o2/parquet';
import type { ColumnSpec } from '@o2/parquet';
import type { FlatRecord, Schema } from '@o2/schema';
import { HotChunks } from '../hot-chunks.js';
import { partitionPairsOf } from '../partitioning.js';
import type { PartitionKey, PartitionPairs } from '../partitioning.js';

export const HOUR_MICROS = 3_600_000_000;

export interface StreamKey {
  org: string;
  type: StreamKind;
  stream: string;
}

/** Records of one stream and one hour partition, held as Arrow columns. */
export interface Memtable extends StreamKey {
  /** Start of the hour partition, µs. */
  hour: number;
  /** The stream's partition-key directories of every row in this memtable. */
  partitions: PartitionPairs;
  builder: ColumnarBatchBuilder;
  createdAt: number;
  /** Totals captured when taken for persisting (the builder empties when it is encoded). */
  taken?: { records: number; bytes: number; minTs: number; maxTs: number };
  /**
   * Set from the instant the local files that hold its rows are listed (queries read them
   * there, no longer here); until then, persisting or not, queries read the builder.
   */
  committed?: true;
  /**
   * The copies handed to queries (see `HotChunks`): while no row is added, later queries get
   * the same Tables (so the search engine reuses what it made of them); a query after new rows
   * copies only those.
   */
  chunks?: HotChunks;
}

export interface HotStreamStats extends StreamKey {
  records: number;
  bytes: number;
  minTs: number;
  maxTs: number;
}

function streamId(key: StreamKey): string {
  return `${key.org}/${key.type}/${key.stream}`;
}

/**
 * The ingester's in-memory data: active memtables per stream and hour (appended to) and
 * immutables (frozen, waiting to become Parquet). A memtable whose stored schema changed type
 * under it is frozen and a new one started, so one builder always has one type per column.
 */
export class Memtables {
  private readonly active = new Map<string, Memtable>();
  private immutables: Memtable[] = [];
  /** Taken for persisting, still counted and queryable until the files are committed. */
  private persisting = new Set<Memtable>();
  /** The last schema each memtable was checked against (see `fits`). */
  private readonly checked = new WeakMap<Memtable, Schema>();
  /** Requests waiting for room (see `untilAtMost`), told whenever a persist settles. */
  private readonly waiters = new Set<() => void>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Appends conformed records (all of one stream) whose `_timestamp`s are in `tsOf`, each to
   * the memtable of its hour and partition-key values.
   */
  append(
    key: StreamKey,
    schema: Schema,
    records: readonly FlatRecord[],
    tsOf: readonly number[],
    partitionKeys: readonly PartitionKey[] = [],
  ): void {
    // Without partition keys, consecutive records of one hour share a memtable: it is looked
    // up once per run of that hour, not once per record (a metric sample is a handful of
    // columns, so the id string would cost as much as the append).
    let lastHour = NaN;
    let last: Memtable | undefined;
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as FlatRecord;
      const ts = tsOf[i] as number;
      const hour = ts - (((ts % HOUR_MICROS) + HOUR_MICROS) % HOUR_MICROS);
      if (partitionKeys.length === 0) {
        if (hour !== lastHour || last === undefined) {
          last = this.memtableFor(key, hour, [], schema);
          lastHour = hour;
        }
        last.builder.append(record);
        continue;
      }
      const partitions = partitionPairsOf(record, partitionKeys);
      this.memtableFor(key, hour, partitions, schema).builder.append(record);
    }
  }

  private memtableFor(
    key: StreamKey,
    hour: number,
    partitions: PartitionPairs,
    schema: Schema,
  ): Memtable {
    const suffix =
      partitions.length === 0 ? '' : `/${partitions.map(([k, v]) => `${k}=${v}`).join('/')}`;
    const id = `${streamId(key)}/${hour}${suffix}`;
    let table = this.active.get(id);
    if (table !== undefined && !this.fits(table, schema)) {
      this.freeze(id, table);
      table = undefined;
    }
    if (table === undefined) {
      table = {
        ...key,
        hour,
        partitions,
        builder: new ColumnarBatchBuilder(schema),
        createdAt: this.now(),
      };
      this.active.set(id, table);
    }
    return table;
  }

  /** Adds new columns in place; a changed type needs a fresh builder (false). */
  private fits(table: Memtable, schema: Schema): boolean {
    // Schemas are immutable values: one already checked against this builder still fits.
    if (this.checked.get(table) === schema) return true;
    const have = new Map(table.builder.schema.map((c) => [c.name, c.type]));
    const missing: ColumnSpec[] = [];
    for (const field of schema) {
      const type = have.get(field.name);
      if (type === undefined) missing.push(field);
      else if (type !== field.type) return false;
    }
    for (const spec of missing) table.builder.addColumn(spec);
    this.checked.set(table, schema);
    return true;
  }

  private freeze(id: string, table: Memtable): void {
    this.active.delete(id);
    if (table.builder.length > 0) this.immutables.push(table);
  }

  /** Freezes active memtables that match (all by default). */
  rotate(shouldRotate: (table: Memtable) => boolean = () => true): void {
    for (const [id, table] of this.active) if (shouldRotate(table)) this.freeze(id, table);
  }

  /** Hands over the frozen memtables for persisting; they stay counted until `settle`. */
  takeImmutables(): Memtable[] {
    const taken = this.immutables;
    this.immutables = [];
    for (const table of taken) {
      const b = table.builder;
      table.taken = {
        records: b.length,
        bytes: b.byteSize,
        minTs: b.minTimestamp ?? 0,
        maxTs: b.maxTimestamp ?? 0,
      };
      this.persisting.add(table);
    }
    return taken;
  }

  /**
   * Ends a persist: committed memtables are forgotten (their rows now live in local files);
   * failed ones go back to the queue to be retried, still in memory and still queryable (a
   * persist reads its builder without changing it).
   */
  settle(tables: readonly Memtable[], committed: boolean): void {
    for (const table of tables) this.persisting.delete(table);
    for (const wake of [...this.waiters]) wake();
    if (committed) return;
    this.immutables = [...tables, ...this.immutables];
  }

  /**
   * Resolves true once the memtables hold at most `bytes` (checked whenever a persist settles),
   * false if they still hold more after `timeoutMs`.
   */
  untilAtMost(bytes: number, timeoutMs: number): Promise<boolean> {
    if (this.byteSize() <= bytes) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(this.byteSize() <= bytes);
      };
      const check = (): void => {
        if (this.byteSize() <= bytes) done();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** Bytes held by active and frozen memtables. */
  byteSize(): number {
    let total = 0;
    for (const table of this.active.values()) total += table.builder.byteSize;
    for (const table of this.immutables) total += table.builder.byteSize;
    for (const table of this.persisting) total += table.taken?.bytes ?? 0;
    return total;
  }

  isEmpty(): boolean {
    return (
      this.immutables.length === 0 &&
      this.persisting.size === 0 &&
      [...this.active.values()].every((t) => t.builder.length === 0)
    );
  }

  /**
   * Copies of the rows held for one stream as Arrow tables, leaving the memtables as they were
   * (for queries). A memtable no row was added to since the last copy gives that copy again.
   */
  snapshot(key: StreamKey): Table[] {
    const tables: Table[] = [];
    for (const table of [...this.active.values(), ...this.immutables, ...this.persisting]) {
      if (table.org !== key.org || table.type !== key.type || table.stream !== key.stream) continue;
      // Persisted: its rows are read from its listed files now.
      if (table.committed === true) continue;
      // A builder is only appended to, so its chunks stay valid (a persist leaves it as is).
      table.chunks ??= new HotChunks();
      tables.push(...table.chunks.extend(table.builder));
    }
    return tables;
  }

  /** Per-stream totals of what is held in memory (for the streams API before a flush). */
  stats(org?: string): HotStreamStats[] {
    const byStream = new Map<string, HotStreamStats>();
    for (const table of [...this.active.values(), ...this.immutables, ...this.persisting]) {
      if (org !== undefined && table.org !== org) continue;
      const b = table.builder;
      const t = table.taken ?? {
        records: b.length,
        bytes: b.byteSize,
        minTs: b.minTimestamp ?? 0,
        maxTs: b.maxTimestamp ?? 0,
      };
      if (t.records === 0) continue;
      addHotStats(byStream, table, t);
    }
    return [...byStream.values()];
  }
}
