import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { IngestRequest } from '@o2/domain';
import { isAppError } from '@o2/errors';
import { duckdbQuery, ingesterWorld } from '../test-support/ingester-fixture.js';
import type { IngesterWorld } from '../test-support/ingester-fixture.js';

const keyed = (stream: string, key: string, rows: unknown[], org = 'default'): IngestRequest => ({
  org,
  stream,
  streamType: 'logs',
  format: 'json',
  body: new TextEncoder().encode(JSON.stringify(rows)),
  idempotencyKey: key,
});

const rows = Array.from({ length: 20 }, (_, n) => ({ n, log: `row ${n}` }));

async function storedRows(world: IngesterWorld, stream: string, org = 'default'): Promise<number> {
  const root = join(world.config.ZO_DATA_STREAM_DIR, `files/${org}/logs/${stream}`);
  const files = (await readdir(root, { recursive: true }))
    .filter((e) => e.endsWith('.parquet'))
    .map((e) => `'${join(root, e)}'`);
  if (files.length === 0) return 0;
  const [row] = await duckdbQuery(
    `SELECT count(*)::INTEGER AS n FROM read_parquet([${files.join(',')}])`,
  );
  return Number(row?.['n']);
}

describe('ingester Idempotency-Key', () => {
  let world: IngesterWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('answers a retry after a crash from the WAL, and stores the body once', async () => {
    world = await ingesterWorld();
    const first = await world.boot();
    const a = await first.ingest(keyed('wal', 'k-1', rows));
    expect(await first.ingest(keyed('wal', 'k-1', rows))).toEqual(a);
    // "Crash" between the WAL append and the journal append: the journal lost the line, and a
    // second ingester starts over the same dirs (the first never stopped; WAL not persisted).
    await rm(join(world.config.ZO_DATA_WAL_DIR, 'idempotency/journal.ndjson'));
    const second = await world.boot();
    expect(await second.ingest(keyed('wal', 'k-1', rows))).toEqual(a);
    await second.flush();
    expect(await storedRows(world, 'wal')).toBe(20);
    await second.stop();
  });

  it('answers a retry after the segment was dropped, from the journal', async () => {
    world = await ingesterWorld();
    const first = await world.boot();
    const a = await first.ingest(keyed('journal', 'k-2', rows));
    await first.flush(); // rows in storage, WAL segment dropped
    const second = await world.boot();
    expect(await second.ingest(keyed('journal', 'k-2', rows))).toEqual(a);
    await second.flush();
    expect(await storedRows(world, 'journal')).toBe(20);
    await second.stop();
  });

  it('keeps orgs apart and refuses a reused key with another body', async () => {
    world = await ingesterWorld();
    const ingester = await world.boot();
    await ingester.ingest(keyed('scoped', 'shared', rows, 'default'));
    await ingester.ingest(keyed('scoped', 'shared', rows, 'other'));
    const error = await ingester
      .ingest(keyed('scoped', 'shared', rows.slice(1), 'default'))
      .catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('UNPROCESSABLE');
    await ingester.flush();
    expect(await storedRows(world, 'scoped', 'default')).toBe(20);
    expect(await storedRows(world, 'scoped', 'other')).toBe(20);
    await ingester.stop();
  });
});
