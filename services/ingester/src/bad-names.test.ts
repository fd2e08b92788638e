import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { IngestRequest } from '@o2/domain';
import { openWal } from '@o2/wal';
import { duckdbQuery, ingesterWorld } from './test-support/ingester-fixture.js';
import type { IngesterWorld } from './test-support/ingester-fixture.js';
import { encodeWalEntry } from './wal-entry.js';

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

const json = (org: string, stream: string, body: unknown): IngestRequest => ({
  org,
  stream,
  streamType: 'logs',
  format: 'json',
  body: encode(body),
});

async function rowsOf(dir: string): Promise<number[]> {
  const files = (await readdir(dir, { recursive: true }))
    .filter((e) => e.endsWith('.parquet'))
    .map((e) => `'${join(dir, e)}'`);
  const rows = await duckdbQuery(`SELECT n FROM read_parquet([${files.join(',')}]) ORDER BY n`);
  return rows.map((r) => Number(r['n']));
}

describe('ingester name rules', () => {
  let world: IngesterWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('refuses a bad org or path stream before the WAL, and fails a bad bulk _index alone', async () => {
    world = await ingesterWorld({ ZO_SKIP_FORMAT_STREAM_NAME: 'true' });
    const ingester = await world.boot();
    for (const [org, stream] of [
      ['../default', 's'],
      ['Bad Org!', 's'],
      ['default', '../x'],
      ['default', 'a\u0000b'],
    ] as const) {
      await expect(ingester.ingest(json(org, stream, [{ n: 1 }]))).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    }
    const bulk = await ingester.ingest({
      org: 'default',
      streamType: 'logs',
      format: 'bulk',
      body: new TextEncoder().encode(
        ['{"index":{"_index":"../etc"}}', '{"n":1}', '{"index":{"_index":"fine"}}', '{"n":2}'].join(
          '\n',
        ),
      ),
    });
    expect(bulk.bulk?.items.map((i) => i.status)).toEqual([422, 200]);
    expect(bulk.bulk?.items[0]?.error?.reason).toMatch(/must not be "\." or contain "\.\."/);
    expect(await world.metaStore.orgs.get('../default')).toBeUndefined();
    await ingester.flush();
    expect(await rowsOf(join(world.config.ZO_DATA_STREAM_DIR, 'files/default/logs/fine'))).toEqual([
      2,
    ]);
    await ingester.stop();
  });

  it('skips a WAL entry an older version accepted for an invalid org, keeping a copy', async () => {
    world = await ingesterWorld();
    // What an older version wrote: an acknowledged entry for org `../default`, then a good one.
    const wal = await openWal({
      dir: join(world.config.ZO_DATA_WAL_DIR, 'log'),
      fsync: false,
      maxSegmentBytes: 1 << 20,
      maxSegmentAgeMs: 3_600_000,
    });
    const now = Date.now() * 1000;
    const header = { v: 1 as const, streamType: 'logs' as const, format: 'json' as const, now };
    await wal.append(
      encodeWalEntry(
        { ...header, org: '../default', stream: 'fuzz', skip: [] },
        encode([{ n: 0 }]),
      ),
    );
    await wal.append(
      encodeWalEntry({ ...header, org: 'default', stream: 'kept', skip: [] }, encode([{ n: 1 }])),
    );
    await wal.close();

    const ingester = await world.boot();
    await ingester.ingest(json('default', 'kept', [{ n: 2 }]));
    await ingester.flush();
    expect(await rowsOf(join(world.config.ZO_DATA_STREAM_DIR, 'files/default/logs/kept'))).toEqual([
      1, 2,
    ]);
    const rejectedDir = join(world.config.ZO_DATA_WAL_DIR, 'rejected');
    const copies = await readdir(rejectedDir);
    expect(copies).toHaveLength(1);
    const copy = await readFile(join(rejectedDir, copies[0] as string));
    expect(copy.toString('latin1')).toContain('"org":"../default"');
    expect(await world.metaStore.orgs.get('../default')).toBeUndefined();
    // A restart finds nothing left to replay and starts again.
    await ingester.stop();
    const again = await world.boot();
    await again.flush();
    await again.stop();
  });
});
