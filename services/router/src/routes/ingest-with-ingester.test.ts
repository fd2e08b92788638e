import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalObjectStore } from '@o2/storage';
import { generateK8sLogs, jsonBody } from '@o2/testing';
import { startRouterWithIngester } from '../test-support/router-with-ingester.js';
import { call, makeDbDir, rootAuth } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

/** 981 generated k8s log records, the size of O2's sample, as one `_json` body. */
const K8SLOG = jsonBody(generateK8sLogs());

interface Listed {
  list: Array<{ name: string; stats: { doc_num: number; file_num: number } }>;
}

describe('ingest through the router into the real ingester', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  let objects: LocalObjectStore;

  beforeAll(async () => {
    dir = await makeDbDir();
    // Long cycle intervals: only PUT /node/flush moves data to storage in this test.
    ({ o2, objects } = await startRouterWithIngester(dir.path));
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  const stats = async () => {
    const res = await call(o2.url, '/api/default/streams?type=logs', { auth: rootAuth() });
    return (res.body as Listed).list.map((s) => [s.name, s.stats.doc_num, s.stats.file_num]);
  };

  it('answers the k8s sample exactly as O2 does, counts it at once and stores it on flush', async () => {
    const res = await call(o2.url, '/api/default/default/_json', {
      auth: rootAuth(),
      body: gzipSync(K8SLOG),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect([res.status, res.text]).toEqual([
      200,
      '{"code":200,"status":[{"name":"default","successful":981,"failed":0}]}',
    ]);
    expect(await stats()).toEqual([['default', 981, 0]]);
    const withSchema = await call(o2.url, '/api/default/streams?type=logs&fetchSchema=true', {
      auth: rootAuth(),
    });
    const schema = (
      withSchema.body as { list: Array<{ schema: Array<{ name: string; type: string }> }> }
    ).list[0]?.schema;
    const types = new Map(schema?.map((f) => [f.name, f.type]));
    expect([types.get('_timestamp'), types.get('code'), types.get('kubernetes_pod_name')]).toEqual([
      'Int64',
      'Int64',
      'Utf8',
    ]);

    const flush = await call(o2.url, '/node/flush', { method: 'PUT', auth: rootAuth() });
    expect([flush.status, flush.body]).toEqual([200, true]);
    const [[name, docs, files] = []] = await stats();
    expect([name, docs]).toEqual(['default', 981]);
    expect(files).toBeGreaterThan(0);

    const removed = await call(o2.url, '/api/default/streams/default?type=logs', {
      method: 'DELETE',
      auth: rootAuth(),
    });
    expect(removed.status).toBe(200);
    // Hidden at once; the in-process compactor, woken by the request, deletes the stored data.
    expect(await stats()).toEqual([]);
    const left = async (): Promise<string[]> => {
      const keys: string[] = [];
      for await (const object of objects.list('files/default/logs/default/')) keys.push(object.key);
      return keys;
    };
    await expect.poll(left, { timeout: 5_000 }).toEqual([]);
    await expect
      .poll(() => o2.store.streamDeletions.list('default'), { timeout: 5_000 })
      .toEqual([]);
    expect(await o2.store.streams.get({ org: 'default', type: 'logs', name: 'default' })).toBe(
      undefined,
    );

    // Written again after the delete: a new stream, which the finished deletion leaves alone.
    const again = await call(o2.url, '/api/default/default/_json', {
      auth: rootAuth(),
      json: [{ log: 'after the delete', code: 7 }],
    });
    expect(again.status).toBe(200);
    await call(o2.url, '/node/flush', { method: 'PUT', auth: rootAuth() });
    expect(await stats()).toEqual([['default', 1, 1]]);
    expect(await left()).toHaveLength(2); // the Parquet file and its token index
  });
});
