import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '@o2/errors';
import type { IngestRequest } from '@o2/domain';
import { duckdbQuery, ingesterWorld, k8slogBody } from './test-support/ingester-fixture.js';
import type { IngesterWorld } from './test-support/ingester-fixture.js';

const json = (stream: string, body: unknown): IngestRequest => ({
  org: 'default',
  stream,
  streamType: 'logs',
  format: 'json',
  body: new TextEncoder().encode(JSON.stringify(body)),
});

async function parquetFiles(root: string): Promise<string[]> {
  try {
    const entries = await readdir(root, { recursive: true });
    return entries.filter((e) => e.endsWith('.parquet')).map((e) => join(root, e));
  } catch {
    return [];
  }
}

describe('ingester', () => {
  let world: IngesterWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('takes the k8s sample, counts it before a flush and stores exactly its rows after one', async () => {
    world = await ingesterWorld();
    const ingester = await world.boot();
    const result = await ingester.ingest({
      org: 'default',
      stream: 'default',
      streamType: 'logs',
      format: 'json',
      body: k8slogBody(),
    });
    expect(JSON.stringify(result.response)).toBe(
      '{"code":200,"status":[{"name":"default","successful":981,"failed":0}]}',
    );
    expect((await ingester.hotStats('default')).map((s) => [s.stream, s.records])).toEqual([
      ['default', 981],
    ]);

    const schema = await world.metaStore.schemas.latest({
      org: 'default',
      type: 'logs',
      name: 'default',
    });
    const types = new Map(schema?.fields.map((f) => [f.name, f.type]));
    expect(types.get('_timestamp')).toBe('Int64');
    expect(types.get('code')).toBe('Int64');
    expect(types.get('kubernetes_pod_name')).toBe('Utf8');

    await ingester.flush();
    const files = await parquetFiles(
      join(world.config.ZO_DATA_STREAM_DIR, 'files/default/logs/default'),
    );
    expect(files.length).toBeGreaterThan(0);
    const [row] = await duckdbQuery(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT kubernetes_pod_name)::INTEGER AS pods FROM read_parquet([${files.map((f) => `'${f}'`).join(',')}])`,
    );
    expect(row?.['n']).toBe(981);
    const listed = await world.metaStore.fileList.query({
      org: 'default',
      type: 'logs',
      name: 'default',
    });
    expect(listed.reduce((sum, f) => sum + f.records, 0)).toBe(981);
    expect(listed).toHaveLength(files.length);
    expect(await ingester.hotStats('default')).toEqual([]);
    await ingester.stop();
  });

  it('replays acknowledged rows after a crash, exactly once', async () => {
    world = await ingesterWorld();
    const first = await world.boot();
    for (let i = 0; i < 5; i++) await first.ingest(json('replayed', [{ n: i, log: `line ${i}` }]));
    // The first process persists part of its rows, then "dies" without stopping.
    await first.flush();
    for (let i = 5; i < 10; i++) await first.ingest(json('replayed', [{ n: i, log: `line ${i}` }]));

    const second = await world.boot();
    await second.flush();
    const files = await parquetFiles(
      join(world.config.ZO_DATA_STREAM_DIR, 'files/default/logs/replayed'),
    );
    const rows = await duckdbQuery(
      `SELECT n FROM read_parquet([${files.map((f) => `'${f}'`).join(',')}]) ORDER BY n`,
    );
    expect(rows.map((r) => Number(r['n']))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await second.stop();
  });

  it('keeps non-ASCII text intact through the ASCII fast path', async () => {
    world = await ingesterWorld();
    const ingester = await world.boot();
    const texts = ['héllo wörld ✓', '日本語のログ', 'plain ascii'];
    await ingester.ingest(
      json(
        'unicode',
        texts.map((log) => ({ log })),
      ),
    );
    await ingester.flush();
    const files = await parquetFiles(
      join(world.config.ZO_DATA_STREAM_DIR, 'files/default/logs/unicode'),
    );
    const rows = await duckdbQuery(
      `SELECT log FROM read_parquet([${files.map((f) => `'${f}'`).join(',')}]) ORDER BY log`,
    );
    expect(rows.map((r) => r['log'])).toEqual([...texts].sort());
    await ingester.stop();
  });

  it('refuses a WAL directory another live process holds, and takes over a dead one', async () => {
    world = await ingesterWorld();
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(world.config.ZO_DATA_WAL_DIR, { recursive: true });
    await writeFile(join(world.config.ZO_DATA_WAL_DIR, 'LOCK'), String(process.ppid));
    await expect(world.boot()).rejects.toThrow(/in use by another O2TS process/);
    await writeFile(join(world.config.ZO_DATA_WAL_DIR, 'LOCK'), '999999999');
    const ingester = await world.boot();
    await ingester.stop();
  });

  it('fails records outside the time window and keeps the rest', async () => {
    world = await ingesterWorld();
    const ingester = await world.boot();
    const now = Date.now() * 1000;
    const result = await ingester.ingest(
      json('window', [
        { _timestamp: now - 6 * 3600e6, log: 'old' },
        { _timestamp: now, log: 'ok' },
        { _timestamp: now + 25 * 3600e6, log: 'future' },
      ]),
    );
    const status = result.response?.status[0];
    expect(status).toMatchObject({ name: 'window', successful: 1, failed: 2 });
    expect(status?.error).toContain('Too far data, only future 24 hours data can be ingested');
    await ingester.stop();
  });

  it('answers _bulk per item, failing only the bad document', async () => {
    world = await ingesterWorld();
    const ingester = await world.boot();
    const body = [
      JSON.stringify({ index: { _index: 'bulk_a', _id: '1' } }),
      JSON.stringify({ log: 'good one' }),
      JSON.stringify({ create: { _index: 'bulk_a' } }),
      JSON.stringify('not an object'),
      JSON.stringify({ index: { _index: 'Bulk B' } }),
      JSON.stringify({ log: 'good two' }),
    ].join('\n');
    const result = await ingester.ingest({
      org: 'default',
      streamType: 'logs',
      format: 'bulk',
      body: new TextEncoder().encode(body),
    });
    expect(result.bulk?.errors).toBe(true);
    expect(result.bulk?.items.map((i) => [i.action, i.index, i.status])).toEqual([
      ['index', 'bulk_a', 200],
      ['create', 'bulk_a', 422],
      ['index', 'bulk_b', 200],
    ]);
    expect(result.bulk?.items[0]?.id).toBe('1');
    await ingester.stop();
  });

  it('refuses malformed JSON with INVALID_ARGUMENT', async () => {
    world = await ingesterWorld();
    const ingester = await world.boot();
    const error = await ingester
      .ingest({
        org: 'default',
        stream: 'x',
        streamType: 'logs',
        format: 'json',
        body: new TextEncoder().encode('[{"a":'),
      })
      .catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('INVALID_ARGUMENT');
    await ingester.stop();
  });

  it('answers 503 with a retry hint once the memtable cap is reached', async () => {
    world = await ingesterWorld({ ZO_MEM_TABLE_MAX_SIZE: '1' });
    const ingester = await world.boot();
    const big = Array.from({ length: 2000 }, (_, i) => ({ log: `${'x'.repeat(600)} ${i}` }));
    let refused: unknown;
    for (let i = 0; i < 20 && refused === undefined; i++) {
      refused = await ingester.ingest(json('capped', big)).then(
        () => undefined,
        (e: unknown) => e,
      );
    }
    expect(isAppError(refused) && refused.code).toBe('UNAVAILABLE');
    expect(isAppError(refused) && refused.retryAfterSeconds).toBeGreaterThan(0);
    await ingester.stop();
  });
});
