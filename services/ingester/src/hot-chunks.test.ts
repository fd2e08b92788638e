import { describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import type { Schema } from '@o2/schema';
import { Memtables } from './memtable/memtables.js';

const KEY = { org: 'default', type: 'logs' as const, stream: 'app' };
const HOUR = 3_600_000_000;

function timestamps(tables: readonly Table[]): number[] {
  return tables
    .flatMap((t) => [...(t.getChild('_timestamp')!.toArray() as BigInt64Array)])
    .map(Number)
    .sort((a, b) => a - b);
}

function append(memtables: Memtables, schema: Schema, from: number, count: number): void {
  const records = Array.from({ length: count }, (_, i) => ({
    _timestamp: HOUR + from + i,
    log: `line ${from + i}`,
  }));
  memtables.append(
    KEY,
    schema,
    records,
    records.map((r) => r._timestamp),
  );
}

describe('memtable snapshots under ingest', () => {
  const schema: Schema = [
    { name: '_timestamp', type: 'Int64' },
    { name: 'log', type: 'Utf8' },
  ];

  it('copies only the rows added since the last snapshot and reuses earlier copies', () => {
    const memtables = new Memtables();
    append(memtables, schema, 0, 100);
    const first = memtables.snapshot(KEY);
    expect(first).toHaveLength(1);
    expect(memtables.snapshot(KEY)).toEqual(first);
    expect(memtables.snapshot(KEY)[0]).toBe(first[0]);

    append(memtables, schema, 100, 10);
    const second = memtables.snapshot(KEY);
    // The 100 rows copied before are the same Table; only the 10 new rows are a new copy.
    expect(second).toHaveLength(2);
    expect(second[0]).toBe(first[0]);
    expect(second[1]!.numRows).toBe(10);
    expect(timestamps(second)).toEqual(Array.from({ length: 110 }, (_, i) => HOUR + i));
  });

  it('merges neighbouring copies so a long-lived memtable stays a few tables', () => {
    const memtables = new Memtables();
    let rows = 0;
    for (let i = 0; i < 200; i++) {
      append(memtables, schema, rows, 3);
      rows += 3;
      const tables = memtables.snapshot(KEY);
      expect(tables.length).toBeLessThanOrEqual(Math.ceil(Math.log2(rows / 3)) + 1);
      expect(tables.reduce((n, t) => n + t.numRows, 0)).toBe(rows);
    }
    expect(timestamps(memtables.snapshot(KEY))).toEqual(
      Array.from({ length: rows }, (_, i) => HOUR + i),
    );
  });

  it('keeps serving the copies while the memtable is persisted, and every row after a failed persist', () => {
    const memtables = new Memtables();
    append(memtables, schema, 0, 50);
    const copied = memtables.snapshot(KEY);
    append(memtables, schema, 50, 5); // not queried before the persist takes the table
    memtables.rotate();
    const [table] = memtables.takeImmutables();
    // What the persister does: it reads the builder's row groups, leaving every row in place.
    const groups = table!.builder.fileGroups(16);
    for (let i = 0; i < groups.count; i++) groups.copy(i);
    const during = memtables.snapshot(KEY);
    expect(during[0]).toBe(copied[0]);
    expect(timestamps(during)).toEqual(Array.from({ length: 55 }, (_, i) => HOUR + i));

    // A failed persist queues the table again, rows untouched.
    memtables.settle([table!], false);
    append(memtables, schema, 55, 5);
    expect(timestamps(memtables.snapshot(KEY))).toEqual(
      Array.from({ length: 60 }, (_, i) => HOUR + i),
    );
  });
});
