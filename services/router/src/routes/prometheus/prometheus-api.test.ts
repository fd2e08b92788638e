import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ingester } from '@o2/ingester';
import { NATIVE_HISTOGRAM_COLUMN, metricRecord } from '@o2/metrics';
import { PromqlEngine, formatFloatPlain } from '@o2/promql';
import type { QueryResult, Labels } from '@o2/promql';
import { memorySource, sampleSeries } from '../../test-support/metric-samples.js';
import { ingestSeries, startMetricsNode } from '../../test-support/metrics-node.js';
import { basic, call, makeDbDir, rootAuth } from '../../test-support/start-router.js';
import type { CallResult, StartedRouter } from '../../test-support/start-router.js';

const MINUTE = 60_000;
/** Data from START for 30 minutes, 15 s apart; ends well before now (inside the ingest window). */
const START = Math.floor((Date.now() - 45 * MINUTE) / MINUTE) * MINUTE;
const SERIES = sampleSeries(START, 30);
const EVAL = START + 25 * MINUTE;
const MEMBER = { email: 'member@example.com', password: 'Memberpass#1' };

const labelsJson = (labels: Labels) =>
  Object.fromEntries(labels.list.map((l) => [l.name, l.value]));

/** The engine's answer in Prometheus's JSON, as the API must give it. */
function expectedData(r: QueryResult): unknown {
  const point = (t: number, v: number) => [t / 1000, formatFloatPlain(v)];
  switch (r.resultType) {
    case 'vector':
      return {
        resultType: 'vector',
        result: r.result.map((s) => ({ metric: labelsJson(s.labels), value: point(s.t, s.v) })),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: r.result.map((s) => ({
          metric: labelsJson(s.labels),
          values: [...s.timestamps].map((t, i) => point(t, s.values[i]!)),
        })),
      };
    case 'scalar':
      return { resultType: 'scalar', result: point(r.result.t, r.result.v) };
    case 'string':
      return { resultType: 'string', result: [r.result.t / 1000, r.result.v] };
  }
}

const QUERIES = [
  'http_requests_total',
  'rate(http_requests_total[5m])',
  'sum by (job) (rate(http_requests_total[5m]))',
  'histogram_quantile(0.9, sum by (le) (rate(req_duration_seconds_bucket[5m])))',
  'http_requests_total offset 5m',
  `http_requests_total @ ${(START + 10 * MINUTE) / 1000}`,
  'increase(http_requests_total{job=~"a.i|w.*"}[10m])',
  'http_requests_total{code=""}',
  'http_requests_total{code!="200"}',
  'count by (__name__) ({__name__=~"http_.*|room_.+"})',
  '{__name__=~".+_total", job!~"api"}',
  'room_temperature{room=~"lab.north"}',
  'room_temperature{room="furnace"}',
  'avg_over_time(room_temperature[10m]) > 18',
  'max_over_time(rate(http_requests_total[2m])[10m:1m])',
  'absent(nonexistent_metric)',
  'http_requests_total{job=~"ap"}',
  'http_requests_total{job=~"(?i)API", instance!~"b|c"}',
  "sum(http_requests_total{job=\"api' OR '1'='1\"})",
  '1 + 1',
  'time()',
];

