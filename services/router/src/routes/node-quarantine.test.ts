import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCluster } from '@o2/cluster';
import type { Config } from '@o2/config';
import { createIngester } from '@o2/ingester';
import { LocalObjectStore } from '@o2/storage';
import { createMetricsRegistry } from '../http/http-metrics.js';
import { parquetRowCount } from '../test-support/parquet-row-count.js';
import { basic, call, makeDbDir, rootAuth, startRouter } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

async function filesUnder(root: string, suffix: string): Promise<string[]> {
  try {
    const entries = await readdir(root, { recursive: true });
    return entries.filter((e) => e.endsWith(suffix)).map((e) => join(root, e));
  } catch {
    return [];
  }
}

interface Entry {
  org: string;
  stream_type: string;
  stream: string;
  partition: string;
  stage: string;
  rows: number;
  error: string;
  attempts: number;
  path: string;
}

const MAX_ATTEMPTS = 3;
const rows = (n: number, extra: (i: number) => Record<string, unknown> = () => ({})) =>
  Array.from({ length: n }, (_, i) => ({ message: `line ${i}`, n: i, ...extra(i) }));

/**
 * Real failures, one per stage, beside streams that work: the `blocked` stream's directory in
 * the local object store is taken by a regular file (every put of it fails), and one partition
 * of `parted` has a value too long to be a directory name (its Parquet file cannot be written).
 */
