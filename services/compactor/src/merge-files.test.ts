import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryCluster } from '@o2/cluster';
import { loadConfig } from '@o2/config';
import { storedFileKey, tokenIndexKey, traceIdIndexKey } from '@o2/domain';
import { createLogger } from '@o2/logger';
import { openSqliteMetaStore } from '@o2/metastore';
import type { MetaStore, StreamRef } from '@o2/metastore';
import { readParquet, readParquetMetadata } from '@o2/parquet';
import type { ColumnSpec } from '@o2/parquet';
import { LocalObjectStore } from '@o2/storage';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { tokenIndexInfo, tokenIndexMayMatch, tokenIndexRowRanges } from '@o2/token-index';
import { traceIdSetMayContain } from '@o2/traces';
import { Registry } from 'prom-client';
import { createCompactor } from './app.js';
import { planMerges } from './merge-files.js';
import { liveRows, storeFile } from './test-support/stored-files.js';

const silent = createLogger({
  level: 'silent',
  destination: new Writable({ write: (_c, _e, done) => done() }),
});
const logs: StreamRef = { org: 'default', type: 'logs', name: 'app' };
const SCHEMA: ColumnSpec[] = [
  { name: '_timestamp', type: 'Int64' },
  { name: 'log', type: 'Utf8' },
  { name: 'n', type: 'Int64' },
];