describe('Prometheus HTTP API over metric streams (single node)', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  let limited: StartedRouter;
  let ingester: Ingester;
  const oracle = new PromqlEngine(memorySource(SERIES));

  const prom = (
    path: string,
    params: Record<string, string | string[]> = {},
    auth = rootAuth(),
    url = o2.url,
  ) => {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) qs.append(k, x);
    return call(url, `/api/default/prometheus/api/v1/${path}?${qs.toString()}`, { auth });
  };
  const dataOf = (res: CallResult) => {
    expect(res.status, res.text).toBe(200);
    expect((res.body as { status: string }).status).toBe('success');
    return (res.body as { data: unknown }).data;
  };

  beforeAll(async () => {
    dir = await makeDbDir();
    ({ o2, ingester } = await startMetricsNode(dir.path));
    await ingestSeries(ingester, 'default', SERIES);
    // Another org's series with the same name must never show up in `default`.
    await ingestSeries(ingester, 'other', [
      {
        name: 'http_requests_total',
        labels: { job: 'intruder' },
        samples: [{ t: EVAL - MINUTE, v: 1 }],
      },
    ]);
    const created = await call(o2.url, '/api/default/users', {
      auth: rootAuth(),
      json: { ...MEMBER, role: 'user' },
    });
    expect(created.status).toBe(200);
    // A second node view over the same store and ingester, with tiny limits.
    ({ o2: limited } = await startMetricsNode(
      dir.path,
      {
        ZO_METRICS_MAX_SERIES_RESPONSE: '2',
        ZO_METRICS_MAX_POINTS_PER_SERIES: '50',
        ZO_DATA_TMP_DIR: `${dir.path}/tmp2/`,
      },
      ingester,
    ));
  }, 60_000);

  afterAll(async () => {
    await limited?.close();
    await o2?.close();
    await dir?.remove();
  });

  const compareAll = async () => {
    for (const query of QUERIES) {
      const instant = await prom('query', { query, time: String(EVAL / 1000) });
      expect([query, dataOf(instant)]).toEqual([
        query,
        expectedData(await oracle.instantQuery(query, EVAL)),
      ]);
      const start = START + 5 * MINUTE;
      const end = START + 29 * MINUTE;
      const range = await prom('query_range', {
        query,
        start: String(start / 1000),
        end: String(end / 1000),
        step: '60s',
      });
      expect([query, dataOf(range)]).toEqual([
        query,
        expectedData(await oracle.rangeQuery(query, start, end, 60_000)),
      ]);
    }
  };

  it('answers instant and range queries as the engine does over the same samples in memory, hot and after a flush to Parquet', async () => {
    // The oracle itself sees the data (a comparison of two empty answers would prove nothing).
    const all = await oracle.instantQuery('http_requests_total', EVAL);
    expect(all.resultType === 'vector' && all.result.length).toBe(3);
    const sum = dataOf(
      await prom('query', {
        query: 'sum(rate(http_requests_total[5m]))',
        time: String(EVAL / 1000),
      }),
    );
    expect(
      Number((sum as { result: Array<{ value: [number, string] }> }).result[0]!.value[1]),
    ).toBeGreaterThan(0);
    await compareAll();
    const flushed = await call(o2.url, '/node/flush', { method: 'PUT', auth: rootAuth() });
    expect(flushed.status).toBe(200);
    expect(await ingester.hotStats('default')).toEqual([]);
    const ref = { org: 'default', type: 'metrics' as const, name: 'http_requests_total' };
    expect((await o2.store.fileList.query(ref)).length).toBeGreaterThan(0);
    await compareAll();
  }, 120_000);

  it('accepts POST form bodies and RFC 3339 times, and promtool-style parameters', async () => {
    const form = new URLSearchParams({
      query: 'sum(http_requests_total)',
      time: new Date(EVAL).toISOString(),
    });
    const res = await call(o2.url, '/api/default/prometheus/api/v1/query', {
      auth: rootAuth(),
      body: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(dataOf(res)).toEqual(
      expectedData(await oracle.instantQuery('sum(http_requests_total)', EVAL)),
    );
    const range = await call(o2.url, '/api/default/prometheus/api/v1/query_range', {
      auth: rootAuth(),
      body: new URLSearchParams({
        query: 'up_missing or vector(1)',
        start: String(START / 1000),
        end: String((START + 2 * MINUTE) / 1000),
        step: '1m',
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(
      (dataOf(range) as { result: Array<{ values: unknown[] }> }).result[0]!.values,
    ).toHaveLength(3);
  });

  it('honours lookback_delta', async () => {
    // The data ends at START + 30 m (last sample 15 s before): 3 minutes later only a lookback
    // longer than that still finds it.
    const time = String((START + 33 * MINUTE) / 1000);
    const query = 'room_temperature{room="hall"}';
    const wide = dataOf(await prom('query', { query, time })) as { result: unknown[] };
    expect(wide.result).toHaveLength(1);
    const narrow = dataOf(await prom('query', { query, time, lookback_delta: '1m' }));
    const want = await new PromqlEngine(memorySource(SERIES), {
      lookbackDeltaMs: MINUTE,
    }).instantQuery(query, START + 33 * MINUTE);
    expect(narrow).toEqual(expectedData(want));
    expect(narrow).toEqual({ resultType: 'vector', result: [] });
  });

  it('lists series, label names and label values for match[] selectors', async () => {
    const window = { start: String(START / 1000), end: String((START + 30 * MINUTE) / 1000) };
    const series = dataOf(
      await prom('series', {
        ...window,
        'match[]': [
          'room_temperature{room="hall"}',
          'http_requests_total{job="api"}',
          '{job="api", instance="a"}',
        ],
      }),
    );
    expect(series).toEqual([
      { __name__: 'http_requests_total', code: '200', instance: 'a', job: 'api' },
      { __name__: 'http_requests_total', code: '500', instance: 'b', job: 'api' },
      { __name__: 'room_temperature', room: 'hall' },
    ]);
    expect(
      dataOf(await prom('labels', { ...window, 'match[]': 'http_requests_total{code=""}' })),
    ).toEqual(['__name__', 'instance', 'job']);
    expect(dataOf(await prom('labels', window))).toEqual([
      '__name__',
      'code',
      'instance',
      'job',
      'le',
      'room',
    ]);
    expect(dataOf(await prom('label/job/values', window))).toEqual(['api', 'web']);
    expect(dataOf(await prom('label/__name__/values', window))).toEqual([
      'http_requests_total',
      'req_duration_seconds_bucket',
      'room_temperature',
    ]);
    expect(
      dataOf(
        await prom('label/le/values', { ...window, 'match[]': '{__name__=~"req_.*", le!="+Inf"}' }),
      ),
    ).toEqual(['0.1', '0.5']);
    const limitedList = await prom('label/instance/values', { ...window, limit: '2' });
    expect(limitedList.body).toEqual({
      status: 'success',
      data: ['a', 'b'],
      warnings: ['results truncated due to limit'],
    });
    // Outside the data's time range nothing matches.
    expect(
      dataOf(
        await prom('series', { 'match[]': 'http_requests_total', start: '1000', end: '2000' }),
      ),
    ).toEqual([]);
  });

  it('answers metadata from prom_metadata, exemplars, format_query and buildinfo', async () => {
    expect(dataOf(await prom('metadata'))).toEqual({});
    await o2.store.streams.putSettings(
      { org: 'default', type: 'metrics', name: 'http_requests_total' },
      {
        prom_metadata: JSON.stringify({
          metric_type: 'Counter',
          metric_family_name: 'http_requests_total',
          help: 'requests served',
          unit: '',
        }),
      },
    );
    expect(dataOf(await prom('metadata'))).toEqual({
      http_requests_total: [{ type: 'counter', help: 'requests served', unit: '' }],
    });
    expect(dataOf(await prom('metadata', { metric: 'room_temperature' }))).toEqual({});
    expect(
      dataOf(
        await prom('query_exemplars', {
          query: 'http_requests_total',
          start: String(START / 1000),
          end: String(EVAL / 1000),
        }),
      ),
    ).toEqual([]);
    expect(dataOf(await prom('format_query', { query: 'sum(rate(x{a="b"}[5m]))by(job)' }))).toBe(
      'sum by (job) (rate(x{a="b"}[5m]))',
    );
    expect(dataOf(await prom('status/buildinfo'))).toMatchObject({
      version: expect.any(String) as string,
    });
  });

  it('answers bad requests with Prometheus error shapes and codes', async () => {
    const bad = await prom('query', { query: 'rate(' });
    expect([bad.status, bad.body]).toEqual([
      400,
      {
        status: 'error',
        errorType: 'bad_data',
        error: 'invalid parameter "query": 1:6: parse error: unexpected end of input',
      },
    ]);
    const cases: Array<[string, Record<string, string | string[]>, string]> = [
      [
        'query',
        { query: 'up', time: 'yesterday' },
        'invalid parameter "time": cannot parse "yesterday" to a valid timestamp',
      ],
      [
        'query_range',
        { query: 'up', start: '10', end: '5', step: '1' },
        'invalid parameter "end": end timestamp must not be before start time',
      ],
      [
        'query_range',
        { query: 'up', start: '0', end: '5', step: 'soon' },
        'invalid parameter "step": cannot parse "soon" to a valid duration',
      ],
      [
        'query_range',
        { query: 'up', start: '0', end: '5', step: '0' },
        'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
      ],
      [
        'query_range',
        { query: 'up', start: '0', end: '100000', step: '1' },
        'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
      ],
      [
        'query_range',
        { query: 'up[5m]', start: '0', end: '5', step: '1' },
        'invalid parameter "query": invalid expression type "range vector" for range query, must be Scalar or instant Vector',
      ],
      ['series', {}, 'no match[] parameter provided'],
      [
        'series',
        { 'match[]': 'rate(x[5m])' },
        'invalid parameter "match[]": "rate(x[5m])" is not a series selector',
      ],
      ['labels', { limit: '-1' }, 'invalid parameter "limit": limit must be non-negative'],
    ];
    for (const [path, params, error] of cases) {
      const res = await prom(path, params);
      expect([path, res.status, res.body]).toEqual([
        path,
        400,
        { status: 'error', errorType: 'bad_data', error },
      ]);
    }
    const late = await prom('query_range', {
      query: 'max_over_time(sum(rate({__name__=~".+"}[5m]))[20m:15s])',
      start: String(START / 1000),
      end: String(EVAL / 1000),
      step: '15',
      timeout: '0.000001',
    });
    expect([late.status, late.body]).toEqual([
      503,
      { status: 'error', errorType: 'timeout', error: 'query timed out in query execution' },
    ]);
    const exec = await prom('query', {
      query: 'http_requests_total + on(job) http_requests_total',
      time: String(EVAL / 1000),
    });
    expect([exec.status, (exec.body as { errorType: string }).errorType]).toEqual([
      422,
      'execution',
    ]);
  });

  it('evaluates native histogram rows (__histogram__) and renders them as Prometheus does', async () => {
    // Two native samples (count 4 then 8, one bucket (1, 2] at schema 0) and one float sample.
    const histogram = (count: number) =>
      JSON.stringify({
        schema: 0,
        zeroThreshold: 0,
        zeroCount: 0,
        count,
        sum: count / 2,
        positiveSpans: [{ offset: 1, length: 1 }],
        positiveBuckets: [count],
        negativeSpans: [],
        negativeBuckets: [],
      });
    const rows = [0, 1, 2].map((i) =>
      metricRecord({
        name: 'native_latency',
        labels: { job: 'api' },
        value: 4 * (i + 1),
        timestampUs: (EVAL - (3 - i) * MINUTE) * 1000,
        ...(i < 2 ? { extra: { [NATIVE_HISTOGRAM_COLUMN]: histogram(4 * (i + 1)) } } : {}),
      }),
    );
    await ingester.ingest({
      org: 'default',
      stream: 'native_latency',
      streamType: 'metrics',
      format: 'json',
      body: new TextEncoder().encode(JSON.stringify(rows)),
    });
    const range = await prom('query_range', {
      query: 'native_latency',
      start: String((EVAL - 3 * MINUTE) / 1000),
      end: String((EVAL - MINUTE) / 1000),
      step: '60',
    });
    expect(range.body).toMatchObject({
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [
          {
            metric: { __name__: 'native_latency', job: 'api' },
            values: [[(EVAL - MINUTE) / 1000, '12']],
            histograms: [
              [(EVAL - 3 * MINUTE) / 1000, { count: '4', sum: '2', buckets: [[0, '1', '2', '4']] }],
              [(EVAL - 2 * MINUTE) / 1000, { count: '8', sum: '4', buckets: [[0, '1', '2', '8']] }],
            ],
          },
        ],
      },
    });
    const count = await prom('query', {
      query: 'histogram_count(native_latency)',
      time: String((EVAL - 2 * MINUTE) / 1000),
    });
    expect(count.body).toMatchObject({
      data: { result: [{ metric: { job: 'api' }, value: [(EVAL - 2 * MINUTE) / 1000, '8'] }] },
    });
  });

  it('answers query_exemplars from an exemplars column', async () => {
    const at = EVAL - 2 * MINUTE;
    const exemplars = JSON.stringify([
      { trace_id: 'abc123', span_id: 'def', value: 0.25, _timestamp: at * 1000 },
      { trace_id: 'old', value: 9, _timestamp: (START - 60 * MINUTE) * 1000 },
    ]);
    const row = metricRecord({
      name: 'rpc_latency',
      labels: { job: 'api' },
      value: 1,
      timestampUs: at * 1000,
      extra: { exemplars },
    });
    await ingester.ingest({
      org: 'default',
      stream: 'rpc_latency',
      streamType: 'metrics',
      format: 'json',
      body: new TextEncoder().encode(JSON.stringify([row])),
    });
    const res = await prom('query_exemplars', {
      query: 'sum(rate(rpc_latency{job="api"}[5m]))',
      start: String(START / 1000),
      end: String(EVAL / 1000),
    });
    expect(dataOf(res)).toEqual([
      {
        seriesLabels: { __name__: 'rpc_latency', job: 'api' },
        exemplars: [
          { labels: { trace_id: 'abc123', span_id: 'def' }, value: '0.25', timestamp: at / 1000 },
        ],
      },
    ]);
  });

  it('keeps user text out of SQL: quotes in matchers and label names match literally', async () => {
    const time = String(EVAL / 1000);
    const quoted = await prom('query', {
      query: `http_requests_total{job="x' OR 1=1 --", instance!="\\"a"}`,
      time,
    });
    expect(dataOf(quoted)).toEqual({ resultType: 'vector', result: [] });
    const names = await prom('label/job"; DROP TABLE x; --/values');
    expect(dataOf(names)).toEqual([]);
    const badRegex = await prom('query', {
      query: `http_requests_total{job=~"api') OR true --"}`,
      time,
    });
    expect([badRegex.status, (badRegex.body as { errorType: string }).errorType]).toEqual([
      400,
      'bad_data',
    ]);
  });

  it('refuses queries over the series and points limits with execution errors (422)', async () => {
    const time = String(EVAL / 1000);
    const many = await prom(
      'query',
      { query: 'http_requests_total', time },
      rootAuth(),
      limited.url,
    );
    expect(many.status).toBe(422);
    expect(many.body).toMatchObject({ status: 'error', errorType: 'execution' });
    expect((many.body as { error: string }).error).toMatch(/too many series/);
    const few = await prom(
      'query',
      { query: 'room_temperature{room="hall"}', time },
      rootAuth(),
      limited.url,
    );
    expect(dataOf(few)).toEqual(
      expectedData(await oracle.instantQuery('room_temperature{room="hall"}', EVAL)),
    );
    const long = await prom(
      'query',
      { query: 'max_over_time(room_temperature{room="hall"}[20m])', time },
      rootAuth(),
      limited.url,
    );
    expect([long.status, (long.body as { error: string }).error]).toEqual([
      422,
      expect.stringMatching(/too many samples/) as string,
    ]);
  });

  it('needs credentials and org membership, and never reads another org', async () => {
    const query = { query: 'http_requests_total', time: String(EVAL / 1000) };
    expect((await prom('query', query, '')).status).toBe(401);
    expect((await prom('query', query, basic(MEMBER.email, 'wrong'))).status).toBe(401);
    const member = basic(MEMBER.email, MEMBER.password);
    expect((await prom('query', query, member)).status).toBe(200);
    const outsider = await call(o2.url, `/api/other/prometheus/api/v1/query?query=up`, {
      auth: member,
    });
    expect(outsider.status).toBe(403);
    const mine = dataOf(
      await prom('query', { ...query, query: 'http_requests_total{job="intruder"}' }),
    ) as { result: unknown[] };
    expect(mine.result).toEqual([]);
    const theirs = await call(
      o2.url,
      `/api/other/prometheus/api/v1/query?query=http_requests_total&time=${EVAL / 1000}`,
      { auth: rootAuth() },
    );
    expect(
      (dataOf(theirs) as { result: Array<{ metric: unknown }> }).result.map((r) => r.metric),
    ).toEqual([{ __name__: 'http_requests_total', job: 'intruder' }]);
  });
});
