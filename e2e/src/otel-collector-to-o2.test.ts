import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, runTelemetrygen, startOtelCollector } from '@o2/testing';
import type { OtelCollectorHandle, TempDir } from '@o2/testing';
import { basicAuth, ROOT, rootUserEnv, startHealthyProduct } from './product-process.js';
import type { ProductProcess } from './product-process.js';

// Issue 11's collector path end to end: telemetrygen → a real OpenTelemetry Collector (built by
// scripts/ensure-test-deps.sh) → its otlphttp exporter configured with the article's block
// (`endpoint: http://<router>/api/default`, Basic Authorization, `stream-name`) → a real single
// node. The rows must land in the right streams with O2's columns, read back through `_search`.

const AUTH = basicAuth(ROOT.email, ROOT.password);
const STREAM = 'k8s_logs';

function collectorConfig(o2Url: string): string {
  return `
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: \${env:O2TS_OTLP_GRPC_ENDPOINT}
      http:
        endpoint: \${env:O2TS_OTLP_HTTP_ENDPOINT}
processors:
  batch:
    timeout: 200ms
exporters:
  otlphttp/openobserve:
    endpoint: ${o2Url}/api/default
    headers:
      Authorization: ${AUTH}
      stream-name: ${STREAM}
service:
  pipelines:
    logs:
      receivers: [otlp]
      processors: [batch]
      exporters: [otlphttp/openobserve]
    metrics:
      receivers: [otlp]
      processors: [batch]
      exporters: [otlphttp/openobserve]
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [otlphttp/openobserve]
`;
}

describe('telemetrygen → OpenTelemetry Collector → O2TS', { timeout: 90_000 }, () => {
  let dataDir: TempDir;
  let product: ProductProcess;
  let collector: OtelCollectorHandle;

  beforeAll(async () => {
    dataDir = await makeTempDir('otel-collector-o2');
    product = await startHealthyProduct('standalone', {
      ZO_DATA_DIR: `${dataDir.path}/`,
      RUST_LOG: 'warn',
      ...rootUserEnv(),
    });
    collector = await startOtelCollector(collectorConfig(product.url));
  }, 60_000);

  afterAll(async () => {
    await collector?.stop();
    await product?.stop();
    await dataDir?.remove();
  });

  /** `_search` over one stream of a type: the rows, polled until `count` have arrived. */
  async function rowsOf(type: string, stream: string, count: number) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const response = await fetch(`${product.url}/api/default/_search?type=${type}`, {
        method: 'POST',
        headers: { authorization: AUTH, 'content-type': 'application/json' },
        body: JSON.stringify({
          query: {
            sql: `SELECT * FROM "${stream}"`,
            start_time: (Date.now() - 3_600_000) * 1000,
            end_time: (Date.now() + 60_000) * 1000,
            size: 1000,
          },
        }),
      });
      const body = (await response.json()) as { hits?: Array<Record<string, unknown>> };
      const hits = body.hits ?? [];
      if (hits.length >= count) return hits;
      if (Date.now() > deadline)
        throw new Error(
          `${type}/${stream}: ${hits.length} of ${count} rows: ${JSON.stringify(body)}`,
        );
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  it('stores logs in the stream the stream-name header names, with O2 columns', async () => {
    await runTelemetrygen({
      signal: 'logs',
      endpoint: collector.grpcEndpoint,
      count: 25,
      telemetryAttributes: { 'k8s.namespace.name': 'shop' },
    });
    const rows = await rowsOf('logs', STREAM, 25);
    expect(rows).toHaveLength(25);
    expect(rows[0]).toMatchObject({ body: 'the message', k8s_namespace_name: 'shop' });
    expect(typeof rows[0]?.['_timestamp']).toBe('number');
  });

  it('stores traces as span records in the stream-name stream', async () => {
    await runTelemetrygen({
      signal: 'traces',
      endpoint: collector.grpcEndpoint,
      count: 4,
      service: 'checkout',
    });
    const spans = await rowsOf('traces', STREAM, 8);
    expect(spans[0]).toMatchObject({ service_name: 'checkout' });
    for (const span of spans) {
      expect(span['trace_id']).toMatch(/^[0-9a-f]{32}$/);
      expect(span['span_id']).toMatch(/^[0-9a-f]{16}$/);
      expect(['0', '1', '2', '3', '4', '5']).toContain(span['span_kind']);
    }
  });

  it('stores metrics one stream per metric name, readable with PromQL', async () => {
    await runTelemetrygen({
      signal: 'metrics',
      endpoint: collector.httpEndpoint,
      protocol: 'http',
      metricType: 'Sum',
      metricName: 'o2ts_collector_sum',
      count: 5,
    });
    const rows = await rowsOf('metrics', 'o2ts_collector_sum', 5);
    expect(rows[0]).toMatchObject({ __name__: 'o2ts_collector_sum', is_monotonic: 'true' });
    const query = new URLSearchParams({ query: 'count(o2ts_collector_sum)' });
    const answer = await fetch(
      `${product.url}/api/default/prometheus/api/v1/query?${query.toString()}`,
      { headers: { authorization: AUTH } },
    );
    expect(await answer.json()).toMatchObject({
      status: 'success',
      data: { resultType: 'vector', result: [{ value: [expect.any(Number), '1'] }] },
    });
  });
});
