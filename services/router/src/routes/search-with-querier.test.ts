import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchPartitionResponseSchema, searchResponseSchema } from '@o2/api-schemas';
import { generateK8sLogs, jsonBody } from '@o2/testing';
import { startMetricsNode } from '../test-support/metrics-node.js';
import { call, makeDbDir, rootAuth } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

/** 981 generated k8s log records, the size of O2's sample, as one `_json` body. */
const K8SLOG = jsonBody(generateK8sLogs());

describe('search through the router into the real querier and ingester', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;

  beforeAll(async () => {
    dir = await makeDbDir();
    // The whole single node (router, ingester, querier); only PUT /node/flush persists.
    ({ o2 } = await startMetricsNode(dir.path));
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  const search = (sql: string) => {
    const now = Date.now() * 1000;
    return call(o2.url, '/api/default/_search?type=logs', {
      auth: rootAuth(),
      json: { query: { sql, start_time: now - 3_600_000_000, end_time: now + 60_000_000 } },
    });
  };

  it('counts the k8s sample at once after ingest and again after a flush, over HTTP', async () => {
    const ingested = await call(o2.url, '/api/default/default/_json', {
      auth: rootAuth(),
      body: K8SLOG,
      headers: { 'content-type': 'application/json' },
    });
    expect(ingested.status).toBe(200);

    const hot = await search('SELECT count(*) AS n FROM "default"');
    expect([hot.status, (hot.body as { hits: unknown[] }).hits]).toEqual([200, [{ n: 981 }]]);

    const flush = await call(o2.url, '/node/flush', { method: 'PUT', auth: rootAuth() });
    expect([flush.status, flush.body]).toEqual([200, true]);
    const stored = await search('SELECT count(*) AS n FROM "default"');
    expect([stored.status, (stored.body as { hits: unknown[] }).hits]).toEqual([200, [{ n: 981 }]]);
  });

  it('answers with the query profile and a partition plan the UI reads (@o2/api-schemas)', async () => {
    const now = Date.now() * 1000;
    const range = { start_time: now - 3_600_000_000, end_time: now + 60_000_000 };
    const found = await search('SELECT * FROM "default"');
    const parsed = searchResponseSchema.safeParse(found.body);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data?.took_detail).toMatchObject({ search_took: expect.any(Number) as unknown });
    expect(parsed.data?.scan_files).toBeGreaterThan(0);
    expect(parsed.data?.pruned_files).toBeGreaterThanOrEqual(0);
    expect(parsed.data?.scan_records).toBe(981);

    const plan = await call(o2.url, '/api/default/_search_partition?type=logs', {
      auth: rootAuth(),
      json: { sql: 'SELECT * FROM "default"', ...range },
    });
    const partition = searchPartitionResponseSchema.safeParse(plan.body);
    expect(partition.error?.issues ?? []).toEqual([]);
    expect(partition.data).toMatchObject({ file_num: 1, records: 981 });
    expect(partition.data?.partitions[0]?.[1]).toBe(range.end_time);
  });

  it("answers the querier's search errors with O2's codes", async () => {
    const bad = await search('SELEC nonsense');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 20001, message: expect.any(String) as unknown });
    const missing = await search('SELECT * FROM "nope"');
    expect([missing.status, (missing.body as { code: number }).code]).toEqual([400, 20002]);
  });
});
