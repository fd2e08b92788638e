import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtelCollector } from './otel-collector.js';
import type { OtelCollectorHandle } from './otel-collector.js';
import { topLevelProtobufFields } from './protobuf-fields.js';
import { startRequestRecorder } from './request-recorder.js';
import type { RecordedRequest, RequestRecorder } from './request-recorder.js';
import { runTelemetrygen } from './telemetrygen.js';

// The real collector (built by scripts/ensure-test-deps.sh) receiving real telemetrygen output
// over OTLP gRPC and HTTP, and forwarding it with an otlphttp exporter set up like the article's
// (an `/api/<org>` endpoint, a Basic Authorization header and `stream-name`) to a recorder.

const AUTHORIZATION = `Basic ${Buffer.from('root@example.com:Complexpass#123').toString('base64')}`;
const STREAM = 'k8s_logs';

function collectorConfig(recorderUrl: string): string {
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
    endpoint: ${recorderUrl}/api/default
    headers:
      Authorization: ${AUTHORIZATION}
      stream-name: ${STREAM}
  debug:
    verbosity: basic
service:
  pipelines:
    logs:
      receivers: [otlp]
      processors: [batch]
      exporters: [otlphttp/openobserve, debug]
    metrics:
      receivers: [otlp]
      processors: [batch]
      exporters: [otlphttp/openobserve, debug]
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [otlphttp/openobserve, debug]
`;
}

let recorder: RequestRecorder;
let collector: OtelCollectorHandle;

beforeAll(async () => {
  recorder = await startRequestRecorder();
  collector = await startOtelCollector(collectorConfig(recorder.url));
});

afterAll(async () => {
  await collector.stop();
  await recorder.stop();
});

/** What the article's exporter must send: the org path, its headers, a protobuf export body. */
function expectForwarded(request: RecordedRequest, signal: string): void {
  expect(request.method).toBe('POST');
  expect(request.path).toBe(`/api/default/v1/${signal}`);
  expect(request.headers['authorization']).toBe(AUTHORIZATION);
  expect(request.headers['stream-name']).toBe(STREAM);
  expect(request.headers['content-type']).toBe('application/x-protobuf');
  expect(request.body.length).toBeGreaterThan(0);
  // Export*ServiceRequest: field 1 is resource_logs / resource_metrics / resource_spans.
  expect(topLevelProtobufFields(request.body).get(1)).toBeGreaterThanOrEqual(1);
}

describe('startOtelCollector + runTelemetrygen', { timeout: 60_000 }, () => {
  it('forwards telemetrygen logs (OTLP/gRPC in) with the article exporter block', async () => {
    await runTelemetrygen({
      signal: 'logs',
      endpoint: collector.grpcEndpoint,
      count: 20,
      telemetryAttributes: { 'k8s.namespace.name': 'shop' },
    });
    const [request] = await recorder.waitFor((r) => r.path.endsWith('/v1/logs'));
    expectForwarded(request!, 'logs');
    expect(request!.headers['content-encoding']).toBe('gzip');
    expect(request!.body.toString('latin1')).toContain('k8s.namespace.name');
    expect(request!.body.toString('latin1')).toContain('the message');
  });

  it('forwards telemetrygen metrics (OTLP/HTTP in, with headers) the same way', async () => {
    await runTelemetrygen({
      signal: 'metrics',
      endpoint: collector.httpEndpoint,
      protocol: 'http',
      headers: { 'x-o2ts-test': 'metrics' },
      metricType: 'Sum',
      metricName: 'o2ts_telemetrygen_sum',
      count: 5,
    });
    const [request] = await recorder.waitFor((r) => r.path.endsWith('/v1/metrics'));
    expectForwarded(request!, 'metrics');
    expect(request!.body.toString('latin1')).toContain('o2ts_telemetrygen_sum');
  });

  it('forwards telemetrygen traces (OTLP/gRPC in)', async () => {
    await runTelemetrygen({
      signal: 'traces',
      endpoint: collector.grpcEndpoint,
      count: 3,
      service: 'checkout',
    });
    const [request] = await recorder.waitFor((r) => r.path.endsWith('/v1/traces'));
    expectForwarded(request!, 'traces');
    expect(request!.body.toString('latin1')).toContain('checkout');
  });

  it('reports a telemetrygen run that cannot export as a failure, with its output', async () => {
    await expect(
      runTelemetrygen({
        signal: 'logs',
        endpoint: '127.0.0.1:1',
        count: 1,
        timeoutMs: 20_000,
        extraArgs: ['--timeout', '1s'],
      }),
    ).rejects.toThrow(/telemetrygen logs .*failed.*connection refused/s);
  });

  it('relays over OTLP/gRPC with the otlp exporter (headers as metadata) to another collector', async () => {
    // telemetrygen → edge collector (otlp gRPC exporter, the metadata O2's gRPC ingest reads) →
    // the collector above (otlphttp) → recorder.
    const edge = await startOtelCollector(`
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: \${env:O2TS_OTLP_GRPC_ENDPOINT}
exporters:
  otlp/relay:
    endpoint: ${collector.grpcEndpoint}
    tls:
      insecure: true
    headers:
      organization: default
      stream-name: ${STREAM}
      authorization: ${AUTHORIZATION}
service:
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [otlp/relay]
`);
    try {
      await runTelemetrygen({
        signal: 'traces',
        endpoint: edge.grpcEndpoint,
        count: 2,
        service: 'relayed-through-grpc',
      });
      const [request] = await recorder.waitFor((r) =>
        r.body.toString('latin1').includes('relayed-through-grpc'),
      );
      expectForwarded(request!, 'traces');
    } finally {
      await edge.stop();
    }
  });
});