describe('a partition that keeps failing is quarantined and the others persist', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  let config: Config;

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(dir.path, {
      env: {
        ZO_MEM_PERSIST_INTERVAL: '3600',
        ZO_FILE_PUSH_INTERVAL: '3600',
        ZO_PERSIST_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
        ZO_PROMETHEUS_ENABLED: 'true',
      },
      wire: async ({ store, config: wiredConfig, logger }) => {
        config = wiredConfig;
        const objects = new LocalObjectStore(config.ZO_DATA_STREAM_DIR);
        const cluster = new MemoryCluster({ nodeTtlMs: 5_000 });
        const registry = createMetricsRegistry();
        const ingester = createIngester({
          config,
          logger,
          metaStore: store,
          objectStore: objects,
          cluster,
          registry,
        });
        await ingester.start();
        return {
          ingest: ingester,
          ingester,
          objectStore: objects,
          registry,
          stop: async () => {
            await ingester.stop();
            await cluster.close();
            await objects.close();
          },
        };
      },
    });
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  const ingest = async (stream: string, body: unknown[]): Promise<void> => {
    const res = await call(o2.url, `/api/default/${stream}/_json`, {
      auth: rootAuth(),
      json: body,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      code: 200,
      status: [{ name: stream, successful: body.length, failed: 0 }],
    });
  };

  it('keeps the other streams and partitions flowing, lists the failing ones and keeps all their rows', async () => {
    const storageStreams = join(config.ZO_DATA_STREAM_DIR, 'files/default/logs');
    await mkdir(storageStreams, { recursive: true });
    await writeFile(join(storageStreams, 'blocked'), 'a file where a directory must go');
    await o2.store.streams.ensure(
      { org: 'default', type: 'logs', name: 'parted' },
      { partition_keys: { L0: { field: 'k', types: 'value', disabled: false } } },
    );
    const long = 'x'.repeat(300); // a directory name longer than NAME_MAX (255)

    await ingest('fine', rows(40));
    await ingest('blocked', rows(25));
    await ingest('parted', [...rows(7, () => ({ k: 'short' })), ...rows(9, () => ({ k: long }))]);

    // Each flush is one more try; until the last one some partitions are still being retried.
    const manifests: string[][] = [];
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      const res = await call(o2.url, '/node/flush', { method: 'PUT', auth: rootAuth() });
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        code: 503,
        message: expect.stringMatching(/^flush incomplete/) as string,
      });
      manifests.push(await readdir(join(config.ZO_DATA_WAL_DIR, 'uploads')));
    }
    // The failing upload keeps one manifest, reused by every retry (same object key).
    expect(manifests[0]).toHaveLength(1);
    expect(manifests.every((m) => m.join() === manifests[0]?.join())).toBe(true);
    const last = await call(o2.url, '/node/flush', { method: 'PUT', auth: rootAuth() });
    expect([last.status, last.body]).toEqual([200, true]);

    // Every row that could be stored is in storage, read by DuckDB.
    const stored = (stream: string) => filesUnder(join(storageStreams, stream), '.parquet');
    expect(await parquetRowCount(await stored('fine'))).toBe(40);
    expect(await parquetRowCount(await stored('parted'))).toBe(7);

    // The two failing partitions are listed with their rows, stage and a short error.
    const listed = await call(o2.url, '/node/quarantine', { auth: rootAuth() });
    expect(listed.status).toBe(200);
    const entries = (listed.body as { entries: Entry[] }).entries.sort((a, b) =>
      a.stream.localeCompare(b.stream),
    );
    expect(
      entries.map((e) => [e.org, e.stream_type, e.stream, e.stage, e.rows, e.attempts]),
    ).toEqual([
      ['default', 'logs', 'blocked', 'upload', 25, MAX_ATTEMPTS],
      ['default', 'logs', 'parted', 'persist', 9, MAX_ATTEMPTS],
    ]);
    expect(entries[0]?.error).toMatch(/inside an object/);
    expect(entries[1]?.error).toMatch(/ENAMETOOLONG/);
    expect(entries[1]?.partition).toContain(`k=${long}`);
    for (const entry of entries) expect(entry.error.length).toBeLessThanOrEqual(300);

    // Their data is on disk in the quarantine dir, every row of it.
    const [blocked, parted] = entries as [Entry, Entry];
    expect(blocked.path.startsWith(join(config.ZO_DATA_WAL_DIR, 'quarantine'))).toBe(true);
    expect(await parquetRowCount(await filesUnder(blocked.path, '.parquet'))).toBe(25);
    const arrows = await filesUnder(parted.path, '.arrow');
    expect(arrows).toHaveLength(1);
    const table = tableFromIPC(await readFile(arrows[0] as string));
    expect(table.numRows).toBe(9);
    expect(new Set(table.getChild('k')?.toArray() as string[])).toEqual(new Set([long]));
    // Nothing of theirs is left to upload, and the WAL keeps only its fresh active segment.
    expect(await filesUnder(join(config.ZO_DATA_WAL_DIR, 'files'), '.parquet')).toEqual([]);
    expect(await filesUnder(join(config.ZO_DATA_WAL_DIR, 'files'), '.arrow')).toEqual([]);
    expect(await filesUnder(join(config.ZO_DATA_WAL_DIR, 'log'), '.wal')).toHaveLength(1);
    expect(await readdir(join(config.ZO_DATA_WAL_DIR, 'uploads'))).toEqual([]);

    const metrics = await call(o2.url, '/metrics');
    expect(metrics.text).toContain(
      'zo_persist_quarantined_total{org="default",stream="blocked",stage="upload"} 1',
    );
    expect(metrics.text).toContain(
      'zo_persist_quarantined_total{org="default",stream="parted",stage="persist"} 1',
    );
    // A quarantined partition is not a readiness problem: the stores answer.
    expect((await call(o2.url, '/readyz')).body).toEqual({ status: 'ok' });
  });

  it('lists the quarantine to root and org admins only', async () => {
    const anonymous = await call(o2.url, '/node/quarantine');
    expect(anonymous.status).toBe(401);
    await call(o2.url, '/api/default/users', {
      method: 'POST',
      auth: rootAuth(),
      json: {
        email: 'viewer@example.com',
        password: 'Viewerpass#123',
        role: 'member',
        first_name: 'V',
        last_name: 'W',
      },
    });
    const member = await call(o2.url, '/node/quarantine', {
      auth: basic('viewer@example.com', 'Viewerpass#123'),
    });
    expect(member.status).toBe(403);
  });
});
