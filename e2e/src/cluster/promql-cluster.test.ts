import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGrpcClient } from '@o2/grpc';
import type { GrpcClient } from '@o2/grpc';
import { metricRecord } from '@o2/metrics';
import { IngestFormat, IngestService, StreamType } from '@o2/proto';
import { MemorySeriesSource, PromqlEngine, formatFloatPlain } from '@o2/promql';
import type { QueryResult } from '@o2/promql';
import { waitForPort } from '@o2/testing';
import { basicAuth, waitUntilHealthy } from '../product-process.js';
import { ROLE_CLUSTER_ROOT, startRoleCluster } from './role-cluster.js';
import type { RoleCluster, RoleNode } from './role-cluster.js';
import { pollUntil } from './role-output.js';

const LABEL = 'promql-cluster';
const LOADED_BOX_MS = 60_000;
const MINUTE = 60_000;
const START = Math.floor((Date.now() - 40 * MINUTE) / MINUTE) * MINUTE;
const EVAL = START + 20 * MINUTE;

/** Two jobs' counters, 15 s apart for 25 minutes. */
const SERIES = [
  { job: 'api', instance: 'a', step: 5 },
  { job: 'api', instance: 'b', step: 2 },
  { job: 'web', instance: 'c', step: 1 },
].map(({ step, ...labels }) => ({
  labels,
  samples: Array.from({ length: 100 }, (_, i) => ({ t: START + i * 15_000, v: i * step })),
}));

const QUERIES = [
  'sum by (job) (rate(cluster_requests_total[5m]))',
  'cluster_requests_total{job!="web"} offset 3m',
  'max_over_time(cluster_requests_total{instance=~"a|c"}[10m])',
];

function promJson(r: QueryResult): unknown {
  const metric = (s: { labels: { list: ReadonlyArray<{ name: string; value: string }> } }) =>
    Object.fromEntries(s.labels.list.map((l) => [l.name, l.value]));
  if (r.resultType === 'vector')
    return r.result.map((s) => ({ metric: metric(s), value: [s.t / 1000, formatFloatPlain(s.v)] }));
  if (r.resultType === 'matrix')
    return r.result.map((s) => ({
      metric: metric(s),
      values: [...s.timestamps].map((t, i) => [t / 1000, formatFloatPlain(s.values[i]!)]),
    }));
  throw new Error(`unexpected ${r.resultType}`);
}

// Router, ingester and querier as separate processes: the router reaches the querier's
// PromqlService over gRPC, the querier reads the ingester's hot rows and then MinIO.
describe('cluster mode: the Prometheus API through router → querier', () => {
  let cluster: RoleCluster;
  let router: RoleNode;
  let ingester: GrpcClient;
  const oracle = (() => {
    const source = new MemorySeriesSource();
    for (const s of SERIES)
      source.add({ __name__: 'cluster_requests_total', ...s.labels }, s.samples);
    return new PromqlEngine(source);
  })();

  const prom = async (path: string, form: Record<string, string>) => {
    const response = await fetch(`${router.process.url}/api/default/prometheus/api/v1/${path}`, {
      method: 'POST',
      headers: {
        authorization: basicAuth(ROLE_CLUSTER_ROOT.email, ROLE_CLUSTER_ROOT.password),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(form).toString(),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  const compare = async () => {
    for (const query of QUERIES) {
      const instant = await prom('query', { query, time: String(EVAL / 1000) });
      expect([query, instant.status]).toEqual([query, 200]);
      const want = await oracle.instantQuery(query, EVAL);
      expect(promJson(want)).not.toEqual([]);
      expect([query, (instant.body['data'] as { result: unknown }).result]).toEqual([
        query,
        promJson(want),
      ]);
      const range = await prom('query_range', {
        query,
        start: String((START + 5 * MINUTE) / 1000),
        end: String(EVAL / 1000),
        step: '1m',
      });
      const wantRange = await oracle.rangeQuery(query, START + 5 * MINUTE, EVAL, MINUTE);
      expect([query, (range.body['data'] as { result: unknown }).result]).toEqual([
        query,
        promJson(wantRange),
      ]);
    }
  };

  beforeAll(async () => {
    cluster = await startRoleCluster(LABEL, 30);
    router = await cluster.start('router', 'router-1');
    await waitUntilHealthy(router.process, LOADED_BOX_MS);
    const workers = await Promise.all([
      cluster.start('ingester', 'ingester-1'),
      cluster.start('querier', 'querier-1'),
    ]);
    await Promise.all(workers.map((n) => waitForPort(n.grpcPort, LOADED_BOX_MS)));
    const started = (n: RoleNode) => n.process.output().includes('"msg":"started"');
    if (!(await pollUntil(() => workers.every(started), LOADED_BOX_MS)))
      throw new Error('not every node started');
    ingester = createGrpcClient({
      address: `127.0.0.1:${workers[0].grpcPort}`,
      token: `${LABEL}-token`,
    });
    const rows = SERIES.flatMap((s) =>
      s.samples.map((p) =>
        metricRecord({
          name: 'cluster_requests_total',
          labels: s.labels,
          value: p.v,
          timestampUs: p.t * 1000,
        }),
      ),
    );
    const answer = await ingester.service(IngestService).ingest({
      requestId: randomUUID(),
      org: 'default',
      stream: 'cluster_requests_total',
      streamType: StreamType.METRICS,
      format: IngestFormat.JSON,
      body: new TextEncoder().encode(JSON.stringify(rows)),
    });
    expect(answer.result.case).toBe('response');
  }, 180_000);

  afterAll(async () => {
    ingester?.close();
    await cluster?.stop();
  }, 60_000);

  it('answers PromQL from the ingester hot rows, then from stored Parquet after a flush', async () => {
    await compare();
    const flushed = await fetch(`${router.process.url}/node/flush`, {
      method: 'PUT',
      headers: { authorization: basicAuth(ROLE_CLUSTER_ROOT.email, ROLE_CLUSTER_ROOT.password) },
    });
    expect(flushed.status).toBe(200);
    let stored = 0;
    for await (const _object of cluster.bucket.list(
      'files/default/metrics/cluster_requests_total/',
    ))
      stored++;
    expect(stored).toBeGreaterThan(0);
    await compare();
  }, 120_000);

  it('lists series and label values, and answers errors in Prometheus shape', async () => {
    const series = await prom('series', {
      'match[]': 'cluster_requests_total{job="api"}',
      start: String(START / 1000),
      end: String(EVAL / 1000),
    });
    expect(series.body['data']).toEqual([
      { __name__: 'cluster_requests_total', instance: 'a', job: 'api' },
      { __name__: 'cluster_requests_total', instance: 'b', job: 'api' },
    ]);
    const bad = await prom('query', { query: 'sum(' });
    expect([bad.status, bad.body['errorType']]).toEqual([400, 'bad_data']);
  });
});
