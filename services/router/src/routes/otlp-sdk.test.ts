import { join } from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import { OTLPLogExporter as HttpJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as HttpJsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as HttpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parquetRows } from '../test-support/parquet-rows.js';
import { startRouterWithIngester } from '../test-support/router-with-ingester.js';
import { call, makeDbDir, rootAuth, testConfig } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

/**
 * The OpenTelemetry JS SDK's own exporters, unmodified (http/json and http/protobuf), send
 * logs, metrics and traces to a router over a real ingester; the rows are read back from the
 * flushed Parquet files with DuckDB.
 */
describe('OTLP/HTTP from the OpenTelemetry JS SDK', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  let streamDir: string;

  beforeAll(async () => {
    dir = await makeDbDir();
    ({ o2 } = await startRouterWithIngester(dir.path));
    streamDir = testConfig(dir.path).ZO_DATA_STREAM_DIR;
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  const flush = async () => {
    const res = await call(o2.url, '/node/flush', { method: 'PUT', auth: rootAuth() });
    expect(res.status).toBe(200);
  };
  const rows = (type: string, stream: string) =>
    parquetRows(join(streamDir, 'files', 'default', type, stream));
  const options = (signal: string, stream?: string) => ({
    url: `${o2.url}/api/default/v1/${signal}`,
    headers: {
      Authorization: rootAuth(),
      ...(stream === undefined ? {} : { 'stream-name': stream }),
    },
  });
  const resource = (name: string) =>
    resourceFromAttributes({ 'service.name': name, 'deployment.environment': 'test' });

  it.each([
    ['http/json', 'sdk_json', (o: ReturnType<typeof options>) => new HttpJsonLogExporter(o)],
    ['http/protobuf', 'sdk_proto', (o: ReturnType<typeof options>) => new ProtoLogExporter(o)],
  ])('stores logs sent with %s in the stream-name stream', async (_kind, stream, make) => {
    const provider = new LoggerProvider({
      resource: resource('shop'),
      processors: [new SimpleLogRecordProcessor({ exporter: make(options('logs', stream)) })],
    });
    const logger = provider.getLogger('checkout', '1.2.3');
    logger.emit({ body: 'order placed', severityText: 'INFO', attributes: { 'order.id': 42 } });
    logger.emit({ body: { msg: 'structured', n: 1 }, severityNumber: 17 });
    await provider.forceFlush();
    await provider.shutdown();
    await flush();
    const stored = await rows('logs', stream);
    expect(stored).toHaveLength(2);
    expect(stored).toContainEqual(
      expect.objectContaining({
        body: 'order placed',
        severity: 'INFO',
        order_id: 42n,
        service_name: 'shop',
        deployment_environment: 'test',
        instrumentation_library_name: 'checkout',
        instrumentation_library_version: '1.2.3',
      }),
    );
    expect(stored).toContainEqual(
      expect.objectContaining({ body_msg: 'structured', body_n: 1n, severity: '17' }),
    );
  });

  it.each([
    ['http/json', 'traces_json', (o: ReturnType<typeof options>) => new HttpJsonTraceExporter(o)],
    ['http/protobuf', 'traces_proto', (o: ReturnType<typeof options>) => new ProtoTraceExporter(o)],
  ])('stores spans sent with %s as §9.1 span records', async (_kind, stream, make) => {
    const provider = new BasicTracerProvider({
      resource: resource('api'),
      spanProcessors: [new SimpleSpanProcessor(make(options('traces', stream)))],
    });
    const tracer = provider.getTracer('web');
    const parent = tracer.startSpan('GET /users', {
      kind: SpanKind.SERVER,
      attributes: { 'http.route': '/users' },
    });
    parent.addEvent('cache miss', { key: 'u1' });
    parent.end();
    await provider.forceFlush();
    await provider.shutdown();
    await flush();
    const [span, ...more] = await rows('traces', stream);
    expect(more).toEqual([]);
    const context = parent.spanContext();
    expect(span).toMatchObject({
      trace_id: context.traceId,
      span_id: context.spanId,
      operation_name: 'GET /users',
      span_kind: '2',
      span_status: 'UNSET',
      service_name: 'api',
      service_deployment_environment: 'test',
      http_route: '/users',
      flags: 1n,
    });
    expect(typeof span?.['start_time']).toBe('bigint');
    expect(span?.['_timestamp']).toBe((span?.['start_time'] as bigint) / 1000n);
    expect(JSON.parse(span?.['events'] as string)).toEqual([
      expect.objectContaining({ name: 'cache miss', key: 'u1' }),
    ]);
  });

  it.each([
    ['http/json', 'json', (o: ReturnType<typeof options>) => new HttpJsonMetricExporter(o)],
    ['http/protobuf', 'proto', (o: ReturnType<typeof options>) => new ProtoMetricExporter(o)],
  ])('stores metrics sent with %s, one stream per metric name', async (_kind, suffix, make) => {
    const reader = new PeriodicExportingMetricReader({
      exporter: make(options('metrics')),
      exportIntervalMillis: 3_600_000,
    });
    const provider = new MeterProvider({ resource: resource('api'), readers: [reader] });
    const meter = provider.getMeter('meter');
    meter.createCounter(`requests_${suffix}`).add(3, { code: '200' });
    meter.createHistogram(`latency_${suffix}`).record(0.3);
    await provider.shutdown(); // collects and exports once more, then stops
    await flush();
    expect(await rows('metrics', `requests_${suffix}`)).toEqual([
      expect.objectContaining({
        __name__: `requests_${suffix}`,
        code: '200',
        service_name: 'api',
        value: 3,
        is_monotonic: 'true',
        aggregation_temporality: 'AGGREGATION_TEMPORALITY_CUMULATIVE',
      }),
    ]);
    const buckets = await rows('metrics', `latency_${suffix}_bucket`);
    expect(buckets.find((b) => b['le'] === 'inf')).toMatchObject({ value: 1 });
    expect(await rows('metrics', `latency_${suffix}_count`)).toEqual([
      expect.objectContaining({ value: 1 }),
    ]);
  });
});
