import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterEach, describe, expect, it } from 'vitest';
import type { IngestRequest } from '@o2/domain';
import { duckdbQuery, ingesterWorld } from './test-support/ingester-fixture.js';
import type { IngesterWorld } from './test-support/ingester-fixture.js';

const json = (stream: string, body: unknown): IngestRequest => ({
  org: 'default',
  stream,
  streamType: 'logs',
  format: 'json',
  body: new TextEncoder().encode(JSON.stringify(body)),
});

async function filesUnder(root: string, suffix: string): Promise<string[]> {
  try {
    const entries = await readdir(root, { recursive: true });
    return entries.filter((e) => e.endsWith(suffix)).map((e) => join(root, e));
  } catch {
    return [];
  }
}

describe('persist failure isolation', () => {
  let world: IngesterWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('keeps a table that cannot be written as a pending file across a crash, exactly once, then quarantines it', async () => {
    world = await ingesterWorld({ ZO_PERSIST_MAX_ATTEMPTS: '3' });
    await world.metaStore.streams.ensure(
      { org: 'default', type: 'logs', name: 'parted' },
      { partition_keys: { L0: { field: 'k', types: 'value', disabled: false } } },
    );
    const long = 'y'.repeat(300); // longer than a directory name may be
    const first = await world.boot();
    await first.ingest(
      json('parted', [
        ...Array.from({ length: 4 }, (_, n) => ({ n, k: 'ok' })),
        ...Array.from({ length: 6 }, (_, n) => ({ n: 100 + n, k: long })),
      ]),
    );
    await expect(first.flush()).rejects.toThrow(/flush incomplete.*ENAMETOOLONG/);
    // The good partition is stored; the failing one is counted as held, not lost.
    const stored = join(world.config.ZO_DATA_STREAM_DIR, 'files/default/logs/parted');
    const [good] = await duckdbQuery(
      `SELECT count(*)::INTEGER AS n FROM read_parquet([${(await filesUnder(stored, '.parquet')).map((f) => `'${f}'`).join(',')}])`,
    );
    expect(good?.['n']).toBe(4);
    expect((await first.hotStats('default')).map((s) => [s.stream, s.records])).toEqual([
      ['parted', 6],
    ]);

    // "Crash": a second ingester takes over the directories without the first stopping. The
    // WAL was released by the commit holding the pending file, so nothing is replayed twice.
    const second = await world.boot();
    expect((await second.hotStats('default')).map((s) => [s.stream, s.records])).toEqual([
      ['parted', 6],
    ]);
    const snapshot = await second.snapshot(
      { org: 'default', type: 'logs', name: 'parted' },
      { startTs: 0, endTs: Number.MAX_SAFE_INTEGER },
    );
    expect(snapshot.tables.reduce((sum, t) => sum + t.numRows, 0)).toBe(6);
    snapshot.release();
    await expect(second.flush()).rejects.toThrow(/flush incomplete/);
    await second.flush(); // third counted failure: quarantined, so the flush completes

    const [entry] = await second.quarantine();
    expect(entry).toMatchObject({ stream: 'parted', stage: 'persist', rows: 6, attempts: 3 });
    const arrows = await filesUnder(entry?.path ?? '', '.arrow');
    const table = tableFromIPC(await readFile(arrows[0] as string));
    expect((table.getChild('n')?.toArray() as BigInt64Array | number[]).length).toBe(6);
    expect(await second.hotStats('default')).toEqual([]);
    expect(await filesUnder(join(world.config.ZO_DATA_WAL_DIR, 'files'), '.arrow')).toEqual([]);
    await second.stop();
  });
});