describe('compactor small-file merge', () => {
  let dir: TempDir;
  let metaStore: MetaStore;
  let objects: LocalObjectStore;
  const nowMs = Date.UTC(2026, 10, 28, 12, 30);
  /** One clock for the compactor and the metastore (file_list_deleted's marks). */
  const clock = { now: nowMs };
  const pastHourUs = Date.UTC(2026, 10, 28, 9, 0) * 1000;

  beforeEach(async () => {
    dir = await makeTempDir('compactor-merge');
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

  beforeEach(() => {
    clock.now = nowMs;
  });
  const compactor = (env: Record<string, string> = {}, registry?: Registry) =>
    createCompactor({
      registry,
      config: loadConfig({ ZO_DATA_DIR: `${dir.path}/`, ...env }),
      logger: silent,
      cluster: new MemoryCluster({ nodeTtlMs: 5_000 }),
      metaStore,
      objectStore: objects,
      nodeId: 'n1',
      now: () => clock.now,
    });

  it('merges a past partition into one file with the same rows and a token index, and keeps the inputs until the delay', async () => {
    await metaStore.streams.ensure(logs);
    const inputs = [];
    for (let batch = 0; batch < 6; batch++) {
      const rows = Array.from({ length: 5 }, (_, i) => ({
        _timestamp: pastHourUs + batch * 1_000_000 + i,
        log: `batch ${batch} word${batch}x${i}`,
        n: batch * 10 + i,
      }));
      inputs.push(await storeFile(metaStore, objects, logs, SCHEMA, rows));
    }
    // Late data for the same hour with a new column, another partition-key dir, the current hour.
    inputs.push(
      await storeFile(
        metaStore,
        objects,
        logs,
        [...SCHEMA, { name: 'late', type: 'Utf8' }],
        [{ _timestamp: pastHourUs + 5, log: 'late arrival', n: 99, late: 'yes' }],
      ),
    );
    const keyed = await storeFile(
      metaStore,
      objects,
      logs,
      SCHEMA,
      [{ _timestamp: pastHourUs + 7, log: 'in k=a', n: 1 }],
      'k=a/',
    );
    const keyed2 = await storeFile(
      metaStore,
      objects,
      logs,
      SCHEMA,
      [{ _timestamp: pastHourUs + 8, log: 'in k=a too', n: 2 }],
      'k=a/',
    );
    const currentUs = Date.UTC(2026, 10, 28, 12, 10) * 1000;
    await storeFile(metaStore, objects, logs, SCHEMA, [
      { _timestamp: currentUs, log: 'now', n: 0 },
    ]);
    await storeFile(metaStore, objects, logs, SCHEMA, [
      { _timestamp: currentUs + 1, log: 'now', n: 1 },
    ]);
    const before = await liveRows(metaStore, objects, logs);

    const registry = new Registry();
    const run = await compactor({}, registry).runOnce();
    expect(run.merges).toEqual({ merged: 2, replaced: 9, backlog: 0 });
    const metrics = await registry.metrics();
    expect(metrics).toContain('zo_compactor_files_total{action="merged"} 2');
    expect(metrics).toContain('zo_compactor_files_total{action="replaced"} 9');
    expect(metrics).toContain('zo_compactor_merge_backlog_files 0');
    expect(metrics).toContain('zo_compactor_pending_jobs 0');
    const files = await metaStore.fileList.query(logs);
    // One per past partition (plain and k=a/), the current hour's two left to fill.
    expect(files).toHaveLength(4);
    expect(await liveRows(metaStore, objects, logs)).toEqual(before);
    const merged = files.find((f) => f.records === 31);
    if (merged === undefined) throw new Error('no merged file of 31 rows');
    expect(merged.file).toMatch(/^\d+[0-9a-f]{4}\.parquet$/);
    expect(merged.date).toBe('2026/11/28/09');
    const key = storedFileKey(merged);
    expect((await readParquetMetadata(await objects.getBytes(key))).numRows).toBe(31);
    const tokens = await objects.getBytes(tokenIndexKey(key));
    expect(merged.indexSize).toBe(tokens.byteLength);
    expect(tokenIndexMayMatch(tokens, 'word3x2')).toBe(true);
    expect(tokenIndexMayMatch(tokens, 'absentword')).toBe(false);
    const mergedKeyed = files.find((f) => f.file.startsWith('k=a/'));
    expect(mergedKeyed?.records).toBe(2);
    expect(files.some((f) => f.file === keyed.file || f.file === keyed2.file)).toBe(false);

    // The inputs' objects stay for readers that listed them, and go after the delay.
    for (const input of inputs) expect(await objects.head(storedFileKey(input))).toBeDefined();
    expect(run.purgedFiles).toBe(0);
    clock.now = nowMs + 121 * 60_000;
    const later = await compactor().runOnce();
    expect(later.purgedFiles).toBe(9);
    for (const input of inputs) expect(await objects.head(storedFileKey(input))).toBeUndefined();
    expect(await objects.head(key)).toBeDefined();
    // The hour that was being written is over now and merged; then nothing is left to merge.
    expect(later.merges).toEqual({ merged: 1, replaced: 2, backlog: 0 });
    expect((await compactor().runOnce()).merges.merged).toBe(0);
    expect(await liveRows(metaStore, objects, logs)).toEqual(before);
  });

  // A merged file's `.tokens` must never rule out a row it holds: here per-group token lists
  // (rows of short lines), per-group n-gram bitmaps (groups of long unique tokens, over the
  // 256 KB list limit) and, with 4-row groups, more groups than the index tells apart.
  it.each([50, 4])(
    'finds every row of a rare term in a merged file of %i-row groups',
    async (groupRows) => {
      await metaStore.streams.ensure(logs);
      for (let batch = 0; batch < 4; batch++) {
        const rows = Array.from({ length: 300 }, (_, i) => ({
          _timestamp: pastHourUs + batch * 1_000_000 + i,
          log:
            `${i % 97 === batch ? 'GET zqxrare42 ok' : `GET /api/v${i % 7} ok`} ` +
            (batch === 1 ? `b${i}x`.padEnd(6_000, String.fromCharCode(97 + (i % 26))) : ''),
          n: batch * 1000 + i,
        }));
        await storeFile(metaStore, objects, logs, SCHEMA, rows);
      }
      const env = { ZO_PARQUET_MAX_ROW_GROUP_SIZE: String(groupRows) };
      expect((await compactor(env).runOnce()).merges.merged).toBe(1);
      const [merged] = await metaStore.fileList.query(logs);
      if (merged === undefined) throw new Error('no merged file');
      const key = storedFileKey(merged);
      const body = await objects.getBytes(key);
      const tokens = await objects.getBytes(tokenIndexKey(key));
      const column = (await readParquet(body, { columns: ['log'] })).getChild('log');
      const log = Array.from(column ?? [], (value) => String(value));
      const hits = log.flatMap((line, row) => (line.includes('zqxrare42') ? [row] : []));
      expect(hits).toHaveLength(4 * 4);
      expect(tokenIndexMayMatch(tokens, 'zqxrare42')).toBe(true);
      const ranges = tokenIndexRowRanges(tokens, ['zqxrare42']);
      if (groupRows === 4) {
        // 300 groups: indexed as one unit, so the file is kept whole.
        expect(tokenIndexInfo(tokens).rowGroups).toBeUndefined();
        expect(ranges).toBeUndefined();
      } else {
        expect(tokenIndexInfo(tokens).rowGroups).toBe(24);
        for (const row of hits) {
          expect(ranges!.some(([start, end]) => row >= start && row < end)).toBe(true);
        }
        // ...and it still leaves out groups without the term.
        expect(ranges!.reduce((sum, [start, end]) => sum + end - start, 0)).toBeLessThan(1200);
      }
    },
  );

  it('writes the trace-id index of a merged traces file', async () => {
    const traces: StreamRef = { org: 'default', type: 'traces', name: 'default' };
    await metaStore.streams.ensure(traces);
    const schema: ColumnSpec[] = [...SCHEMA, { name: 'trace_id', type: 'Utf8' }];
    const id = (i: number) => i.toString(16).padStart(32, '0');
    for (let i = 1; i <= 3; i++) {
      await storeFile(metaStore, objects, traces, schema, [
        { _timestamp: pastHourUs + i, log: 'span', n: i, trace_id: id(i) },
      ]);
    }
    expect((await compactor().runOnce()).merges.merged).toBe(1);
    const [merged] = await metaStore.fileList.query(traces);
    if (merged === undefined) throw new Error('no merged file');
    const set = await objects.getBytes(traceIdIndexKey(storedFileKey(merged)));
    for (let i = 1; i <= 3; i++) expect(traceIdSetMayContain(set, id(i))).toBe(true);
    expect(traceIdSetMayContain(set, id(77))).toBe(false);
  });

  it('merges nothing with ZO_COMPACT_ENABLED=false', async () => {
    await metaStore.streams.ensure(logs);
    for (let i = 0; i < 3; i++) {
      await storeFile(metaStore, objects, logs, SCHEMA, [
        { _timestamp: pastHourUs + i, log: 'x', n: i },
      ]);
    }
    expect((await compactor({ ZO_COMPACT_ENABLED: 'false' }).runOnce()).merges.merged).toBe(0);
    expect(await metaStore.fileList.query(logs)).toHaveLength(3);
  });

  it('plans groups no larger than the limit, smallest first, never a group of one', () => {
    const f = (id: number, size: number) =>
      ({ id, compressedSize: size }) as Parameters<typeof planMerges>[0][number];
    const groups = planMerges([f(1, 60), f(2, 10), f(3, 30), f(4, 100), f(5, 50)], 100);
    expect(groups.map((g) => g.map((x) => x.id))).toEqual([[2, 3, 5]]);
    expect(planMerges([f(1, 10)], 100)).toEqual([]);
  });

  it('bounds a group by what its files decode to, and leaves a file at that bound alone', () => {
    // Tiny compressed, big decoded: logs compress ~50×, so the decoded bound is the one that acts.
    const f = (id: number, decoded: number) =>
      ({ id, compressedSize: 1, originalSize: decoded }) as Parameters<
        typeof planMerges
      >[0][number];
    const files = [f(1, 40), f(2, 30), f(3, 50), f(4, 100), f(5, 20), f(6, 10)];
    const groups = planMerges(files, 1_000, 100).map((g) => g.map((x) => x.id));
    const decoded = (ids: number[]) => ids.reduce((n, id) => n + files[id - 1]!.originalSize, 0);
    // Every group decodes to at most 100, and file 4, full already, stays as it is.
    for (const group of groups) expect(decoded(group)).toBeLessThanOrEqual(100);
    expect(groups.flat().sort()).toEqual([1, 2, 3, 5, 6]);
    expect(groups.length).toBeGreaterThan(1);
    // Without the bound the same files make one group (compressed size alone).
    expect(planMerges(files, 1_000).map((g) => g.length)).toEqual([6]);
  });
});
