import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ExportTraceServiceRequestSchema, ExportTraceServiceResponseSchema } from '@o2/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parquetRows } from '../test-support/parquet-rows.js';
import { startRouterWithIngester } from '../test-support/router-with-ingester.js';
import { basic, call, makeDbDir, rootAuth, testConfig } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

const nowNanos = () => BigInt(Date.now()) * 1_000_000n;
const TRACE_ID = '5b8efff798038103d269b633813fc60c';

function spanJson(startNanos: bigint, spanId: string) {
  return {
    traceId: TRACE_ID,
    spanId,
    name: 'op',
    kind: 3,
    startTimeUnixNano: startNanos.toString(),
    endTimeUnixNano: (startNanos + 1_000_000n).toString(),
  };
}

describe('OTLP/HTTP and metrics _json routes', () => {
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

  const post = (path: string, body: string | Uint8Array, headers: Record<string, string>) =>
    call(o2.url, path, { method: 'POST', auth: rootAuth(), body, headers });
  const rows = async (type: string, stream: string) => {
    await call(o2.url, '/node/flush', { method: 'PUT', auth: rootAuth() });
    return parquetRows(join(streamDir, 'files', 'default', type, stream));
  };

  it('answers protobuf with protobuf and counts spans outside the window as a 206 partial success', async () => {
    const old = nowNanos() - 48n * 3_600_000_000_000n;
    const request = create(ExportTraceServiceRequestSchema, {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  ...spanJson(nowNanos(), ''),
                  traceId: Buffer.from(TRACE_ID, 'hex'),
                  spanId: Buffer.from('eee19b7ec3c1b174', 'hex'),
                },
                {
                  ...spanJson(old, ''),
                  traceId: Buffer.from(TRACE_ID, 'hex'),
                  spanId: Buffer.from('eee19b7ec3c1b175', 'hex'),
                },
              ].map((s) => ({
                ...s,
                startTimeUnixNano: BigInt(s.startTimeUnixNano),
                endTimeUnixNano: BigInt(s.endTimeUnixNano),
              })),
            },
          ],
        },
      ],
    });
    const res = await fetch(`${o2.url}/api/default/v1/traces`, {
      method: 'POST',
      headers: {
        authorization: rootAuth(),
        'content-type': 'application/x-protobuf',
        'content-encoding': 'gzip',
        'stream-name': 'Pb.Traces',
      },
      body: gzipSync(toBinary(ExportTraceServiceRequestSchema, request)),
    });
    expect([res.status, res.headers.get('content-type')]).toEqual([206, 'application/x-protobuf']);
    const answer = fromBinary(
      ExportTraceServiceResponseSchema,
      new Uint8Array(await res.arrayBuffer()),
    );
    expect(answer.partialSuccess?.rejectedSpans).toBe(1n);
    expect(answer.partialSuccess?.errorMessage).toBe(
      'Some spans were rejected due to exceeding the allowed retention period',
    );
    const stored = await rows('traces', 'pb_traces');
    expect(stored.map((r) => [r['span_id'], r['service_name'], r['span_kind']])).toEqual([
      ['eee19b7ec3c1b174', 'pb_traces', '3'],
    ]);
  });

  it('answers JSON with JSON: {} on full success, partialSuccess for spans with bad ids', async () => {
    const ok = await post(
      '/api/default/v1/traces',
      JSON.stringify({
        resourceSpans: [{ scopeSpans: [{ spans: [spanJson(nowNanos(), 'eee19b7ec3c1b176')] }] }],
      }),
      { 'content-type': 'application/json' },
    );
    expect([ok.status, ok.text]).toEqual([200, '{}']);
    const partial = await post(
      '/api/default/v1/traces',
      JSON.stringify({
        resourceSpans: [{ scopeSpans: [{ spans: [spanJson(nowNanos(), 'ab')] }] }],
      }),
      { 'content-type': 'application/json; charset=utf-8' },
    );
    expect([partial.status, partial.body]).toEqual([
      206,
      {
        partialSuccess: {
          rejectedSpans: 1,
          errorMessage: 'Invalid span id: expected 8 bytes, got 1',
        },
      },
    ]);
  });

  it("lets the organization header name the traces' org, for callers allowed into it", async () => {
    const body = JSON.stringify({
      resourceSpans: [{ scopeSpans: [{ spans: [spanJson(nowNanos(), 'eee19b7ec3c1b177')] }] }],
    });
    const json = { 'content-type': 'application/json' };
    const res = await post('/api/default/v1/traces', body, { ...json, organization: 'tenant2' });
    expect(res.status).toBe(200);
    const listed = await call(o2.url, '/api/tenant2/streams?type=traces', { auth: rootAuth() });
    expect(listed.body).toMatchObject({ list: [{ name: 'default', stats: { doc_num: 1 } }] });
    await call(o2.url, '/api/default/users', {
      method: 'POST',
      auth: rootAuth(),
      json: { email: 'tracer@example.com', password: 'Complexpass#123', role: 'admin' },
    });
    const foreign = await call(o2.url, '/api/default/v1/traces', {
      method: 'POST',
      auth: basic('tracer@example.com', 'Complexpass#123'),
      body,
      headers: { ...json, organization: 'tenant2' },
    });
    expect(foreign.status).toBe(403);
  });

  it('honours Idempotency-Key: a resent export is answered alike and stored once', async () => {
    const body = JSON.stringify({
      resourceSpans: [{ scopeSpans: [{ spans: [spanJson(nowNanos(), 'eee19b7ec3c1b178')] }] }],
    });
    const headers = {
      'content-type': 'application/json',
      'stream-name': 'idem_traces',
      'idempotency-key': 'otlp-once',
    };
    const first = await post('/api/default/v1/traces', body, headers);
    const again = await post('/api/default/v1/traces', body, headers);
    expect([first.status, again.status, again.text]).toEqual([200, 200, '{}']);
    expect(await rows('traces', 'idem_traces')).toHaveLength(1);
  });

  it('refuses malformed bodies, unknown content types and missing credentials', async () => {
    const bad = await post('/api/default/v1/logs', '{"resourceLogs":{}}', {
      'content-type': 'application/json',
    });
    expect(bad.status).toBe(400);
    expect((bad.body as { message: string }).message).toMatch(
      /^Invalid OTLP JSON ExportLogsServiceRequest/,
    );
    const badPb = await post('/api/default/v1/metrics', new Uint8Array([0x0a, 0xff]), {
      'content-type': 'application/x-protobuf',
    });
    expect([badPb.status, (badPb.body as { code: number }).code]).toEqual([400, 400]);
    const text = await post('/api/default/v1/logs', 'hello', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    const anonymous = await call(o2.url, '/api/default/v1/logs', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(anonymous.status).toBe(401);
    const wrong = await call(o2.url, '/api/default/v1/logs', {
      method: 'POST',
      auth: basic('root@example.com', 'nope'),
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(wrong.status).toBe(401);
  });

  it('stores metrics _json samples in their metric streams, value as Float64', async () => {
    const res = await post(
      '/api/default/ingest/metrics/_json',
      JSON.stringify([
        {
          __name__: 'cpu_usage',
          __type__: 'gauge',
          host: 'a',
          value: 2,
          _timestamp: 1691643770347,
        },
        { __name__: 'cpu_usage', host: 'b', value: '0.5', _timestamp: 1691643770348 },
        { __name__: 'mem', value: 10 },
      ]),
      { 'content-type': 'application/json' },
    );
    expect([res.status, res.body]).toEqual([
      200,
      {
        code: 200,
        status: [
          { name: 'cpu_usage', successful: 2, failed: 0 },
          { name: 'mem', successful: 1, failed: 0 },
        ],
      },
    ]);
    const stored = await rows('metrics', 'cpu_usage');
    expect(stored.map((r) => [r['host'], r['value'], r['_timestamp'], r['__type__']])).toEqual([
      ['a', 2, 1691643770347000n, 'gauge'],
      ['b', 0.5, 1691643770348000n, null],
    ]);
    const listed = await call(o2.url, '/api/default/streams?type=metrics', { auth: rootAuth() });
    const cpu = (listed.body as { list: Array<Record<string, unknown>> }).list.find(
      (s) => s['name'] === 'cpu_usage',
    );
    expect(cpu?.['metrics_meta']).toEqual({
      metric_type: 'Gauge',
      metric_family_name: 'cpu_usage',
      help: 'cpu usage',
      unit: '',
    });
    const missing = await post('/api/default/ingest/metrics/_json', '[{"value":1}]', {
      'content-type': 'application/json',
    });
    expect([missing.status, missing.body]).toEqual([
      400,
      { code: 400, message: 'missing __name__' },
    ]);
  });
});

describe('OTLP/HTTP size limit', () => {
  it('answers 413 past ZO_PAYLOAD_LIMIT, compressed or not', async () => {
    const dir = await makeDbDir();
    const { o2 } = await startRouterWithIngester(dir.path, { ZO_PAYLOAD_LIMIT: '1000' });
    try {
      const big = JSON.stringify({ resourceLogs: [], pad: 'x'.repeat(5000) });
      const plain = await call(o2.url, '/api/default/v1/logs', {
        method: 'POST',
        auth: rootAuth(),
        body: big,
        headers: { 'content-type': 'application/json' },
      });
      const zipped = await call(o2.url, '/api/default/v1/logs', {
        method: 'POST',
        auth: rootAuth(),
        body: gzipSync(big),
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      });
      expect([plain.status, zipped.status]).toEqual([413, 413]);
    } finally {
      await o2.close();
      await dir.remove();
    }
  });
});
