import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ingester } from '@o2/ingester';
import { hotCommerceTraces } from '@o2/testing';
import { startMetricsNode } from '../test-support/metrics-node.js';
import { basic, call, makeDbDir, rootAuth } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

const START_NS = Math.floor(Date.now() / 1000 - 60) * 1e9;
const TRACES = hotCommerceTraces(START_NS);
const MAIN = TRACES.main.traceId;
const FROM_US = START_NS / 1000 - 60_000_000;
const TO_US = START_NS / 1000 + 120_000_000;
const WINDOW = `start_time=${FROM_US}&end_time=${TO_US}`;
const MEMBER = { email: 'viewer@example.com', password: 'Viewerpass#1' };

interface Summary {
  trace_id: string;
  start_time: number;
  end_time: number;
  duration: number;
  spans: [number, number];
  service_name: Array<{ service_name: string; count: number; duration: number }>;
  first_event: { service_name: string; operation_name: string };
}
interface Latest {
  total: number;
  from: number;
  size: number;
  took: number;
  hits: Summary[];
}

describe('trace APIs over a traces stream on a real single node', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  let ingester: Ingester | undefined;

  const ingest = async (stream: string, type: 'traces' | 'logs', rows: unknown[]) => {
    if (ingester === undefined) throw new Error('no ingester');
    const result = await ingester.ingest({
      org: 'default',
      stream,
      streamType: type,
      format: 'json',
      body: new TextEncoder().encode(JSON.stringify(rows)),
    });
    expect(result.response?.status).toEqual([{ name: stream, successful: rows.length, failed: 0 }]);
  };
  const get = (path: string, auth = rootAuth()) => call(o2.url, `/api/default/${path}`, { auth });
  const latest = async (query: string) => {
    const res = await get(`default/traces/latest?${WINDOW}&${query}`);
    expect([res.status, res.text.slice(0, 300)]).toEqual([200, res.text.slice(0, 300)]);
    return res.body as Latest;
  };

  beforeAll(async () => {
    dir = await makeDbDir();
    ({ o2, ingester } = await startMetricsNode(dir.path));
    await ingest('default', 'traces', TRACES.rows);
    await ingest('app_logs', 'logs', [
      { _timestamp: START_NS / 1000 + 1000, trace_id: MAIN, log: 'loading product sku-1' },
      { _timestamp: START_NS / 1000 + 30_000, trace_id: MAIN, log: 'review store timeout' },
      { _timestamp: START_NS / 1000 + 40_000, trace_id: TRACES.small.traceId, log: 'home' },
      { _timestamp: START_NS / 1000 + 50_000, log: 'no trace here' },
    ]);
    const created = await call(o2.url, '/api/default/users', {
      auth: rootAuth(),
      json: { ...MEMBER, role: 'viewer' },
    });
    expect(created.status).toBe(200);
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  it('lists the HOT Commerce trace with its span and error counts, services and duration', async () => {
    const body = await latest('sort_by=start_time&sort_order=asc&size=1');
    expect([body.total, body.from, body.size, typeof body.took]).toEqual([3, 0, 1, 'number']);
    const [hit] = body.hits;
    expect(hit?.trace_id).toBe(MAIN);
    expect(hit?.start_time).toBe(START_NS);
    expect(hit?.end_time).toBe(TRACES.main.endNs);
    expect(hit?.duration).toBe(100_000);
    expect(hit?.spans).toEqual([10, 1]);
    expect(hit?.first_event).toEqual({
      service_name: 'frontend',
      operation_name: 'GET /product/{id}',
    });
    const services = Object.fromEntries(
      (hit?.service_name ?? []).map((s) => [s.service_name, [s.count, s.duration]]),
    );
    expect(services).toEqual({
      frontend: [2, 100_000],
      shop: [2, 80_000],
      product: [3, 60_000],
      review: [1, 16_000],
      price: [2, 21_000],
    });
  });

  it('pages and sorts by start time and by duration', async () => {
    const ids = (body: Latest) => body.hits.map((h) => h.trace_id);
    const { main, small, medium } = TRACES;
    expect(ids(await latest('size=10'))).toEqual([medium.traceId, small.traceId, main.traceId]);
    expect(ids(await latest('sort_by=duration'))).toEqual([
      main.traceId,
      medium.traceId,
      small.traceId,
    ]);
    expect(ids(await latest('sort_by=duration&sort_order=asc'))).toEqual([
      small.traceId,
      medium.traceId,
      main.traceId,
    ]);
    const page = await latest('sort_by=duration&from=1&size=1');
    expect([page.total, page.from, page.size, ids(page)]).toEqual([3, 1, 1, [medium.traceId]]);
    const filtered = await latest(`filter=${encodeURIComponent("service_name = 'shop'")}`);
    expect(ids(filtered)).toEqual([medium.traceId, main.traceId]);
  });

  it('streams the same hits as server-sent events', async () => {
    const res = await get(`default/traces/latest_stream?${WINDOW}&sort_by=duration`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const hits = [...res.text.matchAll(/event: search_response_hits\ndata: (.*)\n/g)].flatMap(
      (m) => (JSON.parse(m[1] as string) as { hits: Summary[] }).hits,
    );
    expect(hits.map((h) => h.trace_id)).toEqual([
      MAIN,
      TRACES.medium.traceId,
      TRACES.small.traceId,
    ]);
    expect(res.text).toContain('event: search_response_metadata');
    expect(res.text.trimEnd().endsWith('data: [[DONE]]')).toBe(true);
  });

  it('returns every span of a trace with intact parent links, before and after a flush', async () => {
    const check = async () => {
      const res = await get(`default/traces/${MAIN}/details`);
      expect(res.status).toBe(200);
      const spans = (res.body as { hits: Array<Record<string, unknown>> }).hits;
      expect(spans).toHaveLength(10);
      const starts = spans.map((s) => s['start_time'] as number);
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
      const byId = new Map(spans.map((s) => [s['span_id'], s]));
      const ids = TRACES.main.spanIds;
      const parentOf = (label: string) =>
        byId.get(ids[label])?.['reference_parent_span_id'] ?? null;
      expect(parentOf('a1')).toBeNull();
      expect(parentOf('b1')).toBe(ids['a2']);
      expect(parentOf('d1')).toBe(ids['c2']);
      expect(parentOf('e1')).toBe(ids['c3']);
      const review = byId.get(ids['d1']);
      expect([review?.['span_status'], review?.['status_message']]).toEqual([
        'ERROR',
        'review store timeout',
      ]);
      const events = JSON.parse(byId.get(ids['e1'])?.['events'] as string) as unknown[];
      expect(events).toEqual([
        { name: 'cache miss', key: 'sku-1', _timestamp: START_NS + 53_000_000 },
      ]);
    };
    await check();
    expect((await call(o2.url, '/node/flush', { method: 'PUT', auth: rootAuth() })).status).toBe(
      200,
    );
    await check();
  });

  it('builds the span DAG from span_id and reference_parent_span_id', async () => {
    const res = await get(`default/traces/${MAIN}/dag?${WINDOW}`);
    expect(res.status).toBe(200);
    const dag = res.body as { nodes: Array<{ span_id: string }>; edges: unknown[] };
    const ids = TRACES.main.spanIds;
    const edge = (from: string, to: string) => ({ from: ids[from], to: ids[to] });
    expect(dag.nodes).toHaveLength(10);
    expect(dag.edges).toHaveLength(9);
    expect(dag.edges).toEqual(
      expect.arrayContaining([
        edge('a1', 'a2'),
        edge('a2', 'b1'),
        edge('b1', 'b2'),
        edge('b2', 'c1'),
        edge('c1', 'c2'),
        edge('c2', 'd1'),
        edge('c1', 'c3'),
        edge('c3', 'e1'),
        edge('e1', 'e2'),
      ]),
    );
  });

  it('finds a trace time range without being given a window', async () => {
    const res = await get(`default/traces/time_range?trace_id=${MAIN.toUpperCase()}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      stream: 'default',
      trace_id: MAIN,
      range: { start_time: START_NS / 1000, end_time: TRACES.main.endNs / 1000 + 1 },
    });
    const unknown = await get(`default/traces/time_range?trace_id=${'0'.repeat(32)}`);
    expect(unknown.body).toEqual({ stream: 'default', trace_id: '0'.repeat(32) });
  });

  it('draws the service graph from client/server span pairs with counts and latencies', async () => {
    const res = await get(`traces/service_graph/topology/current?stream=default&${WINDOW}`);
    expect(res.status).toBe(200);
    const graph = res.body as {
      nodes: Array<{ id: string; spans: number; requests: number; errors: number }>;
      edges: Array<Record<string, unknown>>;
    };
    const edges = graph.edges.map((e) => [
      e['from'],
      e['to'],
      e['requests'],
      e['errors'],
      e['p50_latency'],
      e['p95_latency'],
      e['connection_type'],
    ]);
    expect(edges).toEqual([
      ['frontend', 'shop', 1, 0, 90_000, 90_000, 'server'],
      ['product', 'price', 1, 0, 25_000, 25_000, 'server'],
      ['product', 'review', 1, 1, 20_000, 20_000, 'server'],
      ['shop', 'product', 1, 0, 70_000, 70_000, 'server'],
      ['price', 'postgres', 1, 0, 15_000, 15_000, 'peer'],
    ]);
    const nodes = Object.fromEntries(graph.nodes.map((n) => [n.id, [n.spans, n.requests]]));
    expect(nodes).toEqual({
      frontend: [4, 0],
      postgres: [0, 1],
      price: [2, 1],
      product: [3, 1],
      review: [1, 1],
      shop: [3, 1],
    });
  });

  it('lists services and operations through _values on the traces stream', async () => {
    const res = await get(
      `default/_values?type=traces&fields=service_name,operation_name&size=20&${WINDOW}`,
    );
    expect(res.status).toBe(200);
    const fields = (
      res.body as {
        hits: Array<{ field: string; values: Array<{ zo_sql_key: string; zo_sql_num: number }> }>;
      }
    ).hits;
    const of = (field: string) =>
      Object.fromEntries(
        (fields.find((f) => f.field === field)?.values ?? []).map((v) => [
          v.zo_sql_key,
          v.zo_sql_num,
        ]),
      );
    expect(of('service_name')).toEqual({ frontend: 4, shop: 3, product: 3, price: 2, review: 1 });
    expect(of('operation_name')['GetPrice']).toBe(2);
    const product = await get(
      `default/_values?type=traces&fields=operation_name&filter=service_name=product&${WINDOW}`,
    );
    const ops = (
      product.body as { hits: Array<{ values: Array<{ zo_sql_key: string }> }> }
    ).hits[0]?.values.map((v) => v.zo_sql_key);
    expect(ops?.sort()).toEqual(['GetPrice', 'GetProduct', 'GetReviews']);
  });

  it('finds the logs of a trace and the trace of a log through _search', async () => {
    const search = (type: string, sql: string) =>
      call(o2.url, `/api/default/_search?type=${type}`, {
        auth: rootAuth(),
        json: { query: { sql, start_time: FROM_US, end_time: TO_US, size: 100 } },
      });
    const logs = await search(
      'logs',
      `SELECT log FROM "app_logs" WHERE trace_id = '${MAIN}' ORDER BY _timestamp`,
    );
    // O2 adds `_timestamp` to a plain SELECT's projection: compare the asked-for columns.
    const hits = (body: unknown) => (body as { hits: Array<Record<string, unknown>> }).hits;
    expect(hits(logs.body).map((h) => h['log'])).toEqual([
      'loading product sku-1',
      'review store timeout',
    ]);
    const line = await search('logs', `SELECT trace_id FROM "app_logs" WHERE log = 'home'`);
    const traceId = (line.body as { hits: Array<{ trace_id: string }> }).hits[0]?.trace_id;
    const spans = await search(
      'traces',
      `SELECT service_name, operation_name FROM "default" WHERE trace_id = '${traceId}'`,
    );
    expect(hits(spans.body).map((h) => [h['service_name'], h['operation_name']])).toEqual([
      ['frontend', 'GET /'],
    ]);
    // The traces page can start from logs: a filter whose subquery reads the logs stream.
    const fromLogs = await latest(
      `filter=${encodeURIComponent(
        `trace_id IN (SELECT trace_id FROM logs."app_logs" WHERE log = 'review store timeout')`,
      )}`,
    );
    expect(fromLogs.hits.map((h) => [h.trace_id, h.spans])).toEqual([[MAIN, [10, 1]]]);
  });

  it('answers bad trace ids, filters and parameters with 400 in O2 shape', async () => {
    const cases: Array<[string, number]> = [
      [`default/traces/not-a-trace/details`, 400],
      [`default/traces/${'z'.repeat(32)}/dag`, 400],
      [`default/traces/time_range`, 400],
      [`default/traces/latest?filter=${encodeURIComponent('1=1) OR (1=1')}&${WINDOW}`, 20001],
      [`default/traces/latest?filter=${encodeURIComponent('1=1; DROP TABLE x')}&${WINDOW}`, 20001],
      [`default/traces/latest?filter=${encodeURIComponent("x = 'open")}&${WINDOW}`, 20001],
      [`default/traces/latest?filter=${encodeURIComponent('1=1 -- )')}&${WINDOW}`, 20001],
      [
        `default/traces/latest?filter=${encodeURIComponent("x = E'\\'' ) OR ( '1'='1")}&${WINDOW}`,
        20001,
      ],
      [`default/traces/latest?filter=${encodeURIComponent('no_such_column = 1')}&${WINDOW}`, 20004],
      [`default/traces/latest?sort_by=name&${WINDOW}`, 400],
      [`default/traces/latest?size=-1&${WINDOW}`, 400],
      [`default/traces/latest`, 400],
      [`nope/traces/latest?${WINDOW}`, 20002],
      [`traces/service_graph/topology/current?stream=default`, 400],
    ];
    for (const [path, code] of cases) {
      const res = await get(path);
      expect([path, res.status, (res.body as { code: number }).code]).toEqual([path, 400, code]);
      expect(typeof (res.body as { message: unknown }).message).toBe('string');
    }
  });

  it('requires authentication and org access', async () => {
    const paths = [
      `default/traces/latest?${WINDOW}`,
      `default/traces/${MAIN}/details`,
      `default/traces/${MAIN}/dag`,
      `default/traces/time_range?trace_id=${MAIN}`,
      `traces/service_graph/topology/current?${WINDOW}`,
    ];
    const viewer = basic(MEMBER.email, MEMBER.password);
    for (const path of paths) {
      expect([path, (await call(o2.url, `/api/default/${path}`)).status]).toEqual([path, 401]);
      expect([path, (await get(path, viewer)).status]).toEqual([path, 200]);
      const other = await call(o2.url, `/api/_meta/${path}`, { auth: viewer });
      expect([path, other.status]).toEqual([path, 403]);
    }
  });

  it('reads only the stored files whose trace-id index holds the trace', async () => {
    const later = hotCommerceTraces(START_NS + 5e9, 'b');
    await ingest('default', 'traces', later.rows);
    const flushed = await call(o2.url, '/node/flush', { method: 'PUT', auth: rootAuth() });
    expect(flushed.status).toBe(200);
    for (const [traceId, spans] of [
      [MAIN, 10],
      [later.small.traceId, 1],
    ] as const) {
      const res = await get(`default/traces/${traceId}/details`);
      const body = res.body as { hits: unknown[]; scan_files: number; pruned_files: number };
      // One file per flush (two, should a flush straddle an hour): the other one is skipped.
      expect([res.status, body.hits.length]).toEqual([200, spans]);
      expect(body.pruned_files).toBeGreaterThanOrEqual(1);
    }
    const other = await get(`default/traces/${'c'.repeat(32)}/details`);
    const none = other.body as { hits: unknown[]; scan_files: number; pruned_files: number };
    expect([none.hits.length, none.scan_files]).toEqual([0, 0]);
    expect(none.pruned_files).toBeGreaterThanOrEqual(2);
    // `trace_id IN (…)` prunes the same way (the latest page's follow-up queries use it).
    const inList = await call(o2.url, '/api/default/_search?type=traces', {
      auth: rootAuth(),
      json: {
        query: {
          sql: `SELECT count(*) AS n FROM "default" WHERE trace_id IN ('${MAIN}', '${'c'.repeat(32)}')`,
          start_time: FROM_US,
          end_time: TO_US,
        },
      },
    });
    const counted = inList.body as { hits: Array<{ n: number }>; pruned_files: number };
    expect([inList.status, counted.hits[0]?.n]).toEqual([200, 10]);
    expect(counted.pruned_files).toBeGreaterThanOrEqual(1);
  });
});
