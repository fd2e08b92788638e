import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonBody } from '@o2/testing';
import { startMetricsNode } from '../test-support/metrics-node.js';
import { call, makeDbDir, rootAuth } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

const HOUR = 3_600_000_000; // µs

describe("a stream's max_query_range trims the search range as O2 does", () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  const end = Math.floor(Date.now() / 1000) * 1000 * 1000 + 60_000_000;
  const start = end - 3 * HOUR;
  // One record every 10 minutes over the last 3 hours.
  const stamps = Array.from({ length: 18 }, (_, i) => start + 60_000_000 + i * 600_000_000);

  beforeAll(async () => {
    dir = await makeDbDir();
    ({ o2 } = await startMetricsNode(dir.path));
    for (const stream of ['limited', 'free']) {
      const res = await call(o2.url, `/api/default/${stream}/_json`, {
        auth: rootAuth(),
        body: jsonBody(stamps.map((_timestamp, i) => ({ _timestamp, i }))),
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(200);
    }
    const set = await call(o2.url, '/api/default/streams/limited/settings?type=logs', {
      method: 'PUT',
      auth: rootAuth(),
      json: { max_query_range: 1 },
    });
    expect(set.status).toBe(200);
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  const search = (sql: string) =>
    call(o2.url, '/api/default/_search?type=logs', {
      auth: rootAuth(),
      json: { query: { sql, start_time: start, end_time: end } },
    });

  it('keeps the last N hours, says so in function_error and reports the new range', async () => {
    const res = await search('SELECT count(*) AS n FROM limited');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      hits: [{ n: stamps.filter((t) => t >= end - HOUR).length }],
      function_error: ['Query duration is modified due to query range restriction of 1 hours'],
      is_partial: true,
      new_start_time: end - HOUR,
      new_end_time: end,
    });
  });

  it('leaves streams without a limit, and ranges within it, untouched', async () => {
    const free = await search('SELECT count(*) AS n FROM free');
    expect(free.body).toMatchObject({ hits: [{ n: stamps.length }], function_error: [] });
    expect(free.body).not.toHaveProperty('new_start_time');
    const short = await call(o2.url, '/api/default/_search?type=logs', {
      auth: rootAuth(),
      json: {
        query: { sql: 'SELECT count(*) AS n FROM limited', start_time: end - HOUR, end_time: end },
      },
    });
    expect(short.body).toMatchObject({ function_error: [], is_partial: false });
  });

  it('uses the smallest limit of the streams a query reads', async () => {
    const res = await search(
      'SELECT count(*) AS n FROM limited l JOIN free f ON l._timestamp = f._timestamp',
    );
    expect(res.body).toMatchObject({
      hits: [{ n: stamps.filter((t) => t >= end - HOUR).length }],
      new_start_time: end - HOUR,
    });
  });

  it('_search_partition reports the limit and splits only the range it leaves', async () => {
    const part = (stream: string) =>
      call(o2.url, '/api/default/_search_partition?type=logs', {
        auth: rootAuth(),
        json: { sql: `SELECT * FROM ${stream}`, start_time: start, end_time: end },
      });
    const limited = (await part('limited')).body as {
      max_query_range: number;
      partitions: Array<[number, number]>;
    };
    expect(limited.max_query_range).toBe(1);
    expect(Math.min(...limited.partitions.map((p) => p[0]))).toBe(end - HOUR);
    const free = (await part('free')).body as typeof limited;
    expect(free.max_query_range).toBe(0);
    expect(Math.min(...free.partitions.map((p) => p[0]))).toBe(start);
  });

  it('refuses a negative limit with 4xx', async () => {
    const bad = await call(o2.url, '/api/default/streams/limited/settings?type=logs', {
      method: 'PUT',
      auth: rootAuth(),
      json: { max_query_range: -1 },
    });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
  });
});
