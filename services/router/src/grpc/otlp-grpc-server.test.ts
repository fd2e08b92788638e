import { join } from 'node:path';
import { Client, Metadata, credentials, status } from '@grpc/grpc-js';
import { SpanKind } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { isAppError } from '@o2/errors';
import { createGrpcClient } from '@o2/grpc';
import type { GrpcServer } from '@o2/grpc';
import { createLogger } from '@o2/logger';
import { TraceService } from '@o2/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parquetRows } from '../test-support/parquet-rows.js';
import { startRouterWithIngester } from '../test-support/router-with-ingester.js';
import type { RouterWithIngester } from '../test-support/router-with-ingester.js';
import { basic, call, makeDbDir, rootAuth, testConfig } from '../test-support/start-router.js';
import { createOtlpGrpcServer } from './otlp-grpc-server.js';

const silent = createLogger({ level: 'silent' });

/**
 * OTLP/gRPC: the OpenTelemetry JS SDK's grpc exporters, unmodified, against the router's OTLP
 * gRPC server over a real ingester; rows are read back from the flushed Parquet files.
 */
describe('OTLP/gRPC from the OpenTelemetry JS SDK', () => {
  let dir: { path: string; remove(): Promise<void> };
  let node: RouterWithIngester;
  let grpc: GrpcServer;
  let url: string;

  beforeAll(async () => {
    dir = await makeDbDir();
    node = await startRouterWithIngester(dir.path);
    const config = testConfig(dir.path, { ZO_GRPC_PORT: '0', ZO_GRPC_ADDR: '127.0.0.1' });
    grpc = createOtlpGrpcServer({
      config,
      logger: silent,
      metaStore: node.o2.store,
      ingest: node.ingester,
    });
    await grpc.start();
    url = `http://127.0.0.1:${grpc.port}`;
  });
  afterAll(async () => {
    await grpc.stop();
    await node.o2.close();
    await dir.remove();
  });

  const metadata = (entries: Record<string, string>) => {
    const m = new Metadata();
    for (const [key, value] of Object.entries(entries)) m.set(key, value);
    return m;
  };
  const rows = async (type: string, stream: string) => {
    await call(node.o2.url, '/node/flush', { method: 'PUT', auth: rootAuth() });
    const root = testConfig(dir.path).ZO_DATA_STREAM_DIR;
    return parquetRows(join(root, 'files', 'default', type, stream));
  };
  const resource = resourceFromAttributes({ 'service.name': 'grpc-app' });

  it('stores logs, spans and metrics sent by the grpc exporters', async () => {
    const headers = { authorization: rootAuth(), organization: 'default' };
    const logs = new LoggerProvider({
      resource,
      processors: [
        new SimpleLogRecordProcessor({
          exporter: new OTLPLogExporter({
            url,
            metadata: metadata({ ...headers, 'stream-name': 'grpc_logs' }),
          }),
        }),
      ],
    });
    logs.getLogger('l').emit({ body: 'via grpc', severityText: 'WARN' });
    await logs.shutdown();

    const tracing = new BasicTracerProvider({
      resource,
      spanProcessors: [
        new SimpleSpanProcessor(
          new OTLPTraceExporter({
            url,
            metadata: metadata({ ...headers, 'stream-name': 'grpc_traces' }),
            // Collectors compress by default: the server must take gzip messages.
            compression: CompressionAlgorithm.GZIP,
          }),
        ),
      ],
    });
    const span = tracing.getTracer('t').startSpan('call', { kind: SpanKind.CLIENT });
    span.end();
    await tracing.shutdown();

    const reader = new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url, metadata: metadata(headers) }),
      exportIntervalMillis: 3_600_000,
    });
    const meters = new MeterProvider({ resource, readers: [reader] });
    meters.getMeter('m').createUpDownCounter('queue_depth').add(4);
    await meters.shutdown();

    expect(await rows('logs', 'grpc_logs')).toEqual([
      expect.objectContaining({ body: 'via grpc', severity: 'WARN', service_name: 'grpc-app' }),
    ]);
    expect(await rows('traces', 'grpc_traces')).toEqual([
      expect.objectContaining({
        span_id: span.spanContext().spanId,
        span_kind: '3',
        service_name: 'grpc-app',
      }),
    ]);
    expect(await rows('metrics', 'queue_depth')).toEqual([
      expect.objectContaining({ __name__: 'queue_depth', value: 4, is_monotonic: 'false' }),
    ]);
  });

  it('answers bad credentials UNAUTHENTICATED and a foreign org PERMISSION_DENIED', async () => {
    const client = createGrpcClient({ address: `127.0.0.1:${grpc.port}`, logger: silent });
    const traces = client.service(TraceService);
    const codeOf = async (entries: Record<string, string>) => {
      try {
        await traces.export({}, { metadata: entries, timeoutMs: 5_000 });
        return 'OK';
      } catch (error) {
        return isAppError(error) ? error.code : String(error);
      }
    };
    await call(node.o2.url, '/api/default/users', {
      method: 'POST',
      auth: rootAuth(),
      json: { email: 'member@example.com', password: 'Complexpass#123', role: 'admin' },
    });
    try {
      expect(await codeOf({})).toBe('UNAUTHENTICATED');
      expect(await codeOf({ authorization: basic('root@example.com', 'wrong') })).toBe(
        'UNAUTHENTICATED',
      );
      expect(
        await codeOf({
          authorization: basic('member@example.com', 'Complexpass#123'),
          organization: 'other',
        }),
      ).toBe('PERMISSION_DENIED');
      expect(await codeOf({ authorization: rootAuth() })).toBe('OK');
      // An org ingestion token works as over HTTP: it is looked up within the named org (so in
      // another it is unknown, as in O2) and not at all once disabled.
      const created = await call(node.o2.url, '/api/default/ingestion-tokens', {
        auth: rootAuth(),
        json: { name: 'grpc' },
      });
      const token = (created.body as { data: { token: string } }).data.token;
      expect(await codeOf({ authorization: basic('collector', token) })).toBe('OK');
      expect(
        await codeOf({ authorization: basic('collector', token), organization: 'other' }),
      ).toBe('UNAUTHENTICATED');
      await call(node.o2.url, '/api/default/ingestion-tokens/grpc', {
        method: 'PATCH',
        auth: rootAuth(),
        json: { enabled: false },
      });
      expect(await codeOf({ authorization: basic('collector', token) })).toBe('UNAUTHENTICATED');
    } finally {
      client.close();
    }
  });

  it('hands the export on undecoded: a malformed one is INVALID_ARGUMENT after auth', async () => {
    const client = new Client(`127.0.0.1:${grpc.port}`, credentials.createInsecure());
    const send = (body: Uint8Array, entries: Record<string, string>) =>
      new Promise<{ code: number; details: string }>((resolve) => {
        client.makeUnaryRequest(
          '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
          (bytes: Buffer) => bytes,
          (bytes: Buffer) => bytes,
          Buffer.from(body),
          metadata(entries),
          (error) => resolve({ code: error?.code ?? status.OK, details: error?.details ?? '' }),
        );
      });
    // A span field cut short: ResourceSpans → ScopeSpans → Span whose name claims 9 bytes.
    const truncated = Uint8Array.from([0x0a, 0x06, 0x12, 0x04, 0x12, 0x02, 0x2a, 0x09]);
    try {
      expect((await send(truncated, {})).code).toBe(status.UNAUTHENTICATED);
      expect(await send(truncated, { authorization: rootAuth() })).toEqual({
        code: status.INVALID_ARGUMENT,
        details:
          'Invalid protobuf ExportTraceServiceRequest: truncated message (premature end of data)',
      });
    } finally {
      client.close();
    }
  });
});
