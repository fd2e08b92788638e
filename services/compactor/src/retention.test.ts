import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryCluster } from '@o2/cluster';
import { loadConfig } from '@o2/config';
import { createLogger } from '@o2/logger';
import { openSqliteMetaStore } from '@o2/metastore';
import type { MetaStore, StreamRef } from '@o2/metastore';
import type { ColumnSpec } from '@o2/parquet';
import { LocalObjectStore } from '@o2/storage';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { createCompactor } from './app.js';
import { retentionDays } from './retention.js';
import { storeFile } from './test-support/stored-files.js';

const silent = createLogger({
  level: 'silent',
  destination: new Writable({ write: (_c, _e, done) => done() }),
});
const SCHEMA: ColumnSpec[] = [
  { name: '_timestamp', type: 'Int64' },
  { name: 'log', type: 'Utf8' },
];
const HOUR_MS = 3_600_000;

describe('compactor retention and delete-by-time-range jobs', () => {
  let dir: TempDir;
  let metaStore: MetaStore;
  let objects: LocalObjectStore;
  // 2026-11-28 12:30 UTC.
  const nowMs = Date.UTC(2026, 10, 28, 12, 30);
  const clock = { now: nowMs };

  beforeEach(async () => {
    clock.now = nowMs;
    dir = await makeTempDir('compactor-retention');
    metaStore = await openSqliteMetaStore({
      path: `${dir.path}/meta.sqlite`,
      now: () => clock.now,
    });
    await metaStore.migrate();
    await metaStore.orgs.ensure({ identifier: 'default', name: 'default', type: 'default' });
    objects = new LocalObjectStore(`${dir.path}/stream`);
  });
  afterEach(async () => {
    await metaStore.close();
    await dir.remove();
  });

  const compactor = (env: Record<string, string> = {}) =>
    createCompactor({
      config: loadConfig({ ZO_DATA_DIR: `${dir.path}/`, ZO_COMPACT_ENABLED: 'false', ...env }),
      logger: silent,
      cluster: new MemoryCluster({ nodeTtlMs: 5_000 }),
      metaStore,
      objectStore: objects,
      nodeId: 'n1',
      now: () => clock.now,
    });
  /** One file at `ms` (µs rows) in `ref`. */
  const fileAt = (ref: StreamRef, ms: number) =>
    storeFile(metaStore, objects, ref, SCHEMA, [{ _timestamp: ms * 1000, log: `at ${ms}` }]);
  const datesOf = async (ref: StreamRef) =>
    (await metaStore.fileList.query(ref)).map((f) => f.date).sort();

  it('never ages out an enrichment table', async () => {
    const table: StreamRef = { org: 'default', type: 'enrichment_tables', name: 'users' };
    const logs: StreamRef = { org: 'default', type: 'logs', name: 'users' };
    for (const ref of [table, logs]) {
      await metaStore.streams.ensure(ref);
      await fileAt(ref, Date.UTC(2026, 9, 1, 0, 5));
    }
    const run = await compactor({ ZO_COMPACT_DATA_RETENTION_DAYS: '5' }).runOnce();
    expect(run.retentionFiles).toBe(1);
    expect(await datesOf(table)).toEqual(['2026/10/01/00']);
    expect(await datesOf(logs)).toEqual([]);
  });

  it('deletes whole day partitions before the day the retention reaches, per stream or global', async () => {
    const own: StreamRef = { org: 'default', type: 'logs', name: 'short' };
    const global: StreamRef = { org: 'default', type: 'logs', name: 'long' };
    await metaStore.streams.ensure(own, { data_retention: 3 });
    await metaStore.streams.ensure(global);
    // 3 days before now is 2026-11-25 12:30: the 25th is kept whole, the 24th goes whole.
    for (const ref of [own, global]) {
      await fileAt(ref, Date.UTC(2026, 10, 24, 0, 5));
      await fileAt(ref, Date.UTC(2026, 10, 24, 23, 55));
      await fileAt(ref, Date.UTC(2026, 10, 25, 0, 5));
      await fileAt(ref, Date.UTC(2026, 10, 28, 11, 0));
    }
    const run = await compactor({ ZO_COMPACT_DATA_RETENTION_DAYS: '5' }).runOnce();
    expect(run.retentionFiles).toBe(2);
    expect(await datesOf(own)).toEqual(['2026/11/25/00', '2026/11/28/11']);
    // Global 5 days reaches 2026-11-23: nothing of "long" is older.
    expect(await datesOf(global)).toHaveLength(4);

    // Not due again within the interval; due after it, with the global setting now shorter.
    const leader = compactor({ ZO_COMPACT_DATA_RETENTION_DAYS: '3' });
    expect((await leader.runOnce()).retentionFiles).toBe(2); // first pass of this instance
    clock.now += 10 * 60_000;
    await fileAt(global, Date.UTC(2026, 10, 24, 5, 0));
    expect((await leader.runOnce()).retentionFiles).toBe(0);
    clock.now += HOUR_MS;
    expect((await leader.runOnce()).retentionFiles).toBe(1);
    expect(await datesOf(global)).toEqual(['2026/11/25/00', '2026/11/28/11']);
  });

  it('runs a recorded delete-by-time-range job over the hour partitions wholly inside its range', async () => {
    const ref: StreamRef = { org: 'default', type: 'logs', name: 'app' };
    await metaStore.streams.ensure(ref);
    const at = (h: number, m: number) => Date.UTC(2026, 10, 27, h, m);
    for (const [h, m] of [
      [8, 10],
      [9, 0],
      [9, 59],
      [10, 30],
      [11, 30],
    ] as const)
      await fileAt(ref, at(h, m));
    // 08:30 to 11:00: only the 09 and 10 hours lie wholly inside.
    const job = await metaStore.dataDeletions.request(ref, at(8, 30) * 1000, at(11, 0) * 1000);
    const run = await compactor().runOnce();
    expect(run.dataDeletions).toEqual({ completed: 1, failed: 0, files: 3 });
    expect(await datesOf(ref)).toEqual(['2026/11/27/08', '2026/11/27/11']);
    expect(await metaStore.dataDeletions.get('default', job.id)).toMatchObject({
      files: 3,
      completedAt: clock.now,
    });
    // Done once: a later pass finds nothing pending.
    expect((await compactor().runOnce()).dataDeletions.completed).toBe(0);
    // The objects go with the delayed purge.
    clock.now += 121 * 60_000;
    expect((await compactor().runOnce()).purgedFiles).toBe(3);
  });

  it('reads a stream retention only when it is a positive whole number of days', () => {
    expect(retentionDays({ data_retention: 7 }, 30)).toBe(7);
    expect(retentionDays({ data_retention: 0 }, 30)).toBe(30);
    expect(retentionDays({ data_retention: '7' }, 30)).toBe(30);
    expect(retentionDays({}, 30)).toBe(30);
  });
});
