import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressSnappyBlock, encodeRemoteWrite } from '@o2/prom-remote-write';
import type { RemoteWriteSeries } from '@o2/prom-remote-write';
import { startMetricsNode } from '../test-support/metrics-node.js';
import { call, makeDbDir, rootAuth } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

// Prometheus remote write through the real router and ingester, read back through the
// Prometheus API: samples, metadata, native histograms, HA dedup and the bad-input answers.

const MINUTE = 60_000;
const T0 = Math.floor((Date.now() - 30 * MINUTE) / MINUTE) * MINUTE;
const HEADERS = {
  'content-type': 'application/x-protobuf',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '0.1.0',
};

describe('POST /api/{org}/prometheus/api/v1/write', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;

  const write = (body: Uint8Array | string, headers: Record<string, string> = HEADERS) =>
    call(o2.url, '/api/default/prometheus/api/v1/write', {
      method: 'POST',
      auth: rootAuth(),
      headers,
      body: typeof body === 'string' ? body : Buffer.from(body),
    });
  const query = async (expr: string, atMs: number) => {
    const qs = new URLSearchParams({ query: expr, time: String(atMs / 1000) });
    const res = await call(o2.url, `/api/default/prometheus/api/v1/query?${qs.toString()}`, {
      auth: rootAuth(),
    });
    expect(res.status, res.text).toBe(200);
    return (res.body as { data: { result: Array<{ metric: object; value?: unknown[] }> } }).data
      .result;
  };

  beforeAll(async () => {
    dir = await makeDbDir();
    ({ o2 } = await startMetricsNode(dir.path, { ZO_METRICS_LEADER_ELECTION_INTERVAL: '3600' }));
  }, 60_000);

  afterAll(async () => {
    await o2?.close();
    await dir?.remove();
  });

  it('stores samples one stream per metric and answers 204; the API reads them back', async () => {
    const series: RemoteWriteSeries[] = ['a', 'b'].map((instance, i) => ({
      labels: { __name__: 'rw_requests_total', job: 'api', instance },
      samples: [0, 1, 2].map((k) => ({ value: 10 * (i + 1) + k, timestampMs: T0 + k * MINUTE })),
    }));
    const res = await write(
      encodeRemoteWrite(series, [{ family: 'rw_requests_total', type: 'Counter', help: 'served' }]),
    );
    expect(res.status, res.text).toBe(204);
    expect(await query('sum(rw_requests_total)', T0 + 2 * MINUTE)).toEqual([
      { metric: {}, value: [(T0 + 2 * MINUTE) / 1000, '34'] },
    ]);
    const meta = await call(o2.url, '/api/default/prometheus/api/v1/metadata', {
      auth: rootAuth(),
    });
    expect(meta.body).toMatchObject({
      data: { rw_requests_total: [{ type: 'counter', help: 'served', unit: '' }] },
    });
  });

  it('keeps native histograms native and as classic buckets', async () => {
    const res = await write(
      encodeRemoteWrite([
        {
          labels: { __name__: 'rw_latency_seconds', job: 'api' },
          histograms: [
            {
              timestampMs: T0,
              schema: 0,
              zeroThreshold: 0,
              zeroCount: 0,
              count: 6,
              sum: 9,
              positiveSpans: [{ offset: 1, length: 2 }],
              positiveBuckets: [2, 4],
              negativeSpans: [],
              negativeBuckets: [],
            },
          ],
        },
      ]),
    );
    expect(res.status, res.text).toBe(204);
    expect(await query('histogram_count(rw_latency_seconds)', T0)).toEqual([
      { metric: { job: 'api' }, value: [T0 / 1000, '6'] },
    ]);
    expect(await query('rw_latency_seconds_count', T0)).toMatchObject([
      { value: [T0 / 1000, '6'] },
    ]);
  });

  it('keeps one HA replica per cluster and stores the series without the replica label', async () => {
    const from = (replica: string, value: number) => ({
      labels: { __name__: 'rw_ha_up', cluster: 'eu', __replica__: replica },
      samples: [{ value, timestampMs: T0 + 5 * MINUTE }],
    });
    expect((await write(encodeRemoteWrite([from('r1', 1)]))).status).toBe(204);
    expect((await write(encodeRemoteWrite([from('r2', 2)]))).status).toBe(204);
    expect(await query('rw_ha_up', T0 + 5 * MINUTE)).toEqual([
      { metric: { __name__: 'rw_ha_up', cluster: 'eu' }, value: [(T0 + 5 * MINUTE) / 1000, '1'] },
    ]);
  });

  it('refuses what is not a snappy remote-write body with a clear 4xx', async () => {
    const plain = await write(Buffer.from('x'), { 'content-type': 'application/x-protobuf' });
    expect(plain.status).toBe(415);
    expect(plain.text).toMatch(/snappy/);
    const json = await write(Buffer.from('x'), { ...HEADERS, 'content-type': 'application/json' });
    expect(json.status).toBe(415);
    const corrupt = await write(Buffer.from([0x05, 0xff, 0xff]));
    expect(corrupt.status).toBe(400);
    expect(corrupt.text).not.toMatch(/at .*\.js/);
    const notProtobuf = await write(compressSnappyBlock(Buffer.from('{"not":"protobuf"}')));
    expect(notProtobuf.status).toBe(400);
    // A tiny body that claims a huge decompressed size is refused before anything is allocated.
    const bomb = await write(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x0f, 0x00]));
    expect(bomb.status).toBe(413);
    const anonymous = await call(o2.url, '/api/default/prometheus/api/v1/write', {
      method: 'POST',
      headers: HEADERS,
      body: Buffer.from(encodeRemoteWrite([])),
    });
    expect(anonymous.status).toBe(401);
  });
});
