import { describe, expect, it } from 'vitest';
import { PromqlEngine } from '@o2/promql';
import { memorySource } from '../../test-support/metric-samples.js';
import { call, rootAuth } from '../../test-support/start-router.js';
import {
  EVAL,
  MINUTE,
  SERIES,
  START,
  expectedData,
  usePrometheusApiNode,
} from '../../test-support/prometheus-api-node.js';

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
  const node = usePrometheusApiNode();
  const { prom, dataOf, oracle } = node;

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
    const flushed = await call(node.o2.url, '/node/flush', { method: 'PUT', auth: rootAuth() });
    expect(flushed.status).toBe(200);
    expect(await node.ingester.hotStats('default')).toEqual([]);
    const ref = { org: 'default', type: 'metrics' as const, name: 'http_requests_total' };
    expect((await node.o2.store.fileList.query(ref)).length).toBeGreaterThan(0);
    await compareAll();
  }, 120_000);

  it('accepts POST form bodies and RFC 3339 times, and promtool-style parameters', async () => {
    const form = new URLSearchParams({
      query: 'sum(http_requests_total)',
      time: new Date(EVAL).toISOString(),
    });
    const res = await call(node.o2.url, '/api/default/prometheus/api/v1/query', {
      auth: rootAuth(),
      body: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(dataOf(res)).toEqual(
      expectedData(await oracle.instantQuery('sum(http_requests_total)', EVAL)),
    );
    const range = await call(node.o2.url, '/api/default/prometheus/api/v1/query_range', {
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
    // Where the ingester keeps it (what remote write and OTLP metadata write) …
    await node.o2.store.streams.putMetadata(
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
    // … and through the real metrics `_json` ingest, which gives a new stream O2's default help.
    const ingested = await call(node.o2.url, '/api/default/ingest/metrics/_json', {
      method: 'POST',
      auth: rootAuth(),
      json: [{ __name__: 'queue_depth', __type__: 'gauge', queue: 'a', value: 3 }],
    });
    expect(ingested.status).toBe(200);
    expect(dataOf(await prom('metadata'))).toEqual({
      http_requests_total: [{ type: 'counter', help: 'requests served', unit: '' }],
      queue_depth: [{ type: 'gauge', help: 'queue depth', unit: '' }],
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
});
