import { describe, expect, it } from 'vitest';
import { NATIVE_HISTOGRAM_COLUMN, metricRecord } from '@o2/metrics';
import { basic, call, rootAuth } from '../../test-support/start-router.js';
import {
  EVAL,
  MEMBER,
  MINUTE,
  START,
  expectedData,
  usePrometheusApiNode,
} from '../../test-support/prometheus-api-node.js';

describe('Prometheus HTTP API: native histograms, exemplars, limits and access (single node)', () => {
  const node = usePrometheusApiNode();
  const { prom, dataOf, oracle } = node;

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
    await node.ingester.ingest({
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
    await node.ingester.ingest({
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
      node.limited.url,
    );
    expect(many.status).toBe(422);
    expect(many.body).toMatchObject({ status: 'error', errorType: 'execution' });
    expect((many.body as { error: string }).error).toMatch(/too many series/);
    const few = await prom(
      'query',
      { query: 'room_temperature{room="hall"}', time },
      rootAuth(),
      node.limited.url,
    );
    expect(dataOf(few)).toEqual(
      expectedData(await oracle.instantQuery('room_temperature{room="hall"}', EVAL)),
    );
    const long = await prom(
      'query',
      { query: 'max_over_time(room_temperature{room="hall"}[20m])', time },
      rootAuth(),
      node.limited.url,
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
    const outsider = await call(node.o2.url, `/api/other/prometheus/api/v1/query?query=up`, {
      auth: member,
    });
    expect(outsider.status).toBe(403);
    const mine = dataOf(
      await prom('query', { ...query, query: 'http_requests_total{job="intruder"}' }),
    ) as { result: unknown[] };
    expect(mine.result).toEqual([]);
    const theirs = await call(
      node.o2.url,
      `/api/other/prometheus/api/v1/query?query=http_requests_total&time=${EVAL / 1000}`,
      { auth: rootAuth() },
    );
    expect(
      (dataOf(theirs) as { result: Array<{ metric: unknown }> }).result.map((r) => r.metric),
    ).toEqual([{ __name__: 'http_requests_total', job: 'intruder' }]);
  });
});
