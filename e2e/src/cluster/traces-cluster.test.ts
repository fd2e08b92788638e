import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGrpcClient } from '@o2/grpc';
import type { GrpcClient } from '@o2/grpc';
import { IngestService, decodeIngestResult, encodeIngestRequest } from '@o2/proto';
import {
  hotCommerceTraces,
  readBackHotCommerceTrace,
  sendHotCommerceTrace,
  waitForPort,
} from '@o2/testing';
import { basicAuth, waitUntilHealthy } from '../product-process.js';
import type { ProductProcess } from '../product-process.js';
import { ROLE_CLUSTER_ROOT, startRoleCluster } from './role-cluster.js';
import type { RoleCluster } from './role-cluster.js';

const LABEL = 'traces';
const GENEROUS_MS = 90_000;
const START_NS = Math.floor(Date.now() / 1000 - 60) * 1e9;
const TRACES = hotCommerceTraces(START_NS);
const MAIN = TRACES.main.traceId;
const WINDOW = `start_time=${START_NS / 1000 - 60_000_000}&end_time=${START_NS / 1000 + 120_000_000}`;

// Router, one ingester and two queriers as separate processes, Postgres, NATS and MinIO: the
// trace APIs go router → querier (leader, which splits stored files with the other querier and
// asks the ingester for hot rows), exactly as `_search` does.
describe('cluster mode: the trace APIs over spans stored by an ingester', () => {
  let cluster: RoleCluster;
  let router: ProductProcess;
  let ingester: GrpcClient;

  const api = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', basicAuth(ROLE_CLUSTER_ROOT.email, ROLE_CLUSTER_ROOT.password));
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    const response = await fetch(`${router.url}${path}`, { ...init, headers });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text || 'null') as unknown };
  };

  /** Spans as a `traces` stream through the ingester's gRPC Ingest (OTLP ingest's path). */
  const ingestSpans = async (rows: unknown[]) => {
    const wire = encodeIngestRequest({
      requestId: randomUUID(),
      request: {
        org: 'default',
        stream: 'default',
        streamType: 'traces',
        format: 'json',
        body: new TextEncoder().encode(JSON.stringify(rows)),
      },
    });
    const answer = decodeIngestResult(
      await ingester.service(IngestService).ingest(wire, { timeoutMs: 30_000 }),
    );
    expect(answer.response?.status).toEqual([
      { name: 'default', successful: rows.length, failed: 0 },
    ]);
  };

  beforeAll(async () => {
    cluster = await startRoleCluster(LABEL, 6);
    router = (await cluster.start('router', 'router-1')).process;
    await waitUntilHealthy(router, GENEROUS_MS);
    const workers = await Promise.all([
      cluster.start('ingester', 'ingester-1'),
      cluster.start('querier', 'querier-1'),
      cluster.start('querier', 'querier-2'),
    ]);
    await Promise.all(workers.map((w) => waitForPort(w.grpcPort, GENEROUS_MS)));
    ingester = createGrpcClient({
      address: `127.0.0.1:${workers[0]?.grpcPort}`,
      token: `${LABEL}-token`,
    });
    await ingestSpans(TRACES.rows);
    const flushed = await api('/node/flush', { method: 'PUT' });
    expect(flushed.status).toBe(200);
    // A second file holding other traces: the trace-id index must rule it out.
    await ingestSpans(hotCommerceTraces(START_NS + 5e9, 'b').rows);
    const deadline = Date.now() + GENEROUS_MS;
    while ((await api(`/api/default/default/traces/latest?${WINDOW}`)).status !== 200) {
      if (Date.now() > deadline) throw new Error('no querier answered traces/latest');
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 300_000);

  afterAll(async () => {
    ingester?.close();
    const exits = await cluster?.stop();
    expect(exits).toEqual(exits?.map(([name]) => [name, 0]));
  }, 120_000);

  it('lists the HOT Commerce trace with its counts, services and duration', async () => {
    const res = await api(
      `/api/default/default/traces/latest?${WINDOW}&sort_by=start_time&sort_order=asc&size=1`,
    );
    expect(res.status).toBe(200);
    const body = res.body as {
      total: number;
      hits: Array<{
        trace_id: string;
        duration: number;
        spans: number[];
        service_name: Array<{ service_name: string; count: number }>;
        first_event: unknown;
      }>;
    };
    expect(body.total).toBe(6);
    const hit = body.hits[0];
    expect([hit?.trace_id, hit?.duration, hit?.spans]).toEqual([MAIN, 100_000, [10, 1]]);
    expect(
      Object.fromEntries(hit?.service_name.map((s) => [s.service_name, s.count]) ?? []),
    ).toEqual({ frontend: 2, shop: 2, product: 3, review: 1, price: 2 });
    expect(hit?.first_event).toEqual({
      service_name: 'frontend',
      operation_name: 'GET /product/{id}',
    });
  });

  it('returns every span with parent links, reading only the file that holds the trace', async () => {
    const res = await api(`/api/default/default/traces/${MAIN}/details`);
    expect(res.status).toBe(200);
    const body = res.body as {
      hits: Array<Record<string, unknown>>;
      scan_files: number;
      pruned_files: number;
    };
    expect(body.hits).toHaveLength(10);
    const ids = TRACES.main.spanIds;
    const review = body.hits.find((s) => s['span_id'] === ids['d1']);
    expect([review?.['reference_parent_span_id'], review?.['span_status']]).toEqual([
      ids['c2'],
      'ERROR',
    ]);
    // After a flush every span is stored: the files of the later traces are skipped by their
    // trace-id index (the ingester may have uploaded them on its own before, so only after).
    const flushed = await api('/node/flush', { method: 'PUT' });
    expect(flushed.status).toBe(200);
    const again = (await api(`/api/default/default/traces/${MAIN}/details`)).body as typeof body;
    expect(again.hits).toHaveLength(10);
    expect(again.pruned_files).toBeGreaterThanOrEqual(1);
    const none = (await api(`/api/default/default/traces/${'c'.repeat(32)}/details`))
      .body as typeof body;
    expect([none.hits.length, none.scan_files]).toEqual([0, 0]);
    expect(none.pruned_files).toBe(again.scan_files + again.pruned_files);
  });

  it('draws the DAG and the service graph', async () => {
    const dag = (await api(`/api/default/default/traces/${MAIN}/dag?${WINDOW}`)).body as {
      edges: unknown[];
    };
    expect(dag.edges).toHaveLength(9);
    const graph = await api(
      `/api/default/traces/service_graph/topology/current?stream=default&start_time=${
        START_NS / 1000
      }&end_time=${START_NS / 1000 + 4_000_000}`,
    );
    expect(graph.status).toBe(200);
    const edges = (graph.body as { edges: Array<Record<string, unknown>> }).edges.map((e) => [
      e['from'],
      e['to'],
      e['requests'],
      e['errors'],
    ]);
    expect(edges).toEqual([
      ['frontend', 'shop', 1, 0],
      ['product', 'price', 1, 0],
      ['product', 'review', 1, 1],
      ['shop', 'product', 1, 0],
      ['price', 'postgres', 1, 0],
    ]);
  });

  it('reads back a trace the OpenTelemetry JS SDK sent through the router (OTLP http/protobuf)', async () => {
    const t0 = Date.now() - 30_000;
    const traceId = await sendHotCommerceTrace({
      orgUrl: `${router.url}/api/default`,
      authorization: basicAuth(ROLE_CLUSTER_ROOT.email, ROLE_CLUSTER_ROOT.password),
      stream: 'sdk_traces',
      t0,
    });
    const window = `start_time=${(t0 - 60_000) * 1000}&end_time=${(Date.now() + 60_000) * 1000}`;
    await readBackHotCommerceTrace((path) => api(`/api/default/${path}`), {
      stream: 'sdk_traces',
      traceId,
      window,
    });
  });
});
