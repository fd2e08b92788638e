import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  traceDetailsResponseSchema,
  traceLatestResponseSchema,
  traceTimeRangeSchema,
} from '@o2/api-schemas';
import {
  expectSdkServiceGraph,
  latestSdkTrace,
  sdkTraceSpans,
  sendHotCommerceTrace,
} from '@o2/testing';
import { startMetricsNode } from '../test-support/metrics-node.js';
import { call, makeDbDir, rootAuth } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

// Issue 12's first check: the OpenTelemetry JS SDK, unmodified (http/protobuf exporter), sends a
// HOT Commerce trace — frontend → shop → product → {review, price}, five services, nine spans,
// one ERROR span and one span event — through OTLP ingest; the trace APIs then read it back.

const STREAM = 'hot_commerce';
describe('a HOT Commerce trace from the OpenTelemetry JS SDK (http/protobuf)', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  let traceId = '';
  const t0 = Date.now() - 60_000;
  const window = () =>
    `start_time=${(t0 - 60_000) * 1000}&end_time=${(Date.now() + 60_000) * 1000}`;
  const get = (path: string) => call(o2.url, `/api/default/${path}`, { auth: rootAuth() });

  beforeAll(async () => {
    dir = await makeDbDir();
    ({ o2 } = await startMetricsNode(dir.path));
    traceId = await sendHotCommerceTrace({
      orgUrl: `${o2.url}/api/default`,
      authorization: rootAuth(),
      stream: STREAM,
      t0,
    });
  }, 60_000);

  afterAll(async () => {
    await o2?.close();
    await dir?.remove();
  });

  it('lists the trace with its span count, error count, services and duration', async () => {
    const { body } = await latestSdkTrace(get, { stream: STREAM, traceId, window: window() });
    // Parsed with the schema the web UI reads it by, so a change of shape fails here.
    const hit = traceLatestResponseSchema.parse(body).hits.find((h) => h.trace_id === traceId);
    expect(hit?.duration).toBe(100_000);
    expect(hit?.first_event).toEqual({
      service_name: 'frontend',
      operation_name: 'GET /product/{id}',
    });
    expect(Object.fromEntries(hit!.service_name.map((s) => [s.service_name, s.count]))).toEqual({
      frontend: 2,
      shop: 2,
      product: 3,
      review: 1,
      price: 1,
    });
  });

  it('returns every span with intact parent links, the error and the event', async () => {
    const { body } = await sdkTraceSpans(get, { stream: STREAM, traceId, window: window() });
    const spans = traceDetailsResponseSchema.parse(body).hits;
    const byName = new Map(spans.map((s) => [s['operation_name'], s]));
    const parentName = (name: string) =>
      spans.find((s) => s['span_id'] === byName.get(name)?.['reference_parent_span_id'])?.[
        'operation_name'
      ];
    expect(parentName('GET /shop/product')).toBe('GET shop');
    expect(parentName('GetProduct')).toBe('GET product');
    expect(parentName('ListReviews')).toBe('GetReviews');
    expect(parentName('Quote')).toBe('GetPrice');
    expect(byName.get('GET /product/{id}')?.['reference_parent_span_id'] ?? '').toBe('');
    expect(byName.get('Quote')).toMatchObject({ span_status: 'ERROR', span_kind: '2' });
    expect(JSON.parse(byName.get('ListReviews')?.['events'] as string)).toEqual([
      expect.objectContaining({ name: 'cache miss', key: 'reviews:42' }),
    ]);
    const links = JSON.parse(byName.get('ListReviews')?.['links'] as string) as Array<{
      context: { traceId: string; spanId: string };
      'link.reason': string;
    }>;
    expect(links.map((l) => [l.context.traceId, l.context.spanId, l['link.reason']])).toEqual([
      [traceId, byName.get('Quote')?.['span_id'], 'priced together'],
    ]);
  });

  it('answers time_range with the window of the trace, in the UI schema', async () => {
    const res = await get(`${STREAM}/traces/time_range?trace_id=${traceId}`);
    expect(res.status, res.text).toBe(200);
    const range = traceTimeRangeSchema.parse(res.body).range;
    expect(range?.start_time).toBe(t0 * 1000);
    expect(range?.end_time).toBeGreaterThan(t0 * 1000);
  });

  it('draws the DAG and the service graph frontend → shop → product → {review, price}', async () => {
    const dag = await get(`${STREAM}/traces/${traceId}/dag?${window()}`);
    expect(dag.status).toBe(200);
    expect((dag.body as { edges: unknown[] }).edges).toHaveLength(8);
    await expectSdkServiceGraph(get, { stream: STREAM, window: window() });
  });
});
