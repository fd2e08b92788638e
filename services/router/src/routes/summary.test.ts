import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileEntry, StreamRef } from '@o2/metastore';
import { fileEntryFixture } from '@o2/testing';
import { RecordingIngesterControl } from '../test-support/recording-ingest.js';
import { call, makeDbDir, rootAuth, startRouter } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

const MB = 1024 * 1024;
const closeTo = (n: number): unknown => expect.closeTo(n, 12) as unknown;
const T0 = 1_764_300_000_000_000; // µs

function file(
  org: string,
  type: FileEntry['type'],
  stream: string,
  name: string,
  records: number,
): FileEntry {
  return fileEntryFixture({
    ...{ org, type, stream, date: '2025/11/28/03', file: name, minTs: T0, maxTs: T0 + 1_000 },
    ...{ records, originalSize: records * 1000, compressedSize: records * 100 },
    indexSize: records * 10,
  });
}

describe('GET /api/{org}/summary', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  const ingester = new RecordingIngesterControl();

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(dir.path, { deps: { ingester } });
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  const summary = async () => {
    const res = await call(o2.url, '/api/default/summary', { auth: rootAuth() });
    expect(res.status).toBe(200);
    return res.body as { streams: Record<string, number> } & Record<string, unknown>;
  };

  it("answers O2's shape with zeros for an org without streams", async () => {
    expect(await summary()).toEqual({
      streams: {
        num_streams: 0,
        total_records: 0,
        total_storage_size: 0,
        total_compressed_size: 0,
        total_index_size: 0,
      },
      pipelines: { num_realtime: 0, num_scheduled: 0 },
      alerts: { num_realtime: 0, num_scheduled: 0 },
      total_functions: 0,
      total_dashboards: 0,
    });
  });

  it('counts the org’s saved functions', async () => {
    const made = await call(o2.url, '/api/default/functions', {
      auth: rootAuth(),
      json: { name: 'summary_fn', function: '.a = 1' },
    });
    expect(made.status).toBe(200);
    expect((await summary())['total_functions']).toBe(1);
    await call(o2.url, '/api/default/functions/summary_fn', { method: 'DELETE', auth: rootAuth() });
    expect((await summary())['total_functions']).toBe(0);
  });

  it('is 404 for an org that does not exist, even to root', async () => {
    const res = await call(o2.url, '/api/no_such_org/summary', { auth: rootAuth() });
    expect([res.status, res.body]).toEqual([404, { code: 404, message: 'Organization not found' }]);
  });

  it('sums stored files and held records over every stream type of the org', async () => {
    const { store } = o2;
    const refs: StreamRef[] = [
      { org: 'default', type: 'logs', name: 'app' },
      { org: 'default', type: 'metrics', name: 'cpu' },
      { org: 'default', type: 'logs', name: 'empty' },
      { org: 'other', type: 'logs', name: 'elsewhere' },
    ];
    for (const ref of refs) await store.streams.ensure(ref);
    await store.fileList.add([
      file('default', 'logs', 'app', 'a1.parquet', 10),
      file('default', 'logs', 'app', 'a2.parquet', 5),
      file('default', 'metrics', 'cpu', 'c1.parquet', 4),
      file('other', 'logs', 'elsewhere', 'e1.parquet', 1000),
    ]);
    ingester.hot = [
      {
        org: 'default',
        type: 'logs',
        stream: 'app',
        records: 3,
        bytes: 0.5 * MB,
        minTs: T0,
        maxTs: T0,
      },
      // Held only by the ingester so far: a stream all the same, as in the streams list.
      {
        org: 'default',
        type: 'traces',
        stream: 'fresh',
        records: 7,
        bytes: 700,
        minTs: T0,
        maxTs: T0,
      },
      { org: 'other', type: 'logs', stream: 'x', records: 1, bytes: 1, minTs: T0, maxTs: T0 },
    ];
    const body = await summary();
    expect(body.streams).toEqual({
      num_streams: 4,
      total_records: 10 + 5 + 3 + 4 + 7,
      // Sums of MB floats: the order of addition is the listing's, so compare closely.
      total_storage_size: closeTo(15_000 / MB + 0.5 + 4_000 / MB + 700 / MB),
      total_compressed_size: closeTo(1_500 / MB + 400 / MB),
      total_index_size: closeTo(150 / MB + 40 / MB),
    });
    // The same figures the streams list shows, summed.
    const listed = await call(o2.url, '/api/default/streams', { auth: rootAuth() });
    const list = (listed.body as { list: Array<{ stats: Record<string, number> }> }).list;
    expect(list).toHaveLength(4);
    expect(list.reduce((n, s) => n + (s.stats['doc_num'] ?? 0), 0)).toBe(
      body.streams['total_records'],
    );
  });
});
