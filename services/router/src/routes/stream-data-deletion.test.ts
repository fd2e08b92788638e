import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCluster } from '@o2/cluster';
import { createCompactor } from '@o2/compactor';
import { createLogger } from '@o2/logger';
import type { FileEntry, StreamRef } from '@o2/metastore';
import { fileEntryFixture } from '@o2/testing';
import { LocalObjectStore } from '@o2/storage';
import { RecordingIngesterControl } from '../test-support/recording-ingest.js';
import {
  basic,
  call,
  makeDbDir,
  rootAuth,
  startRouter,
  testConfig,
} from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

const HOUR_US = 3_600_000_000;
const H0 = Date.UTC(2025, 10, 28, 3) * 1000; // µs, an hour boundary
const MEMBER = { email: 'member@example.com', password: 'Memberpass#1' };
const app: StreamRef = { org: 'default', type: 'logs', name: 'app' };

function file(name: string, hour: number): FileEntry {
  const minTs = H0 + hour * HOUR_US;
  const date = new Date(minTs / 1000).toISOString();
  return fileEntryFixture({
    date: `${date.slice(0, 4)}/${date.slice(5, 7)}/${date.slice(8, 10)}/${date.slice(11, 13)}`,
    ...{ file: name, minTs, maxTs: minTs + 10, records: 1, originalSize: 10, compressedSize: 10 },
  });
}

describe('delete by time range (data_by_time_range)', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  const ingester = new RecordingIngesterControl();
  const path = (query: string) => `/api/default/streams/app/data_by_time_range${query}`;

  beforeAll(async () => {
    dir = await makeDbDir();
    const objectStore = new LocalObjectStore(join(dir.path, 'objects'));
    o2 = await startRouter(join(dir.path, 'a'), { deps: { ingester, objectStore } });
    const member = await call(o2.url, '/api/default/users', {
      auth: rootAuth(),
      json: { ...MEMBER, role: 'user' },
    });
    expect(member.status).toBe(200);
    await o2.store.streams.ensure(app);
    await o2.store.fileList.add([
      file('h0.parquet', 0),
      file('h1.parquet', 1),
      file('h2.parquet', 2),
    ]);
  });
  afterAll(async () => {
    await o2?.close();
    await dir?.remove();
  });

  it('refuses bad ranges, unknown streams and non-admins in O2 error shape', async () => {
    const auth = rootAuth();
    for (const [query, message] of [
      ['', 'start is required (µs)'],
      [`?start=${H0}`, 'end is required (µs)'],
      [`?start=1e5&end=2`, 'start must be an integer (µs)'],
      [`?start=5&end=5`, 'start must be before end'],
      [`?start=1&end=2&type=nope`, 'invalid stream type: nope'],
    ] as const) {
      const res = await call(o2.url, path(query), { method: 'DELETE', auth });
      expect([res.status, res.body]).toEqual([400, { code: 400, message }]);
    }
    const unknown = await call(
      o2.url,
      '/api/default/streams/nope/data_by_time_range?start=1&end=2',
      {
        method: 'DELETE',
        auth,
      },
    );
    expect(unknown.status).toBe(404);
    const member = await call(o2.url, path('?start=1&end=2'), {
      method: 'DELETE',
      auth: basic(MEMBER.email, MEMBER.password),
    });
    expect(member.status).toBe(403);
    const anonymous = await call(o2.url, path('?start=1&end=2'), { method: 'DELETE' });
    expect(anonymous.status).toBe(401);
  });

  it('records a job the compactor carries out; its status goes from pending to completed', async () => {
    const flushes = ingester.flushes;
    const res = await call(
      o2.url,
      path(`?type=logs&start=${H0 + HOUR_US}&end=${H0 + 2 * HOUR_US}`),
      {
        method: 'DELETE',
        auth: rootAuth(),
      },
    );
    expect(res.status).toBe(200);
    const { id } = res.body as { id: string };
    expect(res.body).toEqual({ code: 200, message: 'data deletion job created', id });
    expect(ingester.flushes).toBe(flushes + 1);
    const status = () =>
      call(o2.url, path(`/status/${id}`), { auth: basic(MEMBER.email, MEMBER.password) });
    expect((await status()).body).toMatchObject({ id, status: 'pending', deleted_files: 0 });
    // Nothing was deleted by the router.
    expect(await o2.store.fileList.query(app)).toHaveLength(3);

    const cluster = new MemoryCluster({ nodeTtlMs: 5_000 });
    const compactor = createCompactor({
      config: testConfig(join(dir.path, 'a'), { ZO_COMPACT_ENABLED: 'false' }),
      logger: createLogger({ level: 'silent' }),
      cluster,
      metaStore: o2.store,
      objectStore: new LocalObjectStore(join(dir.path, 'objects')),
      nodeId: 'compactor-1',
    });
    expect((await compactor.runOnce()).dataDeletions).toEqual({
      completed: 1,
      failed: 0,
      files: 1,
    });
    await cluster.close();
    expect((await o2.store.fileList.query(app)).map((f) => f.file)).toEqual([
      'h0.parquet',
      'h2.parquet',
    ]);
    expect((await status()).body).toMatchObject({ id, status: 'completed', deleted_files: 1 });

    // Another stream's path or an unknown id is not found.
    const other = await call(o2.url, `/api/default/streams/other/data_by_time_range/status/${id}`, {
      auth: rootAuth(),
    });
    expect(other.status).toBe(404);
    expect((await call(o2.url, path('/status/x1'), { auth: rootAuth() })).status).toBe(404);
  });
});
