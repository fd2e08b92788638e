import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonBody } from '@o2/testing';
import { startMetricsNode } from '../test-support/metrics-node.js';
import { call, makeDbDir, rootAuth } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

describe('POST _search_multi and _search_multi_stream', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  const base = (Math.floor(Date.now() / 1000) - 600) * 1_000_000;
  const range = { start_time: base, end_time: base + 60_000_000 };
  const rows = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ _timestamp: base + i * 1_000_000, i }));

  beforeAll(async () => {
    dir = await makeDbDir();
    ({ o2 } = await startMetricsNode(dir.path));
    for (const [stream, n] of [
      ['alpha', 12],
      ['beta', 5],
    ] as const) {
      const res = await call(o2.url, `/api/default/${stream}/_json`, {
        auth: rootAuth(),
        body: jsonBody(rows(n)),
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(200);
    }
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  const post = (path: string, json: unknown) =>
    call(o2.url, `/api/default/${path}?type=logs`, { auth: rootAuth(), json });
  const COUNTS = ['SELECT count(*) AS n FROM alpha', 'SELECT count(*) AS n FROM beta'];

  it('concatenates the hits of every query and folds the counters', async () => {
    const res = await post('_search_multi', { sql: COUNTS, ...range, size: -1 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      hits: [{ n: 12 }, { n: 5 }],
      total: 1,
      is_partial: false,
      function_error: [],
    });
    expect(typeof (res.body as { took: unknown }).took).toBe('number');
  });

  it('applies each query its own query_fn, else the top-level one', async () => {
    const b64 = (vrl: string) => Buffer.from(vrl).toString('base64');
    const res = await post('_search_multi', {
      sql: [{ sql: COUNTS[0] }, { sql: COUNTS[1], query_fn: b64('.n = to_int!(.n) * 10') }],
      query_fn: b64('.n = to_int!(.n) + 1'),
      ...range,
      size: -1,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ hits: [{ n: 13 }, { n: 50 }], function_error: [] });
  });

  it('keeps one array per query with per_query_response', async () => {
    const res = await post('_search_multi', {
      sql: COUNTS,
      ...range,
      per_query_response: true,
    });
    expect((res.body as { hits: unknown }).hits).toEqual([[{ n: 12 }], [{ n: 5 }]]);
  });

  it('takes a per-query range from the object form and base64 SQL', async () => {
    const sql = Buffer.from('SELECT count(*) AS n FROM alpha').toString('base64url');
    const res = await post('_search_multi', {
      sql: [{ sql, start_time: base + 10_000_000, end_time: base + 60_000_000 }, { sql }],
      encoding: 'base64',
      ...range,
      per_query_response: true,
    });
    expect((res.body as { hits: unknown }).hits).toEqual([[{ n: 2 }], [{ n: 12 }]]);
  });

  it("fails with the first query's error, and marks a later failure partial", async () => {
    const first = await post('_search_multi', { sql: ['SELECT * FROM nope', COUNTS[0]], ...range });
    expect(first.status).toBe(400);
    expect(first.body).toMatchObject({ code: 20002 });
    const later = await post('_search_multi', {
      sql: [COUNTS[0], 'SELECT nope(1) FROM beta'],
      ...range,
    });
    expect(later.status).toBe(200);
    expect(later.body).toMatchObject({ hits: [{ n: 12 }], is_partial: true });
    expect(JSON.stringify((later.body as { function_error: unknown }).function_error)).toContain(
      "Invalid function 'nope'",
    );
  });

  it('streams the folded answer in SSE frames', async () => {
    const res = await post('_search_multi_stream', {
      sql: COUNTS,
      ...range,
      per_query_response: true,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = res.text.split('\n\n').filter((b) => b.trim() !== '');
    expect(events[0]).toMatch(/^event: search_response_metadata\n/);
    expect(events[1]).toBe('event: search_response_hits\ndata: {"hits":[[{"n":12}],[{"n":5}]]}');
    expect(events.at(-1)).toBe('data: [[DONE]]');
  });

  it.each([
    [{ sql: [] }, 'sql'],
    [{ sql: 'SELECT 1' }, 'sql'],
    [{ sql: [''] }, 'sql'],
    [{ sql: [{ sql: COUNTS[0], start_time: base + 70_000_000 }] }, 'end_time'],
    [{ end_time: undefined }, 'end_time'],
    [{ query_fn: 'not base64!' }, 'query_fn must be base64-encoded VRL'],
    [{ query_fn: Buffer.from('.a = (((').toString('base64') }, 'vrl compile error'],
    [{ encoding: 'rot13' }, 'encoding'],
    [{ per_query_response: 'yes' }, 'per_query_response'],
  ])('answers 400 for %j', async (extra, word) => {
    for (const path of ['_search_multi', '_search_multi_stream']) {
      const res = await post(path, { sql: COUNTS, ...range, ...extra });
      expect([path, res.status]).toEqual([path, 400]);
      expect(JSON.stringify(res.body)).toContain(word);
    }
  });

  it('needs a login', async () => {
    const res = await call(o2.url, '/api/default/_search_multi', {
      json: { sql: COUNTS, ...range },
    });
    expect(res.status).toBe(401);
  });
});
