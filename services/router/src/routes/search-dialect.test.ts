import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonBody } from '@o2/testing';
import { startMetricsNode } from '../test-support/metrics-node.js';
import { call, makeDbDir, rootAuth } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

/**
 * O2's SQL dialect end to end: records ingested over `_json`, queries sent to `_search` the way
 * O2 users and dashboards write them, answered by the real querier. Expected answers come from
 * the records in this file (the dialect's breadth is tested at the engine, packages/search).
 */
const SERVICES = ['checkout', 'cart', 'frontend'];
const COUNT = 60;

interface Rec {
  _timestamp: number;
  service_name: string;
  body: string;
  bytes: number;
  tags: string;
}

describe('_search speaks O2 dialect through router, ingester and querier', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  let records: Rec[];
  const base = (Math.floor(Date.now() / 60_000) - 30) * 60_000_000; // µs, a whole minute

  beforeAll(async () => {
    dir = await makeDbDir();
    ({ o2 } = await startMetricsNode(dir.path));
    records = Array.from({ length: COUNT }, (_, i) => ({
      _timestamp: base + i * 2_500_000,
      service_name: SERVICES[i % 3]!,
      body: i % 4 === 0 ? `50% off code_${i}` : `GET /items/${i} in ${i * 7}ms`,
      bytes: i * 13 - 100,
      tags: JSON.stringify(i % 2 === 0 ? ['b', 'a'] : [3, 1, 2]),
    }));
    const ingested = await call(o2.url, '/api/default/default/_json', {
      auth: rootAuth(),
      body: jsonBody(records),
      headers: { 'content-type': 'application/json' },
    });
    expect(ingested.status).toBe(200);
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  const search = (sql: string) =>
    call(o2.url, '/api/default/_search?type=logs', {
      auth: rootAuth(),
      json: { query: { sql, start_time: base, end_time: base + 3_600_000_000, size: -1 } },
    });
  const hits = async (sql: string): Promise<unknown[]> => {
    const res = await search(sql);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body as { hits: unknown[] }).hits;
  };

  it('reads unquoted, single-quoted and type-qualified stream names', async () => {
    for (const from of ['default', "'default'", 'logs.default', '"default"']) {
      expect(await hits(`SELECT count(*) AS n FROM ${from}`)).toEqual([{ n: COUNT }]);
    }
  });

  it('answers DataFusion functions and semantics as DataFusion would', async () => {
    const first = records[0]!;
    expect(
      await hits(
        `SELECT arrow_cast(bytes, 'Float64') / 2 AS half, bytes / 3 AS third, regexp_match(body, 'code_(\\d+)')[1] AS code, date_format(_timestamp, '%H:%M:%S', 'UTC') AS hms FROM default ORDER BY _timestamp LIMIT 1`,
      ),
    ).toEqual([
      {
        _timestamp: first._timestamp, // O2 adds it to a plain one-stream SELECT
        half: first.bytes / 2,
        third: Math.trunc(first.bytes / 3),
        code: '0',
        hms: new Date(first._timestamp / 1000).toISOString().slice(11, 19),
      },
    ]);
    const percent = records.filter((r) => r.body.startsWith('50%')).length;
    expect(await hits(`SELECT count(*) AS n FROM default WHERE body LIKE '50\\%%'`)).toEqual([
      { n: percent },
    ]);
    expect(await hits(`SELECT sum(arrcount(tags)) AS n FROM default`)).toEqual([
      { n: records.reduce((n, r) => n + (JSON.parse(r.tags) as unknown[]).length, 0) },
    ]);
  });

  it('answers O2 aggregates: approx_topk with unnest and histogram with short units', async () => {
    expect(
      await hits(
        `SELECT item.value AS s, item.count AS n FROM (SELECT unnest(approx_topk(service_name, 2)) AS item FROM default) ORDER BY n DESC, s`,
      ),
    ).toEqual([
      { s: 'cart', n: 20 },
      { s: 'checkout', n: 20 },
    ]);
    const res = await search(
      `SELECT histogram(_timestamp, '1 m') AS k, count(*) AS n FROM default GROUP BY k ORDER BY k`,
    );
    expect(res.status).toBe(200);
    const body = res.body as { hits: Array<{ k: string; n: number }>; histogram_interval: number };
    expect(body.histogram_interval).toBe(60);
    expect(body.hits.map((h) => h.n)).toEqual([24, 24, 12]);
    expect(body.hits[0]!.k).toBe(new Date(base / 1000).toISOString().slice(0, 19));
  });

  const withFn = (sql: string, vrl: string, path = '_search') =>
    call(o2.url, `/api/default/${path}?type=logs`, {
      auth: rootAuth(),
      json: {
        query: {
          sql,
          start_time: base,
          end_time: base + 3_600_000_000,
          size: -1,
          query_fn: Buffer.from(vrl).toString('base64'),
        },
      },
    });

  it('applies a query_fn to each hit after the SQL: changes, flattens and drops rows', async () => {
    const res = await withFn(
      'SELECT service_name, bytes FROM default WHERE bytes < 30 ORDER BY bytes',
      'if int!(.bytes) < -90 { abort }\n.svc = {"upper": upcase!(.service_name)}\ndel(.service_name)',
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // bytes = i * 13 - 100 for i = 0..9 is below 30; i = 0 (-100) is aborted.
    const expected = records
      .filter((r) => r.bytes < 30 && r.bytes >= -90)
      .map((r) => ({
        _timestamp: r._timestamp,
        bytes: r.bytes,
        svc_upper: r.service_name.toUpperCase(),
      }));
    expect((res.body as { hits: unknown[] }).hits).toEqual(expected);
    expect((res.body as { function_error?: unknown }).function_error).toEqual([]);
  });

  it('reports query_fn runtime errors in function_error and keeps those rows as they were', async () => {
    const res = await withFn(
      'SELECT service_name, body FROM default ORDER BY _timestamp LIMIT 2',
      '.n = to_int!(.body)',
    );
    expect(res.status).toBe(200);
    const body = res.body as { hits: Array<Record<string, unknown>>; function_error: string[] };
    expect(body.hits).toEqual(
      records.slice(0, 2).map((r) => ({
        _timestamp: r._timestamp,
        service_name: r.service_name,
        body: r.body,
      })),
    );
    // One message per distinct error (each names the value it could not parse).
    expect(body.function_error).toHaveLength(2);
    for (const e of body.function_error) expect(e).toMatch(/^vrl runtime error: .*to_int/);
  });

  it('gives a #ResultArray# query_fn the whole hits array, on _search and _search_stream', async () => {
    const vrl = '#ResultArray#\n. = [{"rows": length(array!(.))}]';
    const sql = 'SELECT service_name FROM default';
    const res = await withFn(sql, vrl);
    expect((res.body as { hits: unknown }).hits).toEqual([{ rows: COUNT }]);
    const stream = await withFn(sql, vrl, '_search_stream');
    expect(stream.status).toBe(200);
    expect(stream.text).toContain(
      `event: search_response_hits\ndata: {"hits":[{"rows":${COUNT}}]}`,
    );
  });

  it('applies ?query_fn= to the hits of GET and POST _around', async () => {
    const fn = Buffer.from('.svc = upcase!(.service_name)').toString('base64url');
    const key = records[30]!._timestamp;
    const get = await call(
      o2.url,
      `/api/default/default/_around?key=${key}&size=4&query_fn=${fn}`,
      { auth: rootAuth() },
    );
    expect(get.status, JSON.stringify(get.body)).toBe(200);
    const hits = (get.body as { hits: Array<{ service_name: string; svc: string }> }).hits;
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(h.svc).toBe(h.service_name.toUpperCase());
    const post = await call(o2.url, `/api/default/default/_around?size=2&query_fn=${fn}`, {
      auth: rootAuth(),
      json: { _timestamp: key },
    });
    const postHits = (post.body as { hits: Array<{ svc?: string }> }).hits;
    expect(postHits.length).toBeGreaterThan(0);
    expect(postHits.every((h) => typeof h.svc === 'string')).toBe(true);
    const bad = await call(o2.url, `/api/default/default/_around?key=${key}&query_fn=%25%25`, {
      auth: rootAuth(),
    });
    expect([bad.status, bad.body]).toEqual([
      400,
      { code: 400, message: 'query_fn must be base64-encoded VRL' },
    ]);
  });

  it('answers 400 for a query_fn that is not base64 or does not compile', async () => {
    const bad = await call(o2.url, '/api/default/_search?type=logs', {
      auth: rootAuth(),
      json: {
        query: {
          sql: 'SELECT * FROM default',
          start_time: base,
          end_time: base + 3_600_000_000,
          query_fn: '%%% not base64',
        },
      },
    });
    expect([bad.status, bad.body]).toEqual([
      400,
      { code: 400, message: 'query.query_fn must be base64-encoded VRL' },
    ]);
    const garbage = await withFn('SELECT * FROM default', '.a = (((');
    expect(garbage.status).toBe(400);
    expect((garbage.body as { message: string }).message).toMatch(/^vrl compile error/);
  });

  it("names an unknown function in O2's 400 body", async () => {
    const res = await search('SELECT no_such_fn(body) FROM default');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 20001 });
    expect(JSON.stringify(res.body)).toContain("Invalid function 'no_such_fn'");
  });
});
